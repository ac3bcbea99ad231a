// `guidance compare`, `sweep`, `solve` and `propose`: the guidance analytics (engine: tuning.hpp).
// Each returns the process exit status; input errors are thrown as InputError (status 2).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "options.hpp"

namespace guidance::cli {

/// Which percentiles the compare and sweep tables show.
struct TableFlags {
  std::vector<std::string> metrics;      // --metric (repeatable)
  std::string percentiles = "10,50,90";  // --percentiles
};

struct CompareCommand {
  ScenarioFlags scenario;
  RunFlags run;
  std::optional<std::string> variants;  // --scenarios a,b,c; unset: base and every variant
  TableFlags table;
  std::string html_report;  // --report PATH.html
  int operator()() const;
};

struct SweepCommand {
  ScenarioFlags scenario;
  RunFlags run;
  std::vector<std::string> vary;  // one or two NAME.PARAM=START:STOP:STEP or NAME.PARAM=v1,v2,...
  TableFlags table;
  std::string html_report;  // --report PATH.html
  int operator()() const;
};

struct SolveCommand {
  ScenarioFlags scenario;
  RunFlags run;
  std::string target;   // "P(eps >= 0.22) = 50%"
  std::string maximize, minimize;  // "P(eps in guidance)": instead of --target
  std::string vary;     // NAME.PARAM
  std::string bracket;  // LO:HI; empty: search around the current value
  int operator()() const;
};

struct ProposeCommand {
  ScenarioFlags scenario;
  RunFlags run;
  std::string metric;
  std::string confidence = "0.8";
  std::optional<std::string> round, center;  // --round STEP, --center X
  int operator()() const;
};

void add_compare(CLI::App& app, CompareCommand& command);
void add_sweep(CLI::App& app, SweepCommand& command);
void add_solve(CLI::App& app, SolveCommand& command);
void add_propose(CLI::App& app, ProposeCommand& command);

}  // namespace guidance::cli
