// Rendering of run results: rendering only, no statistics.
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "guidance/model.hpp"
#include "guidance/simulate.hpp"

namespace guidance {

struct TableOptions {
  bool color = false;      // ANSI colour (only when stdout is a terminal and NO_COLOR is unset)
  bool variables = true;   // the table of drivers and metrics (`check` shows only the guidance)
};

/// What `guidance validate` prints for a good file: drivers with their distributions and implied
/// mean, P10 and P90; metrics in evaluation order; correlations; guidance lines.
std::string render_summary(const Scenario& scenario, const Model& model);

/// The people's view: variables with mean and P5/P10/P50/P90/P95, then guidance probabilities.
std::string render_table(const Model& model, const RunReport& report, const TableOptions& options = {});

/// The documented JSON (docs/output-format.md).
nlohmann::ordered_json run_json(const Model& model, const RunReport& report);

/// One row per variable with every statistic.
std::string render_csv(const Model& model, const RunReport& report);

/// The raw trials: a header row, then a row per trial with a column per driver and metric.
void write_samples_csv(std::ostream& out, const Model& model, const SimulationResult& result);

/// A number as the user wrote it: percents as "63.50%", others with sensible significant digits.
std::string format_value(double value, bool percent);

}  // namespace guidance
