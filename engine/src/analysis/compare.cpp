// `guidance compare`: variants side by side with common random numbers. Also what every tuning command
// starts from: the scenario loaded and compiled once, and the table selection.
#include <algorithm>

#include <fmt/format.h>

#include "analysis/tuning_input.hpp"

namespace guidance {

TuningSource open_scenario(const std::string& path, LoadOptions options, bool repair_correlations) {
  Scenario scenario = load_scenario(path, options);
  if (repair_correlations) scenario.simulation.repair_correlations = true;
  Model model = build_model(scenario);  // formula and correlation errors now, not at the first point
  return {std::move(scenario), std::move(model)};
}

std::size_t find_variable(const Model& model, const std::string& name, const std::string& flag) {
  const std::ptrdiff_t found = model.find(name);
  if (found >= 0) return static_cast<std::size_t>(found);
  const auto source = std::make_shared<const SourceText>(SourceText{flag, name});
  tuning_detail::unknown_variable(model, name, SourceLocation{source, 1, 1, static_cast<int>(std::max<std::size_t>(1, name.size()))},
                                  flag + " takes a driver or metric of the scenario");
}

std::vector<std::string> all_variants(const Scenario& scenario) {
  std::vector<std::string> names = {"base"};
  names.insert(names.end(), scenario.variant_names->begin(), scenario.variant_names->end());
  return names;
}

std::vector<std::string> parse_variant_list(const std::string& argument) {
  const auto source = std::make_shared<const SourceText>(SourceText{"--scenarios", argument});
  std::vector<std::string> names;
  for (std::size_t start = 0;;) {
    std::size_t end = argument.find(',', start);
    if (end == std::string::npos) end = argument.size();
    std::size_t left = start, right = end;  // trimmed of spaces
    while (left < right && argument[left] == ' ') ++left;
    while (right > left && argument[right - 1] == ' ') --right;
    std::string name = argument.substr(left, right - left);
    if (name.empty()) {
      throw tuning_detail::argument_error(source, left, 1, "expected a variant name, found nothing",
                                          "write the names separated by commas, e.g. --scenarios base,bear,bull");
    }
    if (std::find(names.begin(), names.end(), name) != names.end())
      throw tuning_detail::argument_error(source, left, name.size(), fmt::format("`{}` is listed twice", name));
    names.push_back(std::move(name));
    if (end == argument.size()) return names;
    start = end + 1;
  }
}

std::vector<VariantReport> compare_variants(std::span<const Scenario> variants, const RunOptions& options,
                                            Charts charts) {
  std::vector<VariantReport> out;
  for (const Scenario& variant : variants) out.push_back({variant.variant, build_model(variant), {}});
  for (VariantReport& variant : out) variant.report = analyze(variant.model, simulate(variant.model, options), charts);
  return out;
}

TuningTable parse_tuning_table(const Model& model, std::span<const std::string> variables, const std::string& percentiles) {
  TuningTable table;
  for (const std::string& name : variables) {
    find_variable(model, name, "--metric");
    if (std::find(table.variables.begin(), table.variables.end(), name) == table.variables.end())
      table.variables.push_back(name);
  }

  const auto source = std::make_shared<const SourceText>(SourceText{"--percentiles", percentiles});
  table.percentiles.clear();
  for (std::size_t start = 0;;) {
    std::size_t end = percentiles.find(',', start);
    if (end == std::string::npos) end = percentiles.size();
    std::string text = percentiles.substr(start, end - start);
    const std::string digits = (!text.empty() && (text[0] == 'p' || text[0] == 'P')) ? text.substr(1) : text;
    const auto known = std::find_if(reported_percentiles.begin(), reported_percentiles.end(),
                                    [&](double p) { return fmt::format("{:g}", p) == digits; });
    if (known == reported_percentiles.end()) {
      throw tuning_detail::argument_error(source, start, text.size(),
                                          fmt::format("expected one of 1, 5, 10, 25, 50, 75, 90, 95, 99, found `{}`", text),
                                          "these are the percentiles every run keeps; `guidance propose` gives any range");
    }
    const auto index = static_cast<std::size_t>(known - reported_percentiles.begin());
    if (std::find(table.percentiles.begin(), table.percentiles.end(), index) == table.percentiles.end())
      table.percentiles.push_back(index);
    if (end == percentiles.size()) return table;
    start = end + 1;
  }
}

}  // namespace guidance
