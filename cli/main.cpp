// guidance: scenario and sensitivity modeling for company financial guidance.
// Parses the command line, runs one command, and maps errors to exit statuses:
// 0 success, 1 `check` found an unlikely guidance line, 2 bad input (scenario, flags, files),
// 3 internal error, 130 interrupted (Ctrl-C).
#include <cstdio>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "progress.hpp"
#include "html_report.hpp"
#include "sensitivity.hpp"
#include "tune.hpp"

namespace {

/// A command line CLI11 refused, as every other error is reported: "error: ..." and a hint.
int refuse_command_line(const CLI::App& app, const CLI::ParseError& error, int argc, char** argv) {
  std::vector<std::string> commands;
  for (const CLI::App* command : app.get_subcommands({})) commands.push_back(command->get_name());
  const CLI::App* chosen = app.get_subcommands().empty() ? nullptr : app.get_subcommands().front();
  if (chosen == nullptr && argc > 1 && argv[1][0] != '-') {
    std::cerr << fmt::format("error: unknown command `{}`\nhint: the commands are {}; see `guidance --help`\n", argv[1],
                             fmt::join(commands, ", "));
  } else if (chosen == nullptr) {
    std::cerr << fmt::format("error: {}\nhint: the commands are {}; see `guidance --help`\n", error.what(),
                             fmt::join(commands, ", "));
  } else {
    std::cerr << fmt::format("error: {}\nhint: see `guidance {} --help` for its arguments and flags\n", error.what(),
                             chosen->get_name());
  }
  return guidance::cli::bad_input;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace guidance::cli;
  install_interrupt_handler();
  remember_command_line(argc, argv);
  CLI::App app{"guidance: how likely is each range of a company's financial guidance?"};
  app.set_version_flag("--version", "guidance " GUIDANCE_VERSION);
  app.require_subcommand(1);
  app.fallthrough();

  ValidateCommand validate;
  RunCommand run;
  CheckCommand check;
  add_validate(app, validate);
  add_run(app, run);
  add_check(app, check);
  CompareCommand compare;
  SweepCommand sweep;
  SolveCommand solve;
  ProposeCommand propose;
  add_compare(app, compare);
  add_sweep(app, sweep);
  add_solve(app, solve);
  add_propose(app, propose);
  SensitivityCommand sensitivity;
  add_sensitivity(app, sensitivity);

  try {
    app.parse(argc, argv);
    if (app.got_subcommand("validate")) return validate();
    if (app.got_subcommand("run")) return run();
    if (app.got_subcommand("check")) return check();
    if (app.got_subcommand("compare")) return compare();
    if (app.got_subcommand("sweep")) return sweep();
    if (app.got_subcommand("solve")) return solve();
    if (app.got_subcommand("propose")) return propose();
    if (app.got_subcommand("sensitivity")) return sensitivity();
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
    return refuse_command_line(app, error, argc, argv);
  } catch (const guidance::RunCancelled&) {
    std::cerr << "interrupted\n";
    return interrupted;
  } catch (const guidance::InputError& error) {
    std::cerr << error.render();
    return bad_input;
  } catch (const std::bad_alloc&) {
    std::cerr << "error: out of memory\nhint: run fewer trials (--trials)\n";
    return bad_input;
  } catch (const std::exception& error) {
    std::cerr << "internal error: " << error.what() << "\n";
    return internal_error;
  }
  return ok;
}
