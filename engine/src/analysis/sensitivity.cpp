// sensitivity(): check everything first, then run the requested methods, sharing one simulation.
#include <algorithm>
#include <stdexcept>

#include "analysis/common.hpp"
#include "guidance/sensitivity.hpp"

namespace guidance {

std::vector<std::size_t> sensitivity_inputs(const Model& model) {
  std::vector<std::size_t> inputs;
  for (std::size_t d = 0; d < model.driver_count; ++d)
    if (model.variables[d].stochastic) inputs.push_back(d);
  return inputs;
}

namespace {

bool wants(const SensitivityOptions& options, SensitivityMethod method) {
  return std::ranges::find(options.methods, method) != options.methods.end();
}

}  // namespace

std::uint64_t sensitivity_stages(const SensitivityOptions& options) {
  const bool simulation = wants(options, SensitivityMethod::correlation) || wants(options, SensitivityMethod::regional);
  return std::uint64_t{simulation} + std::uint64_t{wants(options, SensitivityMethod::sobol)} +
         std::uint64_t{wants(options, SensitivityMethod::shapley)};
}

SensitivityReport sensitivity(const Model& model, const SensitivityOptions& options) {
  const auto wanted = [&](SensitivityMethod method) { return wants(options, method); };
  analysis::check_metric(model, options.metric);
  analysis::check_range(options.range_low, options.range_high);
  if (options.trials == 0) throw std::invalid_argument("sensitivity: no trials");
  SensitivityReport report;
  report.inputs = sensitivity_inputs(model);
  if (wanted(SensitivityMethod::sobol)) analysis::check_independent(model, options.ignore_correlations);
  if (wanted(SensitivityMethod::shapley)) analysis::check_shapley_size(report.inputs.size());

  report.metric = options.metric;
  report.trials = options.trials;
  report.seed = options.seed;
  report.sampling = options.sampling;
  report.range_low = options.range_low;
  report.range_high = options.range_high;
  report.correlated = model.copula.drivers;

  if (wanted(SensitivityMethod::tornado))
    report.tornado = tornado(model, options.metric, options.range_low, options.range_high);
  if (wanted(SensitivityMethod::spider))
    report.spider = spider(model, options.metric, options.range_low, options.range_high, options.spider_points);
  // Each sampling stage reports its trials after those of the stages before it.
  std::uint64_t stages_done = 0;
  const auto next_stage = [&]() -> std::function<bool(std::uint64_t)> {
    if (!options.progress) return nullptr;
    const std::uint64_t offset = stages_done++ * options.trials;
    return [&options, offset](std::uint64_t done) { return options.progress(offset + done); };
  };
  if (wanted(SensitivityMethod::correlation) || wanted(SensitivityMethod::regional)) {
    const SimulationResult result = simulate(
        model, {.trials = options.trials, .seed = options.seed, .sampling = options.sampling, .progress = next_stage()});
    if (wanted(SensitivityMethod::correlation)) report.correlation = rank_correlations(model, result, options.metric);
    if (wanted(SensitivityMethod::regional)) report.regional = regional(model, result, options.metric);
  }
  if (wanted(SensitivityMethod::sobol))
    report.sobol = sobol_indices(model, options.metric, options.trials, options.seed, options.ignore_correlations,
                                 options.bootstrap_resamples, next_stage());
  if (wanted(SensitivityMethod::shapley))
    report.shapley =
        shapley_effects(model, options.metric, options.trials, options.seed, options.bootstrap_resamples, next_stage());
  return report;
}

}  // namespace guidance
