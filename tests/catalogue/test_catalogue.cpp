// The bad-input catalogue: every way a user can hand `guidance` something wrong (a broken or invalid
// scenario, a file that cannot be read, a wrong flag, an absurd number of trials, an output that cannot
// be written), run as a user would. Each case asserts the exit status, the exact first line of stderr,
// that stdout is empty, and that nothing crashed (a signal shows as status 128 + n). docs/reliability.md
// describes the catalogue; the scenario files are in tests/catalogue/inputs/ and tests/data/scenarios/bad/.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "cli/cli_harness.hpp"

using guidance::test::scratch_dir;

namespace fs = std::filesystem;

namespace {

const std::string flagship = "scenarios/juniper_q4_2012.yaml";
const std::string inputs = "tests/catalogue/inputs/";
const std::string loader_bad = "tests/data/scenarios/bad/";

struct Case {
  std::string args;        // after `guidance`, shell-quoted
  int status;              // the exit status
  std::string first_line;  // stderr's first line, exactly; or an ECMAScript regex when it starts with ^
  std::string stdout_to = "";  // a redirection of stdout (">/dev/full"); empty: captured, and must stay empty
  std::string before = "";     // a shell command run first ("ulimit -f 1;")
};

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

/// Run the case and check everything it promises.
void check_case(const Case& c) {
  CAPTURE(c.args);
  const auto result = guidance::test::guidance(c.args, c.stdout_to, c.before);
  CAPTURE(result.err);
  CHECK(result.status < 128);  // not killed by a signal (a crash, an abort, a sanitizer)
  CHECK(result.status == c.status);
  if (c.first_line.starts_with('^'))
    CHECK(std::regex_match(first_line(result.err), std::regex(c.first_line)));
  else
    CHECK(first_line(result.err) == c.first_line);
  CHECK(result.out.empty());
}

bool running_as_root() { return ::geteuid() == 0; }

/// Every file in `dir`, for checking that a failed write left nothing behind.
std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("a broken or invalid scenario is refused with status 2 and a located message") {
  // One file per kind of mistake, from each stage that checks input: the YAML guards and the loader
  // (tests/load has every loader message), distributions, formulas, the correlation matrix.
  static const std::vector<std::pair<std::string, std::string>> files = {
      {inputs + "empty.yaml", "error: the file is empty"},
      {inputs + "malformed_yaml.yaml", "2:25: error: invalid YAML: illegal flow end"},
      {inputs + "unclosed_quote.yaml", "1:7: error: invalid YAML: this `\"` is not closed"},
      {inputs + "deep_nesting.yaml", "2:44: error: nested deeper than 32 levels"},
      {inputs + "list_not_mapping.yaml", "1:1: error: a scenario must be a mapping of keys, found a list"},
      {inputs + "unknown_key.yaml", "2:1: error: unknown key `drivrs`"},
      {inputs + "missing_drivers.yaml", "error: missing `drivers`"},
      {inputs + "thousands_separator.yaml", "3:12: error: expected a number, found `1,115`"},
      {inputs + "driver_formula.yaml", "4:36: error: expected a number, found `q3_revenue * 1.02`"},
      {inputs + "guidance_point.yaml", "7:8: error: `-0.02` is a single figure, not a range"},
      {inputs + "negative_sd.yaml", "3:49: error: sd must be > 0, found -0.4"},
      {inputs + "percentiles_coincide.yaml",
       "3:43: error: percentiles out of order: p10 = 1100 is equal to p90 = 1100"},
      {inputs + "overflowing_distribution.yaml",
       "3:12: error: the normal distribution of `revenue` gives infinite draws: its quantile at 1.1e-16 is -inf"},
      {inputs + "truncate_empty.yaml", "3:54: error: truncate range [540, 530] is empty: low must be below high"},
      {inputs + "trials_zero.yaml", "4:22: error: expected a whole number from 1 to 10000000000, found `0`"},
      {inputs + "formula_syntax.yaml", "5:21: error: unexpected `*`"},
      {inputs + "formula_unknown_name.yaml", "5:11: error: unknown name `revenu`"},
      {inputs + "formula_arity.yaml", "5:11: error: `clamp` takes 3 arguments, found 2"},
      {inputs + "formula_unknown_function.yaml", "6:10: error: unknown function `avg`"},
      {inputs + "formula_sum_of_values.yaml",
       "6:23: error: the second argument of `sum` must be a dimension, found `opex`"},
      {inputs + "formula_cycle.yaml", "5:3: error: cycle: a -> b -> a"},
      {inputs + "correlation_unknown_driver.yaml", "6:6: error: unknown driver `revenu`"},
      {inputs + "correlation_not_definite.yaml",
       "7:5: error: the correlations do not form a valid correlation matrix: its smallest eigenvalue is -0.816 "
       "(drivers involved: a, b, c)"},
      {inputs + "correlations_too_many.yaml", "405:5: error: the correlations tie more than 200 drivers together"},
      // Dimensions and given values (tests/model/test_dimensions.cpp has every message).
      {inputs + "dimension_unknown.yaml", "5:19: error: unknown dimension `quartr`"},
      {inputs + "dimension_wrong_count.yaml",
       "5:48: error: `mean` of `revenue` lists 3 values, but `quarter` has 4 elements (Q1, Q2, Q3, Q4)"},
      {inputs + "given_outside_support.yaml",
       "7:14: error: the given value 530 of `opex[Q1]` is outside its distribution (triangular min=535 mode=546 "
       "max=560)"},
      {inputs + "dimension_mismatch.yaml", "8:17: error: cannot combine [quarter Q1:Q2] with [quarter] element by element"},
      {inputs + "dimension_cyclic_lag.yaml", "7:3: error: cycle: total -> total"},
      {inputs + "dimension_unknown_element.yaml", "7:23: error: `Q5` is not an element of `revenue` [quarter]"},
      {inputs + "dimension_correlation_not_definite.yaml",
       "5:67: error: the correlations do not form a valid correlation matrix: its smallest eigenvalue is -0.4184 "
       "(drivers involved: revenue[Q1], revenue[Q2], revenue[Q3], revenue[Q4], gross_margin[Q2], gross_margin[Q3])"},
      {inputs + "guidance_unknown_name.yaml", "5:3: error: unknown name `revenu` in `guidance`"},
      {inputs + "variant_formula_syntax.yaml", "7:36: error: unexpected `*`"},
      {inputs + "scale_negative.yaml", "3:56: error: scale must be > 0, found -1"},
      // Ranges written as published (tests/load/test_ranges.cpp has every message).
      {inputs + "range_margin_missing.yaml", "3:41: error: missing the margin after `±`"},
      {inputs + "range_margin_without_unit.yaml",
       "3:49: error: the margin `50` around the percent `72.5%` needs a unit"},
      {inputs + "range_ambiguous_percent.yaml", "3:49: error: `1%` around the percent `72.5%` is ambiguous"},
      {inputs + "range_reversed.yaml", "3:41: error: the range `5 to 3` ends below where it starts"},
      {inputs + "range_unknown_suffix.yaml", "3:38: error: unknown unit `bn` after `16`"},
      {inputs + "range_currency_without_units.yaml", "3:35: error: the currency sign `$` needs `units:` in the file"},
      // A metric's display (tests/load/test_load.cpp has every message).
      {inputs + "metric_digits_negative.yaml", "5:42: error: `digits` must be a whole number from 0 to 12, found `-1`"},
      {inputs + "metric_digits_too_many.yaml", "5:42: error: `digits` must be a whole number from 0 to 12, found `40`"},
      {inputs + "metric_format_unknown.yaml", "6:42: error: unknown format `dollars` for metric `double`"},
      {inputs + "metric_currency_without_units.yaml",
       "5:42: error: `format: currency` for metric `double` needs a currency in the file's `units:`"},
      // The loader's own traps (yaml-cpp's silent behaviours), reused from its test data.
      {loader_bad + "duplicate_driver.yaml", "5:3: error: duplicate key `revenue`"},
      {loader_bad + "second_document.yaml", "3:1: error: a second YAML document"},
      {loader_bad + "alias_bomb.yaml", "2:4: error: YAML anchors are not supported"},
      {loader_bad + "self_alias.yaml", "2:10: error: YAML anchors are not supported"},
      {loader_bad + "tab_indent.yaml", "3:9: error: invalid YAML: illegal map value"},
      {loader_bad + "variant_cycle.yaml",
       "10:14: error: variant `bear` extends itself: bear -> worse -> worst -> bear"},
      {loader_bad + "latin1.yaml", "error: not valid UTF-8: byte 0xE9 at line 2, column 18"},
  };
  const auto& [file, message] = GENERATE(from_range(files));
  // Every command reads the scenario the same way; a located message starts "file:line:column: ".
  const std::string command = GENERATE("validate", "run", "check");
  check_case({command + " " + file, 2, file + (message.starts_with("error:") ? ": " : ":") + message});
}

TEST_CASE("a file that cannot be read is named with the reason") {
  const fs::path huge = scratch_dir() / "huge.yaml";
  std::ofstream(huge).close();
  fs::resize_file(huge, 100'000'000);  // sparse: refused from its size, never read
  const std::vector<Case> cases = {
      {"validate missing.yaml", 2, "missing.yaml: error: cannot read the file: No such file or directory"},
      {"validate tests/data/scenarios", 2, "tests/data/scenarios: error: cannot read the file: Is a directory"},
      {"validate " + inputs + "empty.yaml/x", 2,
       inputs + "empty.yaml/x: error: cannot read the file: Not a directory"},
      // Unreadable even for root (reading /proc/self/mem at offset 0 fails with EIO).
      {"validate /proc/self/mem", 2, "/proc/self/mem: error: cannot read the file: Input/output error"},
      {"validate /dev/null", 2, "/dev/null: error: the file is empty"},
      {"validate " + huge.string(), 2,
       huge.string() + ": error: the file is 100000000 bytes, more than the limit of 4194304 bytes"},
  };
  for (const Case& c : cases) check_case(c);
  fs::remove(huge);

  const fs::path unreadable = scratch_dir() / "unreadable.yaml";
  std::ofstream(unreadable) << "name: t\ndrivers: {a: 1}\n";
  fs::permissions(unreadable, fs::perms::none);
  if (running_as_root())
    WARN("running as root, which reads a chmod 000 file anyway: its case is skipped (/proc/self/mem stands in)");
  else
    check_case({"validate " + unreadable.string(), 2,
                unreadable.string() + ": error: cannot read the file: Permission denied"});
  fs::remove(unreadable);
}

TEST_CASE("a wrong command line is refused with status 2 and says what is wrong") {
  const std::vector<Case> cases = {
      {"", 2, "error: A subcommand is required"},
      {"frobnicate", 2, "error: unknown command `frobnicate`"},
      {"run", 2, "error: file is required"},
      {"validate " + flagship + " " + flagship, 2, "error: The following argument was not expected: " + flagship},
      {"run " + flagship + " --trails 5", 2, "error: The following arguments were not expected: 5 --trails"},
      {"run " + flagship + " --format xml", 2, "error: --format: xml not in {table,json,csv,xlsx}"},
      {"compare " + flagship + " --format csv", 2, "error: --format: csv not in {table,json,xlsx}"},
      {"run " + flagship + " --seed x", 2,
       "error: --seed must be a whole number from 0 to 18446744073709551615, found `x`"},
      // Not wrapped to 2^64 - 1, nor clamped to it.
      {"run " + flagship + " --seed -1", 2,
       "error: --seed must be a whole number from 0 to 18446744073709551615, found `-1`"},
      {"run " + flagship + " --seed 18446744073709551616", 2,
       "error: --seed must be a whole number from 0 to 18446744073709551615, found `18446744073709551616`"},
      // An empty value is refused, not taken for the default (or, for a file, for stdout).
      {"run " + flagship + " --output ''", 2, "error: --output: needs a file name"},
      {"run " + flagship + " --samples ''", 2,
       "error: --samples needs a file name, or --format xlsx to put the trials in the workbook"},
      {"run " + flagship + " --format xlsx", 2, "error: --format xlsx writes an Excel workbook, which needs --output FILE"},
      {"compare " + flagship + " --format xlsx --output -", 2,
       "error: --format xlsx writes an Excel workbook, which needs --output FILE"},
      // A workbook is a ZIP file written with seeks: a pipe got its first 552 bytes and "Illegal seek".
      {"propose " + flagship + " --metric eps --format xlsx --output '" + (scratch_dir() / "fifo").string() + "'", 2,
       "error: --format xlsx writes an Excel workbook, which cannot go to the pipe `" + (scratch_dir() / "fifo").string() + "`", "",
       "rm -f '" + (scratch_dir() / "fifo").string() + "' && mkfifo '" + (scratch_dir() / "fifo").string() + "' &&"},
      {"run " + flagship + " --trials 2e6 --format xlsx --output /dev/null --samples", 2,
       "error: a workbook's Trials sheet holds at most 1,048,575 trials (Excel's rows), found 2,000,000"},
      {"run " + flagship + " --trials ''", 2, "error: --trials must be a number, found ``"},
      {"run " + flagship + " --seed ''", 2,
       "error: --seed must be a whole number from 0 to 18446744073709551615, found ``"},
      {"run " + flagship + " --threads -1", 2,
       "error: --threads: expected a whole number of threads from 0 (every core) to 1024, found `-1`"},
      {"run " + flagship + " --threads 1.5", 2,
       "error: --threads: expected a whole number of threads from 0 (every core) to 1024, found `1.5`"},
      {"run " + flagship + " --threads ''", 2,
       "error: --threads: expected a whole number of threads from 0 (every core) to 1024, found ``"},
      {"run " + flagship + " --sampling fast", 2, "error: --sampling must be mc, lhs or sobol, found `fast`"},
      {"run " + flagship + " --scenario bul", 2, flagship + ": error: unknown variant `bul`"},
      {"run " + flagship + " --set revnue=5", 2, "--set:1:1: error: unknown driver `revnue`"},
      {"run " + flagship + " --set revenue", 2,
       "--set:1:1: error: expected NAME=VALUE, NAME.PARAM=VALUE or NAME={dist: ...}, found `revenue`"},
      {"run " + flagship + " --set revenue.sd=-1", 2, "--set:1:9: error: `sd` cannot be combined with `p10` and `p90`"},
      // Elements of a dimensioned driver (tests/model/test_dimensions.cpp has every message).
      {"run scenarios/juniper_fy2012.yaml --set 'revenue[Q5].p90=1140'", 2,
       "--set:1:9: error: `revenue` has no element `Q5`"},
      {"run scenarios/juniper_fy2012.yaml --set 'revenue[Q4].mean=1130'", 2,
       "--set:1:13: error: `revenue` has no parameter `mean`; its elements take the parameters it has (`dist`, `p10` and `p90`)"},
      {"sweep scenarios/juniper_fy2012.yaml --metric fy_eps --vary 'revenue[Q1,Q2].p90=1100,1200'", 2,
       "--vary:1:9: error: `revenue` has 1 dimension, but `[Q1,Q2]` names 2 elements"},
      {"run " + flagship + " --actual eps=abc", 2, "--actual:1:5: error: expected a number, found `abc`"},
      {"check " + flagship + " --min-probability 2", 2, "error: --min-probability must be between 0 and 1, found 2"},
      {"check " + flagship + " --min-probability nan", 2, "error: --min-probability must be between 0 and 1, found nan"},
      {"check " + inputs + "no_guidance.yaml --trials 100", 2,
       "error: `" + inputs + "no_guidance.yaml` has no guidance lines to check"},
      {"solve " + flagship + " --vary tax_rate", 2, "error: solve needs --target, --maximize or --minimize"},
      {"solve " + flagship + " --maximize 'P(eps in guidance)' --vary tax_rate", 2, "error: --maximize requires --bracket"},
      {"solve " + flagship + " --maximize 'P(eps in guidance)' --target 'mean(eps) = 1' --vary tax_rate --bracket 0:1", 2,
       "error: --target excludes --maximize"},
      {"solve " + flagship + " --minimize 'P(eps in guidance) = 50%' --vary tax_rate --bracket 0:1", 2,
       "--minimize:1:20: error: unexpected `= 50%` after the statistic"},
      // Natural bounds: an sd is above 0, a share from 0% to 100% (issue 21: searched from -1230% to 1330%).
      {"solve " + flagship + " --trials 100 --target 'P(eps in guidance) = 50%' --vary other_income.sd --bracket -5:-1", 2,
       "--bracket:1:1: error: the bracket -5:-1 is outside the values `other_income.sd` can take: `other_income.sd` is a standard "
       "deviation, above 0"},
      {"solve " + flagship + " --trials 1000 --target 'P(eps in guidance) = 99%' --vary tax_rate", 2,
       "^error: P\\(eps in guidance\\) = 99% is not reached by varying tax_rate around 32% \\(`tax_rate` is a share, "
       "from 0% to 100%, and is searched only there\\): tax_rate = 0% gives .*"},
      {"propose " + flagship + " --metric eps --round -0.01", 2, "error: --round must be a number above 0, found -0.01"},
      {"propose " + flagship + " --metric eps --round 1e400", 2, "error: --round must be a number above 0, found 1e400"},
      {"propose " + flagship + " --metric eps --center nan", 2, "error: --center must be a finite number, found nan"},
      // Never a value the user did not write: -1e308 + 1e308 overflowing to "inf".
      {"sweep " + flagship + " --vary 'other_income.mean=-1e308:1e308:1e-300'", 2,
       "--vary:1:19: error: -1e308:1e308:1e-300 has 2e+608 values, more than the limit of 1000"},
  };
  for (const Case& c : cases) check_case(c);
}

TEST_CASE("absurd trial and thread counts are refused by every command that simulates, before any allocation") {
  // The command lines of every simulating command, each with what it requires.
  const std::string command = GENERATE(as<std::string>{}, "run " + flagship, "check " + flagship,
                                       "sensitivity " + flagship + " --metric eps", "compare " + flagship,
                                       "sweep " + flagship + " --vary revenue.p90=1120:1140:10",
                                       "solve " + flagship + " --target 'P(eps >= 0.22) = 50%' --vary revenue.p90",
                                       "propose " + flagship + " --metric eps");
  const std::vector<Case> cases = {
      {"--trials 0", 2, "error: --trials must be at least 1, found 0"},
      {"--trials -5", 2, "error: --trials must be at least 1, found -5"},
      {"--trials 1e13", 2, "error: --trials must be at most 10^10, found 1e13"},
      {"--trials 10000000000000", 2, "error: --trials must be at most 10^10, found 10000000000000"},
      {"--trials 2.5", 2, "error: --trials must be a whole number, found 2.5"},
      {"--trials lots", 2, "error: --trials must be a number, found `lots`"},
      // Each thread costs memory and no machine has this many cores (cli/options.hpp, max_threads).
      {"--threads 1025", 2, "error: --threads: at most 1024 threads, found 1025"},
      {"--threads 1000000000", 2, "error: --threads: at most 1024 threads, found 1000000000"},
      {"--threads 99999999999999999999999", 2, "error: --threads: at most 1024 threads, found 99999999999999999999999"},
      // 10^10 is allowed, but the flagship's 10 stochastic variables would need over 745 GiB kept in
      // memory, and run and check 1.6 GiB streamed: under a limit of 1 GB each command says so before
      // it allocates anything (the figures of each command are checked below).
      {"--trials 1e10", 2,
       R"(^error: [a-z' -]+ needs [0-9.]+ [GT]iB of memory for 10000000000 trials \([0-9.]+ bytes per trial, plus [0-9.]+ [KM]iB of workspace on [0-9]+ threads?\), but only 953\.7 MiB is available$)",
       "", "GUIDANCE_MEMORY_LIMIT=1000000000"},
  };
  for (const Case& c : cases) check_case({command + " " + c.args, c.status, c.first_line, c.stdout_to, c.before});
}

TEST_CASE("a question whose answer would not be a true number is refused, not answered") {
  const std::string folds = inputs + "metric_folds_to_nan.yaml";
  const std::vector<Case> cases = {
      // A metric that is NaN in every trial has no range to propose and no driver that moves it.
      {"propose " + folds + " --metric ratio --trials 1000", 2,
       "error: `ratio` is a finite number in only 0 of 1000 trials, fewer than the 80% asked for"},
      {"sensitivity " + folds + " --metric ratio", 2,
       "error: `ratio` is not a finite number in any trial (it is always NaN): no driver moves it"},
      // Designs too small to estimate anything.
      {"sensitivity " + flagship + " --metric eps --method sobol --ignore-correlations --trials 1", 2,
       "error: sobol needs at least 6 trials, found 1: fewer leave its bootstrap too few distinct resamples for a "
       "95% interval"},
      {"sensitivity " + flagship + " --metric eps --method shapley --trials 5", 2,
       "error: shapley needs at least 6 trials, found 5: fewer leave its bootstrap too few distinct resamples for a "
       "95% interval"},
      {"sensitivity " + flagship + " --metric eps --method correlation --trials 2", 2,
       "error: correlation needs at least 3 trials, found 2: with fewer, every rank correlation is +1 or -1"},
      {"sensitivity " + flagship + " --metric eps --method shapley --permutations 5", 2,
       "error: shapley needs at least 6 random permutations, found 5: its bootstrap resamples whole permutations"},
      {"sensitivity " + flagship + " --metric eps --method shapley --permutations -1", 2,
       "error: --permutations must be a whole number, found `-1`"},
  };
  for (const Case& c : cases) check_case(c);
}

TEST_CASE("a scenario asking for more trials than memory allows is refused with the arithmetic") {
  // Kept in memory its trials would need 763.7 GiB; streamed, 1.6 GiB, which a limit of 1 GB refuses.
  check_case({"run " + inputs + "trials_too_many_for_memory.yaml --threads 1", 2,
              "error: run needs 1.6 GiB of memory for 10000000000 trials (0.1404 bytes per trial, plus 323.3 MiB of "
              "workspace on 1 thread), but only 953.7 MiB is available",
              "", "GUIDANCE_MEMORY_LIMIT=1000000000"});
}

TEST_CASE("each command's memory check covers its own peak, and says what it needs and what fits") {
  // GUIDANCE_MEMORY_LIMIT caps the memory a run may plan on (100 MiB here; the machine has more), so
  // that the refusals are the same everywhere. On one thread the flagship's run holds its 10 columns
  // and two bytes per trial of the summaries' selections (82 bytes), propose the trials, its ranges'
  // selections (two bytes per trial each) and its narrowest window's workspace (84), sensitivity's correlation the trials, the kept
  // positions, the metric's ranks and one driver's ranking (144), regional the trials, a line's misses
  // and one driver's values in them (98): docs/reliability.md, "The memory check".
  const std::string limit = "GUIDANCE_MEMORY_LIMIT=104857600";
  const std::string flags = " --trials 2000000 --threads 1";
  const std::string run_refusal = "needs 194.9 MiB of memory for 2000000 trials (82 bytes per trial, plus 38.5 MiB of "
                                  "workspace on 1 thread), but only 100.0 MiB is available";
  const std::vector<Case> cases = {
      {"run " + flagship + flags, 2, "error: run " + run_refusal, "", limit},
      {"check " + flagship + flags, 2, "error: check " + run_refusal, "", limit},
      {"compare " + flagship + flags, 2, "error: compare " + run_refusal, "", limit},
      {"sweep " + flagship + " --vary revenue.p90=1120:1140:10" + flags, 2, "error: sweep " + run_refusal, "", limit},
      {"solve " + flagship + " --target 'P(eps >= 0.22) = 50%' --vary revenue.p90" + flags, 2,
       "error: solve " + run_refusal, "", limit},
      {"propose " + flagship + " --metric eps" + flags, 2,
       "error: propose needs 229.2 MiB of memory for 2000000 trials (84 bytes per trial, plus 69.0 MiB of workspace "
       "on 1 thread), but only 100.0 MiB is available",
       "", limit},
      {"sensitivity " + flagship + " --metric eps --method regional" + flags, 2,
       "error: sensitivity's regional method needs 208.4 MiB of memory for 2000000 trials (98 bytes per trial, plus "
       "21.5 MiB of workspace on 1 thread), but only 100.0 MiB is available",
       "", limit},
      // `all` is refused by its largest method, before any work.
      {"sensitivity " + flagship + " --metric eps --method all" + flags, 2,
       "error: sensitivity's correlation method needs 304.7 MiB of memory for 2000000 trials (144 bytes per trial, "
       "plus 30.0 MiB of workspace on 1 thread), but only 100.0 MiB is available",
       "", limit},
      // Sobol and Shapley hold a design per thread, not the trials.
      {"sensitivity " + flagship + " --metric eps --method sobol --ignore-correlations --trials 1000 --threads 1", 2,
       "error: sensitivity's sobol method needs 1.3 MiB of memory for 1000 trials (0.05469 bytes per trial, plus 1.3 "
       "MiB of workspace on 1 thread), but only 976.6 KiB is available",
       "", "GUIDANCE_MEMORY_LIMIT=1000000"},
      {"sensitivity " + flagship + " --metric eps --method shapley --trials 1000 --threads 2", 2,
       "error: sensitivity's shapley method needs 3.4 MiB of memory for 1000 trials (0.5469 bytes per trial, plus 3.4 "
       "MiB of workspace on 2 threads), but only 1.9 MiB is available",
       "", "GUIDANCE_MEMORY_LIMIT=2000000"},
      // Tornado and spider evaluate a handful of points, whatever --trials.
      {"sensitivity " + flagship + " --metric eps --method spider --threads 2", 2,
       "error: sensitivity's spider method needs 35.6 KiB of memory (its workspace on 2 threads), but only 9.8 KiB is "
       "available",
       "", "GUIDANCE_MEMORY_LIMIT=10000"},
      {"sensitivity " + flagship + " --metric eps --method tornado --threads 1", 2,
       "error: sensitivity's tornado method needs 16.9 KiB of memory (its workspace on 1 thread), but only 9.8 KiB is "
       "available",
       "", "GUIDANCE_MEMORY_LIMIT=10000"},
      {"run " + flagship, 2, "error: GUIDANCE_MEMORY_LIMIT must be a whole number of bytes, found `lots`", "",
       "GUIDANCE_MEMORY_LIMIT=lots"},
  };
  for (const Case& c : cases) check_case(c);

  // A limit above any count of bytes is no limit, and an empty one is as unset.
  for (const std::string unlimited : {"GUIDANCE_MEMORY_LIMIT=99999999999999999999999", "GUIDANCE_MEMORY_LIMIT="})
    CHECK(guidance::test::guidance("run " + flagship + " --trials 100", ">/dev/null", unlimited).status == 0);

  // The hints: how many trials fit, or what else to do.
  const auto hint = [](const Case& c) {
    const std::string err = guidance::test::guidance(c.args, "", c.before).err;
    return err.substr(err.find('\n') + 1);
  };
  CHECK(hint(cases[0]) == "hint: at most 658556 trials fit: run fewer\n");
  CHECK(hint(cases[7]) == "hint: at most 436906 trials fit: run fewer\n");
  CHECK(hint(cases[9]) == "hint: use fewer threads: each has a workspace of its own\n");
  CHECK(hint(cases[11]) ==
        "hint: fix the least important drivers to constants, or run on a machine with more memory\n");

  // 600,000 trials fit a run but not sensitivity's correlation, which the check of `run` let through
  // into the kernel's OOM killer before each command had its own.
  CHECK(guidance::test::guidance("run " + flagship + " --trials 600000 --threads 1", ">/dev/null", limit).status == 0);
  check_case({"sensitivity " + flagship + " --metric eps --trials 600000 --threads 1", 2,
              "error: sensitivity's correlation method needs 112.4 MiB of memory for 600000 trials (144 bytes per trial, "
              "plus 30.0 MiB of workspace on 1 thread), but only 100.0 MiB is available",
              "", limit});
}

TEST_CASE("an output that cannot be written is an error, and no file is left behind") {
  const std::string run = "run " + flagship + " --trials 100 ";
  const std::vector<Case> cases = {
      {run + "--output /nonexistent-dir/out.json", 2, "error: cannot write `/nonexistent-dir/out.json`: No such file or directory"},
      {run + "--samples /nonexistent-dir/trials.csv", 2,
       "error: cannot write `/nonexistent-dir/trials.csv`: No such file or directory"},
      // sysfs refuses new files even to root.
      {run + "--output /sys/out.json", 2, "error: cannot write `/sys/out.json`: Permission denied"},
      {run + "--output " + scratch_dir().string(), 2, "error: cannot write `" + scratch_dir().string() + "`: it is a directory"},
  };
  for (const Case& c : cases) check_case(c);
  CHECK_FALSE(fs::exists("/nonexistent-dir"));
  CHECK_FALSE(fs::exists("/sys/out.json"));
  for (const std::string& name : listing(scratch_dir())) CHECK_FALSE(name.find(".tmp") != std::string::npos);

  const fs::path locked = scratch_dir() / "locked";
  fs::create_directories(locked);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
  if (running_as_root()) {
    WARN("running as root, which writes into a read-only directory anyway: its case is skipped (/sys stands in)");
  } else {
    const std::string target = (locked / "out.json").string();
    check_case({run + "--output " + target, 2, "error: cannot write `" + target + "`: Permission denied"});
    CHECK(listing(locked).empty());
  }
  fs::permissions(locked, fs::perms::owner_all);
  fs::remove_all(locked);
}

TEST_CASE("every write is checked: one that fails is status 2 naming where the output was going") {
  const std::string run = "run " + flagship + " --trials 100 ";
  const std::string full = "error: cannot write to stdout: No space left on device";
  const std::vector<Case> cases = {
      {run, 2, full, ">/dev/full"},
      {run + "--format json --output -", 2, full, ">/dev/full"},
      {"validate " + flagship, 2, full, ">/dev/full"},
      {"run --help", 2, full, ">/dev/full"},
      {run + "--output /dev/full", 2, "error: cannot write `/dev/full`: No space left on device"},
      {run + "--format xlsx --output /dev/full", 2, "error: cannot write `/dev/full`: No space left on device"},
      // A closed stdout (`>&-`) is not taken over by the next file the run opens.
      {run, 2, "error: cannot write to stdout: Bad file descriptor", ">&-"},
      // A file-size limit (`ulimit -f`, 512-byte blocks in sh) on redirected stdout.
      {run + "--format json", 2, "error: cannot write to stdout: File too large",
       ">'" + (scratch_dir() / "limited.out").string() + "'", "ulimit -f 1;"},
  };
  for (const Case& c : cases) check_case(c);
}

TEST_CASE("an output past a file-size limit is refused, and every old file is left as it was") {
  const std::string samples = guidance::test::scratch_file("limited.csv", "old samples\n");
  const std::string output = guidance::test::scratch_file("limited.json", "old\n");
  const std::string run = "run " + flagship + " --trials 1000 --format json ";
  check_case({run + "--output " + output, 2, "error: cannot write `" + output + "`: File too large", "",
              "ulimit -f 1;"});
  // The samples come first and fail; the output is never written.
  check_case({run + "--samples " + samples + " --output " + output, 2,
              "error: cannot write `" + samples + "`: File too large", "", "ulimit -f 1;"});
  CHECK(guidance::test::slurp(samples) == "old samples\n");
  CHECK(guidance::test::slurp(output) == "old\n");
  // A workbook's Trials sheet passes the limit in libxlsxwriter's temporary file of rows, which it
  // writes unchecked: without the check the workbook came out whole-looking, its sheet cut at 100 KB.
  const std::string workbook = guidance::test::scratch_file("limited.xlsx", "old\n");
  check_case({"run " + flagship + " --trials 20000 --format xlsx --samples --output " + workbook, 2,
              "error: cannot write `" + workbook + "`: File too large", "", "ulimit -f 200;"});
  CHECK(guidance::test::slurp(workbook) == "old\n");
  for (const std::string& name : listing(scratch_dir())) CHECK_FALSE(name.find(".tmp") != std::string::npos);
}

TEST_CASE("a workbook assembled on a disk that fills up is refused, and no file is left") {
  // libxlsxwriter assembles each sheet in a temporary file beside the workbook, copying the sheet's rows
  // from another, and writes it unchecked: on a full disk the Trials sheet lost stretches from its middle
  // (a whole-looking sheet of fewer rows) and the run exited 0. A 1.6 MB tmpfs holds the sheet's 2,000
  // rows (about 1.1 MB) once but not twice. Mounting it needs a mount namespace: skipped where the
  // system refuses one (a container without the privilege).
  const fs::path disk = scratch_dir() / "small_disk";
  fs::create_directories(disk);
  const std::string mount = "unshare -rm sh -c 'mount -t tmpfs -o size=1600k tmpfs \"$0\"' '" + disk.string() + "'";
  if (std::system((mount + " 2>/dev/null").c_str()) != 0) {
    WARN("skipped: cannot mount a tmpfs in a mount namespace here");
    return;
  }
  const std::string workbook = (disk / "q4.xlsx").string();
  const std::string left = (scratch_dir() / "small_disk.listing").string();
  // The command runs on the mounted disk; the disk's listing afterwards goes to `left`, outside it.
  const std::string on_small_disk = "unshare -rm sh -c 'mount -t tmpfs -o size=1600k tmpfs \"$0\" && env \"$@\"; status=$?; "
                                    "ls -A \"$0\" > " + left + "; exit $status' '" + disk.string() + "'";
  check_case({"run " + flagship + " --trials 2000 --format xlsx --samples --output " + workbook, 2,
              "error: cannot write `" + workbook + "`: its sheet Trials came out cut short (a temporary file could "
              "not be written whole)",
              "", on_small_disk});
  CHECK(guidance::test::slurp(left).empty());
}

TEST_CASE("a name or value with control characters is shown escaped: no colour, no forged line") {
  const std::string forged = "$(printf 'x\\033[31m\\nfake.yaml:1:1: error: forged')";
  const fs::path coloured = scratch_dir() / "esc\x1b[31m.yaml";
  std::ofstream(coloured) << "name: t\ndrivrs: {a: 1}\n";
  const std::string escaped_file = (scratch_dir() / "esc\\x1b[31m.yaml").string();
  const std::string quoted_escape = guidance::test::scratch_file("quoted_escape.yaml",
                                                                 "name: t\ndrivers:\n  a: {dist: normal, mean: \"\\e[31m\", sd: 1}\n");
  const std::vector<Case> cases = {
      {"validate \"" + forged + "\"", 2,
       "x\\x1b[31m\\nfake.yaml:1:1: error: forged: error: cannot read the file: No such file or directory"},
      {"validate '" + coloured.string() + "'", 2, escaped_file + ":2:1: error: unknown key `drivrs`"},
      {"validate " + quoted_escape, 2, quoted_escape + ":3:27: error: expected a number, found `\\x1b[31m`"},
      {"\"$(printf 'frob\\033[2J')\"", 2, "error: unknown command `frob\\x1b[2J`"},
      {"run " + flagship + " --output \"$(printf '/nonexistent\\n/out.json')\"", 2,
       "error: cannot write `/nonexistent\\n/out.json`: No such file or directory"},
  };
  for (const Case& c : cases) check_case(c);
  fs::remove(coloured);

  // The source line under a message is escaped too, its carets still under the characters they mark.
  const auto set = guidance::test::guidance("run " + flagship + " --set \"$(printf 'revenue\\033')\"");
  CHECK(set.status == 2);
  CHECK(set.err ==
        "--set:1:1: error: expected NAME=VALUE, NAME.PARAM=VALUE or NAME={dist: ...}, found `revenue\\x1b`\n"
        "    revenue\\x1b\n"
        "    ^~~~~~~~~~~\n");
}
