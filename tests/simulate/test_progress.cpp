// RunOptions::progress: counts reported one call at a time, the run unchanged by it, and cancellation;
// and the chart data analyze adds to each guidance line.
#include <atomic>

#include <catch2/catch.hpp>
#include <tbb/global_control.h>

#include "guidance/load.hpp"
#include "guidance/simulate.hpp"
#include "special_values.hpp"

using namespace guidance;

namespace {

Model model_of(const std::string& yaml) { return build_model(parse_scenario(yaml, "test.yaml")); }

const std::string scenario = R"(
name: progress
drivers:
  a: {dist: normal, mean: 10, sd: 2}
  b: {dist: pert, min: 0, mode: 1, max: 4}
  c: 3
metrics:
  total: a + b
guidance:
  total: [10, 13]
  c: [2, 4]
)";

}  // namespace

TEST_CASE("progress is reported one call at a time, rising to every trial, without changing the run") {
  const int threads = GENERATE(1, 2);
  const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  const Model model = model_of(scenario);
  constexpr std::uint64_t trials = 300'000;

  std::vector<std::uint64_t> calls;
  std::atomic<int> inside{0};
  bool overlapped = false;
  RunOptions options{.trials = trials, .seed = 5};
  options.progress = [&](std::uint64_t done) {
    overlapped |= inside.fetch_add(1) != 0;
    calls.push_back(done);
    inside.fetch_sub(1);
    return true;
  };
  const SimulationResult watched = simulate(model, options);
  const SimulationResult plain = simulate(model, {.trials = trials, .seed = 5});

  CAPTURE(threads);
  CHECK_FALSE(overlapped);
  REQUIRE_FALSE(calls.empty());
  CHECK(calls.back() == trials);
  CHECK(std::is_sorted(calls.begin(), calls.end()));
  CHECK(calls.front() > 0);
  for (std::size_t v = 0; v < model.variables.size(); ++v) {
    REQUIRE(watched.columns[v].size() == plain.columns[v].size());
    CHECK(guidance::test::same_bits(watched.columns[v], plain.columns[v]));
  }
}

TEST_CASE("a progress callback that returns false stops the run with RunCancelled") {
  const Model model = model_of(scenario);
  std::uint64_t calls = 0;
  RunOptions options{.trials = 2'000'000, .seed = 1};
  options.progress = [&](std::uint64_t) { return ++calls < 2; };
  CHECK_THROWS_AS(simulate(model, options), RunCancelled);
  CHECK(calls == 2);  // no call after the one that said stop

  // Stopping when every trial is done (Ctrl-C as the last block ends) still cancels.
  options.trials = 1000;
  options.progress = [](std::uint64_t done) { return done < 1000; };
  CHECK_THROWS_WITH(simulate(model, options), "interrupted");
}

TEST_CASE("analyze gives each stochastic guidance line its chart data") {
  const Model model = model_of(scenario);
  const SimulationResult result = simulate(model, {.trials = 50'000, .seed = 9});
  const RunReport report = analyze(model, result);
  REQUIRE(report.guidance.size() == 2);

  const GuidanceProbability& total = report.guidance[0];
  const Summary& summary = report.variables[total.variable];
  const Histogram expected =
      histogram(result.column(total.variable),
                *chart_bins({summary.percentiles.front(), summary.percentiles.back()}, total.low, total.high));
  CHECK(total.histogram.counts == expected.counts);
  CHECK(total.histogram.bins.low == expected.bins.low);
  CHECK(total.histogram.bins.width == expected.bins.width);
  CHECK(total.cdf == cumulative_shares(expected));
  // The chart's bins inside [10, 13] hold the trials inside the range (the bounds are bin edges, and a
  // continuous variable has no trial exactly on a bound).
  std::uint64_t inside = 0;
  for (std::size_t k = 0; k < total.histogram.counts.size(); ++k) {
    const double middle = total.histogram.bins.edge(k) + total.histogram.bins.width / 2;
    if (middle > 10 && middle < 13) inside += total.histogram.counts[k];
  }
  CHECK(inside == total.inside);

  // A constant has no distribution to chart.
  CHECK(report.guidance[1].histogram.counts.empty());
  CHECK(report.guidance[1].cdf.empty());
}
