// The simulation driver: sample -> evaluate -> store, block by block, in parallel, deterministic.
//
//   Model model = build_model(load_scenario("scenarios/juniper_q4_2012.yaml"));
//   SimulationResult result = simulate(model, {.trials = 1'000'000, .seed = 42});
//   RunReport report = analyze(model, result);
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "guidance/cluster.hpp"
#include "guidance/histogram.hpp"
#include "guidance/memory.hpp"
#include "guidance/model.hpp"
#include "guidance/sampler.hpp"
#include "guidance/stats.hpp"

namespace guidance {

inline constexpr std::uint64_t default_trials = 100'000;
inline constexpr std::uint64_t default_seed = 1;
/// Trials per block: the unit of parallel work. Results never depend on it.
inline constexpr std::size_t block_trials = 2048;

struct RunOptions {
  std::uint64_t trials = default_trials;
  std::uint64_t seed = default_seed;
  Sampling sampling = Sampling::monte_carlo;
  /// Called with the number of trials done so far: from any worker thread but never two at once, at
  /// most about every 10 ms, and once more with `trials` at the end. Returning false stops the run,
  /// which then throws RunCancelled. Empty: no calls.
  std::function<bool(std::uint64_t trials_done)> progress = nullptr;
  /// The most bytes run_report() keeps the trials' columns in before it streams them instead
  /// (keeps_trials); 0: default_memory_budget(). simulate() itself always keeps them.
  std::uint64_t memory = 0;
  /// The most a streamed run's narrowing pass holds in its percentiles' selections (histograms and
  /// gathered values) beside its chunks: a run of many variables narrows as many at a time as fit,
  /// in more passes. The same output whatever it is.
  std::uint64_t narrowing_memory = std::uint64_t{64} << 20;
  /// The processes sharing the run (guidance/cluster.hpp); null: this process alone. stream_run()
  /// spreads its chunks over them, and run_report() streams whenever there are several; simulate()
  /// and everything that keeps the trials ignore it (each process runs them all).
  const Cluster* cluster = nullptr;
};

/// The run the scenario asks for: its `simulation:` trials, seed and sampling, else the defaults
/// (default_trials, default_seed, Monte Carlo). What `guidance run` does without flags.
RunOptions scenario_run_options(const Model& model);

/// Thrown by simulate when RunOptions::progress asked it to stop.
struct RunCancelled : std::runtime_error {
  RunCancelled() : std::runtime_error("interrupted") {}
};

/// One variable's value in each trial, in trial order. resize() leaves new values uninitialised: the
/// run writes every one, and zero-filling hundreds of megabytes first would cost as much as a third of
/// the run. From 4 MiB on the storage is in transparent huge pages, without which a 10-million-trial
/// run spends a quarter of its time in page faults. Move-only; std::span<const double> and
/// std::span<double> convert from it.
class Column {
 public:
  Column() = default;
  /// `size` uninitialised values. Throws std::bad_alloc.
  explicit Column(std::size_t size);
  Column(Column&& other) noexcept;
  Column& operator=(Column&& other) noexcept;
  ~Column();

  /// `size` values: the first min(size, size()) kept, any others uninitialised. Throws std::bad_alloc.
  void resize(std::size_t size);
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  double* data() { return data_; }
  const double* data() const { return data_; }
  double& operator[](std::size_t i) { return data_[i]; }
  const double& operator[](std::size_t i) const { return data_[i]; }
  double* begin() { return data_; }
  double* end() { return data_ + size_; }
  const double* begin() const { return data_; }
  const double* end() const { return data_ + size_; }

 private:
  void release() noexcept;

  double* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

/// Every trial of every stochastic variable, in trial order. Memory: 8 bytes per trial per
/// stochastic variable (bytes_per_trial()).
struct SimulationResult {
  std::uint64_t trials = 0;
  SamplingPlan plan;
  std::vector<Column> columns;  // per variable; empty for constant variables

  std::span<const double> column(std::size_t variable) const { return columns[variable]; }
};

/// Bytes of result storage per trial for this model.
std::size_t bytes_per_trial(const Model& model);

/// A SimulationResult's columns (bytes_per_trial(), each column rounded as column_memory()).
MemoryNeed trials_memory(const Model& model);

/// Each worker thread's scratch registers while the formulas run (evaluate(), simulate(), a design).
MemoryNeed evaluation_memory(const Model& model);

/// The peak of simulate() and analyze(), which `run`, `check`, `compare`, `sweep` and `solve` hold one
/// run at a time: the result's columns, and the larger of the threads' registers and analyze()'s work
/// (the summaries' selections, the ranks of a correlation with a discrete driver). The memory check of
/// simulate() and extend() uses it.
MemoryNeed run_memory(const Model& model);

/// Run the model. Uses the oneTBB arena of the caller (limit threads with tbb::global_control).
/// Throws InputError when the run would need more memory than the machine has.
SimulationResult simulate(const Model& model, const RunOptions& options);

/// Extend `result` to `trials` trials (no fewer than it has), sampling only the new ones: the result
/// then equals simulate() with `trials` trials, bit for bit, because a trial's uniforms depend only on
/// (seed, driver, trial). Sobol' points are a sequence, so they extend too; Latin hypercube strata are
/// cut for the run's size, so an lhs result is simulated afresh. `progress` as in RunOptions, counting
/// this call's trials. Errors as simulate; std::invalid_argument for fewer trials than the result has.
void extend(const Model& model, SimulationResult& result, std::uint64_t trials,
            const std::function<bool(std::uint64_t)>& progress = nullptr);

/// Evaluate the model's formulas for trials whose driver values are already in `columns` (one per
/// variable, each of length n; constant variables may be empty). Used by simulate and by analyses that
/// set drivers themselves (tornado, sensitivity designs).
void evaluate(const Model& model, std::span<Column> columns, std::size_t n);

struct GuidanceProbability {
  std::string name;
  std::size_t variable = 0;
  double low = 0.0, high = 0.0;
  std::uint64_t inside = 0, below = 0, above = 0, nonfinite = 0;
  double p_in = 0.0, p_below = 0.0, p_above = 0.0;  // each over all trials; they sum to 1 with
                                                    // nonfinite / trials
  Interval p_in_ci;                                 // Wilson 95%
  Interval p_below_ci, p_above_ci;                  // Wilson 95%
  /// The variable's distribution for charts, over chart_bins(its P1..P99, this range); no bins for a
  /// constant variable or one with no finite value.
  Histogram histogram;
  std::vector<double> cdf;  // cumulative_shares(histogram): the empirical CDF at its bin edges
};

/// An indicator metric's (Variable::indicator) share of trials where it is 1: over all trials, a
/// non-finite one counted as not 1, as a guidance line counts it.
struct IndicatorProbability {
  std::size_t variable = 0;
  std::uint64_t ones = 0;
  double p = 0.0;
  Interval p_ci;  // Wilson 95%
};

/// Where a reported figure fell among its variable's trials. A percentile rank of exactly 0 or 1 means
/// below or above every finite trial; sd_from_mean then says how far.
struct ActualRank {
  std::string name;
  double value = 0.0;
  double percentile_rank = 0.0;  // in [0, 1]; NaN when the variable is finite in no trial
  /// (value - mean) / sd over the finite trials; NaN when the sd is not positive (a constant, or
  /// fewer than two finite trials) or not finite.
  double sd_from_mean = 0.0;
};

/// Percentile rank of `x` among a variable's trials, stored or constant, by percentile_rank's rules: a
/// constant c ranks x as 0 below it, 1 above it and 0.5 at it; NaN when x is NaN or the variable is
/// finite in no trial (a constant that is not finite, such as a metric that folds to 0 / 0).
double rank_among_trials(const Model& model, const SimulationResult& result, std::size_t variable, double x);

/// A requested rank correlation between two drivers, one of them discrete, and the one the trials
/// reached. A discrete driver's ties cap the rank correlation a copula can give it (a 50:50 driver with
/// a continuous one reaches at most 0.866), so the two can differ by more than noise.
struct AchievedCorrelation {
  std::size_t a = 0, b = 0;  // driver indices, a < b
  double requested = 0.0;    // the scenario's rank correlation
  double achieved = 0.0;     // Spearman's (ties at their average rank) over the run's trials
};

/// How a precision run (simulate_to_precision) ended.
struct PrecisionStop {
  double half_width = 0.0;  // the goal (PrecisionGoal::half_width)
  std::uint64_t max_trials = 0;
  bool reached = false;     // false: stopped at max_trials
  std::uint64_t rounds = 0;
  double largest = 0.0;     // the largest half-width at the stop (relative for percentiles)
  std::string largest_at;   // whose it is: "P(in) eps", "P(in) all at once", "P50 eps"
};

struct RunReport {
  std::uint64_t trials = 0;
  std::uint64_t seed = 0;
  Sampling sampling = Sampling::monte_carlo;
  std::vector<Summary> variables;  // per model variable (constants: every percentile = the value)
  std::vector<GuidanceProbability> guidance;
  std::vector<IndicatorProbability> indicators;  // per indicator metric, in variable order
  std::uint64_t joint_inside = 0;  // trials where every guidance line holds
  double joint_p_in = 0.0;
  Interval joint_p_in_ci;
  std::vector<ActualRank> actuals;
  std::uint64_t nonfinite_trials = 0;  // trials with any non-finite variable
  /// Every requested (non-zero) rank correlation with a discrete driver, in driver order.
  std::vector<AchievedCorrelation> discrete_correlations;
  std::optional<PrecisionStop> precision;  // only from simulate_to_precision
};

/// A report as bytes and back, every double by its bits: for handing reports between the processes
/// of a cluster (guidance/cluster.hpp). The bytes are this build's, not a file format.
std::vector<std::byte> report_to_bytes(const RunReport& report);
/// Throws std::invalid_argument for bytes that report_to_bytes() did not make.
RunReport report_from_bytes(std::span<const std::byte> bytes);

/// Which guidance lines get their chart (GuidanceProbability::histogram and cdf). Each costs a pass
/// over its variable's trials, so a caller asks only for those it shows: the HTML report draws every
/// line's, the table only the metrics' (a driver's is the distribution the user wrote), JSON and CSV
/// none.
enum class Charts { none, metrics, all };

/// Statistics of every variable, guidance probabilities (with the charts asked for) and actuals' ranks.
RunReport analyze(const Model& model, const SimulationResult& result, Charts charts = Charts::all);

/// The charts of `report`'s guidance lines that `charts` asks for and it lacks; `report` is
/// analyze's of the same model and result.
void add_charts(const Model& model, const SimulationResult& result, RunReport& report, Charts charts);

/// Whether stream_run() can report everything analyze() does: not when the scenario asks for a rank
/// correlation with a discrete driver, whose achieved value ranks every trial against all the others.
bool can_stream(const Model& model);

/// The peak of stream_run(): per worker thread a chunk of 65,536 trials of every stochastic variable,
/// and per stochastic variable its percentiles' selection (bounded whatever the trials) and a few
/// bytes per chunk of trials.
MemoryNeed streamed_run_memory(const Model& model);

/// Whether a run keeps its trials (simulate, then analyze) rather than streaming them (stream_run):
/// when their columns (trials_memory()) fit in options.memory and options.cluster has one process, or
/// when the model cannot stream, or when neither way fits in memory (fits_in_memory) and keeping needs
/// less.
bool keeps_trials(const Model& model, const RunOptions& options);

/// The report of a run, kept or streamed as keeps_trials() decides: the same either way.
RunReport run_report(const Model& model, const RunOptions& options, Charts charts = Charts::all);
/// What run_report() holds at its peak: run_memory() or streamed_run_memory().
MemoryNeed run_report_memory(const Model& model, const RunOptions& options);

/// run_report() of each model, in order (a sweep's points, compare's variants). With at least as many
/// models as options.cluster has processes, each process runs a consecutive share of the models alone
/// and the processes exchange the reports (report_to_bytes); otherwise the models run one after
/// another, each run shared. The reports are the same either way. Errors as run_report.
std::vector<RunReport> run_reports(std::span<const Model* const> models, const RunOptions& options, Charts charts);
/// The options each of run_reports()' runs has: without the cluster when the models are shared out.
RunOptions run_reports_options(std::size_t models, const RunOptions& options);

/// analyze(model, simulate(model, options), charts), bit for bit, without keeping the trials: fixed
/// chunks of 65,536 trials (the chunks analyze() sums in) are sampled again in each pass, because
/// a trial is a pure function of (seed, driver, trial). The first pass takes each chunk's moments,
/// the guidance counts, the actuals' ranks and each variable's first percentile histogram; the next
/// passes narrow each variable's percentiles (stats/order_statistics.cpp, usually one pass); a last
/// one counts the charts, when any is asked for. docs/methods.md explains it. options.progress counts
/// each pass as an equal share of the run (of two, or three with charts). With options.cluster, each process samples its share of the chunks
/// (chunk_share) and every process returns the whole report; options.progress then counts this
/// process's trials times the processes. Errors as simulate; std::logic_error when !can_stream(model).
RunReport stream_run(const Model& model, const RunOptions& options, Charts charts = Charts::all);

/// Call write(first, chunk) for every chunk of trials of the run in trial order, `chunk` holding trials
/// [first, first + chunk.trials) as a SimulationResult's columns (constant variables empty): for
/// writing every trial to a file at any count. Chunks are sampled in parallel, a few per thread
/// at a time. Errors as simulate, and whatever `write` throws.
void stream_trials(const Model& model, const RunOptions& options,
                   const std::function<void(std::uint64_t first, const SimulationResult& chunk)>& write);

inline constexpr std::uint64_t default_max_trials = 10'000'000;

/// What a precision run must reach: every guidance line's P(in) and the joint P(in) with a 95%
/// interval of half-width below `half_width` (a probability), and each listed percentile of every
/// guided variable with a 95% interval whose larger side, over |the percentile|, is below it too.
struct PrecisionGoal {
  double half_width = 0.01;
  std::vector<std::size_t> percentiles;  // indices into reported_percentiles
  std::uint64_t max_trials = default_max_trials;
};

struct PreciseRun {
  SimulationResult result;
  RunReport report;  // report.precision says why the rounds stopped
};

/// Simulate in rounds until `goal` is reached or max_trials are run. The first round has
/// options.trials trials (at most max_trials); each next round extends the same trials (extend) to
/// 1.1 (largest / half_width)^2 times the trials so far (the half-widths shrink as 1 / sqrt(trials)),
/// at least 1.25 and at most 16 times as many, capped at max_trials. So a run that stops at N trials
/// equals a plain run of N trials. options.progress counts every trial run so far (an lhs round
/// restarts). The report has the charts asked for (the rounds before the last take none). Errors as
/// simulate; InputError when the model has no guidance line or half_width is not in (0, 1).
PreciseRun simulate_to_precision(const Model& model, const RunOptions& options, const PrecisionGoal& goal,
                                 Charts charts = Charts::all);

}  // namespace guidance
