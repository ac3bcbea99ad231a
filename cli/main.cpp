// guidance: scenario and sensitivity modeling for company financial guidance.
// Parses the command line, runs one command, and maps errors to exit statuses:
// 0 success, 1 `check` found an unlikely guidance line, 2 bad input (scenario, flags, files),
// 3 internal error, 130 interrupted (Ctrl-C).
#include <cstdio>
#include <iostream>
#include <new>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "progress.hpp"
#include "html_report.hpp"
#include "sensitivity.hpp"
#include "tune.hpp"

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
    const int status = app.exit(error);
    return status == 0 ? ok : bad_input;
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
