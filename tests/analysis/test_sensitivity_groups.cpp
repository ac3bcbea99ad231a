// Sensitivity inputs as groups: a dimensioned driver is one input of all its stochastic elements
// (by_element: one per element), against closed forms for linear Gaussian models (Owen & Prieur 2017;
// Iooss & Prieur 2019); Shapley's random-permutation design (Song, Nelson & Staum 2016) against the
// exact one and beyond 12 inputs; the renderings' names.
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>

#include <Eigen/Dense>
#include <nlohmann/json.hpp>
#include <tbb/global_control.h>

#include "analysis/sensitivity_testing.hpp"
#include "guidance/report.hpp"
#include "guidance/sensitivity.hpp"

using namespace guidance;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using guidance::test::implied_se;
using guidance::test::index_of;
using guidance::test::input_of;
using guidance::test::linear_gaussian_shapley;
using guidance::test::model_of;

namespace {

// y = sum of x's four quarters (sd 1, 2, 1, 2) + z (sd 3): Var y = 10 + 9 when the quarters are
// independent.
std::string quarters_yaml(const std::string& x_extra = "") {
  return R"(
name: quarters
dimensions:
  quarter: [Q1, Q2, Q3, Q4]
drivers:
  x: {over: quarter, dist: normal, mean: 0, sd: [1, 2, 1, 2])" +
         x_extra + R"(}
  z: {dist: normal, mean: 0, sd: 3}
  unused: {dist: uniform, min: 0, max: 1}
metrics:
  y: sum(x) + z
)";
}

constexpr double quarter_sd[4] = {1, 2, 1, 2};

/// The covariance of (x[Q1..Q4], z) with x's normals correlated rho^|t-s| (ar1).
Eigen::MatrixXd covariance(double rho) {
  Eigen::MatrixXd sigma = Eigen::MatrixXd::Zero(5, 5);
  for (int t = 0; t < 4; ++t)
    for (int s = 0; s < 4; ++s) sigma(t, s) = quarter_sd[t] * quarter_sd[s] * std::pow(rho, std::abs(t - s));
  sigma(4, 4) = 9;
  return sigma;
}

/// Within 4.5 of the interval's implied standard errors.
void check_near(const ShapleyEffect& effect, double truth) {
  CAPTURE(effect.input, effect.effect, effect.ci.low, effect.ci.high, truth);
  CHECK_THAT(effect.effect, WithinAbs(truth, 4.5 * implied_se(effect.ci)));
}

}  // namespace

TEST_CASE("a dimensioned driver is one input of its stochastic elements; by element, one input each") {
  const Model model = model_of(quarters_yaml());
  const std::vector<SensitivityInput> groups = sensitivity_inputs(model);
  REQUIRE(groups.size() == 3);
  CHECK(groups[0].name == "x");
  CHECK(groups[0].variables == std::vector<std::size_t>{0, 1, 2, 3});
  CHECK(groups[1].name == "z");
  const std::vector<SensitivityInput> elements = sensitivity_inputs(model, true);
  REQUIRE(elements.size() == 6);
  CHECK(elements[2].name == "x[Q3]");
  CHECK(elements[2].variables == std::vector<std::size_t>{2});

  // Given elements are fixed, not inputs.
  const Model given = model_of(quarters_yaml() + "given:\n  x: {Q1: 0.5, Q2: -1}\n");
  CHECK(sensitivity_inputs(given)[0].variables == std::vector<std::size_t>{2, 3});
  CHECK(sensitivity_inputs(given, true).size() == 4);
}

TEST_CASE("group Sobol indices and Shapley effects of independent quarters are their variance shares") {
  const Model model = model_of(quarters_yaml());
  const std::size_t y = index_of(model, "y");
  const std::vector<SensitivityInput> inputs = sensitivity_inputs(model);
  const SobolIndices sobol = sobol_indices(model, inputs, y, 50'000, 3);
  const ShapleyEffects shapley = shapley_effects(model, inputs, y, 50'000, 3);
  const double shares[] = {10.0 / 19, 9.0 / 19, 0.0};
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    CHECK_THAT(sobol.inputs[i].first, WithinAbs(shares[i], 4.5 * implied_se(sobol.inputs[i].first_ci) + 1e-12));
    CHECK_THAT(sobol.inputs[i].total, WithinAbs(shares[i], 4.5 * implied_se(sobol.inputs[i].total_ci) + 1e-12));
    check_near(shapley.inputs[i], shares[i]);
  }
  CHECK(shapley.inputs[2].effect == 0.0);
  // Two groups and an unused driver: 2^3 subsets, not 2^6.
  CHECK(shapley.design.evaluations == 50'000 * 8);
  CHECK(sobol.design.evaluations == 50'000 * 5);
}

TEST_CASE("shapley effects of ar1-correlated quarters match the closed form, as a group and by element") {
  const Model model = model_of(quarters_yaml(", ar1: 0.6"));
  const std::size_t y = index_of(model, "y");
  const Eigen::MatrixXd sigma = covariance(0.6);
  const std::vector<double> truth = linear_gaussian_shapley(Eigen::VectorXd::Ones(5), sigma);

  // x is independent of z and the model additive: the group's effect is Var(sum x) / Var y.
  const double group = sigma.topLeftCorner(4, 4).sum() / sigma.sum();
  const ShapleyEffects grouped = shapley_effects(model, sensitivity_inputs(model), y, 50'000, 4);
  check_near(grouped.inputs[0], group);
  check_near(grouped.inputs[1], 1 - group);
  CHECK_THAT(grouped.inputs[0].effect + grouped.inputs[1].effect + grouped.inputs[2].effect, WithinAbs(1.0, 1e-12));

  const ShapleyEffects elements = shapley_effects(model, sensitivity_inputs(model, true), y, 50'000, 4);
  REQUIRE(elements.inputs.size() == 6);
  double sum = 0.0;
  for (std::size_t i = 0; i < 5; ++i) {
    check_near(elements.inputs[i], truth[i]);
    sum += elements.inputs[i].effect;
  }
  CHECK(elements.inputs[5].effect == 0.0);
  CHECK_THAT(sum, WithinAbs(1.0, 1e-12));
}

TEST_CASE("shapley effects of quarters drawn given a reported one match the conditional closed form") {
  // x[Q1] given: the other quarters are drawn from the conditional normal, and their effects are those of
  // the linear Gaussian model with the conditional covariance Sigma_uu - Sigma_ug Sigma_gg^-1 Sigma_gu.
  const Model model = model_of(quarters_yaml(", ar1: 0.6") + "given:\n  x: {Q1: 1.5}\n");
  REQUIRE(model.copula.conditioned());
  const Eigen::MatrixXd sigma = covariance(0.6);
  const std::vector<Eigen::Index> drawn = {1, 2, 3, 4}, given = {0};
  const Eigen::MatrixXd conditional =
      sigma(drawn, drawn) - sigma(drawn, given) * sigma(given, given).inverse() * sigma(given, drawn);
  const std::vector<double> truth = linear_gaussian_shapley(Eigen::VectorXd::Ones(4), conditional);
  const std::size_t y = index_of(model, "y");

  const ShapleyEffects elements = shapley_effects(model, sensitivity_inputs(model, true), y, 50'000, 8);
  REQUIRE(elements.inputs.size() == 5);
  for (std::size_t i = 0; i < 4; ++i) check_near(elements.inputs[i], truth[i]);
  const ShapleyEffects grouped = shapley_effects(model, sensitivity_inputs(model), y, 50'000, 8);
  check_near(grouped.inputs[0], conditional.topLeftCorner(3, 3).sum() / conditional.sum());
  // The conditional mean (x[Q2] leans towards the reported 1.5 / 1 sd) does not change the variance.
  CHECK_THAT(grouped.variance, WithinAbs(conditional.sum(), 4.5 * conditional.sum() * std::sqrt(2.0 / 50'000)));
}

TEST_CASE("an input of one element gives the same numbers as a group or on its own") {
  // Q1-Q3 given: x is a group of one element, x[Q4].
  const Model model = model_of(quarters_yaml() + "given:\n  x: {Q1: 0.5, Q2: -1, Q3: 0.2}\n");
  SensitivityOptions options;
  options.metric = index_of(model, "y");
  options.methods.assign(std::begin(all_sensitivity_methods), std::end(all_sensitivity_methods));
  options.run.trials = 2000;
  options.run.seed = 5;
  const SensitivityReport grouped = sensitivity(model, options);
  options.by_element = true;
  const SensitivityReport elements = sensitivity(model, options);
  CHECK(grouped.inputs[0].name == "x");
  CHECK(elements.inputs[0].name == "x[Q4]");
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    CHECK(grouped.tornado->bars[i].swing == elements.tornado->bars[i].swing);
    CHECK(grouped.correlation->inputs[i].spearman == elements.correlation->inputs[i].spearman);
    CHECK(grouped.sobol->inputs[i].total == elements.sobol->inputs[i].total);
    CHECK(grouped.shapley->inputs[i].effect == elements.shapley->inputs[i].effect);
  }

  // The one-at-a-time views sample nothing: the same as the scalar model written out by hand.
  const Model scalar = model_of(R"(
name: scalar
drivers:
  x: {dist: normal, mean: 0, sd: 2}
  z: {dist: normal, mean: 0, sd: 3}
  unused: {dist: uniform, min: 0, max: 1}
metrics:
  y: 0.5 - 1 + 0.2 + x + z
)");
  const Tornado by_hand = tornado(scalar, sensitivity_inputs(scalar), index_of(scalar, "y"), 0.1, 0.9);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(by_hand.bars[i].low_input == grouped.tornado->bars[i].low_input);
    CHECK(by_hand.bars[i].output_high == grouped.tornado->bars[i].output_high);
  }
}

TEST_CASE("the tornado moves a group's elements together, each to its own quantile") {
  const Model model = model_of(quarters_yaml());
  const Tornado result = tornado(model, sensitivity_inputs(model), index_of(model, "y"), 0.1, 0.9);
  const TornadoBar& x = result.bars[0];  // the widest: sd of the sum 6 against z's 3
  CHECK(x.input == input_of(model, "x"));
  REQUIRE(x.low_input.size() == 4);
  const double z10 = -1.2815515655446004;
  for (std::size_t t = 0; t < 4; ++t) CHECK_THAT(x.low_input[t], WithinAbs(quarter_sd[t] * z10, 1e-12));
  CHECK_THAT(x.output_low, WithinAbs(6 * z10, 1e-12));
}

TEST_CASE("a group's rank correlation is its multiple correlation, signed by its coefficients") {
  // y = x[Q1] - x[Q2] + x[Q3] + x[Q4] + z: x's elements explain 10 of 19 of the variance, and moving
  // them all up raises y.
  std::string yaml = quarters_yaml();
  yaml.replace(yaml.find("sum(x)"), 6, "x[Q1] - x[Q2] + x[Q3] + x[Q4]");
  const Model model = model_of(yaml);
  const SimulationResult trials = simulate(model, {.trials = 100'000, .seed = 3});
  const RankCorrelations result = rank_correlations(model, sensitivity_inputs(model), trials, index_of(model, "y"));
  // For normals Spearman's rho is (6 / pi) asin(r / 2) (Pearson 1907); the elements are independent,
  // so R^2 is the sum of their squared rank correlations with y, r_t = sd_t / sqrt(19). Tolerance: 4.5
  // times the multiple correlation's standard error, about (1 - R^2) / sqrt(n).
  double r_squared = 0.0;
  for (const double sd : quarter_sd) {
    const double rho = 6 / std::numbers::pi * std::asin(sd / std::sqrt(19.0) / 2);
    r_squared += rho * rho;
  }
  CHECK_THAT(result.inputs[0].spearman, WithinAbs(std::sqrt(r_squared), 4.5 * (1 - r_squared) / std::sqrt(100'000.0)));
  // A group of one is its Spearman correlation.
  const RankCorrelations elements =
      rank_correlations(model, sensitivity_inputs(model, true), trials, index_of(model, "y"));
  CHECK(elements.inputs[1].spearman < 0);
  CHECK(elements.inputs[4].spearman == result.inputs[1].spearman);
}

TEST_CASE("shapley's random permutations agree with the exact subsets") {
  const Model model = model_of(quarters_yaml(", ar1: 0.6"));
  const std::size_t y = index_of(model, "y");
  const std::vector<SensitivityInput> inputs = sensitivity_inputs(model, true);
  const ShapleyEffects exact = shapley_effects(model, inputs, y, 40'000, 9);
  const ShapleyEffects permuted = shapley_effects(model, inputs, y, 40'000, 9, 1000, 2000);
  CHECK(exact.permutations == 0);
  CHECK(permuted.permutations == 2000);
  CHECK(permuted.design.evaluations == 40'000 * 7);
  const std::vector<double> truth = linear_gaussian_shapley(Eigen::VectorXd::Ones(5), covariance(0.6));
  double sum = 0.0;
  for (std::size_t i = 0; i < 5; ++i) {
    CAPTURE(i, exact.inputs[i].effect, permuted.inputs[i].effect);
    const double se = std::hypot(implied_se(exact.inputs[i].ci), implied_se(permuted.inputs[i].ci));
    CHECK_THAT(permuted.inputs[i].effect, WithinAbs(exact.inputs[i].effect, 4.5 * se));
    check_near(permuted.inputs[i], truth[i]);
    sum += permuted.inputs[i].effect;
  }
  CHECK(permuted.inputs[5].effect == 0.0);
  CHECK_THAT(sum, WithinAbs(1.0, 1e-12));
}

TEST_CASE("shapley beyond 12 inputs uses random permutations, the same on any number of threads") {
  // y = sum of i x_i over 14 independent standard normals: Sh_i = i^2 / sum of j^2.
  std::string yaml = "name: wide\ndrivers:\n", formula;
  double total = 0.0;
  for (int i = 1; i <= 14; ++i) {
    yaml += "  x" + std::to_string(i) + ": {dist: normal, mean: 0, sd: 1}\n";
    formula += (i > 1 ? " + " : "") + std::to_string(i) + " * x" + std::to_string(i);
    total += i * i;
  }
  const Model model = model_of(yaml + "metrics:\n  y: " + formula + "\n");
  const auto run = [&](std::size_t threads) {
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    return shapley_effects(model, sensitivity_inputs(model), index_of(model, "y"), 20'000, 6);
  };
  const ShapleyEffects one = run(1), two = run(2);
  CHECK(one.permutations == default_shapley_permutations);
  CHECK(one.design.evaluations == 20'000 * 15);
  for (std::size_t i = 0; i < 14; ++i) {
    CAPTURE(i);
    CHECK(one.inputs[i].effect == two.inputs[i].effect);
    CHECK(one.inputs[i].ci.low == two.inputs[i].ci.low);
    check_near(one.inputs[i], static_cast<double>((i + 1) * (i + 1)) / total);
  }
}

TEST_CASE("shapley refuses fewer permutations than its bootstrap needs") {
  const Model model = model_of(quarters_yaml());
  CHECK_THROWS_WITH(shapley_effects(model, sensitivity_inputs(model), index_of(model, "y"), 1000, 1, 1000, 5),
                    "shapley needs at least 6 random permutations, found 5: its bootstrap resamples whole "
                    "permutations");
}

TEST_CASE("the reports name groups, and elements by element, without cutting them") {
  const Model model = model_of(R"(
name: segments
dimensions:
  segment: [routing, switching]
  quarter: [Q3, Q4]
drivers:
  revenue: {over: [segment, quarter], dist: normal, mean: 100, sd: 5}
  margin: {dist: normal, mean: 0.3, sd: 0.01}
metrics:
  profit: sum(revenue) * margin
)");
  SensitivityOptions options;
  options.metric = index_of(model, "profit");
  options.methods = {SensitivityMethod::tornado, SensitivityMethod::shapley};
  options.run.trials = 1000;
  options.run.seed = 2;
  const SensitivityReport grouped = sensitivity(model, options);
  const std::string table = render_sensitivity_table(model, grouped);
  CHECK_THAT(table, Contains("\n  revenue[routing,Q3]  "));  // an element's inputs under its group
  CHECK_THAT(table, Contains("note: the tornado and the spider move all the elements of revenue together"));
  const nlohmann::ordered_json json = sensitivity_json(model, grouped);
  CHECK(json["drivers"] == nlohmann::ordered_json({"revenue", "margin"}));
  CHECK(json["elements"]["revenue"].size() == 4);
  CHECK(json["tornado"]["bars"][0]["low_input"].size() == 4);
  CHECK_THAT(render_sensitivity_csv(model, grouped), Contains("tornado,\"revenue[switching,Q4]\",high_input,"));

  options.by_element = true;
  const SensitivityReport elements = sensitivity(model, options);
  CHECK(elements.inputs.size() == 5);
  CHECK_THAT(render_sensitivity_table(model, elements), Contains("\n  revenue[switching,Q3]  "));
  CHECK(sensitivity_json(model, elements)["shapley"].contains("revenue[routing,Q4]"));
}
