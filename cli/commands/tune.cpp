// `guidance compare`, `sweep`, `solve` and `propose`.
#include "commands/tune.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "args/tuning.hpp"
#include "guidance/report.hpp"
#include "guidance/tuning.hpp"
#include "html_report.hpp"
#include "progress.hpp"
#include "workbook.hpp"

namespace guidance::cli {

namespace {

using args::find_variable;
using args::parse_bracket;
using args::parse_tuning_table;
using args::parse_variation;

void add_table_flags(CLI::App& command, TableFlags& flags) {
  command.add_option("--metric", flags.metrics, "Show the percentiles of this driver or metric (repeatable)")
      ->allow_extra_args(false);
  command.add_option("--percentiles", flags.percentiles, "Percentiles to show, from 1,5,10,25,50,75,90,95,99 (default 10,50,90)");
}

std::string json_text(const nlohmann::ordered_json& json) { return json.dump(2) + "\n"; }

}  // namespace

void add_compare(CLI::App& app, CompareCommand& command) {
  CLI::App* sub = app.add_subcommand("compare", "Variants side by side, with the same trials in each");
  add_scenario_flags(*sub, command.scenario);
  add_run_flags(*sub, command.run, {"table", "json", "xlsx"});
  add_memory_flag(*sub, command.run);
  sub->add_option("--scenarios", command.variants, "Variants to compare, e.g. base,bear,bull (default: all)");
  add_table_flags(*sub, command.table);
  add_report_flag(*sub, command.html_report);  // the HTML report (html_report.hpp)
}

int CompareCommand::operator()() const {
  check_report_path(html_report);  // before any work
  check_workbook_output(run);
  check_output_paths(scenario.file, {{"--output", run.output}, {"--report", html_report}});
  if (scenario.variant != "base") {
    throw InputError({}, fmt::format("compare takes the variants to compare with --scenarios, found --scenario {}", scenario.variant),
                     fmt::format("e.g. --scenarios base,{}", scenario.variant));
  }
  const ThreadLimit limit(run.threads);
  // The file is read once, for base (whose settings and names every variant runs with) and the variants
  // compared: without --scenarios base and every variant, in file order.
  std::vector<std::string> names;
  if (variants) {
    names = args::parse_variant_list(*variants);
    names.insert(names.begin(), "base");
  }
  std::vector<Scenario> scenarios =
      open_variants(scenario.file, load_options(scenario), names, scenario.repair_correlations);
  const Model base = build_model(scenarios.front());
  if (variants) scenarios.erase(scenarios.begin());
  const TuningTable selection = parse_tuning_table(base, table.metrics, table.percentiles);
  const RunOptions resolved = resolve_run_options(base, run);
  const std::vector<VariantReport> reports =
      with_progress(resolved, scenarios.size(),
                    [&](const RunOptions& options) {
                      return compare_variants(scenarios, options, html_report.empty() ? Charts::none : Charts::all);
                    });
  for (const VariantReport& variant : reports) warn_nonfinite(fmt::format("in {}, ", variant.variant), variant.model, variant.report);
  if (!html_report.empty()) write_output(html_report, render_html_compare(reports, html_options()));
  if (run.format == "xlsx")
    write_workbook(run.output, [&](const std::string& file) { write_compare_workbook(file, reports, command_line()); });
  else
    write_output(run.output, run.format == "json" ? json_text(compare_json(reports)) : render_compare(reports, selection));
  return ok;
}

void add_sweep(CLI::App& app, SweepCommand& command) {
  CLI::App* sub = app.add_subcommand("sweep", "Guidance probabilities at each value of one or two driver parameters");
  add_scenario_flags(*sub, command.scenario);
  add_run_flags(*sub, command.run, {"table", "json", "xlsx"});
  add_memory_flag(*sub, command.run);
  sub->add_option("--vary", command.vary, "NAME.PARAM=START:STOP:STEP or NAME.PARAM=v1,v2,... (once or twice)")
      ->required()
      ->allow_extra_args(false);
  add_table_flags(*sub, command.table);
  add_report_flag(*sub, command.html_report);
}

int SweepCommand::operator()() const {
  check_report_path(html_report);  // before any work
  check_workbook_output(run);
  check_output_paths(scenario.file, {{"--output", run.output}, {"--report", html_report}});
  if (vary.size() > 2) {
    throw InputError({}, fmt::format("a sweep takes one or two --vary, found {}", vary.size()),
                     "one --vary gives a table, two give a grid");
  }
  std::vector<Variation> variations;
  for (const std::string& argument : vary) variations.push_back(parse_variation(argument));
  const ThreadLimit limit(run.threads);
  const TuningSource source = open_scenario(scenario);
  const TuningTable selection = parse_tuning_table(source.model, table.metrics, table.percentiles);
  std::uint64_t points = 1;
  for (const Variation& variation : variations) points *= variation.values.size();
  const RunOptions resolved = resolve_run_options(source.model, run);
  const Sweep sweep = with_progress(resolved, points, [&](const RunOptions& options) {
    return run_sweep(source, std::move(variations), options);
  });
  for (const SweepPoint& point : sweep.points) {
    std::string where = "at ";
    for (std::size_t k = 0; k < sweep.vary.size(); ++k)
      where += fmt::format("{}{} = {}", k == 0 ? "" : ", ", sweep.vary[k].name(), point.values[k]);
    warn_nonfinite(where + ", ", point.model, point.report);
  }
  if (!html_report.empty()) write_output(html_report, render_html_sweep(sweep, html_options()));
  if (run.format == "xlsx")
    write_workbook(run.output, [&](const std::string& file) { write_sweep_workbook(file, sweep, command_line()); });
  else
    write_output(run.output, run.format == "json" ? json_text(sweep_json(sweep)) : render_sweep(sweep, selection));
  return ok;
}

void add_solve(CLI::App& app, SolveCommand& command) {
  CLI::App* sub = app.add_subcommand("solve", "Find the value of a driver parameter that meets a target");
  add_scenario_flags(*sub, command.scenario);
  add_run_flags(*sub, command.run, {"table", "json"});
  add_memory_flag(*sub, command.run);
  CLI::Option* target =
      sub->add_option("--target", command.target,
                      "P(METRIC >= X) = p, P(METRIC <= X) = p, P(METRIC in guidance) = p, pNN(METRIC) = x or mean(METRIC) = x");
  CLI::Option* bracket =
      sub->add_option("--bracket", command.bracket, "LO:HI, the range to search (default: around the current value)");
  CLI::Option* maximize =
      sub->add_option("--maximize", command.maximize,
                      "Instead of --target: the value inside --bracket where a statistic is largest, e.g. 'P(eps in guidance)'");
  CLI::Option* minimize =
      sub->add_option("--minimize", command.minimize, "Instead of --target: where a statistic is smallest");
  maximize->excludes(target)->excludes(minimize)->needs(bracket);
  minimize->excludes(target)->needs(bracket);
  sub->add_option("--vary", command.vary, "The parameter to solve for: NAME.PARAM, or NAME for a constant")->required();
}

int SolveCommand::operator()() const {
  check_output_paths(scenario.file, {{"--output", run.output}});
  if (target.empty() && maximize.empty() && minimize.empty()) {
    throw InputError({}, "solve needs --target, --maximize or --minimize",
                     "e.g. --target 'P(eps >= 0.22) = 50%' or --maximize 'P(eps in guidance)' --bracket LO:HI");
  }
  const Target parsed_target = !maximize.empty()   ? parse_target(maximize, "--maximize", Target::Aim::maximize)
                               : !minimize.empty() ? parse_target(minimize, "--minimize", Target::Aim::minimize)
                                                   : parse_target(target, "--target");
  const Variation variation = parse_variation(vary);
  SolveOptions search;
  if (!bracket.empty()) search.bracket = parse_bracket(bracket);
  const ThreadLimit limit(run.threads);
  const TuningSource source = open_scenario(scenario);
  // How many runs the search takes is not known until it ends.
  const RunOptions resolved = resolve_run_options(source.model, run);
  const Solution solution = with_progress(resolved, 0, [&](const RunOptions& options) {
    return solve(source, parsed_target, variation, options, search);
  });
  warn_nonfinite("at the solution, ", solution.model, solution.report);
  write_output(run.output, run.format == "json" ? json_text(solution_json(solution)) : render_solution(solution));
  return ok;
}

void add_propose(CLI::App& app, ProposeCommand& command) {
  CLI::App* sub = app.add_subcommand("propose", "The range to publish for a metric, and where each published range sits");
  add_scenario_flags(*sub, command.scenario);
  add_run_flags(*sub, command.run, {"table", "json", "xlsx"});
  add_memory_flag(*sub, command.run);
  sub->add_option("--metric", command.metric, "The driver or metric to propose a range for")->required();
  sub->add_option("--confidence", command.confidence, "Probability the range should hold, e.g. 0.8 or 80% (default 0.8)");
  sub->add_option("--round", command.round, "Round the range's ends outward to this step, e.g. 0.01 or 0.1%");
  sub->add_option("--center", command.center, "Publish X ± h: the smallest h that holds the probability");
}

int ProposeCommand::operator()() const {
  check_workbook_output(run);
  check_output_paths(scenario.file, {{"--output", run.output}});
  const double probability = args::parse_probability(confidence, "--confidence", true);
  PublishOptions publish;
  if (round) publish.step = args::parse_round_step(*round);
  if (center) publish.center = args::parse_center(*center);
  const ThreadLimit limit(run.threads);
  const Model model = load_model(scenario);
  const std::size_t variable = find_variable(model, metric, "--metric");  // before the run, not after it
  // The workbook shows the guided metrics' histograms, as run's does.
  const Charts charts = run.format == "xlsx" ? Charts::metrics : Charts::none;
  const RunOptions options = resolve_run_options(model, run);
  // A streamed proposal's own passes follow its run's, on the bar as a second run.
  const std::uint64_t runs = keeps_trials(model, options) ? 1 : 2;
  const ProposalRun proposed = with_progress(options, runs, [&](const RunOptions& with_bar) {
    return run_proposal(model, with_bar, variable, probability, publish, charts);
  });
  const RunReport& report = proposed.report;
  const Proposal& proposal = proposed.proposal;
  warn_nonfinite("", model, report);
  if (run.format == "xlsx")
    write_workbook(run.output, [&](const std::string& file) { write_proposal_workbook(file, model, report, proposal, command_line()); });
  else
    write_output(run.output, run.format == "json" ? json_text(proposal_json(model, report, proposal))
                                                  : render_proposal(model, report, proposal));
  return ok;
}

}  // namespace guidance::cli
