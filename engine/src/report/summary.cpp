// `guidance validate`: what the engine understood of a good scenario, before any simulation.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "guidance/report.hpp"
#include "report/format.hpp"

namespace guidance {

std::string render_summary(const Scenario& scenario, const Model& model) {
  std::string out = fmt::format("{}: ok\n{}\n", scenario.source ? scenario.source->path : "", scenario.name);
  if (scenario.variant != "base") out += fmt::format("scenario: {}\n", scenario.variant);
  if (!scenario.variant_names->empty())
    out += fmt::format("variants: base, {}\n", fmt::join(*scenario.variant_names, ", "));

  for (const Dimension& dimension : model.dimensions)
    out += fmt::format("\ndimension {}: {}", dimension.name, fmt::join(dimension.elements, ", "));
  if (!model.dimensions.empty()) out += "\n";
  out += fmt::format("\ndrivers ({})\n", model.driver_count);
  for (std::size_t d = 0; d < model.driver_count; ++d) {
    const Variable& variable = model.variables[d];
    if (!variable.stochastic) {
      out += fmt::format("  {:<18} {} {}\n", variable.name, variable.given ? "given" : "constant",
                         format_variable_value(variable.constant_value, variable));
      continue;
    }
    const Distribution& distribution = model.distributions[d];
    const double center = mean(distribution);
    const ValueFormat format = value_format(variable, center);
    out += fmt::format("  {:<18} {:<10} mean {}, P10 {}, P90 {}   ({})\n", variable.name, kind_name(distribution),
                       format_with(center, format), format_with(quantile(distribution, 0.10), format),
                       format_with(quantile(distribution, 0.90), format), describe(distribution));
  }

  out += fmt::format("\nmetrics ({}), in evaluation order\n", scenario.metrics.size());
  // The program orders elements; each metric is listed where its first element comes.
  const formula::Program& program = model.program;
  std::vector<bool> listed(scenario.metrics.size(), false);
  for (const std::size_t k : program.order) {
    const auto m = static_cast<std::size_t>(std::ranges::upper_bound(program.first, k) - program.first.begin()) - 1;
    if (listed[m]) continue;
    listed[m] = true;
    const Shape& shape = program.shapes[m];
    if (!shape.empty()) {
      out += fmt::format("  {:<18} = {}   (over {})\n", scenario.metrics[m].name, scenario.metrics[m].formula,
                         describe_shape(shape, model.dimensions));
      continue;
    }
    const Variable& variable = model.variables[model.driver_count + k];
    out += fmt::format("  {:<18} = {}{}\n", variable.name, scenario.metrics[m].formula,
                       variable.stochastic ? "" : fmt::format("   ({} {})", variable.given ? "given" : "constant",
                                                              format_variable_value(variable.constant_value, variable)));
  }

  if (!scenario.correlations.empty()) {
    out += fmt::format("\ncorrelations ({}, rank; Gaussian copula)\n", scenario.correlations.size());
    for (const Correlation& correlation : scenario.correlations)
      out += fmt::format("  {} ~ {}: {}\n", correlation.first, correlation.second, correlation.rho);
    const std::vector<CorrelationPair>& repaired = model.copula.repairs;
    if (!repaired.empty()) out += "not a valid correlation matrix: repaired to the nearest valid one (rank, requested -> used)\n";
    for (const CorrelationPair& pair : repaired)
      out += fmt::format("  {} ~ {}: {:.3f} -> {:.3f}\n", pair.a, pair.b, pair.requested, pair.used);
  }
  if (!scenario.guidance.empty()) {
    out += fmt::format("\nguidance ({})\n", scenario.guidance.size());
    for (const GuidanceRange& line : model.guidance)
      out += fmt::format("  {:<18} {}\n", line.name, format_range(line));
  }
  return out;
}

}  // namespace guidance
