// Sobol indices against published closed forms (Ishigami, the G-function, a linear model), the
// coverage of their bootstrap intervals, determinism, and the refusal of correlated drivers.
#include <catch2/catch.hpp>

#include <tbb/global_control.h>

#include "analysis/sensitivity_testing.hpp"
#include "guidance/sensitivity.hpp"

using namespace guidance;
using Catch::Matchers::WithinAbs;
using guidance::test::implied_se;
using guidance::test::index_of;
using guidance::test::input_of;
using guidance::test::model_of;

namespace {

/// The bootstrap interval's implied standard error (half-width / 1.96), for tolerances.

/// The estimate within 4.5 implied standard errors of the truth, and an interval narrow enough that
/// the check means something.
void check_index(double estimate, const Interval& ci, double truth, double max_width) {
  CAPTURE(estimate, ci.low, ci.high, truth);
  CHECK(ci.high - ci.low <= max_width);
  CHECK_THAT(estimate, WithinAbs(truth, 4.5 * implied_se(ci)));
}

const std::string normal_linear_yaml = R"(
name: linear
drivers:
  a: {dist: normal, mean: 1, sd: 1}
  b: {dist: normal, mean: 2, sd: 2}
  c: {dist: normal, mean: 3, sd: 3}
  unused: {dist: uniform, min: 0, max: 1}
metrics:
  y: 3 * a + b - 0.5 * c
)";

}  // namespace

TEST_CASE("the analytic Ishigami indices are what the published tables say") {
  using guidance::test::Ishigami;
  const double published_first[] = {0.3139, 0.4424, 0.0}, published_total[] = {0.5576, 0.4424, 0.2437};
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK_THAT(Ishigami::first[i], WithinAbs(published_first[i], 5e-5));
    CHECK_THAT(Ishigami::total[i], WithinAbs(published_total[i], 5e-5));
  }
}

TEST_CASE("sobol indices of the Ishigami function match the analytic values") {
  using guidance::test::Ishigami;
  const Model model = model_of(guidance::test::ishigami_yaml);
  const SobolIndices result = sobol_indices(model, sensitivity_inputs(model), index_of(model, "y"), 100'000, 7);
  REQUIRE(result.inputs.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    check_index(result.inputs[i].first, result.inputs[i].first_ci, Ishigami::first[i], 0.05);
    check_index(result.inputs[i].total, result.inputs[i].total_ci, Ishigami::total[i], 0.05);
  }
  CHECK_THAT(result.variance, WithinAbs(Ishigami::v, 0.1));
  CHECK(result.design.evaluations == 100'000 * 5);
  CHECK(result.design.nonfinite == 0);
}

TEST_CASE("sobol indices of the G-function match the closed form") {
  const guidance::test::GFunction g{{0, 1, 4.5, 9, 99, 99}};
  const Model model = model_of(g.yaml());
  const SobolIndices result = sobol_indices(model, sensitivity_inputs(model), index_of(model, "g"), 100'000, 11);
  REQUIRE(result.inputs.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) {
    CAPTURE(i);
    check_index(result.inputs[i].first, result.inputs[i].first_ci, g.first(i), 0.06);
    check_index(result.inputs[i].total, result.inputs[i].total_ci, g.total(i), 0.06);
  }
}

TEST_CASE("a linear model of independent normals has first = total = each term's share of the variance") {
  const Model model = model_of(normal_linear_yaml);
  const SobolIndices result = sobol_indices(model, sensitivity_inputs(model), index_of(model, "y"), 50'000, 3);
  // Var y = 9 x 1 + 1 x 4 + 0.25 x 9 = 15.25.
  const double shares[] = {9 / 15.25, 4 / 15.25, 2.25 / 15.25};
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    check_index(result.inputs[i].first, result.inputs[i].first_ci, shares[i], 0.05);
    check_index(result.inputs[i].total, result.inputs[i].total_ci, shares[i], 0.05);
  }
  // A driver the metric does not read has exactly 0 (the A and A_B rows give the same output).
  const SobolIndex& unused = result.inputs[3];
  CHECK(unused.input == input_of(model, "unused"));
  CHECK(unused.first == 0.0);
  CHECK(unused.total == 0.0);
  CHECK(unused.first_ci.low == 0.0);
  CHECK(unused.total_ci.high == 0.0);
}

TEST_CASE("the bootstrap intervals of the sobol indices cover the analytic values at the nominal rate") {
  // 500 independent runs (seeds) of N = 2,000 on the Ishigami function; each index's coverage must be
  // within 4.5 binomial standard errors of 95% (check_coverage).
  using guidance::test::Ishigami;
  const Model model = model_of(guidance::test::ishigami_yaml);
  constexpr std::size_t runs = 500;
  std::array<std::size_t, 6> covered{};
  for (std::uint64_t seed = 1; seed <= runs; ++seed) {
    const SobolIndices result = sobol_indices(model, sensitivity_inputs(model), 3, 2000, seed, false, 1000);
    for (std::size_t i = 0; i < 3; ++i) {
      const SobolIndex& index = result.inputs[i];
      covered[2 * i] += index.first_ci.low <= Ishigami::first[i] && Ishigami::first[i] <= index.first_ci.high;
      covered[2 * i + 1] += index.total_ci.low <= Ishigami::total[i] && Ishigami::total[i] <= index.total_ci.high;
    }
  }
  for (std::size_t k = 0; k < 6; ++k) {
    CAPTURE(k);
    guidance::test::check_coverage(covered[k], runs);
  }
}

TEST_CASE("sobol indices are identical on any number of threads") {
  const Model model = model_of(guidance::test::ishigami_yaml);
  const auto run = [&](std::size_t threads) {
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    return sobol_indices(model, sensitivity_inputs(model), 3, 20'000, 5);
  };
  const SobolIndices one = run(1), two = run(2);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(one.inputs[i].first == two.inputs[i].first);
    CHECK(one.inputs[i].total_ci.low == two.inputs[i].total_ci.low);
    CHECK(one.inputs[i].first_ci.high == two.inputs[i].first_ci.high);
  }
  CHECK(one.variance == two.variance);
}

TEST_CASE("sobol indices refuse correlated drivers unless told to ignore the correlations") {
  const Model model = model_of(normal_linear_yaml + "correlations:\n  - [a, b, 0.6]\n");
  const std::size_t y = index_of(model, "y");
  try {
    sobol_indices(model, sensitivity_inputs(model), y, 1000, 1);
    FAIL("no error");
  } catch (const InputError& error) {
    CHECK(error.message() == "sobol indices assume independent drivers, but a and b are correlated");
    CHECK(error.hint() ==
          "use the shapley method, whose effects stay right with correlated drivers, or ignore the "
          "correlations to compute the indices as if the drivers were independent");
  }
  // Ignoring them gives the indices of the independent model.
  const SobolIndices ignored = sobol_indices(model, sensitivity_inputs(model), y, 50'000, 3, true);
  const Model independent_model = model_of(normal_linear_yaml);
  const SobolIndices independent =
      sobol_indices(independent_model, sensitivity_inputs(independent_model), y, 50'000, 3);
  CHECK(ignored.correlations_ignored);
  CHECK_FALSE(independent.correlations_ignored);
  for (std::size_t i = 0; i < 4; ++i) CHECK(ignored.inputs[i].first == independent.inputs[i].first);
}

TEST_CASE("sobol counts the base trials whose rows are not finite and leaves them out") {
  const Model model = model_of(R"(
name: holes
drivers:
  a: {dist: uniform, min: 0, max: 1}
  b: {dist: uniform, min: 0, max: 1}
metrics:
  y: (a + b) / (a < 0.95)
)");
  const SobolIndices result = sobol_indices(model, sensitivity_inputs(model), 2, 20'000, 2);
  // A row is lost when a >= 0.95 in A or in B (A_B^a takes a from B): 1 - 0.95^2 = 9.75% of rows;
  // binomial, 4.5 standard errors.
  const double expected = 0.0975 * 20'000;
  CHECK(std::abs(static_cast<double>(result.design.nonfinite) - expected) < 4.5 * std::sqrt(expected * 0.9025));
  for (const SobolIndex& index : result.inputs) {
    CHECK(std::isfinite(index.first));
    CHECK(std::isfinite(index.total_ci.high));
  }
}
