#include "analysis/sensitivity/common.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "analysis/sensitivity/bootstrap.hpp"
#include "guidance/sensitivity.hpp"

namespace guidance::analysis {

void check_metric(const Model& model, std::size_t metric) {
  if (metric >= model.variables.size()) throw std::invalid_argument("sensitivity: metric index out of range");
  const Variable& variable = model.variables[metric];
  if (variable.stochastic) return;
  if (!std::isfinite(variable.constant_value))
    throw InputError({}, fmt::format("`{}` is not a finite number in any trial (it is always {}): no driver moves it",
                                     variable.name,
                                     std::isnan(variable.constant_value) ? "NaN"  // its sign means nothing
                                                                         : fmt::format("{}", variable.constant_value)),
                     "find why the metric is not finite (a division by zero, or the log of a negative number?)");
  throw InputError({},
                   fmt::format("`{}` is the same in every trial ({}): no driver moves it", variable.name,
                               variable.percent ? fmt::format("{:g}%", variable.constant_value * 100.0)
                                                : fmt::format("{:g}", variable.constant_value)),
                   "choose a metric that depends on a driver with a distribution");
}

void check_range(double low, double high) {
  if (!(low > 0.0 && low < high && high < 1.0))
    throw std::invalid_argument("sensitivity: the range must satisfy 0 < low < high < 1");
}

std::vector<std::size_t> correlated_inputs(const Model& model, std::span<const SensitivityInput> inputs) {
  std::vector<std::size_t> correlated;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (std::ranges::any_of(inputs[i].variables,
                            [&](std::size_t v) { return std::ranges::binary_search(model.copula.drivers, v); }))
      correlated.push_back(i);
  return correlated;
}

void check_independent(const Model& model, std::span<const SensitivityInput> inputs, bool ignore_correlations) {
  if (model.copula.empty() || ignore_correlations) return;
  // "a and b", "a, b and c".
  std::string names;
  const std::vector<std::size_t> correlated = correlated_inputs(model, inputs);
  for (std::size_t k = 0; k < correlated.size(); ++k)
    names += std::string(k == 0 ? "" : k + 1 == correlated.size() ? " and " : ", ") + inputs[correlated[k]].name;
  throw InputError(
      {}, fmt::format("sobol indices assume independent drivers, but {} are correlated", names),
      "use the shapley method, whose effects stay right with correlated drivers, or ignore the "
      "correlations to compute the indices as if the drivers were independent");
}

void check_permutations(std::optional<std::size_t> permutations) {
  if (!permutations || *permutations >= min_bootstrap_permutations) return;
  throw InputError({},
                   fmt::format("shapley needs at least {} random permutations, found {}: its bootstrap resamples "
                               "whole permutations",
                               min_bootstrap_permutations, *permutations),
                   fmt::format("ask for {} or more (the default is {})", min_bootstrap_permutations,
                               default_shapley_permutations));
}

void check_trials(SensitivityMethod method, std::uint64_t trials) {
  const std::uint64_t minimum = minimum_trials(method);
  if (trials >= minimum) return;
  const bool bootstrap = method == SensitivityMethod::sobol || method == SensitivityMethod::shapley;
  throw InputError({},
                   fmt::format("{} needs at least {} trials, found {}: {}", method_name(method), minimum, trials,
                               bootstrap ? "fewer leave its bootstrap too few distinct resamples for a 95% interval"
                                         : "with fewer, every rank correlation is +1 or -1"),
                   bootstrap ? "raise the trials: the intervals narrow as 1 / sqrt(trials), and 10,000 or more is usual"
                             : "raise the trials: 10,000 or more is usual");
}

}  // namespace guidance::analysis
