// `guidance sensitivity`: which driver moves a metric, and by how much.
#pragma once

#include <optional>
#include <string>

#include "options.hpp"

namespace guidance::cli {

struct SensitivityCommand {
  ScenarioFlags scenario;
  RunFlags run;  // --trials, --seed, --threads, --format, --output (no --sampling: designs are Monte Carlo)
  std::string metric;
  std::string methods = "tornado,correlation";
  std::string range = "10,90";
  bool ignore_correlations = false;
  bool by_element = false;                   // --by-element: every element of a driver its own input
  std::optional<std::string> permutations;   // --permutations N: shapley's random-permutation design
  std::string html_report;  // --report PATH.html (html_report.hpp)
  int operator()() const;
};

void add_sensitivity(CLI::App& app, SensitivityCommand& command);

}  // namespace guidance::cli
