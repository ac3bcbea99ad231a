// A solve target's statistic from passes over one variable's chunks: the chunks of a kept column, or
// chunks sampled again (simulate/passes.hpp). A mean folds each chunk's moments in chunk order, as
// summarize() does; a percentile and its interval are order statistics, selected exactly
// (OrderStatisticSelection) as exact_percentiles() and percentile_interval() select them; a share is
// a count. With several processes each passes over its share of the chunks, and the counts are summed
// and the moments gathered in chunk order, so every process measures the same bits.
#include "analysis/tuning/target_statistic.hpp"

#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <span>
#include <vector>

#include <tbb/enumerable_thread_specific.h>

#include "simulate/passes.hpp"
#include "stats/order_statistics.hpp"
#include "stats/summary_parts.hpp"

namespace guidance::tuning_detail {

namespace {

using stats_detail::chunk_count;
using Statistic = Target::Statistic;

/// Two-sided 95% standard normal quantile, for the interval on a mean.
constexpr double z95 = 1.959963984540054;

using detail::ChunkColumns;
using detail::TrialPasses;

/// The moments of the variable's finite values: count, extent, mean and its standard error; with
/// `first` (empty), its counts, in the same pass.
Summary moments(const TrialPasses& passes, std::size_t variable, stats_detail::ProvisionalHistogram* first = nullptr) {
  std::vector<stats_detail::ChunkMoments> chunks(chunk_count(passes.trials()));
  std::optional<tbb::enumerable_thread_specific<stats_detail::ProvisionalHistogram>> counts;
  if (first != nullptr) counts.emplace(*first);
  passes.run([&](const ChunkColumns& chunk) {
    chunks[chunk.index] = stats_detail::chunk_moments(chunk(variable));
    if (counts) counts->local().add(chunk(variable), chunks[chunk.index].extent.nonfinite == 0);
  });
  if (first != nullptr) {
    for (const stats_detail::ProvisionalHistogram& thread : *counts) first->merge(thread);
    detail::sum_over_processes(passes.cluster(), {first->counts()});
  }
  if (shared(passes.cluster())) {
    const ChunkShare& mine = passes.share();
    chunks = gather_values<stats_detail::ChunkMoments>(*passes.cluster(),
                                                       std::span(chunks).subspan(mine.first, mine.last - mine.first));
  }
  return stats_detail::moments_summary(chunks);
}

/// The p-quantile (numpy's "linear") and its distribution-free 95% interval.
Estimate percentile(const TrialPasses& passes, std::size_t variable, double p) {
  using namespace stats_detail;
  constexpr double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  // The selection's first histogram is counted with the moments, over the first chunk's range.
  std::optional<ProvisionalHistogram> first = ProvisionalHistogram::from_sample(passes.first_chunk(variable));
  const Summary summary = moments(passes, variable, first ? &*first : nullptr);
  if (summary.count == 0) return {nan, {nan, nan}};
  const PercentilePosition position = percentile_position(summary.count, p);
  const RankInterval interval = quantile_interval_ranks(summary.count, p, 0.95);
  std::vector<std::uint64_t> ranks = {position.lower, position.upper};
  if (interval.low) ranks.push_back(*interval.low);
  if (interval.high) ranks.push_back(*interval.high);
  const Extent extent = summary_extent(summary);
  OrderStatisticSelection selection = first ? OrderStatisticSelection(passes.trials(), extent, ranks, 1, *first)
                                            : OrderStatisticSelection(passes.trials(), extent, ranks);
  while (!selection.done()) {
    selection.begin_pass();
    passes.run([&](const ChunkColumns& chunk) { selection.visit(chunk.index, chunk(variable)); });
    selection.end_pass(passes.cluster());
  }
  const std::vector<double> x = std::move(selection).results();
  return {interpolate(x[0], x[1], position.fraction),
          {interval.low ? x[2] : -inf, interval.high ? x.back() : inf}};
}

/// The share of all trials whose value is finite and in [low, high], with its Wilson 95% interval.
Estimate share(const TrialPasses& passes, std::size_t variable, double low, double high) {
  std::vector<std::uint64_t> chunks(chunk_count(passes.trials()));
  passes.run([&](const ChunkColumns& chunk) {
    for (const double x : chunk(variable)) chunks[chunk.index] += std::isfinite(x) && x >= low && x <= high ? 1 : 0;
  });
  std::uint64_t inside = std::accumulate(chunks.begin(), chunks.end(), std::uint64_t{0});
  detail::sum_over_processes(passes.cluster(), {detail::one(inside)});
  return {static_cast<double>(inside) / static_cast<double>(passes.trials()), wilson_interval(inside, passes.trials())};
}

Estimate measure(const BoundTarget& bound, const Model& model, const TrialPasses& passes) {
  const Target& target = *bound.target;
  const Variable& variable = model.variables[bound.variable];
  double low = target.threshold, high = target.threshold;
  switch (target.statistic) {
    case Statistic::mean:
    case Statistic::percentile:
      if (!variable.stochastic) return {variable.constant_value, {variable.constant_value, variable.constant_value}};
      if (target.statistic == Statistic::percentile) return percentile(passes, bound.variable, target.percentile);
      {
        const Summary summary = moments(passes, bound.variable);
        return {summary.mean, {summary.mean - z95 * summary.mean_se, summary.mean + z95 * summary.mean_se}};
      }
    case Statistic::at_least: high = std::numeric_limits<double>::infinity(); break;
    case Statistic::at_most: low = -std::numeric_limits<double>::infinity(); break;
    case Statistic::in_guidance:
      low = model.guidance[bound.line].low;
      high = model.guidance[bound.line].high;
      break;
  }
  // As for guidance lines: inclusive bounds, a non-finite value counts as outside.
  if (!variable.stochastic) {
    const double c = variable.constant_value;
    const std::uint64_t trials = passes.trials();
    const std::uint64_t inside = std::isfinite(c) && c >= low && c <= high ? trials : 0;
    return {static_cast<double>(inside) / static_cast<double>(trials), wilson_interval(inside, trials)};
  }
  return share(passes, bound.variable, low, high);
}

/// The passes a statistic takes: a percentile's moments and, usually, one gathering pass; one
/// otherwise.
std::uint64_t expected_passes(const Target& target) { return target.statistic == Statistic::percentile ? 2 : 1; }

}  // namespace

Estimate measure_target(const BoundTarget& bound, const Model& model, const RunOptions& options, RunReport* report) {
  if (keeps_trials(model, options)) {
    const SimulationResult result = simulate(model, options);
    if (report != nullptr) *report = analyze(model, result, Charts::none);
    return measure(bound, model, TrialPasses(result));
  }
  if (report != nullptr) *report = stream_run(model, options, Charts::none);
  detail::Passes chunks(model, options, expected_passes(*bound.target));
  const Estimate estimate = measure(bound, model, TrialPasses(chunks));
  chunks.finish();
  return estimate;
}

}  // namespace guidance::tuning_detail
