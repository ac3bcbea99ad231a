// Guidance analytics: compare variants, sweep a driver's parameter, solve for the value that hits a
// target, propose the range to publish. Built on simulate; their tables and JSON are in report.hpp.
//
// Every run inside one analysis uses the same trials, seed and sampling, and a uniform is a pure
// function of (seed, driver, trial): trial i draws the same numbers in every variant, sweep point and
// solve iterate (common random numbers), so a difference between them is the drivers', not noise.
//
//   std::vector<VariantReport> variants =
//       compare_variants(load_variants("scenarios/juniper_q4_2012.yaml", {}), {.trials = 20'000});
//   TuningSource source = open_scenario("scenarios/juniper_q4_2012.yaml");
//   Variation p90{.driver = "revenue", .parameter = "p90", .values = {{"1120", 1120}, {"1130", 1130}}};
//   Sweep sweep = run_sweep(source, {p90}, {.trials = 20'000});
//   Solution s = solve(source, parse_target("P(eps >= 0.22) = 50%", "target"),
//                      Variation{.driver = "revenue", .parameter = "p90"}, {.trials = 20'000}, {});
//
// The analyses take typed values; reading them from text is the caller's (the CLI's cli/args/). The
// one language parsed here is the target's, shared by every caller. An error about a value the caller
// read from text points at the SourceLocation the caller gave with it, so it shows under the argument.
#pragma once

#include <cstddef>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "guidance/load.hpp"
#include "guidance/model.hpp"
#include "guidance/simulate.hpp"

namespace guidance {

// ---- the scenario, read once ---------------------------------------------------------------------

/// A scenario loaded and compiled once; each sweep point or solve iterate starts from it.
struct TuningSource {
  Scenario scenario;  // with the variant and the overrides applied, and any repair of the correlations asked for
  Model model;        // compiled: names, guidance lines, `simulation:` settings
};

/// Load `path` with `options` and compile it (`repair_correlations` as `simulation: {repair_correlations:
/// true}`). Throws InputError (load_scenario's and build_model's).
TuningSource open_scenario(const std::string& path, LoadOptions options = {}, bool repair_correlations = false);

// ---- compare -------------------------------------------------------------------------------------

struct VariantReport {
  std::string variant;
  Model model;
  RunReport report;
};

/// The variants called `names` (load_variants, load.hpp: an empty list is base and every variant, in
/// file order) from one read of `path`, with the correlations' repair asked for (`repair_correlations`)
/// in each. Throws InputError (load_variants').
std::vector<Scenario> open_variants(const std::string& path, const LoadOptions& options,
                                    std::span<const std::string> names, bool repair_correlations = false);

/// "base" and every variant under `scenarios:`, in file order.
std::vector<std::string> all_variants(const Scenario& scenario);

/// Run every variant (load_variants, load.hpp) with the same options (so the same trials). Every
/// variant is compiled before any is run; with options.cluster, they are shared out (run_reports). `charts` as analyze's. Throws InputError (build_model's, and
/// check_memory's for any variant's run: they run one at a time).
std::vector<VariantReport> compare_variants(std::span<const Scenario> variants, const RunOptions& options,
                                            Charts charts = Charts::all);

// ---- sweep ---------------------------------------------------------------------------------------

/// One value of a driver parameter: as written in the override, and as the loader reads it
/// ("30.5%" -> 0.305).
struct ParameterValue {
  std::string text;
  double value = 0.0;
  bool percent = false;  // written as a percent
};

/// A driver parameter and the values it takes (a sweep's; none for solve). A driver without a
/// parameter is a constant driver (or replaces a distribution with a constant).
struct Variation {
  std::string driver;                  // "revenue", "tax_rate"
  std::string parameter;               // "p90"; empty: the driver as a constant
  std::vector<ParameterValue> values;  // in order
  bool percent = false;                // the values are written as percents
  /// Where the caller wrote the parameter's name and its values (or the whole variation when there
  /// are none), for errors; empty when it was not text.
  SourceLocation name_where, values_where;

  /// "revenue.p90", or "tax_rate" for a constant.
  std::string name() const { return parameter.empty() ? driver : driver + "." + parameter; }
};

/// Most points one sweep may have (the product of the variations' sizes).
inline constexpr std::size_t max_sweep_points = 1000;

struct SweepPoint {
  std::vector<double> values;  // per variation, as loaded
  Model model;
  RunReport report;
};

struct Sweep {
  std::vector<Variation> vary;     // one or two
  std::vector<SweepPoint> points;  // every combination, the first variation outermost
};

/// Run the scenario at every point (with options.cluster, shared out: run_reports). Every point is
/// set up before any is run, so a typo in NAME.PARAM
/// is one error (with_parameters', at the variation's name_where) and a value the distribution refuses
/// is named ("at revenue.sd = -5: ...", at its values_where). Throws InputError for no or more than two
/// variations, the same parameter twice, a variation without values, more than max_sweep_points
/// points, or a run that would not fit in memory (check_memory; the points run one at a time).
Sweep run_sweep(const TuningSource& source, std::vector<Variation> vary, const RunOptions& options);

// ---- solve ---------------------------------------------------------------------------------------

/// A target: P(METRIC >= X) = p, P(METRIC <= X) = p, P(METRIC in guidance) = p, pNN(METRIC) = x or
/// mean(METRIC) = x. Probabilities are fractions; percents are allowed ("80%"). To maximize or
/// minimize, the same statistics without `= goal`.
struct Target {
  enum class Statistic { at_least, at_most, in_guidance, percentile, mean };
  enum class Aim { reach, maximize, minimize };
  Statistic statistic = Statistic::mean;
  Aim aim = Aim::reach;
  std::string metric;
  double threshold = 0.0;   // X, for at_least and at_most
  double percentile = 0.5;  // NN / 100, for percentile
  double goal = 0.0;        // p (in (0, 1)) or x; unused unless `aim` is reach
  bool threshold_percent = false, goal_percent = false;  // written as percents
  std::string text;         // as written
  SourceLocation metric_where;  // the metric's name in the text
};

/// Parse a target, or with `aim` maximize or minimize an objective (a statistic without `= goal`).
/// Throws InputError pointing into the text, which errors show as `source` (the caller's name for
/// where the text came from, such as its argument).
Target parse_target(const std::string& text, std::string source, Target::Aim aim = Target::Aim::reach);

/// The values solve searches between: low.value < high.value.
struct Bracket {
  ParameterValue low, high;
  bool percent = false;
  SourceLocation where;  // where the caller wrote it, for errors; empty when it was not text
};

struct SolveOptions {
  std::optional<Bracket> bracket;  // empty: search outwards from the parameter's current value
  int max_iterations = 60;         // bisection (or golden-section) steps at most
};

/// The values a driver parameter can take by its nature: a share (a driver written as a percent) from
/// 0 to 100%, a standard deviation or `lambda` above 0, a lognormal's mean, median or percentile above
/// 0. Solve never runs a value outside them. Infinite ends where there is no such bound.
struct NaturalRange {
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
  bool open_low = false;  // `low` itself is outside (sd > 0)
  std::string reason;     // "`tax_rate` is a share, from 0% to 100%"; empty when unbounded
  // false for a share: it bounds the search around the current value, but a bracket may reach past
  // it (a negative margin, a growth rate written as a percent), since the user chose those values.
  bool firm = true;
};

/// One run of the search: the parameter's value and the target statistic there.
struct SolveStep {
  double value = 0.0;
  double achieved = 0.0;
};

struct Solution {
  Target target;
  std::string vary;
  bool percent = false;           // the parameter is shown as a percent
  std::optional<double> current;  // the parameter's value in the scenario, when it has one
  double value = 0.0;             // the solution
  double achieved = 0.0;          // the target statistic at `value`
  Interval achieved_ci;           // its 95% interval
  Interval bracket;               // the target is crossed between these values
  Interval searched;              // the bracket the bisection started from
  NaturalRange natural;           // the parameter's natural range
  std::optional<Interval> asked;  // the bracket as given, when the natural range clipped it to `searched`
  int iterations = 0;             // bisection (or golden-section) steps
  bool step_limit = false;        // the bisection stopped at SolveOptions::max_iterations, not converged
  std::vector<SolveStep> steps;   // every run, in order (bracketing, bisection, the solution)
  Model model;                    // at the solution
  RunReport report;               // the run at the solution
};

/// Goal seek: find where the target statistic crosses its goal, by bracketing then bisection, to
/// Monte Carlo precision (the search stops when the statistic at the two ends of the bracket differs
/// by less than the half-width of its 95% interval). With `target.aim` maximize or minimize, the
/// value inside the bracket where the statistic is largest (smallest), by golden-section search to the
/// same precision. Never runs a value outside the parameter's NaturalRange: a bracket reaching
/// beyond it is clipped (Solution::asked). Throws InputError for an unknown metric (with "did you
/// mean"), `in guidance` on a metric without a guidance line, a variation with values, a bracket end
/// the distribution refuses, a bracket outside the natural range, a maximum or minimum without a
/// bracket, a run that would not fit in memory (check_memory; the search runs one value at a time), and
/// a goal not reached inside the bracket (or, without one, within 10 doublings of a step of 5% of the
/// current value on either side): that error names the closest value reached and where.
Solution solve(const TuningSource& source, const Target& target, const Variation& vary, const RunOptions& options,
               const SolveOptions& solve_options);

// ---- propose -------------------------------------------------------------------------------------

/// A guidance line as the model sees it: where its bounds fall among the trials.
struct LineRank {
  std::string name;
  std::size_t guidance = 0;                // its index in Model::guidance
  double low = 0.0, high = 0.0;            // +-inf for an open end
  double low_rank = 0.0, high_rank = 0.0;  // percentile_rank of each bound, in [0, 1]
  double p_in = 0.0;
  Interval p_in_ci;  // Wilson 95%
  bool percent = false;
};

/// What propose publishes besides its two ranges.
struct PublishOptions {
  std::optional<double> step;    // round the ends outward to multiples of this (> 0), on decimal digits
  std::optional<double> center;  // publish X ± h, with h the smallest half-width holding the confidence
};

/// The range as a company would publish it: the narrowest range with its ends rounded outward to the
/// step, or `center` ± `half_width` (h rounded up to the step). It holds at least the confidence.
struct PublishedRange {
  Interval range;                // the ends
  std::optional<double> center;  // X, when published as X ± h
  double half_width = 0.0;       // h; 0 without a center
  std::optional<double> step;    // the rounding step
  double p_in = 0.0;             // the share of all trials inside
  Interval ranks;                // percentile_rank of each end
};

struct Proposal {
  std::string metric;
  double confidence = 0.0;
  Interval narrowest;  // the shortest [x(i), x(i + k - 1)] holding k = ceil(confidence * trials) trials
  Interval central;    // percentiles (1 - confidence) / 2 and (1 + confidence) / 2
  double narrowest_p_in = 0.0, central_p_in = 0.0;  // the share of all trials inside each
  Interval narrowest_ranks, central_ranks;           // percentile_rank of each bound
  std::optional<LineRank> guidance;  // the metric's own guidance line, if it has one
  std::vector<LineRank> lines;       // every guidance line, in the scenario's order
  std::optional<PublishedRange> publish;  // with a step or a center
};

/// The peak of a proposal's run and analysis with its trials kept: run_memory(), or the trials with the
/// selections of its narrowest window, its central range and the distances from the center.
MemoryNeed propose_memory(const Model& model);
/// The same for a proposal over trials that are not kept (keeps_trials() false): the streamed run's
/// need, then the chunks and the selections, none of which grows with the trials but for a few bytes
/// per chunk.
MemoryNeed streamed_propose_memory(const Model& model);

/// The range to publish for the variable `metric` (an index into model.variables) at `confidence`,
/// from a simulated run, and with `publish` the range as a company would publish it
/// (Proposal::publish). Throws InputError for a confidence outside (0, 1), or a metric finite in fewer
/// than ceil(confidence * trials) trials.
Proposal propose(const Model& model, const SimulationResult& result, const RunReport& report, std::size_t metric,
                 double confidence, const PublishOptions& publish = {});

/// A proposal with the run it was made from.
struct ProposalRun {
  SimulationResult result;
  RunReport report;  // with `charts` as analyze's
  Proposal proposal;
};

/// Check the memory (propose_memory, or streamed_propose_memory when the run streams: keeps_trials),
/// simulate with `options`, analyse and propose: what `guidance propose` does. A streamed proposal
/// (ProposalRun::result empty) samples its trials again for the passes its ranges need, and is the
/// kept one bit for bit, on any number of processes (RunOptions::cluster). Throws InputError as
/// check_memory, simulate and propose do.
ProposalRun run_proposal(const Model& model, const RunOptions& options, std::size_t metric, double confidence,
                         const PublishOptions& publish = {}, Charts charts = Charts::none);

}  // namespace guidance
