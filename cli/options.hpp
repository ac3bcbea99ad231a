// Flags shared by the commands, and the steps every command takes: load, build, resolve (and write,
// outputs.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <ostream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <tbb/global_control.h>

#include "guidance/load.hpp"
#include "guidance/model.hpp"
#include "guidance/simulate.hpp"
#include "guidance/tuning.hpp"
#include "outputs.hpp"

namespace guidance::cli {

/// Exit statuses of every command; a run ended by signal n exits with 128 + n (signals.hpp).
enum Exit : int { ok = 0, check_failed = 1, bad_input = 2, internal_error = 3 };

/// The scenario file, the variant and the overrides: every command has these.
struct ScenarioFlags {
  std::string file;
  std::string variant = "base";
  std::vector<std::string> overrides;  // --set
  std::vector<std::string> actuals;    // --actual (run only)
  std::vector<std::string> given;      // --given
  bool repair_correlations = false;
};

/// Flags of every command that simulates.
struct RunFlags {
  // Text, unset when the flag is not given: "1e6" works, and 0, 10^13, a seed of -1 or an empty
  // value get a clear message instead of a default or a wrapped number.
  std::optional<std::string> trials;
  std::optional<std::string> seed;
  unsigned threads = 0;  // 0: all cores
  std::optional<std::string> sampling;  // mc | lhs | sobol; unset: the scenario's, else mc
  std::string format = "table";
  std::string output;  // empty: stdout
  std::optional<double> precision;         // --precision: run in rounds until this half-width
  std::vector<double> precision_percentiles;  // --precision-percentiles, in percent
  std::optional<std::string> max_trials;   // --max-trials, text as --trials
  bool show_error = false;                 // --show-error (run's table)
  std::optional<std::uint64_t> memory;     // --memory, in bytes; unset: default_memory_budget()
};

void add_scenario_flags(CLI::App& command, ScenarioFlags& flags);
/// A CLI11 check for a flag that names a file to write: an empty name (an unset shell variable, say)
/// is refused rather than taken for stdout.
const CLI::Validator& file_name();

/// `text` as a whole number written in digits only (no sign, no exponent), or nullopt when it is not
/// one or does not fit in 64 bits: what --seed and --permutations take.
std::optional<std::uint64_t> whole_number(std::string_view text);
/// `formats`: what --format accepts, the first the default (table, json and csv for run, check and
/// sensitivity; table and json for the tuning commands).
void add_run_flags(CLI::App& command, RunFlags& flags,
                   const std::vector<std::string>& formats = {"table", "json", "csv"});
/// --memory SIZE (run, check, compare, sweep): the most a run keeps its trials in before it streams
/// them (RunOptions::memory).
void add_memory_flag(CLI::App& command, RunFlags& flags);
/// The fewest and most bytes --memory takes.
inline constexpr std::uint64_t min_memory = std::uint64_t{1} << 20, max_memory = std::uint64_t{1} << 50;

/// --precision, --precision-percentiles and --max-trials (run and check).
void add_precision_flags(CLI::App& command, RunFlags& flags);

/// The loader's options the flags give: the variant, the overrides and the actuals.
LoadOptions load_options(const ScenarioFlags& flags);
/// Load the scenario named by the flags, with the repair of its correlations when asked for, and
/// compile it: the one place a command loads. Throws InputError.
TuningSource open_scenario(const ScenarioFlags& flags);
/// open_scenario's model.
Model load_model(const ScenarioFlags& flags);

/// Trials, seed and sampling: the flag if given, else the scenario's `simulation:`, else the default.
RunOptions resolve_run_options(const Model& model, const RunFlags& flags);

/// A scenario loaded, simulated and analysed: what `run`, `check` and the analyses start from.
struct Run {
  Model model;
  SimulationResult result;  // no trials when the run streamed them (stream_run)
  RunReport report;
  RunOptions options;       // the trials, seed and sampling run
};

/// Load, simulate and analyse with the flags' trials, seed, sampling and thread limit; with
/// --precision, in rounds (simulate_to_precision) whose first has --trials, else 10,000 trials.
/// Without --precision and `keep_trials`, a run whose trials do not fit in --memory (keeps_trials)
/// streams them: the report is the same, Run::result has no trials. The
/// report has the charts the command will show (analyze's Charts). First the memory check of
/// `command` (run_memory), for the first round's trials. `before`, when given, hears the most trials
/// the run may have (--trials, or with --precision --max-trials) before it simulates, and may refuse
/// them by throwing.
Run simulate_scenario(std::string_view command, const ScenarioFlags& scenario, const RunFlags& flags, Charts charts,
                      bool keep_trials = false, const std::function<void(std::uint64_t most_trials)>& before = nullptr);

/// The most --threads accepts. oneTBB starts a worker for each, with its own stack and scratch
/// registers, so a count beyond any machine's cores only costs memory: 10^9 grew to gigabytes.
inline constexpr unsigned max_threads = 1024;

/// Bound oneTBB's parallelism to --threads (all cores when 0) for the object's lifetime. Results never
/// depend on it.
class ThreadLimit {
 public:
  explicit ThreadLimit(unsigned threads);
 private:
  tbb::global_control control_;
};

/// Non-finite values are never hidden: each variable with any is named on stderr, after `where` ("in
/// bear, ", "at revenue.p90 = 1130, " or nothing), with the trials it is left out of.
void warn_nonfinite(std::string_view where, const Model& model, const RunReport& report);

/// True when tables may use colour: stdout is a terminal, NO_COLOR is unset, no --output.
bool use_color(const RunFlags& flags);

}  // namespace guidance::cli
