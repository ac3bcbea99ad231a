// `--report PATH.html`: the HTML report of run, sensitivity and compare (docs/output-format.md, "report").
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "guidance/report.hpp"

namespace guidance::cli {

/// Add `--report PATH.html` to a command.
void add_report_flag(CLI::App& command, std::string& path);

/// Throws InputError unless `path` is empty or names an .html or .htm file: checked before any work.
void check_report_path(const std::string& path);

/// Remember the command line that started this process (from main), so that a report can show it.
void remember_command_line(int argc, char** argv);

/// The command line that started this process, shell-quoted, with `guidance` as the program's name: for
/// the HTML report and the workbook's About sheet.
const std::string& command_line();

/// HtmlOptions for this process's reports: command_line().
HtmlOptions html_options();

}  // namespace guidance::cli
