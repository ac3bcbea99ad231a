// From stored trials to what a run reports: summaries, guidance probabilities (with chart data), actuals' ranks.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include "guidance/simulate.hpp"
#include "simd/cpu_features.hpp"
#include "simd/lanes.hpp"
#include "simd/prefetch.hpp"
#include "simulate/ranks.hpp"
#include "simulate/report_parts.hpp"

namespace guidance {

namespace detail {

Summary constant_summary(double value, std::uint64_t trials) {
  Summary summary;
  if (!std::isfinite(value)) {
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    summary.nonfinite = trials;
    summary.mean = summary.mean_se = summary.sd = summary.min = summary.max = nan;
    summary.percentiles.fill(nan);
    summary.percentile_ci.fill(Interval{nan, nan});
    return summary;
  }
  summary.count = trials;
  summary.mean = summary.min = summary.max = value;
  summary.percentiles.fill(value);
  summary.percentile_ci.fill(Interval{value, value});
  return summary;
}

}  // namespace detail

namespace {

using detail::GuidanceCounts;

/// Adds the lines' and the joint event's counts for trials [first, first + n) (n <= tile), four trials
/// at a time (detail::Lanes): per line, lane counters of the finite values below the range and inside
/// it (a mask is -1 where true, so subtracting it counts), and each group's inside mask ANDed into the
/// tile's for the joint event. The last partial group is padded with NaN, which is in no range.
constexpr std::size_t tile = 1024;
[[gnu::always_inline]] inline void count_tile_lanes(const Model& model, const SimulationResult& result,
                                                    std::span<const std::size_t> with_nonfinite, std::uint64_t first,
                                                    std::size_t n, GuidanceCounts& counts) {
  using detail::LaneMask;
  using detail::Lanes;
  constexpr double largest = std::numeric_limits<double>::max();
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const std::size_t groups = (n + 3) / 4;
  std::array<LaneMask, tile / 4> all_inside;
  std::array<LaneMask, tile / 4> any_nonfinite{};
  all_inside.fill(LaneMask{} - 1);
  const auto load = [&](const double* x, std::size_t i) __attribute__((always_inline)) {
    return detail::load_lanes(x + i, std::min<std::size_t>(4, n - i), nan);
  };
  for (std::size_t g = 0; g < model.guidance.size(); ++g) {
    const GuidanceRange& line = model.guidance[g];
    const std::span<const double> column = result.column(line.variable);
    LaneMask finite_count{}, below_count{}, inside_count{};
    const auto count = [&](std::size_t group, Lanes x) __attribute__((always_inline)) {
      const LaneMask finite = detail::lanes_abs(x) <= largest;
      const LaneMask not_below = x >= line.low, not_above = x <= line.high;  // both false for NaN
      const LaneMask inside = finite & not_below & not_above;
      finite_count -= finite;
      below_count -= finite & ~not_below;
      inside_count -= inside;
      all_inside[group] &= inside;
    };
    if (column.empty()) {  // a constant
      const double constant = model.variables[line.variable].constant_value;
      const std::array<double, 4> constants{constant, constant, constant, constant};
      for (std::size_t group = 0; group < groups; ++group)
        count(group, detail::load_lanes(constants.data(), std::min<std::size_t>(4, n - 4 * group), nan));
    } else {
      const double* x = column.data() + first;
      detail::for_each_prefetched_run(x, n, [&](std::size_t from, std::size_t length) __attribute__((always_inline)) {
        for (std::size_t i = from; i < from + length; i += 4) count(i / 4, load(x, i));
      });
    }
    std::uint64_t finite = 0, below = 0, inside = 0;
    for (std::size_t lane = 0; lane < 4; ++lane) {
      finite += static_cast<std::uint64_t>(finite_count[lane]);
      below += static_cast<std::uint64_t>(below_count[lane]);
      inside += static_cast<std::uint64_t>(inside_count[lane]);
    }
    counts.inside[g] += inside;
    counts.below[g] += below;
    counts.above[g] += finite - below - inside;
    counts.nonfinite[g] += n - finite;
  }
  for (const std::size_t v : with_nonfinite) {
    const double* x = result.column(v).data() + first;
    for (std::size_t group = 0; group < groups; ++group)
      any_nonfinite[group] |= !(detail::lanes_abs(load(x, 4 * group)) <= largest);
  }
  if (n % 4 != 0) {  // not the padding (all_inside has no line's mask when there is no line)
    const LaneMask trial = LaneMask{0, 1, 2, 3} < static_cast<std::int64_t>(n % 4);
    all_inside[groups - 1] &= trial;
    any_nonfinite[groups - 1] &= trial;
  }
  LaneMask joint_inside{}, nonfinite_trials{};
  for (std::size_t group = 0; group < groups; ++group) {
    joint_inside -= all_inside[group];
    nonfinite_trials -= any_nonfinite[group];
  }
  for (std::size_t lane = 0; lane < 4; ++lane) {
    counts.joint_inside += static_cast<std::uint64_t>(joint_inside[lane]);
    counts.nonfinite_trials += static_cast<std::uint64_t>(nonfinite_trials[lane]);
  }
}

// Two builds (cpu_features.hpp); integer counts, the same in any. (An AVX-512 build made bench_run's
// analyze_only about 8% slower, in two sets of six alternating runs; the cause was not examined.)
void count_tile(const Model& model, const SimulationResult& result, std::span<const std::size_t> with_nonfinite,
                std::uint64_t first, std::size_t n, GuidanceCounts& counts) {
  count_tile_lanes(model, result, with_nonfinite, first, n, counts);
}
GUIDANCE_TARGET_AVX2 void avx2_count_tile(const Model& model, const SimulationResult& result,
                                          std::span<const std::size_t> with_nonfinite, std::uint64_t first,
                                          std::size_t n, GuidanceCounts& counts) {
  count_tile_lanes(model, result, with_nonfinite, first, n, counts);
}

}  // namespace

namespace detail {

GuidanceCounts count_guidance(const Model& model, const SimulationResult& result,
                              std::span<const std::size_t> with_nonfinite) {
  const bool avx2 = detail::cpu_has_avx2();
  return tbb::parallel_reduce(
      tbb::blocked_range<std::uint64_t>(0, result.trials, 1 << 16), GuidanceCounts(model.guidance.size()),
      [&](const tbb::blocked_range<std::uint64_t>& range, GuidanceCounts counts) {
        for (std::uint64_t first = range.begin(); first < range.end(); first += tile) {
          const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(tile, range.end() - first));
          if (avx2) avx2_count_tile(model, result, with_nonfinite, first, n, counts);
          else count_tile(model, result, with_nonfinite, first, n, counts);
        }
        return counts;
      },
      [](GuidanceCounts left, const GuidanceCounts& right) {
        left.merge(right);
        return left;
      });
}

}  // namespace detail

namespace {

/// Each requested (non-zero) rank correlation with a discrete driver, in driver order, its achieved
/// value not yet known.
std::vector<AchievedCorrelation> discrete_pairs(const Model& model) {
  const auto discrete = [&](std::size_t d) { return std::holds_alternative<Discrete>(model.distributions[d].shape); };
  const std::vector<std::size_t>& drivers = model.copula.drivers;
  std::vector<AchievedCorrelation> out;
  for (std::size_t i = 0; i < drivers.size(); ++i)
    for (std::size_t j = i + 1; j < drivers.size(); ++j) {
      const double requested = model.copula.spearman(i, j);
      if (requested != 0.0 && (discrete(drivers[i]) || discrete(drivers[j])))
        out.push_back({drivers[i], drivers[j], requested, 0.0});
    }
  return out;
}

/// The rank correlation reached in the trials for each requested pair with a discrete driver.
std::vector<AchievedCorrelation> discrete_correlations(const Model& model, const SimulationResult& result) {
  std::vector<AchievedCorrelation> out = discrete_pairs(model);
  for (AchievedCorrelation& pair : out) pair.achieved = detail::rank_correlation(result.column(pair.a), result.column(pair.b));
  return out;
}

}  // namespace

namespace detail {

double constant_rank(const Model& model, std::size_t variable, double x) {
  const double constant = model.variables[variable].constant_value;
  if (!std::isfinite(constant) || std::isnan(x)) return std::numeric_limits<double>::quiet_NaN();
  return x < constant ? 0.0 : x > constant ? 1.0 : 0.5;
}

std::optional<HistogramBins> wanted_chart(const Model& model, const RunReport& report,
                                          const GuidanceProbability& probability, Charts charts) {
  const Variable& variable = model.variables[probability.variable];
  const bool wanted = charts == Charts::all || (charts == Charts::metrics && variable.kind == VariableKind::metric);
  const Summary& summary = report.variables[probability.variable];
  if (!wanted || !variable.stochastic || summary.count == 0 || !probability.histogram.counts.empty()) return {};
  const Interval bulk{summary.percentiles.front(), summary.percentiles.back()};  // P1, P99
  return chart_bins(bulk, probability.low, probability.high);
}

void set_chart(GuidanceProbability& probability, Histogram histogram) {
  probability.histogram = std::move(histogram);
  probability.cdf = cumulative_shares(probability.histogram);
}

RunReport assemble_report(const Model& model, std::uint64_t trials, const SamplingPlan& plan,
                          std::vector<Summary> variables, const GuidanceCounts& counts,
                          std::span<const double> actual_ranks) {
  RunReport report;
  report.trials = trials;
  report.seed = plan.seed;
  report.sampling = plan.method;
  report.variables = std::move(variables);

  for (std::size_t v = 0; v < model.variables.size(); ++v) {
    if (!model.variables[v].indicator) continue;
    // The finite values are 0 and 1, so their compensated mean times their count is the count of ones.
    const Summary& summary = report.variables[v];
    const std::uint64_t ones =
        summary.count == 0 ? 0 : static_cast<std::uint64_t>(std::llround(summary.mean * static_cast<double>(summary.count)));
    const double p = static_cast<double>(ones) / static_cast<double>(trials);
    // One that folds to a constant (`1 > 2`) is a probability too, known exactly: no interval to estimate.
    report.indicators.push_back({v, ones, p, model.variables[v].stochastic ? wilson_interval(ones, trials) : Interval{p, p}});
  }

  const auto share = [&](std::uint64_t count) { return static_cast<double>(count) / static_cast<double>(trials); };
  for (std::size_t g = 0; g < model.guidance.size(); ++g) {
    const GuidanceRange& line = model.guidance[g];
    GuidanceProbability& probability = report.guidance.emplace_back();
    probability.name = line.name;
    probability.variable = line.variable;
    probability.low = line.low;
    probability.high = line.high;
    probability.inside = counts.inside[g];
    probability.below = counts.below[g];
    probability.above = counts.above[g];
    probability.nonfinite = counts.nonfinite[g];
    probability.p_in = share(counts.inside[g]);
    probability.p_below = share(counts.below[g]);
    probability.p_above = share(counts.above[g]);
    probability.p_in_ci = wilson_interval(counts.inside[g], trials);
    probability.p_below_ci = wilson_interval(counts.below[g], trials);
    probability.p_above_ci = wilson_interval(counts.above[g], trials);
  }
  report.joint_inside = counts.joint_inside;
  report.joint_p_in = share(counts.joint_inside);
  report.joint_p_in_ci = wilson_interval(counts.joint_inside, trials);
  report.nonfinite_trials = counts.nonfinite_trials;
  // A constant that is not finite (a metric folded from 0 / 0) is so in every trial.
  for (const Variable& variable : model.variables)
    if (!variable.stochastic && !std::isfinite(variable.constant_value)) report.nonfinite_trials = trials;

  for (std::size_t a = 0; a < model.actuals.size(); ++a) {
    const Actual& actual = model.actuals[a];
    const Summary& summary = report.variables[static_cast<std::size_t>(model.find(actual.name))];
    const double sd_from_mean = summary.sd > 0.0 && std::isfinite(summary.sd)
                                    ? (actual.value - summary.mean) / summary.sd
                                    : std::numeric_limits<double>::quiet_NaN();
    report.actuals.push_back({actual.name, actual.value, actual_ranks[a], sd_from_mean});
  }
  return report;
}

}  // namespace detail

bool can_stream(const Model& model) { return discrete_pairs(model).empty(); }

double rank_among_trials(const Model& model, const SimulationResult& result, std::size_t variable, double x) {
  const std::span<const double> column = result.column(variable);
  return column.empty() ? detail::constant_rank(model, variable, x) : percentile_rank(column, x);
}

void add_charts(const Model& model, const SimulationResult& result, RunReport& report, Charts charts) {
  for (GuidanceProbability& probability : report.guidance)
    if (const std::optional<HistogramBins> bins = detail::wanted_chart(model, report, probability, charts))
      detail::set_chart(probability, histogram(result.column(probability.variable), *bins));
}

RunReport analyze(const Model& model, const SimulationResult& result, Charts charts) {
  std::vector<Summary> variables(model.variables.size());
  tbb::parallel_for(std::size_t{0}, model.variables.size(), [&](std::size_t v) {
    const Variable& variable = model.variables[v];
    variables[v] = variable.stochastic ? summarize(result.column(v), model.stochastic_count())
                                       : detail::constant_summary(variable.constant_value, result.trials);
  });
  // The stored variables with a non-finite value somewhere, the only columns a trial's non-finite
  // flag needs to read.
  std::vector<std::size_t> with_nonfinite;
  for (std::size_t v = 0; v < model.variables.size(); ++v)
    if (model.variables[v].stochastic && variables[v].nonfinite > 0) with_nonfinite.push_back(v);
  const GuidanceCounts counts = detail::count_guidance(model, result, with_nonfinite);
  std::vector<double> actual_ranks;
  for (const Actual& actual : model.actuals)
    actual_ranks.push_back(
        rank_among_trials(model, result, static_cast<std::size_t>(model.find(actual.name)), actual.value));

  RunReport report = detail::assemble_report(model, result.trials, result.plan, std::move(variables), counts, actual_ranks);
  add_charts(model, result, report, charts);
  report.discrete_correlations = discrete_correlations(model, result);
  return report;
}

}  // namespace guidance
