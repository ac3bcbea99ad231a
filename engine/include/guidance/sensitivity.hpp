// Sensitivity analysis: which driver moves a metric, and by how much (docs/methods.md, "Sensitivity
// analysis", gives each method's estimator, cost and references).
//
//   Model model = build_model(load_scenario("scenarios/juniper_q4_2012.yaml"));
//   SensitivityOptions options;
//   options.metric = static_cast<std::size_t>(model.find("eps"));
//   options.methods = {SensitivityMethod::tornado, SensitivityMethod::shapley};
//   SensitivityReport report = sensitivity(model, options);
//
// The inputs (the methods' players) are drivers: a scalar driver, or all the stochastic elements of a
// dimensioned one as one group (`revenue`), moved, sampled and swapped together; with
// SensitivityOptions::by_element every element is an input of its own (`revenue[Q3]`). Constants and
// given elements are not inputs. Every design is deterministic:
// its random numbers are addressed by (seed, driver, trial) and its sums are merged in trial order, so
// results are bit-identical on any number of threads. Outputs that are not finite are counted per
// design (`nonfinite`) and left out of that design's statistics, never hidden. Their tables, CSV and
// JSON are in report.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "guidance/model.hpp"
#include "guidance/simulate.hpp"
#include "guidance/stats.hpp"

namespace guidance {

enum class SensitivityMethod { tornado, spider, correlation, sobol, shapley, regional };

/// Every method, in the order reports show them.
inline constexpr SensitivityMethod all_sensitivity_methods[] = {
    SensitivityMethod::tornado, SensitivityMethod::spider,  SensitivityMethod::correlation,
    SensitivityMethod::sobol,   SensitivityMethod::shapley, SensitivityMethod::regional};

/// "tornado", "spider", "correlation", "sobol", "shapley", "regional".
constexpr std::string_view method_name(SensitivityMethod method) {
  switch (method) {
    case SensitivityMethod::tornado: return "tornado";
    case SensitivityMethod::spider: return "spider";
    case SensitivityMethod::correlation: return "correlation";
    case SensitivityMethod::sobol: return "sobol";
    case SensitivityMethod::shapley: return "shapley";
    case SensitivityMethod::regional: return "regional";
  }
  return "";
}

/// The method called `name`, or nullopt.
constexpr std::optional<SensitivityMethod> method_from_name(std::string_view name) {
  for (const SensitivityMethod method : all_sensitivity_methods)
    if (method_name(method) == name) return method;
  return std::nullopt;
}

/// The fewest trials from which a method estimates anything (docs/methods.md, "Sensitivity analysis",
/// gives the reasons): tornado and spider none (they sample nothing); regional 1; correlation 3 (with
/// two every rank correlation is +1 or -1); sobol and shapley 6 (their bootstrap needs that many trials
/// for a 95% interval, analysis::min_bootstrap_batches).
std::uint64_t minimum_trials(SensitivityMethod method);

/// A sensitivity input: the stochastic elements of one driver, as one group (docs/methods.md,
/// "Sensitivity analysis", defines each method's statistic of a group).
struct SensitivityInput {
  std::string name;                    // "revenue" (a driver), "revenue[Q3]" (an element, by_element)
  std::vector<std::size_t> variables;  // its stochastic driver variables, ascending; never empty
};

/// The inputs of `model` in driver order: one per driver with a stochastic element, or with
/// `by_element` one per stochastic element.
std::vector<SensitivityInput> sensitivity_inputs(const Model& model, bool by_element = false);

struct SensitivityOptions {
  std::size_t metric = 0;  // the variable analysed (a metric or a stochastic driver)
  bool by_element = false;  // every element of a dimensioned driver its own input
  std::vector<SensitivityMethod> methods = {SensitivityMethod::tornado, SensitivityMethod::correlation};
  /// The run: its trials are the Monte Carlo trials (correlation, regional) and the base trials N of
  /// the sobol and shapley designs; its sampling is how the correlation and regional trials are drawn
  /// (the sobol and shapley designs are always Monte Carlo: their bootstrap intervals need independent
  /// trials); its progress hears the work done, in trials, counted across the sampling stages one
  /// after the other (the Monte Carlo run of correlation and regional, then sobol's base trials, then
  /// shapley's): sensitivity_stages(model, options) x trials in all.
  RunOptions run;
  /// Probabilities of the tornado's low and high ends and of the spider's range: 0 < low < high < 1.
  double range_low = 0.10;
  double range_high = 0.90;
  std::size_t spider_points = 9;  // evenly spaced from range_low to range_high, >= 2
  /// Sobol indices with correlated drivers: compute them as if the drivers were independent.
  bool ignore_correlations = false;
  /// Leave out the requested methods that do not apply (sobol with correlated drivers, shapley with
  /// too few permutations, fewer trials than minimum_trials) and list them in SensitivityReport::skipped,
  /// instead of refusing the whole request: what asking for every method means.
  bool skip_inapplicable = false;
  std::size_t bootstrap_resamples = 1000;  // for the sobol and shapley 95% intervals
  /// Shapley's design: unset, exact subsets for at most max_exact_shapley_inputs inputs and
  /// default_shapley_permutations random permutations above; set, that many random permutations
  /// (at least min_bootstrap_permutations) whatever the inputs.
  std::optional<std::size_t> shapley_permutations;
};

/// How many sampling stages of `trials` each the requested methods that apply to `model` run (0 to 3;
/// tornado and spider take a handful of evaluations and count for nothing).
std::uint64_t sensitivity_stages(const Model& model, const SensitivityOptions& options);

/// Cost and non-finite outputs of one method's design.
struct DesignCount {
  std::uint64_t evaluations = 0;  // metric evaluations (trials through the formulas)
  std::uint64_t nonfinite = 0;    // tornado, spider: points; correlation, regional: trials;
                                  // sobol, shapley: base trials whose row had a non-finite output
};

/// One input at the low and high ends of its range (every element of a group at its own quantile of
/// that probability), every other driver at its median.
struct TornadoBar {
  std::size_t input = 0;                       // index into the inputs
  std::vector<double> low_input, high_input;   // per element of the input, in its variables' order
  double output_low = 0.0, output_high = 0.0;  // the metric with the driver at each end
  double swing = 0.0;                          // |output_high - output_low|; NaN if either is not finite
};

struct Tornado {
  double base = 0.0;             // the metric with every driver at its median
  std::vector<TornadoBar> bars;  // by swing, largest first (non-finite swings last)
  DesignCount design;
};

/// One-at-a-time: an input at range_low + k (range_high - range_low) / (points - 1), others at median.
struct SpiderPoint {
  double probability = 0.0;   // the input's percentile / 100
  std::vector<double> input;  // per element of the input
  double output = 0.0;
};

struct SpiderLine {
  std::size_t input = 0;  // index into the inputs
  std::vector<SpiderPoint> points;
};

struct Spider {
  std::vector<SpiderLine> lines;  // input order
  DesignCount design;
};

/// From the Monte Carlo trials: Spearman rank correlation with the metric (average ranks for ties) and
/// its share of the sum of squared rank correlations. For a group, the multiple correlation of the
/// metric's ranks on its elements' ranks, signed as the sum of their regression coefficients.
struct RankCorrelation {
  std::size_t input = 0;      // index into the inputs
  double spearman = 0.0;      // in [-1, 1]; 0 when the metric or the input does not vary
  double contribution = 0.0;  // spearman^2 / sum of spearman^2, in [0, 1]
};

struct RankCorrelations {
  std::vector<RankCorrelation> inputs;  // input order
  DesignCount design;
};

/// First-order and total Sobol indices (of a group, for a group) with bootstrap 95% percentile intervals.
struct SobolIndex {
  std::size_t input = 0;  // index into the inputs
  double first = 0.0;
  Interval first_ci;
  double total = 0.0;
  Interval total_ci;
};

struct SobolIndices {
  std::vector<SobolIndex> inputs;   // input order
  double variance = 0.0;            // the metric's variance estimated from the A and B trials
  bool correlations_ignored = false;
  DesignCount design;
};

/// Shapley effects: each input's share of the metric's variance, summing to 1.
struct ShapleyEffect {
  std::size_t input = 0;  // index into the inputs
  double effect = 0.0;
  Interval ci;  // bootstrap 95% percentile interval
};

struct ShapleyEffects {
  std::vector<ShapleyEffect> inputs;  // input order
  double variance = 0.0;
  std::size_t permutations = 0;       // 0: the exact-subset design; else the random permutations drawn
  DesignCount design;
};

/// Among trials on one side of a guidance line, how far each input's median moved from its own
/// median, in units of its standard deviation (for a group, the mean of its elements' shifts).
struct RegionalShift {
  std::size_t input = 0;  // index into the inputs
  double shift_sd = 0.0;  // (median among these trials - the distribution's median) / its sd
};

enum class MissSide { below, above };

struct RegionalMiss {
  std::size_t guidance = 0;  // index into model.guidance
  MissSide side = MissSide::below;
  std::uint64_t trials = 0;            // trials on this side
  double probability = 0.0;            // trials / all trials
  std::vector<RegionalShift> inputs;   // by |shift_sd|, largest first; empty when trials == 0
};

struct Regional {
  std::vector<RegionalMiss> misses;  // per guidance line on the metric (finite sides only): below, above
  DesignCount design;
};

/// A requested method left out under SensitivityOptions::skip_inapplicable, and why: the message of the
/// refusal it would have been if asked for by name.
struct SkippedMethod {
  SensitivityMethod method = SensitivityMethod::tornado;
  std::string reason;  // "sobol indices assume independent drivers, but a and b are correlated"
  std::string hint;    // what to do instead
};

struct SensitivityReport {
  std::size_t metric = 0;
  std::uint64_t trials = 0;
  std::uint64_t seed = 0;
  Sampling sampling = Sampling::monte_carlo;  // of the correlation and regional trials
  double range_low = 0.0, range_high = 0.0;
  std::vector<SensitivityInput> inputs;  // sensitivity_inputs(model, by_element)
  std::vector<std::size_t> correlated;   // inputs with an element in the copula (the one-at-a-time views
                                         // ignore the copula), indices into `inputs`
  std::optional<Tornado> tornado;
  std::optional<Spider> spider;
  std::optional<RankCorrelations> correlation;
  std::optional<SobolIndices> sobol;
  std::optional<ShapleyEffects> shapley;
  std::optional<Regional> regional;
  std::vector<SkippedMethod> skipped;  // in method order; only with skip_inapplicable
};

/// Run the requested methods (each once, whatever the order or repetition in `options.methods`).
/// correlation and regional share one simulation of `trials` trials (the same trials as `run` with
/// Monte Carlo sampling and the same seed).
/// The memory `method` holds at its peak for `model` (per base trial for sobol and shapley), on the
/// threads the caller allows: what sensitivity() checks before any work.
MemoryNeed sensitivity_memory(const Model& model, SensitivityMethod method, const SensitivityOptions& options);

/// Throws InputError when the metric is a constant (no driver moves it), and, unless
/// `skip_inapplicable`, for sobol with correlated drivers unless `ignore_correlations`, for shapley
/// with fewer permutations than min_bootstrap_permutations, and for fewer trials than a requested method's minimum_trials, or when
/// a method that applies would need more memory than is available (check_memory of
/// sensitivity_memory). Throws std::invalid_argument for options out of range.
SensitivityReport sensitivity(const Model& model, const SensitivityOptions& options);

// ---- the methods one by one (what sensitivity() calls) -----------------------------------------
// Each takes the inputs (sensitivity_inputs()) and reports them by their index in that list.

/// 1 + 2 D evaluations for D inputs.
Tornado tornado(const Model& model, std::span<const SensitivityInput> inputs, std::size_t metric, double range_low,
                double range_high);

/// 1 + D x points evaluations (the base is evaluated with them).
Spider spider(const Model& model, std::span<const SensitivityInput> inputs, std::size_t metric, double range_low,
              double range_high, std::size_t points);

/// From a simulation of the model (any sampling): one sort per driver element and one for the metric.
/// Trials where the metric is not finite are left out (and counted).
RankCorrelations rank_correlations(const Model& model, std::span<const SensitivityInput> inputs,
                                   const SimulationResult& result, std::size_t metric);

/// Saltelli (2010) first-order and Jansen (1999) total indices from the pick-freeze design: matrices A
/// (salt 0, the trials of `run`) and B (salt 1) of `base_trials` rows each, and A with input i's
/// columns from B for each input: base_trials x (D + 2) evaluations.
/// `progress` hears the base trials done (RunOptions::progress's rules). Throws InputError for fewer
/// base trials than minimum_trials; the intervals are [NaN, NaN] when the trials with a finite output
/// fall in fewer of the bootstrap's batches than that, too few to resample.
SobolIndices sobol_indices(const Model& model, std::span<const SensitivityInput> inputs, std::size_t metric,
                           std::uint64_t base_trials, std::uint64_t seed, bool ignore_correlations = false,
                           std::size_t resamples = 1000, const std::function<bool(std::uint64_t)>& progress = nullptr);

/// Up to this many inputs Shapley's automatic design is the exact-subset one (2^D evaluations per base
/// trial); above it, random permutations.
inline constexpr std::size_t max_exact_shapley_inputs = 12;
/// Random permutations of the automatic design above max_exact_shapley_inputs inputs.
inline constexpr std::size_t default_shapley_permutations = 1000;
/// The fewest permutations: their bootstrap resamples whole permutations (min_bootstrap_batches).
inline constexpr std::size_t min_bootstrap_permutations = 6;

/// Shapley effects of the inputs (Song, Nelson & Staum 2016) with conditional sampling under the
/// Gaussian copula (given its reported values when it has them). Without `permutations` and with at most max_exact_shapley_inputs inputs, the
/// exact-subset estimator: base_trials x 2^D evaluations. Otherwise their random-permutation estimator
/// with m = min(permutations or default_shapley_permutations, base_trials) permutations of
/// ceil(base_trials / m) base trials each: base_trials x (D + 1) evaluations. Its base trials use
/// salts 2 and 3, not the trials of `run`. `progress`, errors and intervals as for sobol_indices.
ShapleyEffects shapley_effects(const Model& model, std::span<const SensitivityInput> inputs, std::size_t metric,
                               std::uint64_t base_trials, std::uint64_t seed, std::size_t resamples = 1000,
                               std::optional<std::size_t> permutations = std::nullopt,
                               const std::function<bool(std::uint64_t)>& progress = nullptr);

/// For each guidance line on the metric, from a simulation of the model.
Regional regional(const Model& model, std::span<const SensitivityInput> inputs, const SimulationResult& result,
                  std::size_t metric);

}  // namespace guidance
