// Sensitivity analysis: which driver moves a metric, and by how much (docs/methods.md, "Sensitivity
// analysis", gives each method's estimator, cost and references).
//
//   Model model = build_model(load_scenario("scenarios/juniper_q4_2012.yaml"));
//   SensitivityOptions options;
//   options.metric = static_cast<std::size_t>(model.find("eps"));
//   options.methods = {SensitivityMethod::tornado, SensitivityMethod::shapley};
//   SensitivityReport report = sensitivity(model, options);
//
// Only stochastic drivers are sensitivity inputs (constants are not). Every design is deterministic:
// its random numbers are addressed by (seed, driver, trial) and its sums are merged in trial order, so
// results are bit-identical on any number of threads. Outputs that are not finite are counted per
// design (`nonfinite`) and left out of that design's statistics, never hidden.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

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

struct SensitivityOptions {
  std::size_t metric = 0;  // the variable analysed (a metric or a stochastic driver)
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
  /// too many drivers, fewer trials than minimum_trials) and list them in SensitivityReport::skipped,
  /// instead of refusing the whole request: what asking for every method means.
  bool skip_inapplicable = false;
  std::size_t bootstrap_resamples = 1000;  // for the sobol and shapley 95% intervals
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

/// One driver at the low and high ends of its range, every other driver at its median.
struct TornadoBar {
  std::size_t driver = 0;  // variable index
  double low_input = 0.0, high_input = 0.0;
  double output_low = 0.0, output_high = 0.0;  // the metric with the driver at each end
  double swing = 0.0;                          // |output_high - output_low|; NaN if either is not finite
};

struct Tornado {
  double base = 0.0;             // the metric with every driver at its median
  std::vector<TornadoBar> bars;  // by swing, largest first (non-finite swings last)
  DesignCount design;
};

/// One-at-a-time: driver at range_low + k (range_high - range_low) / (points - 1), others at median.
struct SpiderPoint {
  double probability = 0.0;  // the driver's percentile / 100
  double input = 0.0;
  double output = 0.0;
};

struct SpiderLine {
  std::size_t driver = 0;
  std::vector<SpiderPoint> points;
};

struct Spider {
  std::vector<SpiderLine> lines;  // driver order
  DesignCount design;
};

/// From the Monte Carlo trials: Spearman rank correlation with the metric (average ranks for ties) and
/// its share of the sum of squared rank correlations.
struct RankCorrelation {
  std::size_t driver = 0;
  double spearman = 0.0;      // in [-1, 1]; 0 when the metric or the driver does not vary
  double contribution = 0.0;  // spearman^2 / sum of spearman^2, in [0, 1]
};

struct RankCorrelations {
  std::vector<RankCorrelation> drivers;  // driver order
  DesignCount design;
};

/// First-order and total Sobol indices with bootstrap 95% percentile intervals.
struct SobolIndex {
  std::size_t driver = 0;
  double first = 0.0;
  Interval first_ci;
  double total = 0.0;
  Interval total_ci;
};

struct SobolIndices {
  std::vector<SobolIndex> drivers;  // driver order
  double variance = 0.0;            // the metric's variance estimated from the A and B trials
  bool correlations_ignored = false;
  DesignCount design;
};

/// Shapley effects: each driver's share of the metric's variance, summing to 1.
struct ShapleyEffect {
  std::size_t driver = 0;
  double effect = 0.0;
  Interval ci;  // bootstrap 95% percentile interval
};

struct ShapleyEffects {
  std::vector<ShapleyEffect> drivers;  // driver order
  double variance = 0.0;
  DesignCount design;
};

/// Among trials on one side of a guidance line, how far each driver's median moved from its own
/// median, in units of its standard deviation.
struct RegionalShift {
  std::size_t driver = 0;
  double shift_sd = 0.0;  // (median among these trials - the distribution's median) / its sd
};

enum class MissSide { below, above };

struct RegionalMiss {
  std::size_t guidance = 0;  // index into model.guidance
  MissSide side = MissSide::below;
  std::uint64_t trials = 0;            // trials on this side
  double probability = 0.0;            // trials / all trials
  std::vector<RegionalShift> drivers;  // by |shift_sd|, largest first; empty when trials == 0
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
  std::vector<std::size_t> inputs;      // the stochastic drivers, in driver order
  std::vector<std::size_t> correlated;  // drivers in the copula (the one-at-a-time views ignore it)
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
/// with more than `max_shapley_drivers` stochastic drivers, and for fewer trials than a requested
/// method's minimum_trials, or when a method that applies would need more memory than is available
/// (check_memory of sensitivity_memory). Throws std::invalid_argument for options out of range.
SensitivityReport sensitivity(const Model& model, const SensitivityOptions& options);

// ---- the methods one by one (what sensitivity() calls) -----------------------------------------

/// The stochastic drivers, in driver order.
std::vector<std::size_t> sensitivity_inputs(const Model& model);

/// 1 + 2 D evaluations.
Tornado tornado(const Model& model, std::size_t metric, double range_low, double range_high);

/// 1 + D x points evaluations (the base is evaluated with them).
Spider spider(const Model& model, std::size_t metric, double range_low, double range_high, std::size_t points);

/// From a simulation of the model (any sampling): one sort per driver and one for the metric. Trials
/// where the metric is not finite are left out (and counted).
RankCorrelations rank_correlations(const Model& model, const SimulationResult& result, std::size_t metric);

/// Saltelli (2010) first-order and Jansen (1999) total indices from the pick-freeze design: matrices A
/// (salt 0, the trials of `run`) and B (salt 1) of `base_trials` rows each, and A with column i from B
/// for each driver: base_trials x (D + 2) evaluations.
/// `progress` hears the base trials done (RunOptions::progress's rules). Throws InputError for fewer
/// base trials than minimum_trials; the intervals are [NaN, NaN] when the trials with a finite output
/// fall in fewer of the bootstrap's batches than that, too few to resample.
SobolIndices sobol_indices(const Model& model, std::size_t metric, std::uint64_t base_trials, std::uint64_t seed,
                           bool ignore_correlations = false, std::size_t resamples = 1000,
                           const std::function<bool(std::uint64_t)>& progress = nullptr);

/// Above this many stochastic drivers the exact Shapley design (2^D evaluations per base trial) is
/// refused.
inline constexpr std::size_t max_shapley_drivers = 12;

/// Exact-subset Shapley effects (Song, Nelson & Staum 2016) with conditional sampling under the
/// Gaussian copula: base_trials x 2^D evaluations. Its base trials use salts 2 and 3, not the trials
/// of `run`.
/// `progress`, errors and intervals as for sobol_indices.
ShapleyEffects shapley_effects(const Model& model, std::size_t metric, std::uint64_t base_trials, std::uint64_t seed,
                               std::size_t resamples = 1000, const std::function<bool(std::uint64_t)>& progress = nullptr);

/// For each guidance line on the metric, from a simulation of the model.
Regional regional(const Model& model, const SimulationResult& result, std::size_t metric);

// ---- rendering (the report stage: no statistics) -------------------------------------------------

/// A tornado of horizontal bars (Unicode blocks, 80 columns), then one table per method.
std::string render_sensitivity_table(const Model& model, const SensitivityReport& report, bool color = false);

/// The documented JSON (docs/output-format.md, "sensitivity"): only the requested methods' keys.
nlohmann::ordered_json sensitivity_json(const Model& model, const SensitivityReport& report);

/// One row per driver and statistic: method,driver,statistic,value,ci_low,ci_high.
std::string render_sensitivity_csv(const Model& model, const SensitivityReport& report);

/// Each requested method's design (its cost and non-finite outputs), in report order.
std::vector<std::pair<SensitivityMethod, const DesignCount*>> sensitivity_designs(const SensitivityReport& report);

/// One sentence per skipped method (SensitivityReport::skipped): "sobol skipped: REASON; HINT".
std::vector<std::string> sensitivity_skipped(const SensitivityReport& report);

/// One sentence per design with non-finite outputs (what was left out), for tables and stderr.
std::vector<std::string> sensitivity_warnings(const Model& model, const SensitivityReport& report);

}  // namespace guidance
