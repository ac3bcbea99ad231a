// Statistics of one column of 10 million trials: exact percentiles by narrowing against selecting on
// a copy and sorting a copy; the whole summary; a guidance line's chart histogram.
#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include "guidance/histogram.hpp"
#include "guidance/stats.hpp"

namespace {

constexpr std::size_t trials = 10'000'000;

/// A skewed, heavy-tailed column (a lognormal-ish margin times a normal-ish revenue), fixed seed.
const std::vector<double>& column() {
  static const std::vector<double> values = [] {
    std::mt19937_64 engine(42);
    std::normal_distribution<double> normal;
    std::vector<double> v(trials);
    for (double& x : v) x = 1115 * std::exp(0.1 * normal(engine)) + 11.7 * normal(engine);
    return v;
  }();
  return values;
}

std::vector<double> probabilities() {
  std::vector<double> p;
  for (const double percent : guidance::reported_percentiles) p.push_back(percent / 100);
  return p;
}

/// The order statistics numpy's linear percentiles need, ascending.
std::vector<std::size_t> needed_ranks() {
  std::vector<std::size_t> ranks;
  for (const double p : probabilities()) {
    const auto lower = static_cast<std::size_t>(std::floor((trials - 1) * p));
    ranks.insert(ranks.end(), {lower, std::min(lower + 1, trials - 1)});
  }
  std::sort(ranks.begin(), ranks.end());
  return ranks;
}

void threads_arg(benchmark::internal::Benchmark* b) { b->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime(); }

void exact_percentiles_by_narrowing(benchmark::State& state) {
  tbb::global_control threads(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
  const std::vector<double>& values = column();  // generated before the clock starts
  const std::vector<double> p = probabilities();
  for (auto _ : state) benchmark::DoNotOptimize(guidance::exact_percentiles(values, p));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trials));
}
BENCHMARK(exact_percentiles_by_narrowing)->Apply(threads_arg);

void nth_element_on_a_copy(benchmark::State& state) {
  const std::vector<double>& values = column();
  const std::vector<std::size_t> ranks = needed_ranks();
  for (auto _ : state) {
    std::vector<double> copy = values;
    auto unsorted = copy.begin();  // select each rank in what is left to its right
    for (const std::size_t rank : ranks) {
      const auto nth = copy.begin() + static_cast<std::ptrdiff_t>(rank);
      if (nth >= unsorted) std::nth_element(unsorted, nth, copy.end()), unsorted = nth + 1;
    }
    benchmark::DoNotOptimize(copy.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trials));
}
BENCHMARK(nth_element_on_a_copy)->Unit(benchmark::kMillisecond)->UseRealTime();

void sort_a_copy(benchmark::State& state) {
  const std::vector<double>& values = column();
  for (auto _ : state) {
    std::vector<double> copy = values;
    std::sort(copy.begin(), copy.end());
    benchmark::DoNotOptimize(copy.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trials));
}
BENCHMARK(sort_a_copy)->Unit(benchmark::kMillisecond)->UseRealTime();

void summarize_column(benchmark::State& state) {
  tbb::global_control threads(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
  const std::vector<double>& values = column();
  for (auto _ : state) benchmark::DoNotOptimize(guidance::summarize(values));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trials));
}
BENCHMARK(summarize_column)->Apply(threads_arg);

/// The chart of a guidance line: about 40 bins over P1..P99 and the range [1100, 1130].
void chart_histogram(benchmark::State& state) {
  tbb::global_control threads(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
  const std::vector<double>& values = column();
  const std::vector<double> bulk = guidance::exact_percentiles(values, std::vector<double>{0.01, 0.99});
  const guidance::HistogramBins bins = *guidance::chart_bins({bulk[0], bulk[1]}, 1100, 1130);
  for (auto _ : state) benchmark::DoNotOptimize(guidance::histogram(values, bins));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trials));
}
BENCHMARK(chart_histogram)->Apply(threads_arg);

}  // namespace

BENCHMARK_MAIN();
