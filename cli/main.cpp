// guidance: scenario and sensitivity modeling for company financial guidance.
// Parses the command line, runs one command, and maps errors to exit statuses:
// 0 success, 1 `check` found an unlikely guidance line, 2 bad input (scenario, flags, files, a failed
// write), 3 internal error, 128 + n ended by signal n (130 for Ctrl-C, 141 when stdout's reader has gone).
#include <csignal>
#include <cstdio>
#include <functional>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "args/errors.hpp"
#include "cluster.hpp"
#include "commands/run.hpp"
#include "guidance/diagnostics.hpp"
#include "outputs.hpp"
#include "progress.hpp"
#include "html_report.hpp"
#include "commands/sensitivity.hpp"
#include "signals.hpp"
#include "commands/tune.hpp"

namespace {

/// A command line CLI11 refused, as every other error is reported: "error: ..." and a hint, the
/// arguments it quotes printable().
int refuse_command_line(const CLI::App& app, const CLI::ParseError& error, int argc, char** argv) {
  using guidance::printable;
  std::vector<std::string> commands;
  for (const CLI::App* command : app.get_subcommands({})) commands.push_back(command->get_name());
  const CLI::App* chosen = app.get_subcommands().empty() ? nullptr : app.get_subcommands().front();
  if (chosen == nullptr && argc > 1 && argv[1][0] != '-') {
    std::cerr << fmt::format("error: unknown command `{}`\nhint: the commands are {}; see `guidance --help`\n", printable(argv[1]),
                             fmt::join(commands, ", "));
  } else if (chosen == nullptr) {
    std::cerr << fmt::format("error: {}\nhint: the commands are {}; see `guidance --help`\n", printable(error.what()),
                             fmt::join(commands, ", "));
  } else {
    std::cerr << fmt::format("error: {}\nhint: see `guidance {} --help` for its arguments and flags\n", printable(error.what()),
                             chosen->get_name());
  }
  return guidance::cli::bad_input;
}

/// Run `command`; what it throws becomes a message on stderr and an exit status.
int report_errors(const std::function<int()>& command) {
  using namespace guidance::cli;
  try {
    return command();
  } catch (const guidance::RunCancelled&) {
    const int signal = stop_requested();
    std::cerr << ending_message(signal) << "\n";
    return 128 + signal;
  } catch (const ReaderGone&) {
    return 128 + SIGPIPE;  // quietly, as `cat` and `seq` end when the reader of a pipe has gone
  } catch (const guidance::InputError& error) {
    std::cerr << guidance::args::command_line_error(error).render();
    return bad_input;
  } catch (const std::bad_alloc&) {
    std::cerr << "error: out of memory\nhint: run fewer trials (--trials)\n";
    return bad_input;
  } catch (const std::exception& error) {
    std::cerr << "internal error: " << guidance::printable(error.what()) << "\n";
    return internal_error;
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace guidance::cli;
  install_signal_handling();  // before any thread starts
  prepare_standard_streams();
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

  const int status = report_errors([&] {
    join_cluster();
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
      if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
      return refuse_command_line(app, error, argc, argv);
    }
    if (app.got_subcommand("validate")) return validate();
    if (app.got_subcommand("run")) return run();
    if (app.got_subcommand("check")) return check();
    if (app.got_subcommand("compare")) return compare();
    if (app.got_subcommand("sweep")) return sweep();
    if (app.got_subcommand("solve")) return solve();
    if (app.got_subcommand("propose")) return propose();
    if (app.got_subcommand("sensitivity")) return sensitivity();
    return int{ok};
  });
  // The outputs replace their files together, only when the command succeeded.
  if (status != ok && status != check_failed) {
    discard_outputs();
    return leave_cluster(status);
  }
  return leave_cluster(report_errors([&] {
    commit_outputs();
    flush_stdout();
    return status;
  }));
}
