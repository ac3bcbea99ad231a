// A run shared by several processes (RunOptions::cluster) against the same run in one process: every
// process must report the same bytes, whatever the number of processes, including processes that
// get no chunk at all. Threads stand in for the processes (thread_cluster.hpp); the CLI's MPI runs
// are tested in tests/cli/test_mpi.sh.
#include <catch2/catch.hpp>

#include <limits>
#include <string>

#include "guidance/load.hpp"
#include "guidance/report.hpp"
#include "guidance/simulate.hpp"
#include "simulate/thread_cluster.hpp"

using namespace guidance;

namespace {

std::string render(const Model& model, const RunReport& report) {
  std::string out = run_json(model, report).dump();
  out += render_table(model, report, {.histograms = true});
  out += render_html_run(model, report);
  return out;
}

Model scenario(const std::string& name) {
  return build_model(load_scenario(GUIDANCE_SOURCE_DIR "/scenarios/" + name + ".yaml"));
}

/// Each rank's output of the run shared by `processes` threads.
std::vector<std::string> shared_run(const Model& model, RunOptions options, std::size_t processes) {
  testing::ThreadGroup group(processes);
  return group.run<std::string>([&](const Cluster& cluster) {
    RunOptions mine = options;
    mine.cluster = &cluster;
    return render(model, run_report(model, mine, Charts::all));
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
  const Model model = scenario(name);
  const RunOptions options{.trials = trials, .seed = 20121023, .sampling = sampling};
  const std::string alone = render(model, run_report(model, options, Charts::all));
  for (const std::string& output : shared_run(model, options, processes)) CHECK(output == alone);
}

TEST_CASE("shared runs keep non-finite counts, ties and the signs of zero") {
  const Model model = build_model(parse_scenario(R"(
name: hazards
drivers:
  a: {dist: normal, mean: 0, sd: 1}
  b: {dist: discrete, values: [0, 1, 2], probabilities: [0.1, 0.6, 0.3]}
metrics:
  ratio: a / b
  tied: b * 2
  zero: a * 0
guidance:
  ratio: [-1, 1]
  tied: [1, 3]
actuals:
  ratio: 0.5
)", "hazards.yaml"));
  const RunOptions options{.trials = 200'000, .seed = 3};
  const std::string alone = render(model, run_report(model, options, Charts::all));
  for (const std::string& output : shared_run(model, options, 3)) CHECK(output == alone);
}
