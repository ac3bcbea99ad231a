// A solve target's statistic from passes over one variable's chunks: the chunks of a kept column, or
// chunks sampled again (simulate/passes.hpp). A mean folds each chunk's moments in chunk order, as
// summarize() does; a percentile and its interval are order statistics, selected exactly
// (OrderStatisticSelection) as exact_percentiles() and percentile_interval() select them; a share is
// a count. With several processes each passes over its share of the chunks, and the counts are summed
// and the moments gathered in chunk order, so every process measures the same bits.
#include "analysis/tuning/target_statistic.hpp"

#include <cmath>
#include <functional>
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
using stats_detail::chunk_size;
using Statistic = Target::Statistic;

/// Two-sided 95% standard normal quantile, for the interval on a mean.
constexpr double z95 = 1.959963984540054;

using VisitChunk = std::function<void(std::size_t chunk, std::span<const double> values)>;

/// The passes over one variable's chunks: all of them, or this process's share of a shared run.
struct VariablePasses {
  std::function<void(const VisitChunk&)> run;  // one pass: visit every chunk of the share, in parallel
  std::function<std::vector<double>()> first_chunk;  // the values of chunk 0, on every process
  std::uint64_t trials = 0;
  ChunkShare share;
  const Cluster* cluster = nullptr;  // set when the share is one of several processes'
};

/// The moments of the variable's finite values: count, extent, mean and its standard error; with
/// `first` (empty), its counts, in the same pass.
Summary moments(const VariablePasses& passes, stats_detail::ProvisionalHistogram* first = nullptr) {
  std::vector<stats_detail::ChunkMoments> chunks(chunk_count(passes.trials));
  std::optional<tbb::enumerable_thread_specific<stats_detail::ProvisionalHistogram>> counts;
  if (first != nullptr) counts.emplace(*first);
  passes.run([&](std::size_t c, std::span<const double> values) {
    chunks[c] = stats_detail::chunk_moments(values);
    if (counts) counts->local().add(values);
  });
  if (first != nullptr) {
    for (const stats_detail::ProvisionalHistogram& thread : *counts) first->merge(thread);
    detail::sum_over_processes(passes.cluster, {first->counts()});
  }
  if (shared(passes.cluster)) {
    chunks = gather_values<stats_detail::ChunkMoments>(
        *passes.cluster, std::span(chunks).subspan(passes.share.first, passes.share.last - passes.share.first));
  }
  return stats_detail::moments_summary(chunks);
}

/// The p-quantile (numpy's "linear") and its distribution-free 95% interval.
Estimate percentile(const VariablePasses& passes, double p) {
  using namespace stats_detail;
  constexpr double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  // The selection's first histogram is counted with the moments, over the first chunk's range.
  std::optional<ProvisionalHistogram> first = ProvisionalHistogram::from_sample(passes.first_chunk());
  const Summary summary = moments(passes, first ? &*first : nullptr);
  if (summary.count == 0) return {nan, {nan, nan}};
  const PercentilePosition position = percentile_position(summary.count, p);
  const RankInterval interval = quantile_interval_ranks(summary.count, p, 0.95);
  std::vector<std::uint64_t> ranks = {position.lower, position.upper};
  if (interval.low) ranks.push_back(*interval.low);
  if (interval.high) ranks.push_back(*interval.high);
  const Extent extent = summary_extent(summary);
  OrderStatisticSelection selection = first ? OrderStatisticSelection(passes.trials, extent, ranks, 1, *first)
                                            : OrderStatisticSelection(passes.trials, extent, ranks);
  while (!selection.done()) {
    selection.begin_pass();
    passes.run([&](std::size_t c, std::span<const double> values) { selection.visit(c, values); });
    selection.end_pass(passes.cluster);
  }
  const std::vector<double> x = std::move(selection).results();
  return {interpolate(x[0], x[1], position.fraction),
          {interval.low ? x[2] : -inf, interval.high ? x.back() : inf}};
}

/// The share of all trials whose value is finite and in [low, high], with its Wilson 95% interval.
Estimate share(const VariablePasses& passes, double low, double high) {
  std::vector<std::uint64_t> chunks(chunk_count(passes.trials));
  passes.run([&](std::size_t c, std::span<const double> values) {
    for (const double x : values) chunks[c] += std::isfinite(x) && x >= low && x <= high ? 1 : 0;
  });
  std::uint64_t inside = std::accumulate(chunks.begin(), chunks.end(), std::uint64_t{0});
  detail::sum_over_processes(passes.cluster, {detail::one(inside)});
  return {static_cast<double>(inside) / static_cast<double>(passes.trials), wilson_interval(inside, passes.trials)};
}

Estimate measure(const BoundTarget& bound, const Model& model, const VariablePasses& passes) {
  const Target& target = *bound.target;
  const Variable& variable = model.variables[bound.variable];
  double low = target.threshold, high = target.threshold;
  switch (target.statistic) {
    case Statistic::mean:
    case Statistic::percentile:
      if (!variable.stochastic) return {variable.constant_value, {variable.constant_value, variable.constant_value}};
      if (target.statistic == Statistic::percentile) return percentile(passes, target.percentile);
      {
        const Summary summary = moments(passes);
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
    const std::uint64_t inside = std::isfinite(c) && c >= low && c <= high ? passes.trials : 0;
    return {static_cast<double>(inside) / static_cast<double>(passes.trials), wilson_interval(inside, passes.trials)};
  }
  return share(passes, low, high);
}

/// The passes a statistic takes: a percentile's moments and, usually, one gathering pass; one
/// otherwise.
std::uint64_t expected_passes(const Target& target) { return target.statistic == Statistic::percentile ? 2 : 1; }

}  // namespace

Estimate measure_target(const BoundTarget& bound, const Model& model, const RunOptions& options, RunReport* report) {
  const std::size_t v = bound.variable;
  if (keeps_trials(model, options)) {
    const SimulationResult result = simulate(model, options);
    if (report != nullptr) *report = analyze(model, result, Charts::none);
    const std::span<const double> column = result.column(v);
    const VariablePasses passes{
        [&](const VisitChunk& visit) { stats_detail::for_each_chunk(column, visit); },
        [&] {
          const std::span<const double> first = column.first(std::min<std::size_t>(column.size(), chunk_size));
          return std::vector<double>(first.begin(), first.end());
        },
        result.trials, {0, chunk_count(result.trials)}, nullptr};
    return measure(bound, model, passes);
  }
  if (report != nullptr) *report = stream_run(model, options, Charts::none);
  detail::Passes chunks(model, options, expected_passes(*bound.target));
  const VariablePasses passes{[&](const VisitChunk& visit) {
                                chunks.run([&](std::size_t c, const SimulationResult& chunk) {
                                  visit(c, detail::values(chunk, v));
                                });
                              },
                              [&] {
                                detail::ChunkTrials first(model);
                                const SimulationResult& chunk = first.run(
                                    model, chunks.plan(), 0, std::min<std::uint64_t>(chunk_size, options.trials));
                                const std::span<const double> values = detail::values(chunk, v);
                                return std::vector<double>(values.begin(), values.end());
                              },
                              options.trials, chunks.share(), options.cluster};
  const Estimate estimate = measure(bound, model, passes);
  chunks.finish();
  return estimate;
}

}  // namespace guidance::tuning_detail
