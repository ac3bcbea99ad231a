// Precision stopping: rounds of trials, each extending the last, until the guidance probabilities
// (and any chosen percentiles) are known to the asked half-width.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "guidance/simulate.hpp"

namespace guidance {

namespace {

/// The largest half-width the goal bounds, and whose it is.
PrecisionStop largest_half_width(const Model& model, const RunReport& report, const PrecisionGoal& goal) {
  PrecisionStop largest;
  const auto consider = [&](double width, std::string what) {
    // NaN (a percentile of no finite value) can never reach the goal: it counts as infinite.
    if (std::isnan(width)) width = std::numeric_limits<double>::infinity();
    if (largest.largest_at.empty() || width > largest.largest) {
      largest.largest = width;
      largest.largest_at = std::move(what);
    }
  };
  for (const GuidanceProbability& line : report.guidance) {
    consider((line.p_in_ci.high - line.p_in_ci.low) / 2.0, "P(in) " + line.name);
    for (const std::size_t p : goal.percentiles) {
      const Summary& summary = report.variables[line.variable];
      if (!model.variables[line.variable].stochastic) continue;
      const double value = summary.percentiles[p];
      const Interval ci = summary.percentile_ci[p];
      consider(std::max(value - ci.low, ci.high - value) / std::abs(value),
               fmt::format("P{:g} {}", reported_percentiles[p], line.name));
    }
  }
  consider((report.joint_p_in_ci.high - report.joint_p_in_ci.low) / 2.0, "P(in) all at once");
  return largest;
}

}  // namespace

PreciseRun simulate_to_precision(const Model& model, const RunOptions& options, const PrecisionGoal& goal,
                                 Charts charts) {
  if (model.guidance.empty())
    throw InputError({}, "a run to a precision needs guidance lines, and the scenario has none",
                     "add a `guidance:` section, or run a fixed number of trials");
  if (!(goal.half_width > 0.0 && goal.half_width < 1.0))
    throw InputError({}, fmt::format("the precision must be a half-width between 0 and 1, found {:g}", goal.half_width),
                     "e.g. 0.005 for P(in) to within +-0.5 percentage points");

  const std::uint64_t max_trials = std::max<std::uint64_t>(goal.max_trials, 1);
  PreciseRun run;
  RunOptions first = options;
  first.trials = std::min(options.trials, max_trials);
  run.result = simulate(model, first);
  for (std::uint64_t rounds = 1;; ++rounds) {
    run.report = analyze(model, run.result, Charts::none);
    PrecisionStop stop = largest_half_width(model, run.report, goal);
    stop.half_width = goal.half_width;
    stop.max_trials = max_trials;
    stop.rounds = rounds;
    stop.reached = stop.largest < goal.half_width;
    const std::uint64_t trials = run.result.trials;
    if (stop.reached || trials >= max_trials) {
      add_charts(model, run.result, run.report, charts);
      run.report.precision = stop;
      return run;
    }
    // Half-widths shrink as 1 / sqrt(trials); 10% more than the estimate, as it is itself noisy.
    const double factor = std::clamp(1.1 * std::pow(stop.largest / goal.half_width, 2.0), 1.25, 16.0);
    const auto next = static_cast<std::uint64_t>(
        std::min(std::ceil(factor * static_cast<double>(trials)), static_cast<double>(max_trials)));
    const std::uint64_t offset = run.result.plan.method == Sampling::latin_hypercube ? 0 : trials;
    std::function<bool(std::uint64_t)> progress;
    if (options.progress) progress = [&](std::uint64_t done) { return options.progress(offset + done); };
    extend(model, run.result, next, progress);
  }
}

}  // namespace guidance
