// `guidance sensitivity FILE --metric METRIC [--method LIST] [--range LOW,HIGH] [--ignore-correlations]
// [--by-element] [--permutations N]`
// with the run flags: parse and check the flags, call the engine, print.
#include "commands/sensitivity.hpp"

#include <charconv>
#include <cmath>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "args/list.hpp"
#include "args/tuning.hpp"
#include "guidance/report.hpp"
#include "guidance/sensitivity.hpp"
#include "html_report.hpp"
#include "progress.hpp"
#include "workbook.hpp"

namespace guidance::cli {

namespace {

std::string valid_methods() {
  std::vector<std::string_view> names;
  for (const SensitivityMethod method : all_sensitivity_methods) names.push_back(method_name(method));
  return fmt::format("{} or all", fmt::join(names, ", "));
}

/// --method's list into options.methods; `all` also sets skip_inapplicable, as it asks for every
/// method that applies (the others are listed with the reason, not refused).
void parse_methods(const std::string& text, SensitivityOptions& options) {
  std::vector<std::string> candidates;
  for (const SensitivityMethod method : all_sensitivity_methods) candidates.emplace_back(method_name(method));
  candidates.emplace_back("all");

  std::vector<SensitivityMethod> methods;
  for (const args::ListItem& listed : args::split_list(text, ',')) {
    const std::string& item = listed.text;
    if (item == "all") {
      methods.assign(std::begin(all_sensitivity_methods), std::end(all_sensitivity_methods));
      options.skip_inapplicable = true;
      continue;
    }
    if (const std::optional<SensitivityMethod> method = method_from_name(item)) {
      methods.push_back(*method);
      continue;
    }
    const std::string suggestion = did_you_mean(item, candidates);
    throw InputError({},
                     item.empty() ? fmt::format("--method has an empty item in `{}`", text)
                                  : fmt::format("unknown --method `{}`", item),
                     fmt::format("{}{}--method takes {}, comma-separated", suggestion, suggestion.empty() ? "" : " ",
                                 valid_methods()));
  }
  options.methods = std::move(methods);
}

/// "10,90" -> {0.10, 0.90}.
std::pair<double, double> parse_range(const std::string& text) {
  const auto fail = [&] {
    return InputError({},
                      fmt::format("--range takes two percentiles LOW,HIGH with 0 < LOW < HIGH < 100, found `{}`", text),
                      "for example --range 10,90 (P10 and P90) or --range 5,95");
  };
  const std::size_t comma = text.find(',');
  if (comma == std::string::npos) throw fail();
  double low = 0.0, high = 0.0;
  const char* middle = text.data() + comma;
  const char* end = text.data() + text.size();
  const auto first = std::from_chars(text.data(), middle, low);
  const auto second = std::from_chars(middle + 1, end, high);
  if (first.ec != std::errc() || first.ptr != middle || second.ec != std::errc() || second.ptr != end ||
      !(low > 0.0 && low < high && high < 100.0))
    throw fail();
  return {low / 100.0, high / 100.0};
}

/// --permutations: a whole number (the engine checks that it is at least 6).
std::size_t parse_permutations(const std::string& text) {
  if (const std::optional<std::uint64_t> value = whole_number(text)) return static_cast<std::size_t>(*value);
  throw InputError({}, fmt::format("--permutations must be a whole number, found `{}`", text),
                   "for example --permutations 1000");
}

}  // namespace

void add_sensitivity(CLI::App& app, SensitivityCommand& command) {
  CLI::App* sub =
      app.add_subcommand("sensitivity",
                         "Which driver moves a metric, and by how much: tornado, spider, rank correlation, Sobol and "
                         "Shapley indices, regional analysis");
  add_scenario_flags(*sub, command.scenario);
  add_run_flags(*sub, command.run, {"table", "json", "csv", "xlsx"});
  sub->get_option("--sampling")
      ->description("mc, lhs or sobol: how the correlation and regional trials are drawn (the sobol and shapley "
                    "designs are Monte Carlo, as their bootstrap intervals need independent trials)");
  sub->get_option("--trials")
      ->description(
          "Monte Carlo trials (correlation, regional) and base trials of sobol and shapley (default: the scenario's, "
          "else 100000)");
  sub->add_option("-m,--metric", command.metric, "The metric (or driver) to explain")->required();
  sub->add_option("--method", command.methods,
                  "Comma-separated methods: " + valid_methods() + " (default: tornado,correlation)");
  sub->add_option("--range", command.range,
                  "Percentiles LOW,HIGH of the tornado's ends and the spider's range (default: 10,90)");
  sub->add_flag("--ignore-correlations", command.ignore_correlations,
                "Compute sobol indices as if the drivers were independent");
  sub->add_flag("--by-element", command.by_element,
                "Make every element of a dimensioned driver (revenue[Q3]) an input of its own, instead of one group "
                "per driver");
  sub->add_option("--permutations", command.permutations,
                  "Shapley by random permutations of the inputs, this many (at least 6; default: exact subsets up to "
                  "12 inputs, else 1000 permutations)");
  add_report_flag(*sub, command.html_report);  // the HTML report (html_report.hpp)
}

int SensitivityCommand::operator()() const {
  check_report_path(html_report);  // before any work
  check_workbook_output(run);
  check_output_paths(scenario.file, {{"--output", run.output}, {"--report", html_report}});
  SensitivityOptions options;
  parse_methods(methods, options);
  std::tie(options.range_low, options.range_high) = parse_range(range);
  options.ignore_correlations = ignore_correlations;
  options.by_element = by_element;
  if (permutations) options.shapley_permutations = parse_permutations(*permutations);

  const ThreadLimit limit(run.threads);
  const Model model = load_model(scenario);
  options.metric = args::find_variable(model, metric, "--metric");
  options.run = resolve_run_options(model, run);
  const SensitivityReport report =
      with_progress(options.run, sensitivity_stages(model, options), [&](const RunOptions& with_bar) {
        options.run = with_bar;
        return sensitivity(model, options);
      });
  // Tables carry their warnings inline; the other formats on stderr.
  if (run.format != "table") {
    for (const std::string& skipped : sensitivity_skipped(report)) std::cerr << "note: " << skipped << "\n";
    for (const std::string& warning : sensitivity_warnings(model, report)) std::cerr << "warning: " << warning << "\n";
  }
  if (!html_report.empty()) write_output(html_report, render_html_sensitivity(model, report, html_options()));
  if (run.format == "json")
    write_output(run.output, sensitivity_json(model, report).dump(2) + "\n");
  else if (run.format == "csv")
    write_output(run.output, render_sensitivity_csv(model, report));
  else if (run.format == "xlsx")
    write_workbook(run.output, [&](const std::string& file) { write_sensitivity_workbook(file, model, report, command_line()); });
  else
    write_output(run.output, render_sensitivity_table(model, report, use_color(run)));
  return ok;
}

}  // namespace guidance::cli
