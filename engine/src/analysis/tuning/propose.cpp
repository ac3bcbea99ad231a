// `guidance propose`: the range to publish for a metric, and where the published ranges sit in the
// model's distribution (percentile ranks of their bounds), so that inconsistent ranges show.
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "guidance/tuning.hpp"
#include "formula/rounding.hpp"
#include "stats/order_statistics.hpp"

namespace guidance {

namespace {

/// The shortest interval [x(i), x(i + k - 1)] of the sorted finite values (the first, lowest, of equal
/// length): the highest-density interval of the sample.
Interval narrowest_window(std::span<const double> sorted, std::size_t k) {
  std::size_t best = 0;
  for (std::size_t i = 1; i + k <= sorted.size(); ++i)
    if (sorted[i + k - 1] - sorted[i] < sorted[best + k - 1] - sorted[best]) best = i;
  return {sorted[best], sorted[best + k - 1]};
}

/// Share of all trials with a finite value in [low, high].
double share_inside(std::span<const double> column, Interval range, std::uint64_t trials) {
  const auto inside = std::count_if(column.begin(), column.end(),
                                    [&](double x) { return std::isfinite(x) && x >= range.low && x <= range.high; });
  return static_cast<double>(inside) / static_cast<double>(trials);
}

/// The multiple of `step` nearest below (`down`) or above `x`, or x itself when it is one: the
/// nearest multiple on the decimal digits (round_to), moved one step out when it lies on the wrong side.
double round_outward(double x, double step, bool down) {
  const double nearest = formula::round_to(x, step);
  if (down ? nearest <= x : nearest >= x) return nearest;
  return formula::round_to(down ? nearest - step : nearest + step, step);
}

/// How many of the sorted values lie in [low, high].
std::size_t count_inside(std::span<const double> sorted, Interval range) {
  return static_cast<std::size_t>(std::upper_bound(sorted.begin(), sorted.end(), range.high) -
                                  std::lower_bound(sorted.begin(), sorted.end(), range.low));
}

/// The range to publish, holding at least k of the sorted finite values (docs/methods.md, "Proposed
/// ranges").
PublishedRange publish_range(std::span<const double> sorted, std::size_t k, Interval narrowest,
                             const PublishOptions& options) {
  PublishedRange published;
  published.step = options.step;
  published.center = options.center;
  if (!options.center) {
    published.range = narrowest;
    if (options.step)
      published.range = {round_outward(narrowest.low, *options.step, true), round_outward(narrowest.high, *options.step, false)};
    return published;
  }
  const double center = *options.center;
  std::vector<double> distances(sorted.size());
  std::transform(sorted.begin(), sorted.end(), distances.begin(), [&](double x) { return std::fabs(x - center); });
  std::nth_element(distances.begin(), distances.begin() + static_cast<std::ptrdiff_t>(k - 1), distances.end());
  double half_width = distances[k - 1];
  if (options.step) {
    half_width = round_outward(half_width, *options.step, false);
    // The distances are rounded differences (1.05 - 1.03 is a little above 0.02): the multiple below
    // may hold the values already.
    const double below = formula::round_to(half_width - *options.step, *options.step);
    if (below > 0 && count_inside(sorted, {center - below, center + below}) >= k) half_width = below;
  }
  published.half_width = half_width;
  published.range = {center - half_width, center + half_width};
  // X - h and X + h are rounded, and may leave out a value whose distance is exactly h.
  while (count_inside(sorted, published.range) < k) {
    published.range.low = std::nextafter(published.range.low, -std::numeric_limits<double>::infinity());
    published.range.high = std::nextafter(published.range.high, std::numeric_limits<double>::infinity());
  }
  return published;
}

}  // namespace

MemoryNeed propose_memory(const Model& model) {
  const MemoryNeed sorted{sizeof(double), 0.0}, distances{sizeof(double), 0.0};
  const MemoryNeed after = trials_memory(model) + sorted +
                           either(stats_detail::order_statistics_memory(4), distances);
  return either(run_memory(model), after);
}

Proposal propose(const Model& model, const SimulationResult& result, const RunReport& report, std::size_t variable,
                 double confidence, const PublishOptions& publish) {
  if (!(confidence > 0.0 && confidence < 1.0)) {
    throw InputError({}, fmt::format("the confidence must be between 0 and 1 (exclusive), found {:g}", confidence),
                     "write a fraction such as 0.8, or a percent such as 80%");
  }

  Proposal proposal;
  proposal.metric = model.variables[variable].name;
  proposal.confidence = confidence;
  const std::span<const double> column = result.column(variable);
  const double constant = model.variables[variable].constant_value;
  if (column.empty() && std::isfinite(constant)) {
    proposal.narrowest = proposal.central = {constant, constant};
    proposal.narrowest_p_in = proposal.central_p_in = 1.0;
    proposal.narrowest_ranks = proposal.central_ranks = {0.5, 0.5};
    if (publish.step || publish.center) {
      const double values[] = {constant};
      proposal.publish = publish_range(values, 1, proposal.narrowest, publish);
      const Interval range = proposal.publish->range;
      proposal.publish->p_in = range.low <= constant && constant <= range.high ? 1.0 : 0.0;
    }
  } else {  // a stored column, or a constant that is finite in no trial (an error below)
    std::vector<double> sorted;
    sorted.reserve(column.size());
    std::copy_if(column.begin(), column.end(), std::back_inserter(sorted), [](double x) { return std::isfinite(x); });
    std::sort(sorted.begin(), sorted.end());
    // k = ceil(confidence * trials), the least count whose share of all trials reaches the
    // confidence, found by the same division that gives P(in) (a product could round either way).
    const auto trials = static_cast<double>(result.trials);
    auto k = static_cast<std::size_t>(std::ceil(confidence * trials));
    while (k > 1 && static_cast<double>(k - 1) / trials >= confidence) --k;
    while (static_cast<double>(k) / trials < confidence) ++k;
    if (k > sorted.size()) {
      throw InputError({}, fmt::format("`{}` is a finite number in only {} of {} trials, fewer than the {:g}% asked for",
                                       proposal.metric, sorted.size(), result.trials, confidence * 100),
                       fmt::format("{}find why the metric is not finite (a division by zero?)",
                                   sorted.empty() ? "" : "lower the confidence, or "));
    }
    proposal.narrowest = narrowest_window(sorted, k);
    // Equal tails of the finite values around a share confidence / finite of them, so that the range
    // holds the confidence of all trials, as the narrowest does (the two differ when some trials are
    // not finite).
    const double of_finite = std::min(1.0, confidence * trials / static_cast<double>(sorted.size()));
    const double tails[] = {(1 - of_finite) / 2, (1 + of_finite) / 2};
    const std::vector<double> central = exact_percentiles(column, tails);
    proposal.central = {central[0], central[1]};
    proposal.narrowest_p_in = share_inside(column, proposal.narrowest, result.trials);
    proposal.central_p_in = share_inside(column, proposal.central, result.trials);
    proposal.narrowest_ranks = {percentile_rank(column, proposal.narrowest.low), percentile_rank(column, proposal.narrowest.high)};
    proposal.central_ranks = {percentile_rank(column, proposal.central.low), percentile_rank(column, proposal.central.high)};
    if (publish.step || publish.center) {
      proposal.publish = publish_range(sorted, k, proposal.narrowest, publish);
      proposal.publish->p_in = share_inside(column, proposal.publish->range, result.trials);
    }
  }
  if (proposal.publish) {
    const Interval range = proposal.publish->range;
    proposal.publish->ranks = {rank_among_trials(model, result, variable, range.low),
                               rank_among_trials(model, result, variable, range.high)};
  }

  for (std::size_t g = 0; g < model.guidance.size(); ++g) {
    const GuidanceRange& line = model.guidance[g];
    LineRank& ranked = proposal.lines.emplace_back();
    ranked.name = line.name;
    ranked.guidance = g;
    ranked.low = line.low;
    ranked.high = line.high;
    ranked.low_rank = rank_among_trials(model, result, line.variable, line.low);
    ranked.high_rank = rank_among_trials(model, result, line.variable, line.high);
    ranked.p_in = report.guidance[g].p_in;
    ranked.p_in_ci = report.guidance[g].p_in_ci;
    ranked.percent = line.percent;
    if (line.variable == variable && !proposal.guidance) proposal.guidance = ranked;
  }
  return proposal;
}

ProposalRun run_proposal(const Model& model, const RunOptions& options, std::size_t metric, double confidence,
                         const PublishOptions& publish, Charts charts) {
  check_memory("propose", propose_memory(model), options.trials);
  ProposalRun run{simulate(model, options), {}, {}};
  run.report = analyze(model, run.result, charts);
  run.proposal = propose(model, run.result, run.report, metric, confidence, publish);
  return run;
}

}  // namespace guidance
