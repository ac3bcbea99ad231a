// sensitivity(): check everything first, then run the requested methods, sharing one simulation.
#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "analysis/sensitivity/bootstrap.hpp"
#include "analysis/sensitivity/common.hpp"
#include "guidance/sensitivity.hpp"

namespace guidance {

std::vector<SensitivityInput> sensitivity_inputs(const Model& model, bool by_element) {
  std::vector<SensitivityInput> inputs;
  for (std::size_t d = 0; d < model.driver_count; ++d) {
    if (!model.variables[d].stochastic) continue;
    const auto array = std::ranges::find_if(model.arrays, [d](const ArrayRange& a) {
      return a.first <= d && d < a.first + element_count(a.shape);
    });
    if (by_element || array == model.arrays.end()) {
      inputs.push_back({model.variables[d].name, {d}});
      continue;
    }
    // A driver's elements are consecutive variables.
    if (inputs.empty() || inputs.back().name != array->name) inputs.push_back({array->name, {}});
    inputs.back().variables.push_back(d);
  }
  return inputs;
}

namespace {

bool wants(const SensitivityOptions& options, SensitivityMethod method) {
  return std::ranges::find(options.methods, method) != options.methods.end();
}

/// The requested methods that apply, in method order; those that do not are thrown as InputError, or
/// under skip_inapplicable listed in `skipped` with the error's message and hint.
std::vector<SensitivityMethod> applicable_methods(const Model& model, const SensitivityOptions& options,
                                                  std::vector<SkippedMethod>& skipped) {
  std::vector<SensitivityMethod> methods;
  for (const SensitivityMethod method : all_sensitivity_methods) {
    if (!wants(options, method)) continue;
    try {
      if (method == SensitivityMethod::sobol)
        analysis::check_independent(model, sensitivity_inputs(model, options.by_element), options.ignore_correlations);
      if (method == SensitivityMethod::shapley) analysis::check_permutations(options.shapley_permutations);
      analysis::check_trials(method, options.run.trials);
      methods.push_back(method);
    } catch (const InputError& error) {
      if (!options.skip_inapplicable) throw;
      skipped.push_back({method, error.message(), error.hint()});
    }
  }
  return methods;
}

}  // namespace

std::uint64_t minimum_trials(SensitivityMethod method) {
  switch (method) {
    case SensitivityMethod::tornado:
    case SensitivityMethod::spider: return 0;
    case SensitivityMethod::regional: return 1;
    case SensitivityMethod::correlation: return 3;
    case SensitivityMethod::sobol:
    case SensitivityMethod::shapley: return analysis::min_bootstrap_batches;
  }
  return 0;
}

MemoryNeed sensitivity_memory(const Model& model, SensitivityMethod method, const SensitivityOptions& options) {
  const std::vector<SensitivityInput> inputs = sensitivity_inputs(model, options.by_element);
  switch (method) {
    case SensitivityMethod::tornado: return analysis::tornado_memory(model, inputs);
    case SensitivityMethod::spider: return analysis::spider_memory(model, inputs, options.spider_points);
    case SensitivityMethod::correlation: return analysis::correlation_memory(model, inputs);
    case SensitivityMethod::regional: return analysis::regional_memory(model);
    case SensitivityMethod::sobol: return analysis::sobol_memory(model, inputs);
    case SensitivityMethod::shapley:
      return analysis::shapley_memory(model, inputs, options.run.trials, options.shapley_permutations);
  }
  return {};
}

std::uint64_t sensitivity_stages(const Model& model, const SensitivityOptions& options) {
  std::vector<SkippedMethod> skipped;
  SensitivityOptions applicable = options;
  applicable.skip_inapplicable = true;
  applicable.methods = applicable_methods(model, applicable, skipped);
  const bool simulation =
      wants(applicable, SensitivityMethod::correlation) || wants(applicable, SensitivityMethod::regional);
  return std::uint64_t{simulation} + std::uint64_t{wants(applicable, SensitivityMethod::sobol)} +
         std::uint64_t{wants(applicable, SensitivityMethod::shapley)};
}

SensitivityReport sensitivity(const Model& model, const SensitivityOptions& requested) {
  analysis::check_metric(model, requested.metric);
  analysis::check_range(requested.range_low, requested.range_high);
  if (requested.run.trials == 0) throw std::invalid_argument("sensitivity: no trials");
  SensitivityReport report;
  report.inputs = sensitivity_inputs(model, requested.by_element);
  // Every check before any work.
  SensitivityOptions options = requested;
  options.methods = applicable_methods(model, requested, report.skipped);
  const auto wanted = [&](SensitivityMethod method) { return wants(options, method); };
  // The methods run one after the other (correlation and regional on one simulation), so each must
  // fit on its own.
  for (const SensitivityMethod method : options.methods)
    check_memory(fmt::format("sensitivity's {} method", method_name(method)), sensitivity_memory(model, method, options),
                 options.run.trials);

  report.metric = options.metric;
  report.trials = options.run.trials;
  report.seed = options.run.seed;
  report.sampling = options.run.sampling;
  report.range_low = options.range_low;
  report.range_high = options.range_high;
  report.correlated = analysis::correlated_inputs(model, report.inputs);

  if (wanted(SensitivityMethod::tornado))
    report.tornado = tornado(model, report.inputs, options.metric, options.range_low, options.range_high);
  if (wanted(SensitivityMethod::spider))
    report.spider =
        spider(model, report.inputs, options.metric, options.range_low, options.range_high, options.spider_points);
  // Each sampling stage reports its trials after those of the stages before it.
  std::uint64_t stages_done = 0;
  const auto next_stage = [&]() -> std::function<bool(std::uint64_t)> {
    if (!options.run.progress) return nullptr;
    const std::uint64_t offset = stages_done++ * options.run.trials;
    return [&options, offset](std::uint64_t done) { return options.run.progress(offset + done); };
  };
  if (wanted(SensitivityMethod::correlation) || wanted(SensitivityMethod::regional)) {
    RunOptions run = options.run;
    run.progress = next_stage();
    const SimulationResult result = simulate(model, run);
    if (wanted(SensitivityMethod::correlation))
      report.correlation = rank_correlations(model, report.inputs, result, options.metric);
    if (wanted(SensitivityMethod::regional)) report.regional = regional(model, report.inputs, result, options.metric);
  }
  if (wanted(SensitivityMethod::sobol))
    report.sobol = sobol_indices(model, report.inputs, options.metric, options.run.trials, options.run.seed,
                                 options.ignore_correlations, options.bootstrap_resamples, next_stage());
  if (wanted(SensitivityMethod::shapley))
    report.shapley = shapley_effects(model, report.inputs, options.metric, options.run.trials, options.run.seed,
                                     options.bootstrap_resamples, options.shapley_permutations, next_stage());
  return report;
}

}  // namespace guidance
