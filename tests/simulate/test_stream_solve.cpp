// solve with its runs streamed (too many trials for RunOptions::memory) or shared by processes finds
// what it finds with every run's trials kept: each statistic a target can name is measured by the
// same passes over the same chunks, whether the chunks are a kept column's or sampled again.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "guidance/report.hpp"
#include "guidance/tuning.hpp"
#include "simulate/stream_scenarios.hpp"
#include "simulate/thread_cluster.hpp"

using namespace guidance;

namespace {

struct SolveCase {
  std::string target;
  Target::Aim aim;
  const char* driver;
  const char* parameter;
  double low, high;  // the bracket
};

/// The solution's JSON and its run's report at the solution, at full precision.
std::string solved(const TuningSource& source, const SolveCase& c, const RunOptions& options) {
  const Target target = parse_target(c.target, "--target", c.aim);
  const Variation vary{.driver = c.driver, .parameter = c.parameter};
  const Bracket bracket{{std::to_string(c.low), c.low}, {std::to_string(c.high), c.high}};
  const Solution solution = solve(source, target, vary, options, {.bracket = bracket});
  return solution_json(solution).dump() + run_json(solution.model, solution.report).dump();
}

TuningSource juniper() { return open_scenario(GUIDANCE_SOURCE_DIR "/scenarios/juniper_q4_2012.yaml"); }

const std::vector<SolveCase> juniper_cases = {
    {"mean(eps) = 0.21", Target::Aim::reach, "revenue", "p90", 1101, 1200},
    {"p90(eps) = 0.225", Target::Aim::reach, "revenue", "p90", 1101, 1200},
    {"p5(operating_margin) = 13.5%", Target::Aim::reach, "opex", "mode", 536, 559},
    {"P(eps >= 0.22) = 40%", Target::Aim::reach, "revenue", "p90", 1101, 1200},
    {"P(eps <= 0.19) = 5%", Target::Aim::reach, "revenue", "p10", 1050, 1125},
    {"P(eps in guidance) = 0.6", Target::Aim::reach, "other_income", "mean", -20, -5},
    {"P(eps in guidance)", Target::Aim::maximize, "tax_rate", "", 0.2, 0.4},
};

}  // namespace

TEST_CASE("solve streams its runs and finds what it finds with their trials kept") {
  const TuningSource source = juniper();
  // Three chunks and a part; 1 MiB cannot hold them, so every run of the search streams.
  const RunOptions kept{.trials = 140'001, .seed = 11};
  RunOptions streamed = kept;
  streamed.memory = 1 << 20;
  REQUIRE(keeps_trials(source.model, kept));
  REQUIRE_FALSE(keeps_trials(source.model, streamed));
  for (const SolveCase& c : juniper_cases) {
    CAPTURE(c.target);
    CHECK(solved(source, c, streamed) == solved(source, c, kept));
  }
}

TEST_CASE("a streamed solve measures non-finite values, ties and a constant metric as the kept one") {
  const TuningSource source{parse_scenario(R"(
name: hazards
drivers:
  a: {dist: normal, mean: 0, sd: 1}
  b: {dist: discrete, values: [0, 1, 2], probabilities: [0.1, 0.6, 0.3]}
  c: 3
metrics:
  ratio: a / b
  tied: b * 2
  fixed: c * 2
guidance:
  ratio: [-1, 1]
  fixed: [5, 7]
)", "hazards.yaml"), {}};
  const TuningSource built{source.scenario, build_model(source.scenario)};
  const RunOptions kept{.trials = 70'000, .seed = 3};
  RunOptions streamed = kept;
  streamed.memory = 1 << 16;
  REQUIRE_FALSE(keeps_trials(built.model, streamed));
  const std::vector<SolveCase> cases = {
      {"p50(ratio) = 0.2", Target::Aim::reach, "a", "mean", -1, 1},
      {"mean(ratio) = 0.3", Target::Aim::reach, "a", "mean", -1, 1},
      {"P(ratio in guidance)", Target::Aim::minimize, "a", "mean", -1, 1},
      {"P(tied >= 4)", Target::Aim::maximize, "a", "mean", -1, 1},
      {"p20(tied)", Target::Aim::maximize, "a", "mean", -1, 1},
      {"P(fixed in guidance)", Target::Aim::maximize, "a", "mean", -1, 1},
  };
  for (const SolveCase& c : cases) {
    CAPTURE(c.target);
    CHECK(solved(built, c, streamed) == solved(built, c, kept));
  }
}

TEST_CASE("solve shared by processes finds what one process finds") {
  const TuningSource source = juniper();
  const RunOptions alone{.trials = 140'001, .seed = 11};
  const std::size_t processes = GENERATE(2, 3);
  CAPTURE(processes);
  for (const SolveCase& c : {juniper_cases[1], juniper_cases[3], juniper_cases[6]}) {
    CAPTURE(c.target);
    const std::string expected = solved(source, c, alone);
    testing::ThreadGroup group(processes);
    const std::vector<std::string> outputs = group.run<std::string>([&](const Cluster& cluster) {
      RunOptions mine = alone;
      mine.cluster = &cluster;
      return solved(source, c, mine);
    });
    for (const std::string& output : outputs) CHECK(output == expected);
  }
}
