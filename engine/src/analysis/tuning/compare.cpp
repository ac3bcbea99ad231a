// `guidance compare`: variants side by side with common random numbers. Also what every tuning command
// starts from: the scenario loaded and compiled once.
#include "guidance/tuning.hpp"

namespace guidance {

TuningSource open_scenario(const std::string& path, LoadOptions options, bool repair_correlations) {
  Scenario scenario = load_scenario(path, options);
  if (repair_correlations) scenario.simulation.repair_correlations = true;
  Model model = build_model(scenario);  // formula and correlation errors now, not at the first point
  return {std::move(scenario), std::move(model)};
}

std::vector<Scenario> open_variants(const std::string& path, const LoadOptions& options,
                                    std::span<const std::string> names, bool repair_correlations) {
  std::vector<Scenario> variants = load_variants(path, options, names);
  if (repair_correlations)
    for (Scenario& variant : variants) variant.simulation.repair_correlations = true;
  return variants;
}

std::vector<std::string> all_variants(const Scenario& scenario) {
  std::vector<std::string> names = {"base"};
  names.insert(names.end(), scenario.variant_names->begin(), scenario.variant_names->end());
  return names;
}

std::vector<VariantReport> compare_variants(std::span<const Scenario> variants, const RunOptions& options,
                                            Charts charts) {
  std::vector<VariantReport> out;
  for (const Scenario& variant : variants) out.push_back({variant.variant, build_model(variant), {}});
  const RunOptions each = run_reports_options(out.size(), options);
  for (const VariantReport& variant : out) check_memory("compare", run_report_memory(variant.model, each), options.trials);
  std::vector<const Model*> models;
  for (const VariantReport& variant : out) models.push_back(&variant.model);
  std::vector<RunReport> reports = run_reports(models, options, charts);
  for (std::size_t v = 0; v < out.size(); ++v) out[v].report = std::move(reports[v]);
  return out;
}

}  // namespace guidance
