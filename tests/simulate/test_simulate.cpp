// The simulation core end to end: scenario text -> model -> trials -> report, against closed forms.
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>

#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <tbb/global_control.h>

#include "guidance/load.hpp"
#include "guidance/report.hpp"
#include "guidance/simulate.hpp"
#include "simd/cpu_features.hpp"
#include "special_values.hpp"

using namespace guidance;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

Model model_of(const std::string& yaml) { return build_model(parse_scenario(yaml, "test.yaml")); }

RunReport run(const Model& model, std::uint64_t trials, std::uint64_t seed) {
  return analyze(model, simulate(model, {.trials = trials, .seed = seed}));
}

const Summary& summary_of(const Model& model, const RunReport& report, std::string_view name) {
  return report.variables[static_cast<std::size_t>(model.find(name))];
}

/// The standard error of the p-quantile estimate of a distribution with density f at that quantile:
/// sqrt(p (1 - p) / n) / f (asymptotic normality of sample quantiles).
double quantile_se(double p, double density, std::uint64_t n) {
  return std::sqrt(p * (1 - p) / static_cast<double>(n)) / density;
}

}  // namespace

TEST_CASE("the sum of two normals has the closed-form mean, sd and percentiles") {
  const Model model = model_of(R"(
name: sum of normals
drivers:
  a: {dist: normal, mean: 10, sd: 2}
  b: {dist: normal, mean: 5, sd: 1}
metrics:
  total: a + b
)");
  constexpr std::uint64_t n = 200'000;
  const RunReport report = run(model, n, 11);
  const Summary& total = summary_of(model, report, "total");
  const double sd = std::sqrt(5.0);
  CHECK(total.count == n);
  CHECK(total.nonfinite == 0);
  // Tolerances: 4.5 standard errors of each estimator.
  CHECK_THAT(total.mean, WithinAbs(15.0, 4.5 * sd / std::sqrt(double(n))));
  CHECK_THAT(total.sd, WithinAbs(sd, 4.5 * sd / std::sqrt(2.0 * double(n))));
  CHECK_THAT(total.mean_se, WithinRel(total.sd / std::sqrt(double(n)), 1e-12));
  const boost::math::normal_distribution<double> exact(15.0, sd);
  for (std::size_t p = 0; p < reported_percentiles.size(); ++p) {
    const double probability = reported_percentiles[p] / 100.0;
    const double x = boost::math::quantile(exact, probability);
    CHECK_THAT(total.percentiles[p], WithinAbs(x, 4.5 * quantile_se(probability, boost::math::pdf(exact, x), n)));
  }
}

TEST_CASE("the product of two lognormals is lognormal with the summed log-parameters") {
  // X = exp(N(mu1, s1)), Y = exp(N(mu2, s2)) -> XY = exp(N(mu1 + mu2, sqrt(s1^2 + s2^2))).
  const Model model = model_of(R"(
name: product of lognormals
drivers:
  x: {dist: lognormal, median: 2, p90: 3}
  y: {dist: lognormal, median: 5, p90: 6}
metrics:
  product: x * y
)");
  const double z90 = boost::math::quantile(boost::math::normal_distribution<double>(), 0.9);
  const double s1 = std::log(3.0 / 2.0) / z90, s2 = std::log(6.0 / 5.0) / z90;
  const boost::math::lognormal_distribution<double> exact(std::log(10.0), std::hypot(s1, s2));
  constexpr std::uint64_t n = 200'000;
  const RunReport report = run(model, n, 12);
  const Summary& product = summary_of(model, report, "product");
  const double sd = boost::math::standard_deviation(exact);
  CHECK_THAT(product.mean, WithinAbs(boost::math::mean(exact), 4.5 * sd / std::sqrt(double(n))));
  for (std::size_t p = 0; p < reported_percentiles.size(); ++p) {
    const double probability = reported_percentiles[p] / 100.0;
    const double x = boost::math::quantile(exact, probability);
    CHECK_THAT(product.percentiles[p], WithinAbs(x, 4.5 * quantile_se(probability, boost::math::pdf(exact, x), n)));
  }
}

TEST_CASE("guidance probabilities match the closed form and their Wilson interval covers it") {
  const Model model = model_of(R"(
name: one range
drivers:
  revenue: {dist: normal, mean: 100, sd: 5}
guidance:
  revenue: [95, 105]
)");
  constexpr std::uint64_t n = 100'000;
  const RunReport report = run(model, n, 3);
  REQUIRE(report.guidance.size() == 1);
  const GuidanceProbability& line = report.guidance[0];
  const double exact = std::erf(1.0 / std::sqrt(2.0));  // P(|Z| <= 1)
  const double se = std::sqrt(exact * (1 - exact) / double(n));
  CHECK_THAT(line.p_in, WithinAbs(exact, 4.5 * se));
  CHECK(line.p_in_ci.low < line.p_in);
  CHECK(line.p_in_ci.high > line.p_in);
  CHECK(line.inside + line.below + line.above + line.nonfinite == n);
  CHECK_THAT(line.p_below, WithinAbs((1 - exact) / 2, 4.5 * se));
  // One line only: the joint event is the line itself.
  CHECK(report.joint_inside == line.inside);
}

TEST_CASE("the joint probability counts trials where every line holds at once") {
  // Independent a and b, each inside its range with probability 1/2: jointly 1/4.
  const Model model = model_of(R"(
name: joint
drivers:
  a: {dist: uniform, min: 0, max: 1}
  b: {dist: uniform, min: 0, max: 1}
guidance:
  a: [0, 0.5]
  b: [0.5, null]
)");
  constexpr std::uint64_t n = 100'000;
  const RunReport report = run(model, n, 5);
  CHECK_THAT(report.joint_p_in, WithinAbs(0.25, 4.5 * std::sqrt(0.25 * 0.75 / double(n))));
  CHECK(report.joint_p_in_ci.low < report.joint_p_in);
  CHECK(report.joint_p_in_ci.high > report.joint_p_in);
}

TEST_CASE("the guidance counts equal a trial-by-trial count for any number of trials") {
  // Runs that end inside a group of four and inside a tile, a line on a constant, lines on metrics
  // that are infinite (x / 0) or NaN (0 / 0) in some trials, and a model with no line (every trial
  // holds jointly); in the counts' vector build and their baseline one.
  const std::uint64_t trials = GENERATE(1, 3, 37, 1024, 1027, 5000);
  const detail::VectorBuilds builds = GENERATE(detail::VectorBuilds::all, detail::VectorBuilds::baseline);
  CAPTURE(trials, builds);
  const guidance::test::VectorBuildsScope scope(builds);
  const Model model = model_of(R"(
name: counts
drivers:
  a: {dist: uniform, min: -1, max: 1}
  shares: {dist: discrete, values: [0, 1, 2], probabilities: [0.2, 0.4, 0.4]}
  rate: 0.5
metrics:
  ratio: a / shares
  undefined: (shares - shares) / shares
guidance:
  a: [-0.5, 0.5]
  ratio: [0, 0.25]
  rate: [0, 1]
  undefined: [0, 1]
)");
  const SimulationResult result = simulate(model, {.trials = trials, .seed = 7});
  const RunReport report = analyze(model, result);
  std::uint64_t joint = 0, nonfinite_trials = 0;
  std::vector<std::uint64_t> inside(4), below(4), above(4), nonfinite(4);
  for (std::uint64_t t = 0; t < trials; ++t) {
    bool all = true, any_nonfinite = false;
    for (std::size_t g = 0; g < model.guidance.size(); ++g) {
      const GuidanceRange& line = model.guidance[g];
      const auto column = result.column(line.variable);
      const double x = column.empty() ? model.variables[line.variable].constant_value : column[t];
      const bool finite = std::isfinite(x);
      nonfinite[g] += !finite;
      below[g] += finite && x < line.low;
      above[g] += finite && x > line.high;
      inside[g] += finite && x >= line.low && x <= line.high;
      all = all && finite && x >= line.low && x <= line.high;
    }
    for (std::size_t v = 0; v < model.variables.size(); ++v)
      if (!result.column(v).empty() && !std::isfinite(result.column(v)[t])) any_nonfinite = true;
    joint += all;
    nonfinite_trials += any_nonfinite;
  }
  for (std::size_t g = 0; g < model.guidance.size(); ++g) {
    CAPTURE(model.guidance[g].name);
    CHECK(report.guidance[g].inside == inside[g]);
    CHECK(report.guidance[g].below == below[g]);
    CHECK(report.guidance[g].above == above[g]);
    CHECK(report.guidance[g].nonfinite == nonfinite[g]);
  }
  CHECK(report.joint_inside == joint);
  CHECK(report.nonfinite_trials == nonfinite_trials);

  const Model unguided = model_of("name: none\ndrivers:\n  a: {dist: normal, mean: 0, sd: 1}\n");
  CHECK(analyze(unguided, simulate(unguided, {.trials = trials, .seed = 7})).joint_inside == trials);
}

TEST_CASE("non-finite results are counted, excluded from statistics, and counted outside guidance") {
  // shares is 0 in about half the trials: eps is then +-inf or nan.
  const Model model = model_of(R"(
name: division by zero
drivers:
  income: {dist: uniform, min: -1, max: 1}
  shares: {dist: discrete, values: [0, 2], probabilities: [0.5, 0.5]}
metrics:
  eps: income / shares
guidance:
  eps: [-1, 1]
)");
  constexpr std::uint64_t n = 20'000;
  const RunReport report = run(model, n, 9);
  const Summary& eps = summary_of(model, report, "eps");
  CHECK(eps.nonfinite > 0);
  CHECK(eps.count + eps.nonfinite == n);
  CHECK(std::isfinite(eps.mean));
  CHECK(std::isfinite(eps.percentiles[8]));
  CHECK(report.guidance[0].nonfinite == eps.nonfinite);
  CHECK(report.guidance[0].inside == eps.count);
  CHECK(report.nonfinite_trials == eps.nonfinite);
  // About half the trials: within 4.5 binomial standard errors.
  CHECK_THAT(double(eps.nonfinite), WithinAbs(n / 2.0, 4.5 * std::sqrt(n * 0.25)));
}

TEST_CASE("constant drivers and metrics that fold to constants need no storage") {
  const Model model = model_of(R"(
name: constants
drivers:
  tax_rate: "32%"
  pretax: {dist: normal, mean: 100, sd: 1}
metrics:
  keep: 1 - tax_rate
  net: pretax * keep
)");
  const SimulationResult result = simulate(model, {.trials = 1000, .seed = 1});
  CHECK(result.column(static_cast<std::size_t>(model.find("tax_rate"))).empty());
  CHECK(result.column(static_cast<std::size_t>(model.find("keep"))).empty());
  CHECK(result.column(static_cast<std::size_t>(model.find("net"))).size() == 1000);
  CHECK(bytes_per_trial(model) == 2 * sizeof(double));
  const RunReport report = analyze(model, result);
  const Summary& keep = summary_of(model, report, "keep");
  CHECK(keep.mean == 1 - 0.32);  // folded exactly as the executor computes it
  CHECK(keep.percentiles[0] == 1 - 0.32);
  CHECK(keep.count == 1000);
}

TEST_CASE("a metric that folds to a non-finite constant is not finite in any trial, everywhere") {
  const std::string formula = GENERATE(as<std::string>{}, "0 / 0", "1 / 0", "log(-2)");
  CAPTURE(formula);
  const Model model = model_of(R"(
name: folds
drivers:
  revenue: {dist: normal, mean: 100, sd: 5}
metrics:
  broken: )" + formula + R"(
guidance:
  broken: [0, 1]
  revenue: [95, 105]
actuals:
  broken: 0.5
)");
  constexpr std::uint64_t n = 1000;
  const SimulationResult result = simulate(model, {.trials = n, .seed = 3});
  const RunReport report = analyze(model, result);
  const auto broken = static_cast<std::size_t>(model.find("broken"));
  REQUIRE(result.column(broken).empty());  // stored as a constant
  CHECK(report.variables[broken].count == 0);
  CHECK(report.variables[broken].nonfinite == n);
  CHECK(report.guidance[0].nonfinite == n);
  CHECK(report.guidance[0].inside + report.guidance[0].below + report.guidance[0].above == 0);
  CHECK(report.joint_inside == 0);
  CHECK(report.nonfinite_trials == n);
  REQUIRE(report.actuals.size() == 1);
  CHECK(std::isnan(report.actuals[0].percentile_rank));
  CHECK(std::isnan(report.actuals[0].sd_from_mean));
  CHECK(std::isnan(rank_among_trials(model, result, broken, 0.5)));
}

TEST_CASE("a finite constant ranks a figure below, at or above it") {
  const Model model = model_of(R"(
name: constant
drivers:
  revenue: {dist: normal, mean: 100, sd: 5}
metrics:
  fixed: 2 * 3
)");
  const SimulationResult result = simulate(model, {.trials = 10, .seed = 3});
  const auto fixed = static_cast<std::size_t>(model.find("fixed"));
  CHECK(rank_among_trials(model, result, fixed, 5) == 0.0);
  CHECK(rank_among_trials(model, result, fixed, 6) == 0.5);
  CHECK(rank_among_trials(model, result, fixed, 7) == 1.0);
  CHECK(std::isnan(rank_among_trials(model, result, fixed, test::not_a_number)));
}

TEST_CASE("an actual beyond every trial says how many standard deviations from the mean it fell") {
  const Model model = model_of(R"(
name: far actuals
drivers:
  revenue: {dist: normal, mean: 100, sd: 5}
  costs: {dist: normal, mean: 50, sd: 2}
metrics:
  fixed: 2 * 3
actuals:
  revenue: 200
  costs: 30
  fixed: 7
)");
  const RunReport report = run(model, 10'000, 4);
  REQUIRE(report.actuals.size() == 3);
  const Summary& revenue = summary_of(model, report, "revenue");
  const Summary& costs = summary_of(model, report, "costs");
  CHECK(report.actuals[0].percentile_rank == 1.0);
  CHECK(report.actuals[0].sd_from_mean == (200 - revenue.mean) / revenue.sd);
  CHECK_THAT(report.actuals[0].sd_from_mean, WithinAbs(20.0, 0.5));  // about 20 sd, within sampling error
  CHECK(report.actuals[1].percentile_rank == 0.0);
  CHECK(report.actuals[1].sd_from_mean == (30 - costs.mean) / costs.sd);
  // A constant has no spread to measure the distance in.
  CHECK(report.actuals[2].percentile_rank == 1.0);
  CHECK(std::isnan(report.actuals[2].sd_from_mean));
}

TEST_CASE("a rank correlation with a discrete driver is measured and reported beside the request") {
  // A 50:50 driver x with a normal y: the copula with Gaussian correlation r gives the rank correlation
  // sqrt(12) asin(r / sqrt(2)) / pi (x's ties at their average rank), 0.866 at most, not the request.
  const Model model = model_of(R"(
name: discrete copula
drivers:
  x: {dist: discrete, values: [0, 1], probabilities: [0.5, 0.5]}
  y: {dist: normal, mean: 0, sd: 1}
  v: {dist: discrete, values: [3, 7], probabilities: [0.5, 0.5]}
  z: {dist: uniform, min: 0, max: 1}
  w: {dist: normal, mean: 0, sd: 1}
correlations:
  - [x, y, 1]
  - [v, z, 0.4]
  - [z, w, 0.3]
)");
  constexpr std::uint64_t n = 200'000;
  const RunReport report = run(model, n, 12);
  REQUIRE(report.discrete_correlations.size() == 2);  // not z ~ w, which has no discrete driver
  const auto expected = [](double rho) {
    const double r = 2 * std::sin(std::numbers::pi * rho / 6);
    return std::sqrt(12.0) * std::asin(r / std::sqrt(2.0)) / std::numbers::pi;
  };
  // A rank correlation's standard error is at most about 1 / sqrt(n).
  const double tolerance = 4.5 / std::sqrt(static_cast<double>(n));
  const AchievedCorrelation& xy = report.discrete_correlations[0];
  CHECK((model.variables[xy.a].name == "x" && model.variables[xy.b].name == "y" && xy.requested == 1.0));
  CHECK_THAT(xy.achieved, WithinAbs(expected(1.0), tolerance));
  CHECK_THAT(xy.achieved, WithinAbs(0.866, 0.01));
  const AchievedCorrelation& vz = report.discrete_correlations[1];
  CHECK((model.variables[vz.a].name == "v" && model.variables[vz.b].name == "z" && vz.requested == 0.4));
  CHECK_THAT(vz.achieved, WithinAbs(expected(0.4), tolerance));
  // The table shows both, within 80 columns.
  const std::string table = render_table(model, report, {});
  CHECK_THAT(table, Catch::Matchers::Contains(fmt::format("\nrank correlations with a discrete driver, capped by its "
                                                          "ties\n  pair{:33}requested  achieved\n  x ~ y{:36}1.000{:>10.3f}\n",
                                                          "", "", xy.achieved)));
}

TEST_CASE("the flagship's JSON is bit-identical on 1, 2, 3 and 8 threads") {
  const Model model = build_model(load_scenario(GUIDANCE_SOURCE_DIR "/scenarios/juniper_q4_2012.yaml"));
  const auto json_on = [&](int threads) {
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    return run_json(model, run(model, 50'000, 20121023)).dump();
  };
  const std::string reference = json_on(1);
  const int threads = GENERATE(2, 3, 8);
  CAPTURE(threads);
  CHECK(json_on(threads) == reference);
}

TEST_CASE("every scenario's trials, JSON and HTML report are bit-identical with every level of vector builds") {
  // A machine without AVX-512, or without AVX2 too, runs the loops' AVX2 or baseline builds
  // (cpu_features.hpp): it must draw the same trials and report the same numbers (JSON, at full
  // precision) and charts (the HTML report). 50,001 trials end on a partial block and chunk.
  const std::string scenario = GENERATE("juniper_q4_2012", "cost_model", "coin_toss_revenue");
  const detail::VectorBuilds builds = GENERATE(detail::VectorBuilds::avx2, detail::VectorBuilds::baseline);
  CAPTURE(scenario, builds);
  const Model model = build_model(load_scenario(GUIDANCE_SOURCE_DIR "/scenarios/" + scenario + ".yaml"));
  struct Outputs {
    SimulationResult result;
    std::string json, html;
  };
  const auto run_with = [&](detail::VectorBuilds allowed) {
    const guidance::test::VectorBuildsScope scope(allowed);
    Outputs out{simulate(model, {.trials = 50'001, .seed = 20121023}), {}, {}};
    const RunReport report = analyze(model, out.result, Charts::all);
    out.json = run_json(model, report).dump();
    out.html = render_html_run(model, report);
    return out;
  };
  const Outputs fewer = run_with(builds);
  const Outputs all = run_with(detail::VectorBuilds::all);
  for (std::size_t v = 0; v < model.variables.size(); ++v) {
    CAPTURE(model.variables[v].name);
    CHECK(guidance::test::same_bits(fewer.result.column(v), all.result.column(v)));
  }
  CHECK(fewer.json == all.json);
  CHECK(fewer.html == all.html);
}

TEST_CASE("analyze draws only the charts asked for, and add_charts adds the rest unchanged") {
  const Model model = build_model(load_scenario(GUIDANCE_SOURCE_DIR "/scenarios/juniper_q4_2012.yaml"));
  const SimulationResult result = simulate(model, {.trials = 20'000, .seed = 5});
  const RunReport all = analyze(model, result, Charts::all);
  const auto charted = [&](const RunReport& report) {
    std::vector<std::string> names;
    for (const GuidanceProbability& line : report.guidance)
      if (!line.histogram.counts.empty()) names.push_back(line.name);
    return names;
  };
  CHECK(charted(all) == std::vector<std::string>{"revenue", "gross_margin", "operating_margin", "eps"});
  RunReport metrics = analyze(model, result, Charts::metrics);
  CHECK(charted(metrics) == std::vector<std::string>{"operating_margin", "eps"});
  CHECK(charted(analyze(model, result, Charts::none)).empty());
  // Everything else is the same, and the charts added later equal those drawn at once.
  CHECK(run_json(model, metrics) == run_json(model, all));
  add_charts(model, result, metrics, Charts::all);
  for (std::size_t g = 0; g < all.guidance.size(); ++g) {
    CAPTURE(all.guidance[g].name);
    CHECK(metrics.guidance[g].histogram.counts == all.guidance[g].histogram.counts);
    CHECK(metrics.guidance[g].histogram.below == all.guidance[g].histogram.below);
    CHECK(metrics.guidance[g].cdf == all.guidance[g].cdf);
  }
}

TEST_CASE("a trial's values do not depend on the run's length") {
  // Trial i is the same trial in a run of 5,000 and in a run of 12,345 (blocks differ).
  const Model model = build_model(load_scenario(GUIDANCE_SOURCE_DIR "/scenarios/juniper_q4_2012.yaml"));
  const SimulationResult shorter = simulate(model, {.trials = 5'000, .seed = 4});
  const SimulationResult longer = simulate(model, {.trials = 12'345, .seed = 4});
  for (std::size_t v = 0; v < model.variables.size(); ++v) {
    CAPTURE(model.variables[v].name);
    const auto a = shorter.column(v), b = longer.column(v);
    REQUIRE(a.size() <= b.size());
    CHECK(std::equal(a.begin(), a.end(), b.begin()));
  }
}

TEST_CASE("a run that needs more memory than the machine has is refused before it starts") {
  const Model model = model_of("name: big\ndrivers:\n  a: {dist: normal, mean: 0, sd: 1}\n");
  try {
    simulate(model, {.trials = 10'000'000'000'000ull, .seed = 1});
    FAIL("expected an InputError");
  } catch (const InputError& error) {
    // 8 bytes per trial of the one column, 2 of its summary's selection (run_memory).
    CHECK_THAT(error.message(),
               Catch::Matchers::StartsWith("a run needs 90.9 TiB of memory for 10000000000000 trials (10 bytes per trial, plus "));
    CHECK_THAT(error.hint(), Catch::Matchers::StartsWith("at most ") && Catch::Matchers::EndsWith(" trials fit: run fewer"));
  }
}

TEST_CASE("a driver's shift moves its every trial by exactly the shift, and changes nothing else") {
  // Each form of parameters, truncated or not, in the copula or not: the trials drawn with the shift
  // are those drawn without it, plus the shift, bit for bit, in every sampling design.
  const std::string text = R"(
name: moved
drivers:
  revenue: {dist: normal, range: "16000 ± 2%"}
  opex: {dist: triangular, min: 535, mode: 546, max: 560, truncate: [540, 555]}
  margin: {dist: lognormal, median: 0.3, p90: 0.4}
  share: {dist: pert, min: 0.1, mode: 0.2, max: 0.5}
correlations:
  - [margin, share, 0.5]
metrics:
  profit: revenue * margin - opex
)";
  const std::string name = GENERATE("revenue", "opex", "margin", "share");
  const Sampling sampling = GENERATE(Sampling::monte_carlo, Sampling::latin_hypercube, Sampling::sobol);
  CAPTURE(name, static_cast<int>(sampling));
  const Model plain = build_model(parse_scenario(text, "test.yaml"));
  LoadOptions options;
  options.overrides = {name + ".shift=500"};
  const Model moved = build_model(parse_scenario(text, "test.yaml", options));
  const RunOptions run_options{.trials = 5000, .seed = 3, .sampling = sampling};
  const SimulationResult a = simulate(plain, run_options);
  const SimulationResult b = simulate(moved, run_options);
  for (std::size_t v = 0; v < plain.driver_count; ++v) {
    CAPTURE(plain.variables[v].name);
    const auto x = a.column(v);
    const auto y = b.column(v);
    REQUIRE(x.size() == y.size());
    const bool shifted = plain.variables[v].name == name;
    for (std::size_t i = 0; i < x.size(); ++i) REQUIRE(y[i] == (shifted ? x[i] + 500 : x[i]));
  }
}
