// Rank correlations from the Monte Carlo trials: exact on monotone relations, the bivariate-normal
// closed form otherwise, ties and non-finite values handled.
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>

#include "analysis/sensitivity_testing.hpp"
#include "guidance/sensitivity.hpp"

using namespace guidance;
using Catch::Matchers::WithinAbs;
using guidance::test::index_of;
using guidance::test::input_of;
using guidance::test::model_of;

namespace {

RankCorrelations correlations_of(const Model& model, std::string_view metric, std::uint64_t trials,
                                 std::uint64_t seed) {
  return rank_correlations(model, sensitivity_inputs(model), simulate(model, {.trials = trials, .seed = seed}), index_of(model, metric));
}

const RankCorrelation& of(const Model& model, const RankCorrelations& result, std::string_view driver) {
  for (const RankCorrelation& row : result.inputs)
    if (row.input == input_of(model, driver)) return row;
  FAIL("no row for " << driver);
  return result.inputs.front();
}

}  // namespace

TEST_CASE("a metric that is a monotone function of one driver has rank correlation exactly 1 with it") {
  const Model model = model_of(R"(
name: monotone
drivers:
  a: {dist: normal, mean: 0, sd: 1}
  b: {dist: uniform, min: 0, max: 1}
metrics:
  up: exp(a) * 3
  down: -a^3
)");
  const RankCorrelations up = correlations_of(model, "up", 5000, 3);
  CHECK(of(model, up, "a").spearman == 1.0);
  const RankCorrelations down = correlations_of(model, "down", 5000, 3);
  CHECK(of(model, down, "a").spearman == -1.0);
  // b is independent: its rank correlation is noise of standard error 1 / sqrt(n - 1) (null
  // distribution of Spearman's rho); 4.5 standard errors.
  CHECK_THAT(of(model, up, "b").spearman, WithinAbs(0.0, 4.5 / std::sqrt(4999.0)));
  CHECK_THAT(of(model, up, "a").contribution + of(model, up, "b").contribution, WithinAbs(1.0, 1e-15));
}

TEST_CASE("the rank correlation of a sum of normals matches the bivariate-normal closed form") {
  // y = a + b with independent standard normals: corr(a, y) = r = 1/sqrt(2), and for a bivariate normal
  // Spearman's rho is (6 / pi) asin(r / 2) (Pearson 1907; Kruskal 1958).
  const Model model = model_of(R"(
name: sum
drivers:
  a: {dist: normal, mean: 0, sd: 1}
  b: {dist: normal, mean: 5, sd: 1}
metrics:
  y: a + b
)");
  constexpr std::uint64_t n = 100'000;
  const RankCorrelations result = correlations_of(model, "y", n, 17);
  const double rho = 6 / std::numbers::pi * std::asin(1 / std::sqrt(2.0) / 2);
  // Standard error of Spearman's rho near rho: (1 - rho^2) sqrt(1.06 / (n - 3)) (Fieller, Hartley &
  // Pearson 1957); 4.5 standard errors.
  const double se = (1 - rho * rho) * std::sqrt(1.06 / (n - 3));
  for (const std::string driver : {"a", "b"}) {
    CAPTURE(driver);
    CHECK_THAT(of(model, result, driver).spearman, WithinAbs(rho, 4.5 * se));
    CHECK_THAT(of(model, result, driver).contribution, WithinAbs(0.5, 0.01));
  }
  CHECK(result.design.evaluations == n);
  CHECK(result.design.nonfinite == 0);
}

TEST_CASE("tied values share their average rank") {
  // k takes three values; y = k exactly, so the ranks of y and k are the same average ranks: rho = 1.
  const Model model = model_of(R"(
name: ties
drivers:
  k: {dist: discrete, values: [1, 2, 3], probabilities: [0.2, 0.5, 0.3]}
  e: {dist: uniform, min: 0, max: 1}
metrics:
  y: k * 2
  flat: e - e
)");
  const RankCorrelations result = correlations_of(model, "y", 3000, 5);
  CHECK_THAT(of(model, result, "k").spearman, WithinAbs(1.0, 1e-12));
  // A metric that does not vary gives every driver 0, not NaN.
  const RankCorrelations flat = correlations_of(model, "flat", 3000, 5);
  for (const RankCorrelation& row : flat.inputs) {
    CHECK(row.spearman == 0.0);
    CHECK(row.contribution == 0.0);
  }
}

TEST_CASE("trials where the metric is not finite are left out of the ranks and counted") {
  const Model model = model_of(R"(
name: holes
drivers:
  a: {dist: uniform, min: 0, max: 1}
metrics:
  y: a / (a > 0.2)
)");
  const RankCorrelations result = correlations_of(model, "y", 10'000, 9);
  // About 20% of the trials divide by zero (binomial: 2,000 +- 4.5 x 40).
  CHECK(result.design.nonfinite > 2000 - 180);
  CHECK(result.design.nonfinite < 2000 + 180);
  CHECK(result.inputs[0].spearman == 1.0);
}

TEST_CASE("a metric that is never finite has no rank correlation, not 0") {
  const Model model = model_of(R"(
name: never
drivers:
  a: {dist: uniform, min: 0, max: 1}
  b: {dist: uniform, min: 0, max: 1}
metrics:
  y: exp(1000 + a) + b
)");
  const RankCorrelations result = correlations_of(model, "y", 500, 9);
  CHECK(result.design.nonfinite == 500);
  for (const RankCorrelation& row : result.inputs) {
    CHECK(std::isnan(row.spearman));
    CHECK(std::isnan(row.contribution));
  }
}
