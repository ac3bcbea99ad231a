// A run shared by several processes (RunOptions::cluster) against the same run in one process: every
// process must report the same bytes, whatever the number of processes, including processes that
// get no chunk at all. Threads stand in for the processes (thread_cluster.hpp); the CLI's MPI runs
// are tested in tests/cli/test_mpi.sh.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "guidance/load.hpp"
#include "guidance/report.hpp"
#include "guidance/simulate.hpp"
#include "simulate/stream_scenarios.hpp"
#include "guidance/tuning.hpp"
#include "simulate/thread_cluster.hpp"

using namespace guidance;

namespace {

std::string every_output(const Model& model, const RunReport& report) {
  std::string out = run_json(model, report).dump();
  out += render_table(model, report, {.histograms = true});
  out += render_html_run(model, report);
  return out;
}

/// Each rank's output of the run shared by `processes` threads.
std::vector<std::string> shared_run(const Model& model, RunOptions options, std::size_t processes) {
  testing::ThreadGroup group(processes);
  return group.run<std::string>([&](const Cluster& cluster) {
    RunOptions mine = options;
    mine.cluster = &cluster;
    return every_output(model, run_report(model, mine, Charts::all));
  });
}

}  // namespace

TEST_CASE("the chunks are shared out consecutively, evenly and completely") {
  const std::size_t processes = GENERATE(1, 2, 3, 7);
  const std::size_t chunks = GENERATE(std::size_t{0}, 1, 2, 5, 152'588, std::numeric_limits<std::size_t>::max() / 2);
  CAPTURE(processes, chunks);
  testing::ThreadGroup group(processes);
  const std::vector<ChunkShare> shares =
      group.run<ChunkShare>([&](const Cluster& cluster) { return chunk_share(chunks, &cluster); });
  std::size_t next = 0;
  for (const ChunkShare& share : shares) {
    CHECK(share.first == next);
    CHECK(share.last >= share.first);
    CHECK(share.last - share.first >= chunks / processes);
    CHECK(share.last - share.first <= chunks / processes + 1);
    next = share.last;
  }
  CHECK(next == chunks);
  CHECK(chunk_share(chunks, nullptr).first == 0);
  CHECK(chunk_share(chunks, nullptr).last == chunks);
}

TEST_CASE("a run shared by 1, 2, 3 or 4 processes reports what one process reports") {
  // juniper_fy2012 is dimensioned, with given values and actuals; nvidia_q4_fy2023 has actuals.
  const std::string name = GENERATE("juniper_q4_2012", "juniper_fy2012", "nvidia_q4_fy2023", "cost_model");
  const Sampling sampling = GENERATE(Sampling::monte_carlo, Sampling::latin_hypercube);
  // 2 trials: one chunk, so that most processes have none; 140,001: three chunks, the last partial,
  // shared unevenly by 2 and 4 processes.
  const std::uint64_t trials = GENERATE(2, 140'001);
  const std::size_t processes = GENERATE(1, 2, 3, 4);
  CAPTURE(name, sampling, trials, processes);
  const Model model = testing::example_model(name);
  const RunOptions options{.trials = trials, .seed = 20121023, .sampling = sampling};
  const std::string alone = every_output(model, run_report(model, options, Charts::all));
  for (const std::string& output : shared_run(model, options, processes)) CHECK(output == alone);
}

TEST_CASE("shared runs keep non-finite counts, ties and the signs of zero") {
  const Model model = testing::hazards_model();
  const RunOptions options{.trials = 200'000, .seed = 3};
  const std::string alone = every_output(model, run_report(model, options, Charts::all));
  for (const std::string& output : shared_run(model, options, 3)) CHECK(output == alone);
}

TEST_CASE("a report goes to bytes and back exactly, and corrupt bytes are refused") {
  const std::string name = GENERATE("juniper_q4_2012", "juniper_fy2012", "nvidia_q4_fy2023", "discrete");
  CAPTURE(name);
  const Model model = name != "discrete" ? testing::example_model(name) : testing::discrete_correlation_model();
  const RunOptions options{.trials = 20'000, .seed = 11};
  // Every part filled in somewhere: charts, actuals (nvidia, fy2012), a precision stop, an achieved
  // correlation with a discrete driver.
  const RunReport report = name == "juniper_q4_2012"
                               ? simulate_to_precision(model, options, {.half_width = 0.05}, Charts::all).report
                               : analyze(model, simulate(model, options), Charts::all);
  const std::vector<std::byte> bytes = report_to_bytes(report);
  CHECK(every_output(model, report_from_bytes(bytes)) == every_output(model, report));
  CHECK(run_json(model, report_from_bytes(bytes)).dump() == run_json(model, report).dump());
  CHECK_THROWS_AS(report_from_bytes(std::span(bytes).first(bytes.size() - 1)), std::invalid_argument);
  std::vector<std::byte> longer = bytes;
  longer.push_back(std::byte{0});
  CHECK_THROWS_AS(report_from_bytes(longer), std::invalid_argument);
  std::vector<std::byte> huge_length = bytes;
  std::fill_n(huge_length.begin() + 3 * sizeof(std::uint64_t), sizeof(std::uint64_t), std::byte{0xff});  // the variables' count
  CHECK_THROWS_AS(report_from_bytes(huge_length), std::invalid_argument);
}

TEST_CASE("compare and sweep shared by processes report what one process reports") {
  const TuningSource source = open_scenario(GUIDANCE_SOURCE_DIR "/scenarios/juniper_q4_2012.yaml");
  const std::vector<Scenario> variants = open_variants(GUIDANCE_SOURCE_DIR "/scenarios/juniper_q4_2012.yaml", {}, {});
  const Variation p90{.driver = "revenue", .parameter = "p90", .values = {{"1120", 1120}, {"1130", 1130}, {"1140", 1140}}};
  Variation two_points = p90;
  two_points.values.pop_back();
  // 3 points or variants on 2 or 3 processes: shared out whole; 2 points on 3 processes: each point's
  // chunks shared (140,001 trials, three chunks).
  const std::size_t processes = GENERATE(2, 3);
  CAPTURE(processes);
  const RunOptions options{.trials = 140'001, .seed = 5};
  const auto output = [&](const RunOptions& with) {
    return compare_json(compare_variants(variants, with)).dump() + sweep_json(run_sweep(source, {p90}, with)).dump() +
           sweep_json(run_sweep(source, {two_points}, with)).dump();
  };
  const std::string alone = output(options);
  testing::ThreadGroup group(processes);
  const std::vector<std::string> shared_outputs = group.run<std::string>([&](const Cluster& cluster) {
    RunOptions mine = options;
    mine.cluster = &cluster;
    return output(mine);
  });
  for (const std::string& shared_output : shared_outputs) CHECK(shared_output == alone);
}
