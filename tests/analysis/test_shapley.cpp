// Shapley effects against closed forms: linear models of normal drivers, correlated and not
// (Owen & Prieur 2017; Iooss & Prieur 2019), and the Ishigami function; the coverage of their
// intervals; the Gaussian conditional they sample from.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <numbers>

#include <Eigen/Dense>
#include <tbb/global_control.h>

#include "analysis/sensitivity/conditional.hpp"
#include "analysis/sensitivity_testing.hpp"
#include "guidance/sensitivity.hpp"

using namespace guidance;
using Catch::Matchers::WithinAbs;
using guidance::test::implied_se;
using guidance::test::index_of;
using guidance::test::linear_gaussian_shapley;
using guidance::test::model_of;

namespace {

/// The Gaussian-copula correlation that a rank correlation rho produces: 2 sin(pi rho / 6). With normal
/// marginals it is also the Pearson correlation of the drivers.
double gaussian(double rho) { return 2 * std::sin(std::numbers::pi * rho / 6); }

// y = 2a + b - c + 0 * unused; a, b, c, d normal with sd 1, 2, 1, 1; d is correlated with a but not in
// the formula.
const std::string correlated_yaml = R"(
name: correlated linear
drivers:
  a: {dist: normal, mean: 0, sd: 1}
  b: {dist: normal, mean: 1, sd: 2}
  c: {dist: normal, mean: 2, sd: 1}
  d: {dist: normal, mean: 0, sd: 1}
  e: {dist: uniform, min: 0, max: 1}
correlations:
  - [a, b, 0.5]
  - [b, c, -0.3]
  - [a, d, 0.6]
metrics:
  y: 2 * a + b - c
)";

std::vector<double> correlated_truth() {
  Eigen::MatrixXd r = Eigen::MatrixXd::Identity(4, 4);
  r(0, 1) = r(1, 0) = gaussian(0.5);
  r(1, 2) = r(2, 1) = gaussian(-0.3);
  r(0, 3) = r(3, 0) = gaussian(0.6);
  const Eigen::Vector4d sd(1, 2, 1, 1);
  const Eigen::MatrixXd sigma = sd.asDiagonal() * r * sd.asDiagonal();
  return linear_gaussian_shapley(Eigen::Vector4d(2, 1, -1, 0), sigma);
}


}  // namespace

TEST_CASE("the closed form reproduces the two-driver formula of Iooss & Prieur (2019)") {
  // y = b1 x1 + b2 x2, unit variances, correlation r: Sh_1 = (b1^2 (1 - r^2/2) + b2^2 r^2 / 2 + r b1 b2) / Var y.
  const double b1 = 1.5, b2 = -0.7, r = 0.4;
  Eigen::Matrix2d sigma;
  sigma << 1, r, r, 1;
  const std::vector<double> effects = linear_gaussian_shapley(Eigen::Vector2d(b1, b2), sigma);
  const double variance = b1 * b1 + b2 * b2 + 2 * r * b1 * b2;
  CHECK_THAT(effects[0], WithinAbs((b1 * b1 * (1 - r * r / 2) + b2 * b2 * r * r / 2 + r * b1 * b2) / variance, 1e-14));
  CHECK_THAT(effects[0] + effects[1], WithinAbs(1.0, 1e-14));
}

TEST_CASE("shapley effects of a linear model of correlated normals match the closed form") {
  const Model model = model_of(correlated_yaml);
  const ShapleyEffects result = shapley_effects(model, sensitivity_inputs(model), index_of(model, "y"), 100'000, 21);
  const std::vector<double> truth = correlated_truth();
  REQUIRE(result.inputs.size() == 5);
  double sum = 0.0;
  for (std::size_t i = 0; i < 4; ++i) {
    const ShapleyEffect& effect = result.inputs[i];
    CAPTURE(i, effect.effect, effect.ci.low, effect.ci.high, truth[i]);
    CHECK(effect.ci.high - effect.ci.low < 0.03);
    CHECK_THAT(effect.effect, WithinAbs(truth[i], 4.5 * implied_se(effect.ci)));
    sum += effect.effect;
  }
  // d is not in the formula but is correlated with a: it shares a's effect (a documented property of
  // Shapley effects). e is neither: exactly 0.
  CHECK(truth[3] > 0.01);
  CHECK(result.inputs[4].effect == 0.0);
  CHECK(result.inputs[4].ci.high == 0.0);
  CHECK_THAT(sum + result.inputs[4].effect, WithinAbs(1.0, 1e-12));
  CHECK(result.design.evaluations == 100'000 * 32);
  // Var y = beta^T Sigma beta; the sample variance within 4.5 standard errors (sd^2 sqrt(2 / n)).
  const double variance = 4 + 4 + 1 + 2 * (2 * 2 * gaussian(0.5)) - 2 * (2 * gaussian(-0.3));
  CHECK_THAT(result.variance, WithinAbs(variance, 4.5 * variance * std::sqrt(2.0 / 100'000)));
}

TEST_CASE("shapley effects of independent normals are each term's share of the variance") {
  const Model model = model_of(R"(
name: independent linear
drivers:
  a: {dist: normal, mean: 1, sd: 1}
  b: {dist: normal, mean: 2, sd: 2}
  c: {dist: lognormal, median: 1, p90: 2}
metrics:
  y: 3 * a + b
)");
  const ShapleyEffects result = shapley_effects(model, sensitivity_inputs(model), index_of(model, "y"), 50'000, 2);
  CHECK_THAT(result.inputs[0].effect, WithinAbs(9.0 / 13.0, 4.5 * implied_se(result.inputs[0].ci)));
  CHECK_THAT(result.inputs[1].effect, WithinAbs(4.0 / 13.0, 4.5 * implied_se(result.inputs[1].ci)));
  CHECK(result.inputs[2].effect == 0.0);
}

TEST_CASE("shapley effects of the Ishigami function split the x1-x3 interaction equally") {
  using guidance::test::Ishigami;
  const Model model = model_of(guidance::test::ishigami_yaml);
  const ShapleyEffects result = shapley_effects(model, sensitivity_inputs(model), 3, 100'000, 8);
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    CHECK(result.inputs[i].ci.high - result.inputs[i].ci.low < 0.03);
    CHECK_THAT(result.inputs[i].effect, WithinAbs(Ishigami::shapley[i], 4.5 * implied_se(result.inputs[i].ci)));
  }
}

TEST_CASE("the bootstrap intervals of the shapley effects cover the closed form at the nominal rate") {
  // 500 independent runs of N = 1,000 on the correlated linear model; each effect's coverage within
  // 4.5 binomial standard errors of 95% (check_coverage).
  const Model model = model_of(correlated_yaml);
  const std::vector<double> truth = correlated_truth();
  constexpr std::size_t runs = 500;
  std::array<std::size_t, 4> covered{};
  for (std::uint64_t seed = 1; seed <= runs; ++seed) {
    const ShapleyEffects result = shapley_effects(model, sensitivity_inputs(model), index_of(model, "y"), 1000, seed, 1000);
    for (std::size_t i = 0; i < 4; ++i)
      covered[i] += result.inputs[i].ci.low <= truth[i] && truth[i] <= result.inputs[i].ci.high;
  }
  for (std::size_t i = 0; i < 4; ++i) {
    CAPTURE(i);
    guidance::test::check_coverage(covered[i], runs);
  }
}

TEST_CASE("shapley effects are identical on any number of threads") {
  const Model model = model_of(correlated_yaml);
  const auto run = [&](std::size_t threads) {
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    return shapley_effects(model, sensitivity_inputs(model), index_of(model, "y"), 5000, 5);
  };
  const ShapleyEffects one = run(1), two = run(2);
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(one.inputs[i].effect == two.inputs[i].effect);
    CHECK(one.inputs[i].ci.low == two.inputs[i].ci.low);
  }
}

TEST_CASE("the Gaussian conditional is the Schur complement") {
  SECTION("two variables") {
    const double r = GENERATE(0.0, 0.3, -0.8, 1.0);
    Eigen::Matrix2d correlation;
    correlation << 1, r, r, 1;
    const analysis::GaussianConditional second = analysis::gaussian_conditional(correlation, {1});
    CHECK(second.redrawn == std::vector<std::size_t>{1});
    CHECK(second.given == std::vector<std::size_t>{0});
    CHECK_THAT(second.mean_map(0, 0), WithinAbs(r, 1e-14));
    CHECK_THAT(second.factor(0, 0), WithinAbs(std::sqrt(1 - r * r), 1e-7));
    CHECK(second.offset(0) == 0.0);
    // With a mean: z_1 | z_0 has mean mu_1 + r (z_0 - mu_0).
    const analysis::GaussianConditional shifted =
        analysis::gaussian_conditional(correlation, {1}, Eigen::Vector2d(0.5, -1.0));
    CHECK_THAT(shifted.offset(0), WithinAbs(-1.0 - r * 0.5, 1e-14));
    const analysis::GaussianConditional both = analysis::gaussian_conditional(correlation, {0, 1});
    CHECK(both.mean_map.cols() == 0);
    CHECK_THAT((both.factor * both.factor.transpose() - correlation).cwiseAbs().maxCoeff(), WithinAbs(0.0, 1e-14));
  }
  SECTION("three variables, against the inverse") {
    Eigen::Matrix3d correlation;
    correlation << 1, 0.5, -0.2, 0.5, 1, 0.3, -0.2, 0.3, 1;
    const analysis::GaussianConditional middle = analysis::gaussian_conditional(correlation, {1});
    const Eigen::Matrix2d given{{1, -0.2}, {-0.2, 1}};
    const Eigen::RowVector2d cross(0.5, 0.3);
    const Eigen::RowVector2d map = cross * given.inverse();
    CHECK_THAT((middle.mean_map - map).cwiseAbs().maxCoeff(), WithinAbs(0.0, 1e-14));
    CHECK_THAT(middle.factor(0, 0) * middle.factor(0, 0), WithinAbs(1 - map.dot(cross), 1e-14));
  }
}
