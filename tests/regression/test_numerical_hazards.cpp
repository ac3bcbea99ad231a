// Numerical hazards, end to end through the engine (parse_scenario -> build_model -> simulate ->
// analyze): every trial that is not a finite number is counted, never averaged in or dropped silently;
// degenerate distributions and empty truncations are errors; perfect correlations are exact.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "guidance/load.hpp"
#include "guidance/simulate.hpp"

using namespace guidance;

namespace {

constexpr std::uint64_t trials = 20'000;

Model model_of(const std::string& yaml) { return build_model(parse_scenario(yaml, "t.yaml")); }

struct Run {
  Model model;
  SimulationResult result;
  RunReport report;

  std::span<const double> column(std::string_view name) const {
    return result.column(static_cast<std::size_t>(model.find(name)));
  }
  const Summary& summary(std::string_view name) const {
    return report.variables[static_cast<std::size_t>(model.find(name))];
  }
};

Run run(const std::string& yaml) {
  Run r{model_of(yaml), {}, {}};
  r.result = simulate(r.model, {.trials = trials, .seed = 7});
  r.report = analyze(r.model, r.result);
  return r;
}

/// The first line of the rendered error of loading and compiling `yaml` ("file:line:column: error:
/// message"), or "built" when it builds.
std::string error_of(const std::string& yaml) {
  try {
    model_of(yaml);
    return "built";
  } catch (const InputError& error) {
    const std::string rendered = error.render();
    return rendered.substr(0, rendered.find('\n'));
  }
}

std::uint64_t count_nonfinite(std::span<const double> values) {
  return static_cast<std::uint64_t>(std::count_if(values.begin(), values.end(), [](double x) { return !std::isfinite(x); }));
}

/// Rank of each value (0-based; the values are distinct).
std::vector<std::size_t> ranks(std::span<const double> values) {
  std::vector<std::size_t> order(values.size()), rank(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  for (std::size_t r = 0; r < order.size(); ++r) rank[order[r]] = r;
  return rank;
}

}  // namespace

TEST_CASE("division by zero in a formula is counted as non-finite, trial by trial") {
  // d is 0 in about a quarter of the trials: 1/d is inf there, and d/d (0/0) is NaN.
  const Run r = run(R"(
name: division by zero
drivers:
  d: {dist: discrete, values: [0, 1, 2], probabilities: [0.25, 0.5, 0.25]}
metrics:
  inverse: 1 / d
  ratio: d / d
  always: 1 / (d - d)
guidance:
  inverse: [0.4, 1.1]
)");
  const auto d = r.column("d");
  const auto zeros = static_cast<std::uint64_t>(std::count(d.begin(), d.end(), 0.0));
  REQUIRE(zeros > 0);
  REQUIRE(zeros < trials);
  CHECK(count_nonfinite(r.column("inverse")) == zeros);
  CHECK(r.summary("inverse").nonfinite == zeros);
  CHECK(r.summary("inverse").count == trials - zeros);
  CHECK(r.summary("ratio").nonfinite == zeros);
  // The statistics are those of the finite values only: 1/d is 1 or 0.5 there.
  CHECK(r.summary("inverse").min == 0.5);
  CHECK(r.summary("inverse").max == 1.0);
  CHECK(r.summary("ratio").mean == 1.0);
  CHECK(r.summary("ratio").sd == 0.0);

  const Summary& always = r.summary("always");
  CHECK(always.nonfinite == trials);
  CHECK(always.count == 0);
  CHECK(std::isnan(always.mean));
  CHECK(std::isnan(always.percentiles[4]));

  // A non-finite trial is outside every range, and it is a trial with a non-finite variable.
  REQUIRE(r.report.guidance.size() == 1);
  const GuidanceProbability& line = r.report.guidance[0];
  CHECK(line.nonfinite == zeros);
  CHECK(line.inside + line.below + line.above + line.nonfinite == trials);
  CHECK(r.report.nonfinite_trials == trials);  // `always` is never finite
}

TEST_CASE("overflow gives infinities that are counted, and moments near the largest double stay finite") {
  const Run r = run(R"(
name: overflow
drivers:
  x: {dist: uniform, min: 600, max: 800}
  big: {dist: uniform, min: 1e307, max: 1.7e308}
metrics:
  growth: exp(x)
  doubled: big * 20
  power: pow(x, 200)
)");
  // exp(x) overflows from x > 709.78: the share of trials above it, about 45%.
  const auto x = r.column("x");
  const auto above = static_cast<std::uint64_t>(std::count_if(x.begin(), x.end(), [](double v) { return v > std::log(std::numeric_limits<double>::max()); }));
  REQUIRE(above > 0);
  CHECK(r.summary("growth").nonfinite == above);
  CHECK(count_nonfinite(r.column("growth")) == above);
  CHECK(r.summary("doubled").nonfinite == trials);
  CHECK(r.summary("power").nonfinite == trials);  // 600^200 > 10^555

  // Values up to 1.7e308: their mean (about 9e307) and sd must not overflow on the way.
  const Summary& big = r.summary("big");
  CHECK(big.nonfinite == 0);
  CHECK(std::isfinite(big.mean));
  CHECK(std::isfinite(big.sd));
  CHECK(big.mean > 1e307);
  CHECK(big.mean < 1.7e308);
}

TEST_CASE("a distribution whose percentiles coincide is an error, not a spike or a NaN") {
  const auto& [driver, message] = GENERATE(table<std::string, std::string>({
      {"a: {dist: normal, p10: 100, p90: 100}",
       "t.yaml:3:36: error: percentiles out of order: p10 = 100 is equal to p90 = 100"},
      {"a: {dist: lognormal, p10: 5, p90: 5}", "t.yaml:3:37: error: percentiles out of order: p10 = 5 is equal to p90 = 5"},
      {"a: {dist: lognormal, median: 5, p90: 5}",
       "t.yaml:3:40: error: percentiles out of order: median = 5 is equal to p90 = 5"},
      {"a: {dist: uniform, min: 5, max: 5}", "t.yaml:3:35: error: max must be > min = 5, found 5"},
      {"a: {dist: uniform, p10: 5, p90: 5}", "t.yaml:3:35: error: percentiles out of order: p10 = 5 is equal to p90 = 5"},
      {"a: {dist: triangular, min: 5, mode: 5, max: 5}", "t.yaml:3:47: error: max must be > min = 5, found 5"},
      {"a: {dist: pert, min: 5, mode: 5, max: 5}", "t.yaml:3:41: error: max must be > min = 5, found 5"},
      {"a: {dist: normal, mean: 5, sd: 0}", "t.yaml:3:34: error: sd must be > 0, found 0"},
  }));
  INFO(driver);
  CHECK(error_of("name: t\ndrivers:\n  " + driver + "\n") == message);
}

TEST_CASE("a variable that is the same in every trial has exact, coinciding percentiles") {
  const Run r = run(R"(
name: ties
drivers:
  a: {dist: uniform, min: 1, max: 2}
  coin: {dist: discrete, values: [0, 1], probabilities: [0.5, 0.5]}
metrics:
  zero: a - a
  floor_at_five: max(a, 5)
)");
  for (const std::string name : {"zero", "floor_at_five"}) {
    INFO(name);
    const Summary& s = r.summary(name);
    const double value = name == "zero" ? 0.0 : 5.0;
    CHECK(s.count == trials);
    CHECK(s.sd == 0.0);
    for (std::size_t p = 0; p < s.percentiles.size(); ++p) {
      CHECK(s.percentiles[p] == value);
      CHECK(s.percentile_ci[p].low == value);
      CHECK(s.percentile_ci[p].high == value);
    }
  }
  // Two values, each in about half the trials: every reported percentile is one of them (or, at the
  // median, between them).
  for (const double p : r.summary("coin").percentiles) CHECK((p == 0.0 || p == 1.0 || (p > 0 && p < 1)));
  CHECK(r.summary("coin").percentiles[0] == 0.0);
  CHECK(r.summary("coin").percentiles[8] == 1.0);
}

TEST_CASE("extreme truncation is exact or an error, never NaN") {
  SECTION("an empty or zero-probability range is an error") {
    const auto& [driver, message] = GENERATE(table<std::string, std::string>({
        {"a: {dist: normal, mean: 0, sd: 1, truncate: [5, 5]}",
         "t.yaml:3:47: error: truncate range [5, 5] is empty: low must be below high"},
        {"a: {dist: normal, mean: 0, sd: 1, truncate: [5, 1]}",
         "t.yaml:3:47: error: truncate range [5, 1] is empty: low must be below high"},
        // 40 sd out the tail's probability (about 4e-350) is below the smallest double.
        {"a: {dist: normal, mean: 0, sd: 1, truncate: [40, null]}",
         "t.yaml:3:47: error: truncate range [40, inf] has zero probability under normal mean=0 sd=1"},
        {"a: {dist: normal, mean: 0, sd: 1, truncate: [null, -40]}",
         "t.yaml:3:47: error: truncate range [-inf, -40] has zero probability under normal mean=0 sd=1"},
        {"a: {dist: uniform, min: 0, max: 1, truncate: [2, 3]}",
         "t.yaml:3:48: error: truncate range [2, 3] has zero probability under uniform min=0 max=1"},
        {"a: {dist: lognormal, median: 1, p90: 2, truncate: [null, 0]}",
         "t.yaml:3:53: error: truncate range [-inf, 0] has zero probability under lognormal mean=1.158 sd=0.6748"},
    }));
    INFO(driver);
    CHECK(error_of("name: t\ndrivers:\n  " + driver + "\n") == message);
  }
  SECTION("a range 37 standard deviations out, where the tail still has probability 6e-300, is sampled exactly") {
    const Run r = run("name: t\ndrivers:\n  a: {dist: normal, mean: 10, sd: 2, truncate: [84, null]}\n");
    const Summary& a = r.summary("a");
    CHECK(a.nonfinite == 0);
    CHECK(a.min >= 84.0);
    // The tail beyond 37 sd falls off like exp(-37 t): its mean excess is about sd / 37.
    CHECK(a.mean > 84.0);
    CHECK(a.mean < 84.0 + 2.0 * 2.0 / 37.0);
  }
}

TEST_CASE("rank correlations of exactly 1 and -1 run and give Spearman 1 and -1") {
  const double rho = GENERATE(1.0, -1.0);
  INFO("rho = " << rho);
  const Run r = run(R"(
name: perfect
drivers:
  a: {dist: normal, mean: 0, sd: 1}
  b: {dist: triangular, min: 0, mode: 3, max: 4}
  c: {dist: uniform, min: 0, max: 1}
correlations:
  - [a, b, )" + std::to_string(rho) + R"(]
)");
  const std::vector<std::size_t> a = ranks(r.column("a")), b = ranks(r.column("b"));
  std::size_t disagreements = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    disagreements += (rho > 0 ? b[i] != a[i] : b[i] != a.size() - 1 - a[i]) ? 1 : 0;
  CHECK(disagreements == 0);
  CHECK(r.summary("a").nonfinite == 0);
  CHECK(r.summary("b").nonfinite == 0);
}
