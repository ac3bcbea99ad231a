// `guidance validate`, `guidance run` and `guidance check`.
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands/run.hpp"
#include "guidance/report.hpp"
#include "args/tuning.hpp"
#include "html_report.hpp"
#include "progress.hpp"
#include "workbook.hpp"

namespace guidance::cli {

namespace {

std::string render(const Run& run, const RunFlags& flags, const TableOptions& table) {
  if (flags.format == "json") return run_json(run.model, run.report).dump(2) + "\n";
  if (flags.format == "csv") return render_csv(run.model, run.report);
  return render_table(run.model, run.report, table);
}

}  // namespace

void add_validate(CLI::App& app, ValidateCommand& command) {
  CLI::App* sub = app.add_subcommand("validate", "Check a scenario file and summarise what it declares");
  add_scenario_flags(*sub, command.scenario);
}

int ValidateCommand::operator()() const {
  Scenario loaded = load_scenario(scenario.file, load_options(scenario));
  if (scenario.repair_correlations) loaded.simulation.repair_correlations = true;
  const Model model = build_model(loaded);
  write_output("", render_summary(loaded, model));
  return ok;
}

void add_run(CLI::App& app, RunCommand& command) {
  CLI::App* sub = app.add_subcommand("run", "Simulate a scenario: percentiles and guidance probabilities");
  add_scenario_flags(*sub, command.scenario);
  add_run_flags(*sub, command.run, {"table", "json", "csv", "xlsx"});
  sub->add_option("--samples", command.samples,
                  "Also write every trial to this CSV file; with --format xlsx and no file, to the workbook's Trials sheet")
      ->expected(0, 1);
  sub->add_option("--actual", command.scenario.actuals, "A reported figure NAME=VALUE: where it fell in the model")
      ->take_all();
  add_report_flag(*sub, command.html_report);
  sub->add_flag("--ascii", command.ascii, "Draw the table's histograms with ASCII characters only");
  add_precision_flags(*sub, command.run);
  add_memory_flag(*sub, command.run);
  sub->add_flag("--show-error", command.run.show_error,
                "Show the 95% half-width of each mean and percentile in the table");
}

int RunCommand::operator()() const {
  check_report_path(html_report);
  check_workbook_output(run);
  // --samples with no file puts the trials in the workbook; an empty file name (an unset shell
  // variable) is refused rather than taken for that.
  const bool trials_sheet = samples && samples->empty();
  if (trials_sheet && run.format != "xlsx")
    throw InputError({}, "--samples needs a file name, or --format xlsx to put the trials in the workbook",
                     "for example --samples trials.csv");
  const std::string samples_file = trials_sheet ? "" : samples.value_or("");
  check_output_paths(scenario.file, {{"--output", run.output}, {"--samples", samples_file}, {"--report", html_report}});
  // The HTML report draws every guidance line's chart, the table and the workbook only the metrics'.
  const Charts charts = !html_report.empty()                              ? Charts::all
                        : run.format == "table" || run.format == "xlsx" ? Charts::metrics
                                                                          : Charts::none;
  const Run result = simulate_scenario("run", scenario, run, charts, trials_sheet, [&](std::uint64_t most_trials) {
    if (trials_sheet) check_trials_sheet(most_trials);
  });
  if (run.format != "table") warn_nonfinite("", result.model, result.report);  // tables say so inline
  if (!samples_file.empty())
    write_output(samples_file, [&](std::ostream& out) {
      write_samples_header(out, result.model);
      if (result.result.trials > 0) {
        write_samples_rows(out, result.model, result.result, 0);
        return;
      }
      // The run streamed its trials: they are sampled again, a few chunks at a time, in trial order.
      with_progress(result.options, 1, [&](const RunOptions& with_bar) {
        stream_trials(result.model, with_bar, [&](std::uint64_t first, const SimulationResult& chunk) {
          write_samples_rows(out, result.model, chunk, first);
        });
        return 0;
      });
    });
  if (!html_report.empty()) write_output(html_report, render_html_run(result.model, result.report, html_options()));
  if (run.format == "xlsx") {
    write_workbook(run.output, [&](const std::string& file) {
      write_run_workbook(file, result.model, result.report, trials_sheet ? &result.result : nullptr, command_line());
    });
    return ok;
  }
  write_output(run.output, render(result, run,
                                  {.color = use_color(run), .histograms = true, .ascii = ascii,
                                   .show_error = run.show_error}));
  return ok;
}

void add_check(CLI::App& app, CheckCommand& command) {
  CLI::App* sub = app.add_subcommand(
      "check", "Simulate and exit 1 when a guidance line is less likely than --min-probability");
  add_scenario_flags(*sub, command.scenario);
  add_run_flags(*sub, command.run);
  sub->add_option("--min-probability", command.min_probability,
                  "Least acceptable P(in) of each line, 0.5 or 50% (default 0.5)");
  add_precision_flags(*sub, command.run);
  add_memory_flag(*sub, command.run);
}

int CheckCommand::operator()() const {
  check_output_paths(scenario.file, {{"--output", run.output}});
  const double least = args::parse_probability(min_probability, "--min-probability", false);
  const Run result = simulate_scenario("check", scenario, run, Charts::none);
  if (result.model.guidance.empty())
    throw InputError({}, fmt::format("`{}` has no guidance lines to check", scenario.file),
                     "add a `guidance:` section, e.g. `eps: [0.19, 0.22]`");
  if (run.format != "table") warn_nonfinite("", result.model, result.report);  // tables say so inline
  write_output(run.output, render(result, run, {.color = use_color(run), .variables = false}));

  std::vector<std::string> failing;
  for (const GuidanceProbability& line : result.report.guidance)
    if (line.p_in < least) failing.push_back(fmt::format("{} ({:.1f}%)", line.name, line.p_in * 100.0));
  if (failing.empty()) {
    std::cerr << fmt::format("check passed: every guidance line has P(in) >= {:g}%\n", least * 100.0);
    return ok;
  }
  std::cerr << fmt::format("check failed: P(in) below {:g}% for {}\n", least * 100.0, fmt::join(failing, ", "));
  return check_failed;
}

}  // namespace guidance::cli
