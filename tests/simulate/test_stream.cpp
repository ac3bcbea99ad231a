// A streamed run (stream_run) against the same run kept in memory (simulate, then analyze): the JSON at
// full precision, the table with its histograms and the HTML report's charts must be the same bytes,
// for every scenario, sampling method and thread count, at trial counts that end on a partial block
// and a partial chunk (65,536 trials), a whole chunk, and 1, 2 or 3 trials.
#include <catch2/catch.hpp>

#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <tbb/global_control.h>

#include "guidance/load.hpp"
#include "guidance/report.hpp"
#include "guidance/simulate.hpp"
#include "simulate/stream_scenarios.hpp"

using namespace guidance;

namespace {

struct Outputs {
  std::string json, table, html;
};

Outputs render(const Model& model, const RunReport& report) {
  return {run_json(model, report).dump(), render_table(model, report, {.histograms = true}),
          render_html_run(model, report)};
}

Outputs in_memory(const Model& model, const RunOptions& options) {
  return render(model, analyze(model, simulate(model, options), Charts::all));
}

Outputs streamed(const Model& model, const RunOptions& options) {
  return render(model, stream_run(model, options, Charts::all));
}

void check_same(const Outputs& streamed, const Outputs& kept) {
  CHECK(streamed.json == kept.json);
  CHECK(streamed.table == kept.table);
  CHECK(streamed.html == kept.html);
}

}  // namespace

TEST_CASE("a streamed run reports every scenario exactly as the run kept in memory") {
  // juniper_fy2012 is dimensioned, with given values and actuals; nvidia_q4_fy2023 has actuals.
  const std::string name =
      GENERATE("juniper_q4_2012", "juniper_fy2012", "nvidia_q4_fy2023", "cost_model", "coin_toss_revenue");
  const Sampling sampling = GENERATE(Sampling::monte_carlo, Sampling::latin_hypercube, Sampling::sobol);
  const std::uint64_t trials = GENERATE(1, 2, 3, 65'536, 140'001);
  CAPTURE(name, sampling, trials);
  const Model model = testing::example_model(name);
  REQUIRE(can_stream(model));
  const RunOptions options{.trials = trials, .seed = 20121023, .sampling = sampling};
  check_same(streamed(model, options), in_memory(model, options));
}

TEST_CASE("a streamed run narrowing a few variables at a time reports what one narrowing them all does") {
  // 256 KiB for a narrowing pass: the fiscal year's 33 variables' root histograms alone need more, so
  // they are narrowed in groups, in more passes.
  const std::string name = GENERATE("juniper_fy2012", "nvidia_q4_fy2023");
  CAPTURE(name);
  const Model model = testing::example_model(name);
  const RunOptions options{.trials = 140'001, .seed = 9, .narrowing_memory = 256 << 10};
  check_same(streamed(model, options), in_memory(model, options));
}

TEST_CASE("a streamed run is the same on 1, 2 and 3 threads") {
  const Model model = testing::example_model("juniper_fy2012");
  const RunOptions options{.trials = 200'003, .seed = 7};
  const auto on = [&](std::size_t threads) {
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    return streamed(model, options);
  };
  const Outputs one = on(1);
  const std::size_t threads = GENERATE(2, 3);
  CAPTURE(threads);
  check_same(on(threads), one);
}

TEST_CASE("a streamed run keeps non-finite counts, ties and the signs of zero as the kept run") {
  const Model model = testing::hazards_model();
  const std::uint64_t trials = GENERATE(3, 70'000);
  CAPTURE(trials);
  const RunOptions options{.trials = trials, .seed = 3};
  check_same(streamed(model, options), in_memory(model, options));
}

TEST_CASE("stream_trials hands over every trial in order, as simulate stores them") {
  const Model model = testing::example_model("juniper_q4_2012");
  const RunOptions options{.trials = 140'001, .seed = 11, .sampling = Sampling::latin_hypercube};
  const SimulationResult kept = simulate(model, options);
  std::ostringstream expected, written;
  write_samples_csv(expected, model, kept);
  write_samples_header(written, model);
  std::uint64_t next = 0;
  stream_trials(model, options, [&](std::uint64_t first, const SimulationResult& chunk) {
    CHECK(first == next);
    next = first + chunk.trials;
    write_samples_rows(written, model, chunk, first);
  });
  CHECK(next == options.trials);
  CHECK(written.str() == expected.str());
}

TEST_CASE("a rank correlation with a discrete driver keeps the trials") {
  const Model model = testing::discrete_correlation_model();
  CHECK_FALSE(can_stream(model));
  CHECK(keeps_trials(model, {.trials = 1'000'000'000, .memory = 1}));
  CHECK_THROWS_AS(stream_run(model, {.trials = 10}), std::logic_error);
}

TEST_CASE("a run keeps its trials when they fit in the budget and streams them otherwise") {
  const Model model = testing::example_model("juniper_q4_2012");
  const std::uint64_t trials = 1'000'000;
  const auto columns = static_cast<std::uint64_t>(trials_memory(model).bytes(trials));
  CHECK(keeps_trials(model, {.trials = trials, .memory = columns + 1}));
  CHECK(run_report_memory(model, {.trials = trials, .memory = columns + 1}).per_trial == run_memory(model).per_trial);
  CHECK_FALSE(keeps_trials(model, {.trials = trials, .memory = columns - 1}));
  CHECK(run_report_memory(model, {.trials = trials, .memory = columns - 1}).per_trial ==
        streamed_run_memory(model).per_trial);
  // The same report either way.
  const RunOptions kept{.trials = 70'001, .seed = 9, .memory = std::uint64_t{1} << 40};
  RunOptions streamed = kept;
  streamed.memory = 1;
  CHECK(run_json(model, run_report(model, streamed)).dump() == run_json(model, run_report(model, kept)).dump());
  // Streaming holds no trial, only a few bytes of partial results per chunk of 65,536.
  CHECK(streamed_run_memory(model).per_trial < 1.0);
}
