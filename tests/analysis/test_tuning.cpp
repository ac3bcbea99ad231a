// The guidance analytics as specifications: compare, sweep, solve and propose on small scenarios whose
// answers are known in closed form or from the common random numbers, and every input error word for word.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "guidance/load.hpp"
#include "guidance/report.hpp"
#include "args/tuning.hpp"
#include "guidance/tuning.hpp"

using namespace guidance;
using namespace guidance::args;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

// revenue is normal, so revenue.mean shifts every trial by the same amount (mean + sd z); profit grows
// with revenue in every trial (margin > 0).
const std::string scenario_text = R"(name: tuning test
simulation: {trials: 4000, seed: 7}
drivers:
  revenue: {dist: normal, mean: 100, sd: 10}
  margin: {dist: uniform, min: "10%", max: "30%"}
  cost: {dist: triangular, min: 0, mode: 0, max: 1}
  tax: "25%"
metrics:
  profit: (revenue * margin - cost) * (1 - tax)
guidance:
  revenue: [90, 110]
  profit: [10, 20]
scenarios:
  high: {drivers: {revenue.mean: 110}}
  low: {drivers: {revenue.mean: 90}}
)";

const RunOptions test_run{.trials = 4000, .seed = 7};

/// The test scenario written to a file of its own.
std::string test_scenario_path() {
  const auto path = std::filesystem::temp_directory_path() / ("guidance-tuning-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << scenario_text;
  return path.string();
}

TuningSource open_test_scenario(LoadOptions options = {}) { return open_scenario(test_scenario_path(), std::move(options)); }

std::size_t index_of(const Model& model, std::string_view name) { return static_cast<std::size_t>(model.find(name)); }

/// The message of the InputError `work` throws (fails the test when it throws none).
template <class Work>
InputError input_error(Work work) {
  try {
    work();
  } catch (const InputError& error) {
    return error;
  }
  FAIL("no InputError was thrown");
  throw std::logic_error("unreachable");
}

std::vector<std::string> texts(const Variation& vary) {
  std::vector<std::string> out;
  for (const ParameterValue& value : vary.values) out.push_back(value.text);
  return out;
}

}  // namespace

// ---- --vary ----------------------------------------------------------------------------------------

TEST_CASE("option --vary ranges are exact decimals, STOP included when a whole number of steps away") {
  struct Case {
    std::string argument;
    std::vector<std::string> texts;
  };
  const Case c = GENERATE(Case{"eps.p90=0.19:0.22:0.01", {"0.19", "0.20", "0.21", "0.22"}},
                          Case{"a.b=1:2:0.3", {"1.0", "1.3", "1.6", "1.9"}},
                          Case{"a.b=-10:-5:2.5", {"-10.0", "-7.5", "-5.0"}},
                          Case{"a.b=1e3:2e3:5e2", {"1000", "1500", "2000"}},
                          Case{"tax_rate=30%:32%:0.5%", {"30.0%", "30.5%", "31.0%", "31.5%", "32.0%"}},
                          Case{"a.b=7:7:1", {"7"}},
                          // Every number ends above the units: integers of that place, nothing overflows.
                          Case{"a.b=-1e308:1e308:1e308", {"-1e308", "0", "1e308"}},
                          Case{"a.b=1.5e3:3e3:5e2", {"1500", "2000", "2500", "3000"}},
                          Case{"revenue.p90=1130, 1120,1150", {"1130", "1120", "1150"}});
  CAPTURE(c.argument);
  const Variation vary = parse_variation(c.argument);
  CHECK(texts(vary) == c.texts);
}

TEST_CASE("option --vary values are read as the loader reads them: percents are fractions, rounded once") {
  const Variation percent = parse_variation("tax_rate=30%:31%:0.1%");
  REQUIRE(percent.values.size() == 11);
  CHECK(percent.name() == "tax_rate");
  CHECK(percent.percent);
  CHECK(percent.values[3].value == 0.303);  // not 30.3 / 100, which is one ulp away
  const Variation plain = parse_variation("revenue.p90=0.19:0.22:0.01");
  CHECK(plain.name() == "revenue.p90");
  CHECK_FALSE(plain.percent);
  CHECK(plain.values[2].value == 0.21);
  CHECK(parse_variation("revenue.p90").values.empty());  // solve's form
  CHECK(parse_variation("revenue[routing, Q3].p90=1").driver == "revenue[routing,Q3]");
}

TEST_CASE("a bad --vary is one error pointing into the argument") {
  struct Case {
    std::string argument, rendered;
  };
  const Case c = GENERATE(
      Case{"=1:2:1",
           "--vary:1:1: error: expected NAME.PARAM (a driver's parameter) or NAME (a constant driver), found ``\n"
           "    =1:2:1\n    ^\nhint: e.g. --vary revenue.p90 (solve), --vary revenue.p90=1120:1140:5 or --vary "
           "tax_rate=30%,32%,34% (sweep)\n"},
      Case{"revenue.p90.x=1", "--vary:1:1: error: expected NAME.PARAM (a driver's parameter) or NAME (a constant "
                              "driver), found `revenue.p90.x`\n    revenue.p90.x=1\n    ^~~~~~~~~~~~~\nhint: e.g. "
                              "--vary revenue.p90 (solve), --vary revenue.p90=1120:1140:5 or --vary "
                              "tax_rate=30%,32%,34% (sweep)\n"},
      Case{"revenue[Q4.p90=1", "--vary:1:1: error: expected NAME.PARAM (a driver's parameter) or NAME (a constant "
                               "driver), found `revenue[Q4.p90`\n    revenue[Q4.p90=1\n    ^~~~~~~~~~~~~~\nhint: e.g. "
                               "--vary revenue.p90 (solve), --vary revenue.p90=1120:1140:5 or --vary "
                               "tax_rate=30%,32%,34% (sweep)\n"},
      Case{"revenue[Q1,Q-1].p90=1", "--vary:1:1: error: expected NAME.PARAM (a driver's parameter) or NAME (a "
                                    "constant driver), found `revenue[Q1,Q-1].p90`\n    revenue[Q1,Q-1].p90=1\n"
                                    "    ^~~~~~~~~~~~~~~~~~~\nhint: e.g. --vary revenue.p90 (solve), --vary "
                                    "revenue.p90=1120:1140:5 or --vary tax_rate=30%,32%,34% (sweep)\n"},
      Case{"revenue.p90=", "--vary:1:12: error: missing values after `=`\n    revenue.p90=\n               ^\n"
                           "hint: write NAME.PARAM=START:STOP:STEP or NAME.PARAM=v1,v2,...\n"},
      Case{"revenue.p90=1:2", "--vary:1:13: error: expected START:STOP:STEP, found `1:2`\n    revenue.p90=1:2\n"
                              "                ^~~\nhint: e.g. 1120:1140:5, or a list of values: 1120,1130,1140\n"},
      Case{"revenue.p90=1:2:0", "--vary:1:17: error: STEP must be positive, found 0\n    revenue.p90=1:2:0\n"
                                "                    ^\nhint: write START:STOP:STEP, e.g. 1120:1140:5\n"},
      Case{"revenue.p90=2:1:1", "--vary:1:15: error: STOP must not be less than START, found 1 after 2\n"
                                "    revenue.p90=2:1:1\n                  ^\nhint: write START:STOP:STEP with START <= STOP\n"},
      Case{"revenue.p90=1120,abc", "--vary:1:18: error: expected a number, found `abc`\n    revenue.p90=1120,abc\n"
                                   "                     ^~~\nhint: numbers are written like 1120, -2.5, 1.2e3 or 30.5%\n"},
      Case{"revenue.p90=1120,,1130", "--vary:1:18: error: expected a number, found nothing\n"
                                     "    revenue.p90=1120,,1130\n                     ^\n"
                                     "hint: numbers are written like 1120, -2.5, 1.2e3 or 30.5%\n"},
      Case{"tax_rate=30%,0.32", "--vary:1:14: error: `0.32` is not a percent but `30%` is\n    tax_rate=30%,0.32\n"
                                "                 ^~~~\nhint: write every value of --vary as a percent, or none of them\n"},
      Case{"a.b=1:100000:1", "--vary:1:5: error: 1:100000:1 has 100000 values, more than the limit of 1000\n"
                             "    a.b=1:100000:1\n        ^~~~~~~~~~\nhint: use a larger STEP\n"},
      // STOP - START overflows a double; the count is still finite.
      Case{"a.b=-1e308:1e308:1e-300", "--vary:1:5: error: -1e308:1e308:1e-300 has 2e+608 values, more than the "
                                      "limit of 1000\n    a.b=-1e308:1e308:1e-300\n        ^~~~~~~~~~~~~~~~~~~\n"
                                      "hint: use a larger STEP\n"});
  CAPTURE(c.argument);
  CHECK(input_error([&] { parse_variation(c.argument); }).render() == c.rendered);
}

// ---- compare ---------------------------------------------------------------------------------------

TEST_CASE("compare runs every variant on the same trials") {
  const std::string path = test_scenario_path();
  const std::vector<Scenario> every = load_variants(path, {});
  REQUIRE(every.size() == 3);  // without names: base and every variant, in file order
  CHECK(every[2].variant == "low");
  CHECK(all_variants(every[0]) == std::vector<std::string>{"base", "high", "low"});
  const std::vector<std::string> names = {"base", "high"};
  const std::vector<VariantReport> reports = compare_variants(load_variants(path, {}, names), test_run);
  REQUIRE(reports.size() == 2);
  const Model& model = reports[0].model;
  CHECK(reports[1].model.variant == "high");
  // Common random numbers: `high` moves every revenue trial by exactly +10 and leaves the other
  // drivers' trials untouched, so their statistics are identical to the last bit.
  const Summary &base_revenue = reports[0].report.variables[index_of(model, "revenue")],
                &high_revenue = reports[1].report.variables[index_of(model, "revenue")];
  for (std::size_t p = 0; p < reported_percentiles.size(); ++p)
    CHECK_THAT(high_revenue.percentiles[p], WithinAbs(base_revenue.percentiles[p] + 10, 1e-9));
  for (const std::string name : {"margin", "cost"}) {
    CAPTURE(name);
    const std::size_t v = index_of(model, name);
    CHECK(reports[1].report.variables[v].percentiles == reports[0].report.variables[v].percentiles);
    CHECK(reports[1].report.variables[v].mean == reports[0].report.variables[v].mean);
  }
  // And the same run as the variant loaded on its own.
  LoadOptions high_variant;
  high_variant.variant = "high";
  const Model high = build_model(load_scenario(path, high_variant));
  CHECK(run_json(high, analyze(high, simulate(high, test_run))) == run_json(reports[1].model, reports[1].report));
}

TEST_CASE("an unknown variant is the loader's error") {
  const std::vector<std::string> names = {"base", "hihg"};
  const InputError error = input_error([&] { load_variants(test_scenario_path(), {}, names); });
  CHECK(error.message() == "unknown variant `hihg`");
  CHECK(error.hint() == "did you mean `high`?");
}

TEST_CASE("option --scenarios is a comma-separated list of distinct names") {
  CHECK(parse_variant_list("base, bear,bull") == std::vector<std::string>{"base", "bear", "bull"});
  CHECK(input_error([] { parse_variant_list("base,,bull"); }).render() ==
        "--scenarios:1:6: error: expected a variant name, found nothing\n    base,,bull\n         ^\n"
        "hint: write the names separated by commas, e.g. --scenarios base,bear,bull\n");
  CHECK(input_error([] { parse_variant_list("bear,base,bear"); }).render() ==
        "--scenarios:1:11: error: `bear` is listed twice\n    bear,base,bear\n              ^~~~\n");
}

// ---- sweep -----------------------------------------------------------------------------------------

TEST_CASE("a sweep runs every point on the same trials") {
  const TuningSource source = open_test_scenario();
  const Sweep sweep = run_sweep(source, {parse_variation("revenue.mean=90:110:5")}, test_run);
  REQUIRE(sweep.points.size() == 5);
  const Model& model = sweep.points.front().model;
  const std::size_t revenue = index_of(model, "revenue"), profit = index_of(model, "profit");
  const Summary& middle = sweep.points[2].report.variables[revenue];
  for (std::size_t k = 0; k < sweep.points.size(); ++k) {
    CAPTURE(k);
    CHECK(sweep.points[k].values == std::vector<double>{90.0 + 5.0 * static_cast<double>(k)});
    // Every trial moves with the mean, so every percentile does.
    CHECK_THAT(sweep.points[k].report.variables[revenue].percentiles[4],
               WithinAbs(middle.percentiles[4] + 5.0 * (static_cast<double>(k) - 2), 1e-9));
    // profit grows with revenue in every trial: with common random numbers each of its percentiles is
    // non-decreasing along the sweep (independent draws would wobble at this step).
    if (k > 0)
      for (std::size_t p = 0; p < reported_percentiles.size(); ++p)
        CHECK(sweep.points[k].report.variables[profit].percentiles[p] >=
              sweep.points[k - 1].report.variables[profit].percentiles[p]);
  }
  // The point at the file's own value is the base run, bit for bit.
  const Model& base = source.model;
  CHECK(run_json(sweep.points[2].model, sweep.points[2].report) == run_json(base, analyze(base, simulate(base, test_run))));
}

TEST_CASE("a two-way sweep is a grid, the first --vary outermost") {
  const TuningSource source = open_test_scenario();
  const Sweep sweep =
      run_sweep(source, {parse_variation("revenue.mean=95,105"), parse_variation("margin.max=25%:35%:5%")}, test_run);
  REQUIRE(sweep.points.size() == 6);
  const std::vector<std::vector<double>> expected = {{95, 0.25}, {95, 0.30}, {95, 0.35},
                                                     {105, 0.25}, {105, 0.30}, {105, 0.35}};
  for (std::size_t k = 0; k < 6; ++k) CHECK(sweep.points[k].values == expected[k]);
}

TEST_CASE("a sweep's NAME.PARAM is checked once, by the loader, and errors point into --vary") {
  const TuningSource source = open_test_scenario();
  struct Case {
    std::string argument, rendered;
  };
  const Case c = GENERATE(
      Case{"revnue.mean=90:110:5",
           "--vary:1:1: error: unknown driver `revnue`\n    revnue.mean=90:110:5\n    ^~~~~~\nhint: did you mean `revenue`?\n"},
      Case{"revenue.sdd=1,2", "--vary:1:9: error: unknown parameter `sdd` for a normal distribution\n"
                              "    revenue.sdd=1,2\n            ^~~\nhint: did you mean `sd`?\n"},
      Case{"profit.mean=1,2", "--vary:1:1: error: `profit` is a metric; only drivers can be changed\n"
                              "    profit.mean=1,2\n    ^~~~~~\nhint: a metric is a formula over the drivers\n"},
      Case{"revenue.sd=10,0", "--vary:1:12: error: at revenue.sd = 0: sd must be > 0, found 0\n"
                              "    revenue.sd=10,0\n               ^~~~\n"});
  CAPTURE(c.argument);
  const InputError error = input_error([&] { run_sweep(source, {parse_variation(c.argument)}, test_run); });
  // The distribution's own hint follows; the location and message are ours.
  CHECK_THAT(error.render(), StartsWith(c.rendered));
}

TEST_CASE("a sweep refuses too many, too few, repeated or empty variations") {
  const TuningSource source = open_test_scenario();
  CHECK(input_error([&] { run_sweep(source, {}, test_run); }).message() == "a sweep varies one or two parameters, found 0");
  const Variation a = parse_variation("revenue.mean=90,100"), b = parse_variation("margin.max=0.3,0.4"),
                  c = parse_variation("cost.max=1,2");
  CHECK(input_error([&] { run_sweep(source, {a, b, c}, test_run); }).message() ==
        "a sweep varies one or two parameters, found 3");
  CHECK(input_error([&] { run_sweep(source, {a, a}, test_run); }).message() == "`revenue.mean` is varied twice");
  CHECK(input_error([&] { run_sweep(source, {parse_variation("revenue.mean")}, test_run); }).message() ==
        "`revenue.mean` has no values to sweep");
  const Variation many = parse_variation("revenue.mean=1:100:1"), more = parse_variation("margin.max=0.3:0.4:0.01");
  CHECK(input_error([&] { run_sweep(source, {many, more}, test_run); }).message() ==
        "the sweep has 1100 points (100 x 11), more than the limit of 1000");
}

// ---- solve -----------------------------------------------------------------------------------------

TEST_CASE("option --target has five forms") {
  struct Case {
    std::string text;
    Target::Statistic statistic;
    std::string metric;
    double threshold, percentile, goal;
  };
  using S = Target::Statistic;
  const Case c = GENERATE(Case{"P(eps >= 0.22) = 0.5", S::at_least, "eps", 0.22, 0.5, 0.5},
                          Case{"P(operating_margin<=15%)=80%", S::at_most, "operating_margin", 0.15, 0.5, 0.8},
                          Case{"p(eps in guidance) = 0.75", S::in_guidance, "eps", 0, 0.5, 0.75},
                          Case{" p90(revenue) = 1130 ", S::percentile, "revenue", 0, 0.9, 1130},
                          Case{"P5(eps) = -0.5", S::percentile, "eps", 0, 0.05, -0.5},
                          Case{"mean(gross_margin) = 64.2%", S::mean, "gross_margin", 0, 0.5, 0.642});
  CAPTURE(c.text);
  const Target target = parse_target(c.text, "--target");
  CHECK(target.statistic == c.statistic);
  CHECK(target.metric == c.metric);
  CHECK(target.threshold == c.threshold);
  CHECK(target.percentile == c.percentile);
  CHECK(target.goal == c.goal);
  CHECK(target.text == c.text);
}

TEST_CASE("a bad --target is an error pointing into it") {
  struct Case {
    std::string text, rendered;
  };
  const std::string forms =
      "hint: targets are P(METRIC >= X) = p, P(METRIC <= X) = p, P(METRIC in guidance) = p, pNN(METRIC) = x or "
      "mean(METRIC) = x\n";
  const Case c = GENERATE_REF(
      Case{"median(eps) = 0.2", "--target:1:1: error: expected P(...), pNN(...) or mean(...), found `median`\n"
                                "    median(eps) = 0.2\n    ^~~~~~\n" + forms},
      Case{"P(eps > 0.2) = 0.5", "--target:1:7: error: expected `>=`, `<=` or `in guidance`, found `>`\n"
                                 "    P(eps > 0.2) = 0.5\n          ^\n"
                                 "hint: P(X > x) is written P(X >= x): with continuous values the two are the same\n"},
      Case{"p100(eps) = 1", "--target:1:1: error: expected a percentile from p1 to p99, found `p100`\n"
                            "    p100(eps) = 1\n    ^~~~\n"},
      Case{"P(eps >= 0.2) = 1.5", "--target:1:17: error: a probability goal must be between 0 and 1 (exclusive), "
                                  "found 1.5\n    P(eps >= 0.2) = 1.5\n                    ^~~\n"
                                  "hint: write a fraction such as 0.8, or a percent such as 80%\n"},
      Case{"P(eps >= x) = 0.5", "--target:1:10: error: expected a number for a threshold, found `x`\n"
                                "    P(eps >= x) = 0.5\n             ^\nhint: numbers are written like 0.22, 1.2e3 or 80%\n"},
      Case{"P(eps >= 0.2", "--target:1:13: error: expected `)`, found the end of the target\n    P(eps >= 0.2\n"
                           "                ^\n" + forms},
      Case{"mean(eps) = 0.2 or so", "--target:1:17: error: unexpected `or so` after the target\n"
                                    "    mean(eps) = 0.2 or so\n                    ^~~~~\n" + forms},
      Case{"P(eps in range) = 0.5", "--target:1:10: error: expected `guidance` after `in`, found `r`\n"
                                    "    P(eps in range) = 0.5\n             ^\n" + forms},
      Case{"mean() = 1", "--target:1:6: error: expected a metric name, found `)`\n    mean() = 1\n         ^\n" + forms});
  CAPTURE(c.text);
  CHECK(input_error([&] { parse_target(c.text, "--target"); }).render() == c.rendered);
}

TEST_CASE("solve a mean target: the exact answer of a linear statistic") {
  const TuningSource source = open_test_scenario();
  // revenue's sample mean is m + 10 zbar in every run (common random numbers), so the answer is
  // 103 - (the base run's sample mean - 100), and interpolation inside the bracket finds it exactly.
  const Model& base = source.model;
  const double base_mean = analyze(base, simulate(base, test_run)).variables[index_of(base, "revenue")].mean;
  const Solution s = solve(source, parse_target("mean(revenue) = 103", "--target"), parse_variation("revenue.mean"), test_run, {});
  CHECK_THAT(s.value, WithinAbs(103 - (base_mean - 100), 1e-9));
  CHECK_THAT(s.achieved, WithinAbs(103, 1e-9));
  CHECK(s.achieved_ci.low < 103);
  CHECK(s.achieved_ci.high > 103);
  REQUIRE(s.current);
  CHECK(*s.current == 100);
  CHECK(s.searched.low == 100);   // the default search starts at the current value
  CHECK(s.searched.high == 105);  // and steps 5% of it
  CHECK(s.bracket.low <= s.value);
  CHECK(s.value <= s.bracket.high);
  CHECK(s.steps.size() == static_cast<std::size_t>(s.iterations) + 3);  // start, one expansion, bisection, solution
}

TEST_CASE("solve steps back from values the distribution refuses") {
  const TuningSource source = open_test_scenario();
  // cost ~ triangular(0, 0, max), max * (1 - sqrt(1 - u)) in every trial: its sample mean is linear
  // in max, so the answer is 0.02 / (the sample mean at max = 1). The search down from 1 reaches
  // max <= 0 (refused: max must be > min) before it crosses, and must step back to find 0.06.
  const Model& base = source.model;
  const double base_mean = analyze(base, simulate(base, test_run)).variables[index_of(base, "cost")].mean;
  const Solution s = solve(source, parse_target("mean(cost) = 0.02", "--target"), parse_variation("cost.max"), test_run, {});
  CHECK_THAT(s.value, WithinRel(0.02 / base_mean, 1e-9));
  CHECK(s.searched.low > 0);
  CHECK(s.searched.high < 0.2);
}

TEST_CASE("solve a probability target to Monte Carlo precision") {
  const TuningSource source = open_test_scenario();
  using S = Target::Statistic;
  struct Case {
    std::string target, vary, bracket;
  };
  const Case c = GENERATE(Case{"P(profit >= 20) = 0.25", "revenue.mean", ""},
                          Case{"P(profit <= 15) = 60%", "margin.max", ""},
                          Case{"P(profit in guidance) = 0.5", "revenue.sd", "1:80"},  // the answer is near 40
                          Case{"p90(profit) = 25", "margin.max", "25%:60%"});
  CAPTURE(c.target, c.vary);
  SolveOptions options;
  if (!c.bracket.empty()) options.bracket = parse_bracket(c.bracket);
  const Target target = parse_target(c.target, "--target");
  const Solution s = solve(source, target, parse_variation(c.vary), test_run, options);
  // Solved: the goal is inside the achieved 95% interval, measured at the reported value.
  CHECK(s.achieved_ci.low <= target.goal);
  CHECK(target.goal <= s.achieved_ci.high);
  CHECK(s.bracket.low <= s.value);
  CHECK(s.value <= s.bracket.high);
  CHECK(s.searched.low <= s.bracket.low);
  CHECK(s.bracket.high <= s.searched.high);
  CHECK(s.iterations <= 60);
  CHECK(s.steps.back().value == s.value);
  CHECK(s.steps.back().achieved == s.achieved);
  // The reported run is the model at the solution: its own guidance P(in) matches for `in guidance`.
  if (target.statistic == S::in_guidance) CHECK(s.report.guidance[1].p_in == s.achieved);
}

TEST_CASE("solve closes a bracket spanning many orders of magnitude, and says when it stops at its limit") {
  const TuningSource source = open_test_scenario();
  const Target target = parse_target("P(profit in guidance) = 0.5", "--target");
  SolveOptions options;
  options.bracket = parse_bracket("0.001:1e19");  // revenue.sd: the answer is near 40
  const Solution wide = solve(source, target, parse_variation("revenue.sd"), test_run, options);
  CHECK_FALSE(wide.step_limit);
  CHECK(wide.iterations < 30);  // halving in ratio; halving in value needs 60 steps to get below 10
  CHECK(wide.achieved_ci.low <= target.goal);
  CHECK(target.goal <= wide.achieved_ci.high);

  options.max_iterations = 3;
  const Solution cut = solve(source, target, parse_variation("revenue.sd"), test_run, options);
  CHECK(cut.step_limit);
  CHECK(cut.iterations == 3);
  CHECK_THAT(render_solution(cut), Contains("note: the search stopped at its limit of 3 bisection steps"));
  CHECK(solution_json(cut)["step_limit"] == true);
}

TEST_CASE("an unreached goal names the closest value, at an end of the search when it is there") {
  // P(revenue + noise >= 99) is 84% (83.7% in these trials) as revenue.p90 nears p10 = 100 (revenue is then 100), peaks near
  // 95% at p90 = 103 and falls towards 90% as p90 grows: the lowest is at the low end, which a
  // golden-section search starting inside, where the statistic falls, would leave.
  const Scenario scenario = parse_scenario(R"(
name: end
drivers:
  revenue: {dist: normal, p10: 100, p90: 110}
  noise: {dist: normal, mean: 0, sd: 1}
metrics:
  total: revenue + noise
)", "end.yaml");
  const TuningSource source{scenario, build_model(scenario)};
  const InputError error = input_error(
      [&] { solve(source, parse_target("P(total >= 99) = 30%", "--target"), parse_variation("revenue.p90"), test_run, {}); });
  CHECK(error.message() ==
        "P(total >= 99) = 30% is not reached by varying revenue.p90 around 110: revenue.p90 = 100 gives 83.7%, and "
        "revenue.p90 = 2926 gives 90.0%; the lowest it reaches there is 83.7% at revenue.p90 = 100");
}

TEST_CASE("solve errors: unreachable goals, bad brackets, unknown names") {
  const TuningSource source = open_test_scenario();
  const Variation mean = parse_variation("revenue.mean");
  SolveOptions bracket;
  bracket.bracket = parse_bracket("90:110");
  CHECK(input_error([&] { solve(source, parse_target("P(revenue >= 1000) = 0.5", "--target"), mean, test_run, bracket); }).message() ==
        "P(revenue >= 1000) = 0.5 is not reached inside the bracket 90:110: revenue.mean = 90 gives 0.0%, and "
        "revenue.mean = 110 gives 0.0%; the highest it reaches there is 0.0% at revenue.mean = 90");
  // Each end shows the digits that separate it from the goal: 99.98% is not "100.0%" against 99.99%.
  SolveOptions near;
  near.bracket = parse_bracket("110:123");
  CHECK(input_error([&] { solve(source, parse_target("P(revenue >= 90) = 99.99%", "--target"), mean, test_run, near); }).message() ==
        "P(revenue >= 90) = 99.99% is not reached inside the bracket 110:123: revenue.mean = 110 gives 97.9%, and "
        "revenue.mean = 123 gives 99.98%; the highest it reaches there is 99.98% at revenue.mean = 123");
  // The default search reaches 5% x 2^9 = 25.6 times the current value away, not a million.
  const InputError unreachable =
      input_error([&] { solve(source, parse_target("P(revenue >= 1e6) = 0.5", "--target"), mean, test_run, {}); });
  CHECK(unreachable.message() ==
        "P(revenue >= 1e6) = 0.5 is not reached by varying revenue.mean around 100: revenue.mean = -2460 gives "
        "0.0%, and revenue.mean = 2660 gives 0.0%; the highest it reaches there is 0.0% at revenue.mean = -2460");
  CHECK(unreachable.hint() == "give a bracket LO:HI to search, or vary another parameter");

  SolveOptions negative;
  negative.bracket = parse_bracket("-5:-1");
  CHECK(input_error([&] {
          solve(source, parse_target("P(profit in guidance) = 0.5", "--target"), parse_variation("revenue.sd"), test_run, negative);
        }).message() == "the bracket -5:-1 is outside the values `revenue.sd` can take: `revenue.sd` is a standard "
                        "deviation, above 0");

  CHECK(input_error([&] { solve(source, parse_target("mean(proft) = 1", "--target"), mean, test_run, {}); }).render() ==
        "--target:1:6: error: unknown variable `proft`\n    mean(proft) = 1\n         ^~~~~\nhint: did you mean `profit`?\n");
  CHECK(input_error([&] { solve(source, parse_target("P(margin in guidance) = 0.5", "--target"), mean, test_run, {}); }).render() ==
        "--target:1:3: error: `margin` has no guidance line\n    P(margin in guidance) = 0.5\n      ^~~~~~\n"
        "hint: the guidance lines are on `revenue` and `profit`\n");
  CHECK(input_error([&] {
          solve(source, parse_target("mean(profit) = 1", "--target"), parse_variation("revenue.mena"), test_run, {});
        }).render() == "--vary:1:9: error: unknown parameter `mena` for a normal distribution\n    revenue.mena\n"
                       "            ^~~~\nhint: did you mean `mean`?\n");
  CHECK(input_error([&] {
          solve(source, parse_target("mean(profit) = 1", "--target"), parse_variation("revenue.mean=1,2"), test_run, {});
        }).message() == "solve finds the value itself: give the parameter without values");
}

TEST_CASE("solve never searches outside a parameter's natural range, and says when it clips --bracket") {
  const TuningSource source = open_test_scenario();
  const Target target = parse_target("P(profit in guidance) = 0.5", "--target");
  SolveOptions options;
  options.bracket = parse_bracket("-1:80");  // revenue.sd: the answer is near 40
  const Solution sd = solve(source, target, parse_variation("revenue.sd"), test_run, options);
  REQUIRE(sd.asked);
  CHECK(sd.asked->low == -1);
  CHECK_THAT(sd.searched.low, WithinRel(80e-6, 1e-12));  // a millionth of the way from the open end at 0
  CHECK(sd.searched.high == 80);
  for (const SolveStep& step : sd.steps) CHECK(step.value > 0);
  CHECK_THAT(render_solution(sd), Contains("note: the bracket -1 to 80 was clipped to 8e-05 to 80: `revenue.sd` is a "
                                           "standard deviation, above 0\n"));
  CHECK(solution_json(sd)["asked"] == nlohmann::ordered_json::array({-1, 80}));

  // A share (a driver written as a percent): the outward search stops at 0% and 100%, not -1230%.
  const InputError share = input_error([&] { solve(source, parse_target("P(profit >= 1000) = 0.5", "--target"), parse_variation("tax"), test_run, {}); });
  CHECK_THAT(share.message(), StartsWith("P(profit >= 1000) = 0.5 is not reached by varying tax around 25% (`tax` is a "
                                         "share, from 0% to 100%, and is searched only there): tax = 0% gives 0.0%, "
                                         "and tax = 100% gives 0.0%"));
  SolveOptions wide;
  wide.bracket = parse_bracket("-300%:300%");
  const Solution tax = solve(source, parse_target("P(profit >= 10) = 0.5", "--target"), parse_variation("tax"), test_run, wide);
  // A bracket the user gives is taken as written for a share: a margin can be negative.
  CHECK(tax.searched.low == -3.0);
  CHECK(tax.searched.high == 3.0);
  CHECK_FALSE(tax.asked);
}

TEST_CASE("a bracket of -1e308:1e308 runs only values inside it") {
  const TuningSource source = open_test_scenario();
  SolveOptions options;
  options.bracket = parse_bracket("-1e308:1e308");
  options.max_iterations = 5;
  const Solution s = solve(source, parse_target("mean(profit) = 5", "--target"), parse_variation("revenue.mean"), test_run, options);
  for (const SolveStep& step : s.steps) CHECK(std::isfinite(step.value));
  CHECK(s.steps[2].value == 0.0);  // the first midpoint
}

TEST_CASE("solve --maximize and --minimize: golden-section search to Monte Carlo precision") {
  const TuningSource source = open_test_scenario();
  SolveOptions options;
  options.bracket = parse_bracket("60:140");
  // P(revenue in [90, 110]) with sd 10 is largest at mean 100, where it is 68.3%.
  const Solution best = solve(source, parse_target("P(revenue in guidance)", "--maximize", Target::Aim::maximize),
                              parse_variation("revenue.mean"), test_run, options);
  CHECK_THAT(best.value, WithinAbs(100, 3));
  CHECK(best.achieved_ci.low <= 0.6827);
  CHECK(0.6827 <= best.achieved_ci.high);
  CHECK(best.searched.low == 60);
  CHECK(best.searched.high == 140);
  CHECK_FALSE(best.step_limit);
  CHECK(best.steps.back().value == best.value);
  // Stopped at precision: the statistic anywhere in the final bracket is within noise of the best.
  CHECK(best.bracket.low <= best.value);
  CHECK(best.value <= best.bracket.high);
  CHECK_THAT(render_solution(best), Contains("maximize P(revenue in guidance)\n"));
  CHECK_THAT(render_solution(best), Contains("golden-section steps, from 60 to 140\n"));
  CHECK(solution_json(best)["target"]["aim"] == "maximize");

  const Solution least = solve(source, parse_target("P(revenue in guidance)", "--minimize", Target::Aim::minimize),
                               parse_variation("revenue.mean"), test_run, options);
  CHECK(least.achieved < 0.01);  // at either end, 30 sd from the range

  CHECK(input_error([&] {
          solve(source, parse_target("mean(profit)", "--maximize", Target::Aim::maximize), parse_variation("revenue.mean"), test_run, {});
        }).message() == "to maximize mean(profit), solve searches inside a bracket: give one, LO:HI");
  CHECK(input_error([] { parse_target("P(eps in guidance) = 5", "--minimize", Target::Aim::minimize); }).render() ==
        "--minimize:1:20: error: unexpected `= 5` after the statistic\n    P(eps in guidance) = 5\n"
        "                       ^~~\nhint: to minimize a statistic, give it without a goal, e.g. 'P(eps in guidance)'\n");
}

TEST_CASE("option --bracket is LO:HI with LO < HI") {
  const Bracket percent = parse_bracket("30%:40%");
  CHECK(percent.percent);
  CHECK(percent.low.value == 0.3);
  CHECK(percent.high.value == 0.4);
  CHECK(input_error([] { parse_bracket("5"); }).message() == "expected LO:HI, found `5`");
  CHECK(input_error([] { parse_bracket("5:x"); }).message() == "expected a number, found `x`");
  CHECK(input_error([] { parse_bracket("5:5"); }).message() == "LO must be less than HI, found 5 and 5");
}

// ---- propose ---------------------------------------------------------------------------------------

TEST_CASE("propose: the narrowest range of a decreasing density starts at its minimum") {
  const TuningSource source = open_test_scenario();
  constexpr std::uint64_t n = 20'000;
  const Model& model = source.model;
  const SimulationResult result = simulate(model, {.trials = n, .seed = 3});
  const RunReport report = analyze(model, result);
  const Proposal proposal = propose(model, result, report, find_variable(model, "cost", "--metric"), 0.8);
  // cost ~ triangular(0, 0, 1): density 2 (1 - x), so the shortest 80% range is [0, q(0.8)] with
  // q(p) = 1 - sqrt(1 - p). Tolerance: 5 standard errors of the sample quantile,
  // sqrt(p (1 - p) / n) / f(q).
  const double q80 = 1 - std::sqrt(0.2);
  CHECK_THAT(proposal.narrowest.low, WithinAbs(0.0, 5 * std::sqrt(0.8 * 0.2 / n) / 2));
  CHECK_THAT(proposal.narrowest.high, WithinAbs(q80, 5 * std::sqrt(0.8 * 0.2 / n) / (2 * (1 - q80))));
  CHECK(proposal.narrowest_p_in == 0.8);  // exactly ceil(0.8 n) distinct values
  const double q10 = 1 - std::sqrt(0.9), q90 = 1 - std::sqrt(0.1);
  CHECK_THAT(proposal.central.low, WithinAbs(q10, 5 * std::sqrt(0.09 / n) / (2 * (1 - q10))));
  CHECK_THAT(proposal.central.high, WithinAbs(q90, 5 * std::sqrt(0.09 / n) / (2 * (1 - q90))));
  CHECK(proposal.narrowest.high - proposal.narrowest.low < proposal.central.high - proposal.central.low);
  CHECK_FALSE(proposal.guidance);  // cost has no guidance line
}

TEST_CASE("propose: the narrowest window is the shortest one holding ceil(C n) trials") {
  const TuningSource source = open_test_scenario();
  const Model& model = source.model;
  const SimulationResult result = simulate(model, {.trials = 201, .seed = 9});
  const RunReport report = analyze(model, result);
  const double confidence = GENERATE(0.5, 0.8, 0.9, 0.999);
  CAPTURE(confidence);
  const Proposal proposal = propose(model, result, report, find_variable(model, "profit", "--metric"), confidence);
  // Brute force over every pair of trials.
  const std::span<const double> column = result.column(index_of(model, "profit"));
  const auto k = static_cast<std::ptrdiff_t>(std::ceil(confidence * 201));
  double shortest = std::numeric_limits<double>::infinity();
  for (const double low : column)
    for (const double high : column)
      if (high >= low && std::count_if(column.begin(), column.end(), [&](double x) { return x >= low && x <= high; }) >= k)
        shortest = std::min(shortest, high - low);
  CHECK(proposal.narrowest.high - proposal.narrowest.low == shortest);
  CHECK(proposal.narrowest_p_in >= confidence);
}

TEST_CASE("propose: both ranges hold the confidence of all trials when some are not finite") {
  // log(x) of a normal(1, 1): about 16% of the trials are NaN. The central range takes equal tails of
  // the finite values around the share of them that holds 80% of all trials.
  const Model model = build_model(parse_scenario(
      "name: holes\ndrivers:\n  x: {dist: normal, mean: 1, sd: 1}\nmetrics:\n  lx: log(x)\n", "holes.yaml"));
  constexpr std::uint64_t n = 20'000;
  const SimulationResult result = simulate(model, {.trials = n, .seed = 4});
  const RunReport report = analyze(model, result);
  REQUIRE(report.variables[index_of(model, "lx")].nonfinite > n / 10);
  const Proposal proposal = propose(model, result, report, find_variable(model, "lx", "--metric"), 0.8);
  CHECK(proposal.narrowest_p_in >= 0.8);
  CHECK(proposal.central_p_in >= 0.8 - 2.0 / n);  // the interpolated ends may each leave out one trial
  CHECK(proposal.central_p_in <= 0.8 + 2.0 / n);
}

TEST_CASE("propose ranks every guidance line's bounds among the trials") {
  const TuningSource source = open_test_scenario();
  constexpr std::uint64_t n = 20'000;
  const Model& model = source.model;
  const SimulationResult result = simulate(model, {.trials = n, .seed = 5});
  const RunReport report = analyze(model, result);
  const Proposal proposal = propose(model, result, report, find_variable(model, "revenue", "--metric"), 0.8);
  REQUIRE(proposal.lines.size() == 2);
  REQUIRE(proposal.guidance);
  CHECK(proposal.guidance->name == "revenue");
  // revenue ~ normal(100, 10): 90 and 110 are its P15.87 and P84.13; 5 standard errors of a proportion.
  const double tail = 0.15865525393145707, se = std::sqrt(tail * (1 - tail) / n);
  CHECK_THAT(proposal.guidance->low_rank, WithinAbs(tail, 5 * se));
  CHECK_THAT(proposal.guidance->high_rank, WithinAbs(1 - tail, 5 * se));
  CHECK(proposal.guidance->p_in == report.guidance[0].p_in);
  CHECK(proposal.lines[1].name == "profit");
  CHECK(proposal.lines[1].low_rank == percentile_rank(result.column(index_of(model, "profit")), 10));
  CHECK_THAT(proposal.central_ranks.low, WithinAbs(0.1, 1e-3));
  CHECK_THAT(proposal.central_ranks.high, WithinAbs(0.9, 1e-3));
}

TEST_CASE("propose refuses a confidence outside (0, 1) and an unknown metric") {
  CHECK(parse_probability("0.8", "--confidence", true) == 0.8);
  CHECK(parse_probability("95%", "--confidence", true) == 0.95);
  const std::string bad = GENERATE("0", "1", "1.5", "-0.2", "100%", "high", "");
  CAPTURE(bad);
  const InputError error = input_error([&] { parse_probability(bad, "--confidence", true); });
  CHECK(error.message() == "--confidence must be between 0 and 1 (exclusive), found " + bad);
  CHECK(error.hint() == "write a fraction such as 0.8, or a percent such as 80%");

  const TuningSource source = open_test_scenario();
  const SimulationResult result = simulate(source.model, {.trials = 100, .seed = 1});
  const RunReport report = analyze(source.model, result);
  CHECK(input_error([&] { find_variable(source.model, "profti", "--metric"); }).render() ==
        "--metric:1:1: error: unknown variable `profti`\n    profti\n    ^~~~~~\nhint: did you mean `profit`?\n");
  CHECK(input_error([&] { propose(source.model, result, report, find_variable(source.model, "profit", "--metric"), 1.0); })
            .message() == "the confidence must be between 0 and 1 (exclusive), found 1");
}

TEST_CASE("propose --round and --center publish a range holding the confidence, on decimal digits") {
  // x takes five values; with 1,000 trials the 80% narrowest range is [1.013, 1.05] (the two middle
  // values hold about 90%, 9.5 standard errors of a proportion above 80%).
  const Model model = build_model(parse_scenario(
      "name: few\ndrivers:\n  x: {dist: discrete, values: [0.994, 1.013, 1.05, 1.071, 2], "
      "probabilities: [0.05, 0.45, 0.45, 0.025, 0.025]}\n",
      "few.yaml"));
  constexpr std::uint64_t n = 1000;
  const SimulationResult result = simulate(model, {.trials = n, .seed = 2});
  const RunReport report = analyze(model, result);
  const std::span<const double> column = result.column(index_of(model, "x"));
  const auto count = [&](std::initializer_list<double> values) {
    return static_cast<double>(std::count_if(column.begin(), column.end(), [&](double x) {
             return std::find(values.begin(), values.end(), x) != values.end();
           })) / n;
  };
  const Interval narrowest = propose(model, result, report, find_variable(model, "x", "--metric"), 0.8).narrowest;
  REQUIRE(narrowest.low == 1.013);
  REQUIRE(narrowest.high == 1.05);
  CHECK_FALSE(propose(model, result, report, find_variable(model, "x", "--metric"), 0.8).publish);

  // Outward to the cent: 1.013 down to 1.01; 1.05 is a cent already (its double lies above 1.05, and
  // stays).
  const Proposal rounded = propose(model, result, report, find_variable(model, "x", "--metric"), 0.8, {.step = 0.01});
  REQUIRE(rounded.publish);
  CHECK(rounded.publish->range.low == 1.01);
  CHECK(rounded.publish->range.high == 1.05);
  CHECK_FALSE(rounded.publish->center);
  CHECK(rounded.publish->p_in == count({1.013, 1.05}));
  // To the tenth: 1.0 to 1.1, which takes in 1.071 too.
  const Proposal tenths = propose(model, result, report, find_variable(model, "x", "--metric"), 0.8, {.step = 0.1});
  CHECK(tenths.publish->range.low == 1.0);
  CHECK(tenths.publish->range.high == 1.1);
  CHECK(tenths.publish->p_in == count({1.013, 1.05, 1.071}));

  // Around 1.03: the 800th smallest distance is |1.05 - 1.03|, so h is that difference exactly.
  const Proposal centred = propose(model, result, report, find_variable(model, "x", "--metric"), 0.8, {.center = 1.03});
  CHECK(centred.publish->center == 1.03);
  CHECK(centred.publish->half_width == std::fabs(1.05 - 1.03));
  CHECK(centred.publish->p_in == count({1.013, 1.05}));
  // ... and to the cent, 0.02, although the double 1.05 - 1.03 is a little above 0.02.
  const Proposal both = propose(model, result, report, find_variable(model, "x", "--metric"), 0.8, {.step = 0.01, .center = 1.03});
  CHECK(both.publish->half_width == 0.02);
  CHECK(both.publish->p_in == count({1.013, 1.05}));
  // Around 1.0: 1.05 is the farther of the two, 0.05 away; 0.994 comes in on the way.
  const Proposal low = propose(model, result, report, find_variable(model, "x", "--metric"), 0.8, {.step = 0.01, .center = 1.0});
  CHECK(low.publish->half_width == 0.05);
  CHECK(low.publish->p_in == count({0.994, 1.013, 1.05}));
}

TEST_CASE("propose --center widens the range past a value exactly h away that X + h leaves out") {
  // The k-th distance is exact, but X - h and X + h are rounded: whatever they are, the range holds
  // at least ceil(C n) trials.
  const TuningSource source = open_test_scenario();
  const Model& model = source.model;
  const SimulationResult result = simulate(model, {.trials = 301, .seed = 11});
  const RunReport report = analyze(model, result);
  const double center = GENERATE(0.1, 7.3, -1e3, 1e6);
  CAPTURE(center);
  const Proposal proposal = propose(model, result, report, find_variable(model, "profit", "--metric"), 0.9, {.center = center});
  const std::span<const double> column = result.column(index_of(model, "profit"));
  std::vector<double> distances;
  for (const double x : column) distances.push_back(std::fabs(x - center));
  std::sort(distances.begin(), distances.end());
  const auto k = static_cast<std::size_t>(std::ceil(0.9 * 301));
  CHECK(proposal.publish->half_width == distances[k - 1]);
  CHECK(proposal.publish->p_in >= 0.9);
}

TEST_CASE("option --round and --center take finite numbers, --round above 0") {
  CHECK(parse_round_step("0.01") == 0.01);
  CHECK(parse_round_step("0.1%") == 0.001);
  CHECK(parse_center("-0.04") == -0.04);
  CHECK(parse_center("72.5%") == 0.725);
  const std::string step = GENERATE("0", "-0.01", "x", "", "1e400");
  CAPTURE(step);
  const InputError bad_step = input_error([&] { parse_round_step(step); });
  CHECK(bad_step.message() == "--round must be a number above 0, found " + step);
  CHECK(bad_step.hint() == "write the step to round the range's ends to, such as --round 0.01 (the cent) or "
                           "--round 0.1% (a tenth of a point)");
  const std::string center = GENERATE("nan", "inf", "1e400", "about 2");
  CAPTURE(center);
  const InputError bad_center = input_error([&] { parse_center(center); });
  CHECK(bad_center.message() == "--center must be a finite number, found " + center);
  CHECK(bad_center.hint() == "write the figure to centre the range on, such as --center 0.04 or --center 72.5%");
}

// ---- table selection -------------------------------------------------------------------------------

TEST_CASE("option --metric and --percentiles choose what the tables show") {
  const TuningSource source = open_test_scenario();
  const std::vector<std::string> metrics = {"profit", "revenue", "profit"};
  const TuningTable table = parse_tuning_table(source.model, metrics, "p5,50,95");
  CHECK(table.variables == std::vector<std::string>{"profit", "revenue"});
  CHECK(table.percentiles == std::vector<std::size_t>{1, 4, 7});
  // Items are trimmed of spaces, as in every list (args::split_list), and the caret finds the item.
  CHECK(parse_tuning_table(source.model, {}, " 10, p90 ").percentiles == std::vector<std::size_t>{2, 6});
  CHECK(input_error([&] { parse_tuning_table(source.model, {}, "10,  12"); }).where().column == 6);
  CHECK(input_error([&] { parse_tuning_table(source.model, {}, "10,12"); }).render() ==
        "--percentiles:1:4: error: expected one of 1, 5, 10, 25, 50, 75, 90, 95, 99, found `12`\n    10,12\n"
        "       ^~\nhint: these are the percentiles every run keeps; `guidance propose` gives any range\n");
  const std::vector<std::string> typo = {"revenu"};
  CHECK(input_error([&] { parse_tuning_table(source.model, typo, "50"); }).hint() == "did you mean `revenue`?");
}

// ---- memory ----------------------------------------------------------------------------------------

TEST_CASE("each tuning analysis checks its own memory before it runs, for every caller") {
  const TuningSource source = open_test_scenario();
  // Kept in memory (compare and sweep would stream a run whose trials pass RunOptions::memory, and
  // fit): 10^10 trials need far more than any machine has.
  const RunOptions huge{.trials = 10'000'000'000ull, .seed = 7, .memory = std::uint64_t{1} << 50};
  const auto refusal = [](auto work) { return input_error(work).message(); };
  CHECK_THAT(refusal([&] { compare_variants(load_variants(test_scenario_path(), {}), huge); }),
             StartsWith("compare needs "));
  CHECK_THAT(refusal([&] { run_sweep(source, {parse_variation("revenue.mean=90,110")}, huge); }),
             StartsWith("sweep needs "));
  CHECK_THAT(refusal([&] { solve(source, parse_target("mean(profit) = 20", "--target"), parse_variation("revenue.mean"), huge, {}); }),
             StartsWith("solve needs "));
  CHECK_THAT(refusal([&] { run_proposal(source.model, huge, find_variable(source.model, "profit", "--metric"), 0.8); }),
             StartsWith("propose needs "));
}
