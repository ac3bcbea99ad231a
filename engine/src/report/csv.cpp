// CSV renderings: one row per variable (statistics), or one row per trial (raw samples).
#include <cmath>

#include <fmt/format.h>

#include "guidance/report.hpp"
#include "report/format.hpp"

namespace guidance {

std::string render_csv(const Model& model, const RunReport& report) {
  std::string out = "variable,kind,mean,mean_se,sd,min,max,count,nonfinite";
  for (const double p : reported_percentiles) out += fmt::format(",p{}", p);
  out += "\n";
  for (std::size_t v = 0; v < model.variables.size(); ++v) {
    const Summary& summary = report.variables[v];
    out += fmt::format("{},{},{},{},{},{},{},{},{}", csv_field(model.variables[v].name),
                       model.variables[v].kind == VariableKind::driver ? "driver" : "metric", csv_cell(summary.mean),
                       csv_cell(summary.mean_se), csv_cell(summary.sd), csv_cell(summary.min), csv_cell(summary.max), summary.count,
                       summary.nonfinite);
    for (const double value : summary.percentiles) out.append(",").append(csv_cell(value));
    out += "\n";
  }
  return out;
}

void write_samples_header(std::ostream& out, const Model& model) {
  std::string line = "trial";
  for (const Variable& variable : model.variables) line.append(",").append(csv_field(variable.name));
  out << line << '\n';
}

void write_samples_csv(std::ostream& out, const Model& model, const SimulationResult& result) {
  write_samples_header(out, model);
  write_samples_rows(out, model, result, 0);
}

void write_samples_rows(std::ostream& out, const Model& model, const SimulationResult& result, std::uint64_t first) {
  std::string line;
  for (std::uint64_t trial = 0; trial < result.trials; ++trial) {
    line = fmt::format("{}", first + trial);
    for (std::size_t v = 0; v < model.variables.size(); ++v) {
      const std::span<const double> column = result.column(v);
      line.append(",").append(csv_cell(column.empty() ? model.variables[v].constant_value : column[trial]));
    }
    out << line << '\n';
  }
}

}  // namespace guidance
