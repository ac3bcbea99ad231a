// `guidance propose`: the range to publish for a metric, and where the published ranges sit in the
// model's distribution (percentile ranks of their bounds), so that inconsistent ranges show.
#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>

#include <fmt/format.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include "guidance/tuning.hpp"
#include "formula/rounding.hpp"
#include "simulate/passes.hpp"
#include "simulate/report_parts.hpp"
#include "stats/narrowest_window.hpp"
#include "stats/order_statistics.hpp"
#include "stats/summary_parts.hpp"

namespace guidance {

namespace {

using detail::ChunkColumns;
using detail::TrialPasses;
using stats_detail::RankCounts;

/// RankCounts of each (variable, x) in one pass, over every process.
std::vector<RankCounts> count_ranks(const TrialPasses& passes, std::span<const std::pair<std::size_t, double>> points) {
  tbb::enumerable_thread_specific<std::vector<RankCounts>> partial([&] { return std::vector<RankCounts>(points.size()); });
  passes.run([&](const ChunkColumns& chunk) {
    std::vector<RankCounts>& mine = partial.local();
    for (std::size_t i = 0; i < points.size(); ++i) mine[i].add(chunk(points[i].first), points[i].second);
  });
  std::vector<RankCounts> total(points.size());
  for (const std::vector<RankCounts>& thread : partial)
    for (std::size_t i = 0; i < total.size(); ++i) total[i].merge(thread[i]);
  std::vector<std::span<std::uint64_t>> counters;
  for (RankCounts& point : total)
    counters.insert(counters.end(), {detail::one(point.finite), detail::one(point.below), detail::one(point.equal)});
  detail::sum_over_processes(passes.cluster(), counters);
  return total;
}

/// How many of the counted values lie in [low, high], from the counts at its ends.
std::uint64_t inside(const RankCounts& low, const RankCounts& high) { return high.below + high.equal - low.below; }

/// The multiple of `step` nearest below (`down`) or above `x`, or x itself when it is one: the
/// nearest multiple on the decimal digits (round_to), moved one step out when it lies on the wrong side.
double round_outward(double x, double step, bool down) {
  const double nearest = formula::round_to(x, step);
  if (down ? nearest <= x : nearest >= x) return nearest;
  return formula::round_to(down ? nearest - step : nearest + step, step);
}

/// RankCounts of the metric's finite values at each point, in one pass.
using MetricCounts = std::function<std::vector<RankCounts>(std::span<const double> points)>;

/// The range to publish, holding at least k of the finite values (docs/methods.md, "Proposed ranges"),
/// and the counts at its ends. `kth_distance`: the k-th smallest |x - center|, with a center.
std::pair<PublishedRange, std::array<RankCounts, 2>> publish_range(Interval narrowest, double kth_distance,
                                                                  std::uint64_t k, const PublishOptions& options,
                                                                  const MetricCounts& count) {
  PublishedRange published;
  published.step = options.step;
  published.center = options.center;
  if (!options.center) {
    published.range = narrowest;
    if (options.step)
      published.range = {round_outward(narrowest.low, *options.step, true), round_outward(narrowest.high, *options.step, false)};
    const std::vector<RankCounts> ends = count(std::array{published.range.low, published.range.high});
    return {published, {ends[0], ends[1]}};
  }
  const double center = *options.center;
  double half_width = kth_distance;
  std::vector<double> points;
  std::optional<double> below;
  if (options.step) {
    half_width = round_outward(half_width, *options.step, false);
    // The distances are rounded differences (1.05 - 1.03 is a little above 0.02): the multiple below
    // may hold the values already.
    if (const double multiple = formula::round_to(half_width - *options.step, *options.step); multiple > 0) {
      below = multiple;
      points = {center - multiple, center + multiple};
    }
  }
  points.insert(points.end(), {center - half_width, center + half_width});
  std::vector<RankCounts> ends = count(points);
  if (below && inside(ends[0], ends[1]) >= k) {
    half_width = *below;
  } else if (below) {
    ends.erase(ends.begin(), ends.begin() + 2);
  }
  published.half_width = half_width;
  published.range = {center - half_width, center + half_width};
  // X - h and X + h are rounded, and may leave out a value whose distance is exactly h.
  while (inside(ends[0], ends[1]) < k) {
    published.range.low = std::nextafter(published.range.low, -std::numeric_limits<double>::infinity());
    published.range.high = std::nextafter(published.range.high, std::numeric_limits<double>::infinity());
    ends = count(std::array{published.range.low, published.range.high});
  }
  return {published, {ends[0], ends[1]}};
}

/// The narrowest and central ranges and the k-th smallest distance from the center, by passes over the
/// metric's values; the guidance lines' bounds are counted in the first of them.
struct Selected {
  Interval narrowest, central;
  double kth_distance = 0.0;
  std::vector<RankCounts> line_ends;  // per guidance line, at its low then at its high
};

Selected select(const RunReport& report, const TrialPasses& passes, std::size_t metric, std::uint64_t k,
                double confidence, std::optional<double> center,
                std::span<const std::pair<std::size_t, double>> line_points) {
  const stats_detail::Extent extent = stats_detail::summary_extent(report.variables[metric]);
  stats_detail::NarrowestWindowSelection narrowest(extent, k);
  // Equal tails of the finite values around a share confidence / finite of them, so that the range
  // holds the confidence of all trials, as the narrowest does (the two differ when some trials are
  // not finite): type-7 percentiles from two order statistics each, as exact_percentiles finds them.
  const double of_finite = std::min(1.0, confidence * static_cast<double>(report.trials) / static_cast<double>(extent.count));
  const std::array tails{(1 - of_finite) / 2, (1 + of_finite) / 2};
  std::vector<std::uint64_t> ranks;
  for (const double p : tails) {
    const stats_detail::PercentilePosition position = stats_detail::percentile_position(extent.count, p);
    ranks.insert(ranks.end(), {position.lower, position.upper});
  }
  stats_detail::OrderStatisticSelection central(report.trials, extent, ranks);
  std::optional<stats_detail::OrderStatisticSelection> distances;  // once their extent is known

  tbb::enumerable_thread_specific<std::vector<RankCounts>> line_counts(
      [&] { return std::vector<RankCounts>(line_points.size()); });
  tbb::enumerable_thread_specific<stats_detail::Extent> distance_extents;
  tbb::enumerable_thread_specific<std::vector<double>> distance_buffers;
  const auto distances_of = [&](std::span<const double> part) {
    std::vector<double>& buffer = distance_buffers.local();
    buffer.resize(part.size());
    std::ranges::transform(part, buffer.begin(), [&](double x) { return std::fabs(x - *center); });
    return std::span<const double>(buffer);
  };

  for (bool first = true;; first = false) {
    const bool narrowing = !narrowest.done(), centering = !central.done();
    const bool measuring = first && center, selecting = distances && !distances->done();
    if (!first && !narrowing && !centering && !selecting) break;
    if (narrowing) narrowest.begin_pass();
    if (centering) central.begin_pass();
    if (selecting) distances->begin_pass();
    passes.run([&](const ChunkColumns& chunk) {
      const std::span<const double> values = chunk(metric);
      if (narrowing) narrowest.visit(values);
      if (centering) central.visit(chunk.index, values);
      if (selecting) distances->visit(chunk.index, distances_of(values));
      if (measuring) {
        stats_detail::Extent& mine = distance_extents.local();
        for (const double d : distances_of(values)) {
          if (!std::isfinite(d)) continue;
          ++mine.count;
          mine.min = std::min(mine.min, d);
          mine.max = std::max(mine.max, d);
        }
      }
      if (first) {
        std::vector<RankCounts>& mine = line_counts.local();
        for (std::size_t i = 0; i < line_points.size(); ++i) mine[i].add(chunk(line_points[i].first), line_points[i].second);
      }
    });
    if (narrowing) narrowest.end_pass(passes.cluster());
    if (centering) central.end_pass(passes.cluster());
    if (selecting) distances->end_pass(passes.cluster());
    if (measuring) {
      // The distances are never -0, so their extremes do not depend on the order they are met in.
      stats_detail::Extent total;
      for (const stats_detail::Extent& thread : distance_extents) total.merge(thread);
      if (shared(passes.cluster())) {
        const std::vector<stats_detail::Extent> all = gather_values<stats_detail::Extent>(*passes.cluster(), std::span(&total, 1));
        total = {};
        for (const stats_detail::Extent& process : all) total.merge(process);
      }
      // A distance that overflows is infinite, and sorts after every finite one.
      if (k <= total.count) distances.emplace(report.trials, total, std::array{k - 1});
    }
  }

  Selected selected;
  const auto [low, high] = narrowest.result();
  selected.narrowest = {low, high};
  const std::vector<double> x = std::move(central).results();
  selected.central = {stats_detail::interpolate(x[0], x[1], stats_detail::percentile_position(extent.count, tails[0]).fraction),
                      stats_detail::interpolate(x[2], x[3], stats_detail::percentile_position(extent.count, tails[1]).fraction)};
  selected.kth_distance = distances ? std::move(*distances).results().front() : std::numeric_limits<double>::infinity();
  selected.line_ends.resize(line_points.size());
  for (const std::vector<RankCounts>& thread : line_counts)
    for (std::size_t i = 0; i < line_points.size(); ++i) selected.line_ends[i].merge(thread[i]);
  std::vector<std::span<std::uint64_t>> counters;
  for (RankCounts& end : selected.line_ends)
    counters.insert(counters.end(), {detail::one(end.finite), detail::one(end.below), detail::one(end.equal)});
  detail::sum_over_processes(passes.cluster(), counters);
  return selected;
}

/// k = ceil(confidence * trials), the least count whose share of all trials reaches the confidence,
/// found by the same division that gives P(in) (a product could round either way).
std::uint64_t least_count(double confidence, std::uint64_t trials) {
  const auto n = static_cast<double>(trials);
  auto k = static_cast<std::uint64_t>(std::ceil(confidence * n));
  while (k > 1 && static_cast<double>(k - 1) / n >= confidence) --k;
  while (static_cast<double>(k) / n < confidence) ++k;
  return k;
}

Proposal make_proposal(const Model& model, const RunReport& report, const TrialPasses& passes, std::size_t variable,
                       double confidence, const PublishOptions& publish) {
  if (!(confidence > 0.0 && confidence < 1.0)) {
    throw InputError({}, fmt::format("the confidence must be between 0 and 1 (exclusive), found {:g}", confidence),
                     "write a fraction such as 0.8, or a percent such as 80%");
  }
  Proposal proposal;
  proposal.metric = model.variables[variable].name;
  proposal.confidence = confidence;
  const double constant = model.variables[variable].constant_value;
  const bool stochastic = model.variables[variable].stochastic;
  std::vector<std::pair<std::size_t, double>> line_points;  // every guidance line's low and high
  for (const GuidanceRange& line : model.guidance)
    line_points.insert(line_points.end(), {{line.variable, line.low}, {line.variable, line.high}});
  std::vector<RankCounts> line_ends;
  MetricCounts count;
  std::uint64_t k = 1;
  double share_of = 1.0;  // the trials a count inside is a share of
  double kth_distance = 0.0;
  if (!stochastic && std::isfinite(constant)) {
    proposal.narrowest = proposal.central = {constant, constant};
    kth_distance = publish.center ? std::fabs(constant - *publish.center) : 0.0;
    line_ends = count_ranks(passes, line_points);
    count = [constant](std::span<const double> points) {
      std::vector<RankCounts> counts(points.size());
      for (std::size_t i = 0; i < points.size(); ++i) counts[i].add(std::span(&constant, 1), points[i]);
      return counts;
    };
  } else {  // a stored column, or a constant that is finite in no trial (an error below)
    const std::uint64_t finite = stochastic ? report.variables[variable].count : 0;
    k = least_count(confidence, report.trials);
    if (k > finite) {
      throw InputError({}, fmt::format("`{}` is a finite number in only {} of {} trials, fewer than the {:g}% asked for",
                                       proposal.metric, finite, report.trials, confidence * 100),
                       fmt::format("{}find why the metric is not finite (a division by zero?)",
                                   finite == 0 ? "" : "lower the confidence, or "));
    }
    Selected selected = select(report, passes, variable, k, confidence, publish.center, line_points);
    proposal.narrowest = selected.narrowest;
    proposal.central = selected.central;
    kth_distance = selected.kth_distance;
    line_ends = std::move(selected.line_ends);
    share_of = static_cast<double>(report.trials);
    count = [&passes, variable](std::span<const double> points) {
      std::vector<std::pair<std::size_t, double>> at;
      for (const double x : points) at.emplace_back(variable, x);
      return count_ranks(passes, at);
    };
  }
  // The two ranges' ends are counted in one pass, with the published range's first ends.
  const std::array ends{proposal.narrowest.low, proposal.narrowest.high, proposal.central.low, proposal.central.high};
  std::vector<RankCounts> counted;
  const MetricCounts with_ends = [&](std::span<const double> points) {
    if (!counted.empty()) return count(points);
    std::vector<double> all(ends.begin(), ends.end());
    all.insert(all.end(), points.begin(), points.end());
    counted = count(all);
    return std::vector<RankCounts>(counted.begin() + static_cast<std::ptrdiff_t>(ends.size()), counted.end());
  };
  if (publish.step || publish.center) {
    auto [published, at_ends] = publish_range(proposal.narrowest, kth_distance, k, publish, with_ends);
    published.p_in = static_cast<double>(inside(at_ends[0], at_ends[1])) / share_of;
    published.ranks = {at_ends[0].rank(published.range.low), at_ends[1].rank(published.range.high)};
    proposal.publish = published;
  } else {
    with_ends({});
  }
  proposal.narrowest_p_in = static_cast<double>(inside(counted[0], counted[1])) / share_of;
  proposal.central_p_in = static_cast<double>(inside(counted[2], counted[3])) / share_of;
  proposal.narrowest_ranks = {counted[0].rank(ends[0]), counted[1].rank(ends[1])};
  proposal.central_ranks = {counted[2].rank(ends[2]), counted[3].rank(ends[3])};

  for (std::size_t g = 0; g < model.guidance.size(); ++g) {
    const GuidanceRange& line = model.guidance[g];
    const auto rank = [&](const RankCounts& counts, double x) {
      return model.variables[line.variable].stochastic ? counts.rank(x) : detail::constant_rank(model, line.variable, x);
    };
    LineRank& ranked = proposal.lines.emplace_back();
    ranked.name = line.name;
    ranked.guidance = g;
    ranked.low = line.low;
    ranked.high = line.high;
    ranked.low_rank = rank(line_ends[2 * g], line.low);
    ranked.high_rank = rank(line_ends[2 * g + 1], line.high);
    ranked.p_in = report.guidance[g].p_in;
    ranked.p_in_ci = report.guidance[g].p_in_ci;
    ranked.percent = line.percent;
    if (line.variable == variable && !proposal.guidance) proposal.guidance = ranked;
  }
  return proposal;
}

/// What a proposal holds besides the run: the narrowest window's, the central range's and the
/// distances' selections, in the same passes.
MemoryNeed proposal_memory(bool kept) {
  const MemoryNeed selections = kept ? stats_detail::order_statistics_memory(4) + stats_detail::order_statistics_memory(1)
                                     : stats_detail::streamed_order_statistics_memory(4, 1) +
                                           stats_detail::streamed_order_statistics_memory(1, 1);
  return stats_detail::narrowest_window_memory(worker_threads()) + selections;
}

}  // namespace

MemoryNeed propose_memory(const Model& model) {
  return either(run_memory(model), trials_memory(model) + proposal_memory(true));
}

MemoryNeed streamed_propose_memory(const Model& model) {
  // The selections' passes follow the run's, and hold none of its workspace but the chunks: counted
  // whole, a bound.
  return streamed_run_memory(model) + proposal_memory(false);
}

Proposal propose(const Model& model, const SimulationResult& result, const RunReport& report, std::size_t variable,
                 double confidence, const PublishOptions& publish) {
  return make_proposal(model, report, TrialPasses(result), variable, confidence, publish);
}

ProposalRun run_proposal(const Model& model, const RunOptions& options, std::size_t metric, double confidence,
                         const PublishOptions& publish, Charts charts) {
  if (keeps_trials(model, options)) {
    check_memory("propose", propose_memory(model), options.trials);
    ProposalRun run{simulate(model, options), {}, {}};
    run.report = analyze(model, run.result, charts);
    run.proposal = propose(model, run.result, run.report, metric, confidence, publish);
    return run;
  }
  check_memory("propose", streamed_propose_memory(model), options.trials);
  ProposalRun run;
  run.report = stream_run(model, options, charts);
  detail::Passes passes(model, options, 4);
  run.proposal = make_proposal(model, run.report, TrialPasses(passes), metric, confidence, publish);
  passes.finish();
  return run;
}

}  // namespace guidance
