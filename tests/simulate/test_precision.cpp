// Extending a run and precision stopping: rounds extend the same trials, so a run stopped at N trials
// is a plain run of N trials.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "guidance/load.hpp"
#include "guidance/report.hpp"
#include "guidance/simulate.hpp"

using namespace guidance;

namespace {

Model flagship() { return build_model(load_scenario(GUIDANCE_SOURCE_DIR "/scenarios/juniper_q4_2012.yaml", {})); }

/// The JSON of a run without its "precision" block: everything a plain run also reports.
nlohmann::ordered_json plain_json(const Model& model, const RunReport& report) {
  nlohmann::ordered_json json = run_json(model, report);
  json.erase("precision");
  return json;
}

}  // namespace

TEST_CASE("an extended result equals a plain run of its size, trial for trial") {
  const Sampling sampling = GENERATE(Sampling::monte_carlo, Sampling::latin_hypercube, Sampling::sobol);
  CAPTURE(static_cast<int>(sampling));
  const Model model = flagship();
  const RunOptions options{.trials = 5'000, .seed = 7, .sampling = sampling};
  SimulationResult extended = simulate(model, options);
  extend(model, extended, 12'345);
  const SimulationResult plain = simulate(model, {.trials = 12'345, .seed = 7, .sampling = sampling});
  REQUIRE(extended.trials == plain.trials);
  CHECK(extended.plan.trials == plain.plan.trials);
  for (std::size_t v = 0; v < model.variables.size(); ++v)
    CHECK(std::equal(plain.columns[v].begin(), plain.columns[v].end(), extended.columns[v].begin(),
                     extended.columns[v].end()));
  CHECK_THROWS_AS(extend(model, extended, 100), std::invalid_argument);
}

TEST_CASE("a precision run stops below the half-width and equals a plain run of its trials") {
  const Sampling sampling = GENERATE(Sampling::monte_carlo, Sampling::latin_hypercube, Sampling::sobol);
  CAPTURE(static_cast<int>(sampling));
  const Model model = flagship();
  const PrecisionGoal goal{.half_width = 0.004, .percentiles = {}, .max_trials = 1'000'000};
  const PreciseRun precise = simulate_to_precision(model, {.trials = 10'000, .seed = 3, .sampling = sampling}, goal);
  REQUIRE(precise.report.precision);
  const PrecisionStop& stop = *precise.report.precision;
  CHECK(stop.reached);
  CHECK(stop.rounds > 1);  // 10,000 trials give half-widths near 0.009: more rounds were needed
  CHECK(stop.largest < goal.half_width);
  for (const GuidanceProbability& line : precise.report.guidance)
    CHECK((line.p_in_ci.high - line.p_in_ci.low) / 2 < goal.half_width);
  CHECK((precise.report.joint_p_in_ci.high - precise.report.joint_p_in_ci.low) / 2 < goal.half_width);

  const std::uint64_t trials = precise.result.trials;
  const RunReport plain = analyze(model, simulate(model, {.trials = trials, .seed = 3, .sampling = sampling}));
  CHECK(plain_json(model, precise.report) == plain_json(model, plain));
  const nlohmann::ordered_json json = run_json(model, precise.report);
  CHECK(json["precision"]["stopped_because"] == "precision reached");
  CHECK(json["precision"]["half_width"] == 0.004);
}

TEST_CASE("a precision run that cannot reach its goal stops at max trials and says so") {
  const Model model = flagship();
  const PrecisionGoal goal{.half_width = 0.001, .percentiles = {4}, .max_trials = 30'000};
  const PreciseRun precise = simulate_to_precision(model, {.trials = 10'000, .seed = 3}, goal);
  REQUIRE(precise.report.precision);
  CHECK_FALSE(precise.report.precision->reached);
  CHECK(precise.result.trials == 30'000);
  CHECK(precise.report.precision->largest >= 0.001);
  CHECK(run_json(model, precise.report)["precision"]["stopped_because"] == "max trials");
  const std::string table = render_table(model, precise.report);
  CHECK_THAT(table, Catch::Matchers::Contains("at 30,000 trials: max trials"));
}

TEST_CASE("percentile goals are relative half-widths of the guided variables' percentiles") {
  const Model model = flagship();
  // P50 of EPS (about 0.205) to 0.1%: its interval must be narrower than +-0.0002.
  const PrecisionGoal goal{.half_width = 0.001, .percentiles = {4}, .max_trials = 2'000'000};
  const PreciseRun precise = simulate_to_precision(model, {.trials = 10'000, .seed = 5}, goal);
  REQUIRE(precise.report.precision);
  CHECK(precise.report.precision->reached);
  for (const GuidanceProbability& line : precise.report.guidance) {
    const Summary& summary = precise.report.variables[line.variable];
    const double median = summary.percentiles[4];
    CAPTURE(line.name);
    CHECK(std::max(median - summary.percentile_ci[4].low, summary.percentile_ci[4].high - median) / std::abs(median) <
          0.001);
  }
}

TEST_CASE("precision needs guidance and a half-width in (0, 1)") {
  const Model model = flagship();
  CHECK_THROWS_WITH(simulate_to_precision(model, {.trials = 1000}, {.half_width = 0.0, .percentiles = {}}),
                    "the precision must be a half-width between 0 and 1, found 0");
  const Model unguided = build_model(parse_scenario("name: x\ndrivers:\n  a: {dist: normal, mean: 0, sd: 1}\n", "x.yaml"));
  CHECK_THROWS_WITH(simulate_to_precision(unguided, {.trials = 1000}, {.half_width = 0.01, .percentiles = {}}),
                    "a run to a precision needs guidance lines, and the scenario has none");
}
