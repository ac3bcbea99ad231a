#include "html_report.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "guidance/diagnostics.hpp"
#include "options.hpp"

namespace guidance::cli {

namespace {

std::string& remembered_command() {
  static std::string command;
  return command;
}

/// An argument as a POSIX shell reads it back: bare when it is plain, else in single quotes.
std::string shell_quote(const std::string& argument) {
  const bool plain = !argument.empty() && std::all_of(argument.begin(), argument.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-_./=:,+%@").find(c) != std::string_view::npos;
  });
  if (plain) return argument;
  std::string quoted = "'";
  for (const char c : argument) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

bool ends_with_ignoring_case(const std::string& text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  return std::equal(suffix.begin(), suffix.end(), text.end() - static_cast<std::ptrdiff_t>(suffix.size()),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); });
}

}  // namespace

void add_report_flag(CLI::App& command, std::string& path) {
  command.add_option("--report", path, "Also write an HTML report with charts to this file (PATH.html)")
      ->check(file_name());
}

void check_report_path(const std::string& path) {
  if (path.empty() || ends_with_ignoring_case(path, ".html") || ends_with_ignoring_case(path, ".htm")) return;
  throw InputError({}, fmt::format("--report writes an HTML page, so its file name must end in .html, found `{}`", path),
                   "for example --report q4-outlook.html");
}

void remember_command_line(int argc, char** argv) {
  std::string command = "guidance";
  for (int i = 1; i < argc; ++i) command += " " + shell_quote(argv[i]);
  remembered_command() = std::move(command);
}

const std::string& command_line() { return remembered_command(); }

HtmlOptions html_options() { return {command_line()}; }

}  // namespace guidance::cli
