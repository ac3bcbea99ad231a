// `guidance validate`, `run` and `check`. Each returns the process exit status (options.hpp's Exit);
// input errors are thrown as InputError and mapped to status 2 by main.
#pragma once

#include <optional>
#include <string>

#include "options.hpp"

namespace guidance::cli {

struct ValidateCommand {
  ScenarioFlags scenario;
  int operator()() const;
};

struct RunCommand {
  ScenarioFlags scenario;
  RunFlags run;
  // --samples PATH.csv; --samples alone with --format xlsx: the workbook's Trials sheet.
  std::optional<std::string> samples;
  std::string html_report;  // --report PATH.html
  bool ascii = false;        // --ascii: the table's histograms in ASCII
  int operator()() const;
};

struct CheckCommand {
  ScenarioFlags scenario;
  RunFlags run;
  std::string min_probability = "0.5";  // a fraction or a percent
  int operator()() const;
};

void add_validate(CLI::App& app, ValidateCommand& command);
void add_run(CLI::App& app, RunCommand& command);
void add_check(CLI::App& app, CheckCommand& command);

}  // namespace guidance::cli
