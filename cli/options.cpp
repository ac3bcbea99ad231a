#include "options.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <iterator>

#include <fmt/format.h>
#include <tbb/info.h>

#include "cluster.hpp"
#include "progress.hpp"

namespace guidance::cli {

namespace {

/// The largest run we accept: beyond it even one variable's column passes 80 GB.
constexpr std::uint64_t max_trials = 10'000'000'000ull;

/// A trial count given to `flag` (--trials, --max-trials): "100000" or "1e6".
std::uint64_t parse_trials(const std::string& text, std::string_view flag = "--trials") {
  const auto flag_error = [&](std::string message) {
    return InputError({}, std::move(message), fmt::format("{} takes a whole number such as 100000 or 1e6", flag));
  };
  double value = 0.0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || stop != end || !std::isfinite(value))
    throw flag_error(fmt::format("{} must be a number, found `{}`", flag, text));
  if (value < 1) throw flag_error(fmt::format("{} must be at least 1, found {}", flag, text));
  if (value != std::floor(value)) throw flag_error(fmt::format("{} must be a whole number, found {}", flag, text));
  if (value > static_cast<double>(max_trials))
    throw flag_error(fmt::format("{} must be at most 10^10, found {}", flag, text));
  return static_cast<std::uint64_t>(value);
}

/// --precision's goal; --precision-percentiles must be percentiles the run reports.
PrecisionGoal resolve_precision(const RunFlags& flags) {
  PrecisionGoal goal;
  goal.half_width = *flags.precision;
  if (!(goal.half_width > 0.0 && goal.half_width < 1.0))
    throw InputError({}, fmt::format("--precision must be a half-width between 0 and 1, found {:g}", goal.half_width),
                     "e.g. --precision 0.005 for P(in) to within +-0.5 percentage points");
  if (flags.max_trials) goal.max_trials = parse_trials(*flags.max_trials, "--max-trials");
  for (const double percent : flags.precision_percentiles) {
    const auto* found = std::find(reported_percentiles.begin(), reported_percentiles.end(), percent);
    if (found == reported_percentiles.end())
      throw InputError({}, fmt::format("--precision-percentiles takes percentiles that a run reports, found {:g}", percent),
                       "use some of 1, 5, 10, 25, 50, 75, 90, 95, 99");
    goal.percentiles.push_back(static_cast<std::size_t>(found - reported_percentiles.begin()));
  }
  return goal;
}

std::uint64_t parse_seed(const std::string& text) {
  if (const std::optional<std::uint64_t> value = whole_number(text)) return *value;
  throw InputError({}, fmt::format("--seed must be a whole number from 0 to 18446744073709551615, found `{}`", text),
                   "for example --seed 42");
}

Sampling parse_sampling(const std::string& text) {
  if (const std::optional<Sampling> sampling = sampling_from_key(text)) return *sampling;
  throw InputError({}, fmt::format("--sampling must be mc, lhs or sobol, found `{}`", text));
}

/// A CLI11 check for --threads: a whole number, at most max_threads.
const CLI::Validator& thread_count() {
  // Checked as text, before CLI11 converts it: a count too large for `unsigned` is refused here too,
  // and text that is not a count gets this message rather than the conversion's "Could not convert".
  static const CLI::Validator check(
      [](std::string& text) {
        std::uint64_t count = 0;
        const char* end = text.data() + text.size();
        const auto [stop, error] = std::from_chars(text.data(), end, count);
        if (text.empty() || stop != end || error == std::errc::invalid_argument)
          return fmt::format("expected a whole number of threads from 0 (every core) to {}, found `{}`", max_threads,
                             text);
        const bool too_many = error == std::errc::result_out_of_range || count > max_threads;
        return too_many ? fmt::format("at most {} threads, found {}", max_threads, text) : std::string();
      },
      "THREADS");
  return check;
}

}  // namespace

std::optional<std::uint64_t> whole_number(std::string_view text) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || text[0] == '-' || text[0] == '+' || error != std::errc() || stop != end) return std::nullopt;
  return value;
}

/// A CLI11 check for --memory: a size such as 4GiB, 512MiB, 2GB or 1000000 (bytes), from min_memory
/// to max_memory; CLI11 then reads the bytes it leaves in the text.
const CLI::Validator& memory_size() {
  static const CLI::Validator check(
      [](std::string& text) {
        double value = 0.0;
        const char* end = text.data() + text.size();
        const auto [stop, error] = std::from_chars(text.data(), end, value);
        std::string unit(stop, end);
        std::erase(unit, ' ');
        std::ranges::transform(unit, unit.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        static const std::pair<const char*, double> units[] = {
            {"", 1.0}, {"b", 1.0}, {"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12},
            {"pb", 1e15},
            {"kib", 0x1p10}, {"mib", 0x1p20}, {"gib", 0x1p30}, {"tib", 0x1p40}, {"pib", 0x1p50}};
        const auto* found = std::ranges::find(units, unit, [](const auto& u) { return std::string_view(u.first); });
        if (text.empty() || error != std::errc() || found == std::end(units) || !std::isfinite(value))
          return fmt::format("expected a size such as 4GiB, 512MiB or 2GB, found `{}`", text);
        const double bytes = std::floor(value * found->second);
        if (!(bytes >= static_cast<double>(min_memory) && bytes <= static_cast<double>(max_memory)))
          return fmt::format("takes 1MiB to 1PiB, found {}", text);
        text = fmt::format("{:.0f}", bytes);
        return std::string();
      },
      "SIZE");
  return check;
}

const CLI::Validator& file_name() {
  static const CLI::Validator check(
      [](std::string& name) { return name.empty() ? std::string("needs a file name") : std::string(); },
      "FILE");
  return check;
}

void add_scenario_flags(CLI::App& command, ScenarioFlags& flags) {
  command.add_option("file", flags.file, "Scenario file (YAML)")->required();
  command.add_option("--scenario", flags.variant, "Variant under `scenarios:` to use (default: base)");
  command.add_option("--set", flags.overrides,
                     "Override a driver: NAME=VALUE, NAME.PARAM=VALUE or 'NAME={dist: normal, mean: 1, sd: 2}'")
      ->take_all();
  command.add_option("--given", flags.given,
                     "A value already reported, NAME=VALUE (an element: 'revenue[routing,Q3]=590'), fixed in every "
                     "trial; replaces the file's `given:` for that element")
      ->take_all();
  command.add_flag("--repair-correlations", flags.repair_correlations,
                   "Use the nearest valid correlation matrix when the requested one is not valid");
}

void add_run_flags(CLI::App& command, RunFlags& flags, const std::vector<std::string>& formats) {
  command.add_option("-n,--trials", flags.trials, "Number of trials (default: the scenario's, else 100000)");
  command.add_option("--seed", flags.seed, "Random seed (default: the scenario's, else 1)");
  command.add_option("-j,--threads", flags.threads, "Worker threads (default: all cores); results do not depend on it")
      ->check(thread_count());
  command.add_option("--sampling", flags.sampling, "mc (Monte Carlo), lhs (Latin hypercube) or sobol");
  command.add_option("-f,--format", flags.format, "Output format")->check(CLI::IsMember(formats));
  command.add_option("-o,--output", flags.output, "Write the result to this file (whole or not at all)")
      ->check(file_name());
}

void add_memory_flag(CLI::App& command, RunFlags& flags) {
  command.add_option("--memory", flags.memory,
                     "Keep the trials in memory up to this size (e.g. 4GiB), else stream them; the output is "
                     "the same (default: half the memory available)")
      ->transform(memory_size());
}

void add_precision_flags(CLI::App& command, RunFlags& flags) {
  CLI::Option* precision = command.add_option(
      "--precision", flags.precision,
      "Run in rounds until every guidance P(in) has a 95% interval half-width below this (e.g. 0.005)");
  command.add_option("--precision-percentiles", flags.precision_percentiles,
                     "With --precision: also these percentiles of the guided variables, to this relative half-width")
      ->delimiter(',')
      ->needs(precision);
  command.add_option("--max-trials", flags.max_trials, "With --precision: stop at this many trials (default 1e7)")
      ->needs(precision);
}

LoadOptions load_options(const ScenarioFlags& flags) {
  LoadOptions options;
  options.variant = flags.variant;
  options.overrides = flags.overrides;
  options.actuals = flags.actuals;
  options.given = flags.given;
  options.labels = {"--set", "--actual", "--given"};
  return options;
}

TuningSource open_scenario(const ScenarioFlags& flags) {
  return open_scenario(flags.file, load_options(flags), flags.repair_correlations);
}

Model load_model(const ScenarioFlags& flags) { return std::move(open_scenario(flags).model); }

RunOptions resolve_run_options(const Model& model, const RunFlags& flags) {
  RunOptions options = scenario_run_options(model);
  if (flags.trials) options.trials = parse_trials(*flags.trials);
  if (flags.seed) options.seed = parse_seed(*flags.seed);
  if (flags.sampling) options.sampling = parse_sampling(*flags.sampling);
  options.memory = flags.memory.value_or(0);
  options.cluster = cluster();
  return options;
}

ThreadLimit::ThreadLimit(unsigned threads)
    : control_(tbb::global_control::max_allowed_parallelism,
               threads > 0                ? threads
               : default_threads() > 0    ? default_threads()
                                          : tbb::info::default_concurrency()) {}

Run simulate_scenario(std::string_view command, const ScenarioFlags& scenario, const RunFlags& flags, Charts charts,
                      bool keep_trials, const std::function<void(std::uint64_t most_trials)>& before) {
  const ThreadLimit limit(flags.threads);
  Run run{load_model(scenario), {}, {}, {}};
  RunOptions& options = run.options;
  options = resolve_run_options(run.model, flags);
  if (flags.precision && !flags.trials) options.trials = 10'000;
  if (!flags.precision && !keep_trials && !keeps_trials(run.model, options)) {
    check_memory(command, streamed_run_memory(run.model), options.trials);
    if (before) before(options.trials);
    run.report = with_progress(options, 1, [&](const RunOptions& with_bar) { return stream_run(run.model, with_bar, charts); });
    return run;
  }
  check_memory(command, run_memory(run.model), options.trials);
  if (flags.precision) {
    const PrecisionGoal goal = resolve_precision(flags);
    if (before) before(std::max(options.trials, goal.max_trials));
    PreciseRun precise = with_progress(
        options, 1,
        [&](const RunOptions& with_bar) { return simulate_to_precision(run.model, with_bar, goal, charts); },
        goal.max_trials);
    run.result = std::move(precise.result);
    run.report = std::move(precise.report);
    return run;
  }
  if (before) before(options.trials);
  run.result = with_progress(options, 1, [&](const RunOptions& with_bar) { return simulate(run.model, with_bar); });
  run.report = analyze(run.model, run.result, charts);
  return run;
}

void warn_nonfinite(std::string_view where, const Model& model, const RunReport& report) {
  for (std::size_t v = 0; v < model.variables.size(); ++v) {
    if (report.variables[v].nonfinite == 0) continue;
    const bool guided = std::any_of(model.guidance.begin(), model.guidance.end(),
                                    [&](const GuidanceRange& line) { return line.variable == v; });
    std::cerr << fmt::format("warning: {}{} is not a finite number in {} of {} trials; they are left out of its "
                             "statistics{}\n",
                             where, model.variables[v].name, report.variables[v].nonfinite, report.trials,
                             guided ? " and counted outside its guidance" : "");
  }
}

bool use_color(const RunFlags& flags) {
  return (flags.output.empty() || flags.output == "-") && ::isatty(STDOUT_FILENO) && !started_by_launcher() &&
         std::getenv("NO_COLOR") == nullptr;
}

}  // namespace guidance::cli
