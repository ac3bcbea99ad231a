// Regional sensitivity: what the drivers looked like in the trials that missed a guidance range.
#include <algorithm>
#include <cmath>

#include "analysis/sensitivity/common.hpp"
#include "guidance/sensitivity.hpp"
#include "stats/order_statistics.hpp"

namespace guidance {

namespace {

RegionalMiss miss(const Model& model, const SimulationResult& result, std::span<const SensitivityInput> inputs,
                  const std::vector<std::size_t>& trials, std::size_t line, MissSide side) {
  RegionalMiss out;
  out.guidance = line;
  out.side = side;
  out.trials = trials.size();
  out.probability = static_cast<double>(trials.size()) / static_cast<double>(result.trials);
  if (trials.empty()) return out;
  std::vector<double> values(trials.size());
  constexpr double half[] = {0.5};
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    // A group's shift is the mean of its elements' (in their own standard deviations).
    double shifts = 0.0;
    for (const std::size_t d : inputs[i].variables) {
      const std::span<const double> column = result.column(d);
      for (std::size_t k = 0; k < trials.size(); ++k) values[k] = column[trials[k]];
      const double sd = std::sqrt(variance(model.distributions[d]));
      shifts += analysis::share(exact_percentiles(values, half)[0] - driver_quantile(model, d, 0.5), sd);
    }
    out.inputs.push_back({i, shifts / static_cast<double>(inputs[i].variables.size())});
  }
  std::ranges::stable_sort(out.inputs, [](const RegionalShift& a, const RegionalShift& b) {
    return std::abs(a.shift_sd) > std::abs(b.shift_sd);
  });
  return out;
}

}  // namespace

MemoryNeed analysis::regional_memory(const Model& model) {
  // Beside the trials: the positions of a line's misses (a trial misses on one side at most), one
  // miss's values of a driver, and the selection of their median.
  const MemoryNeed miss =
      MemoryNeed{sizeof(std::size_t) + sizeof(double), 0.0} + stats_detail::order_statistics_memory(2);
  return trials_memory(model) + either(evaluation_memory(model), miss);
}

Regional regional(const Model& model, std::span<const SensitivityInput> inputs, const SimulationResult& result,
                  std::size_t metric) {
  analysis::check_metric(model, metric);
  const std::span<const double> output = result.column(metric);

  Regional regional;
  regional.design.evaluations = result.trials;
  regional.design.nonfinite =
      static_cast<std::uint64_t>(std::ranges::count_if(output, [](double y) { return !std::isfinite(y); }));
  for (std::size_t g = 0; g < model.guidance.size(); ++g) {
    const GuidanceRange& line = model.guidance[g];
    if (line.variable != metric) continue;
    // Like `run`, a non-finite value is on neither side. Counted first, so that the positions take what
    // they hold and no more (grown one by one, they could take three times that while reallocating).
    std::vector<std::size_t> below, above;
    below.reserve(static_cast<std::size_t>(std::ranges::count_if(output, [&](double y) { return y < line.low; })));
    above.reserve(static_cast<std::size_t>(std::ranges::count_if(output, [&](double y) { return y > line.high; })));
    for (std::size_t t = 0; t < output.size(); ++t) {
      if (output[t] < line.low)
        below.push_back(t);
      else if (output[t] > line.high)
        above.push_back(t);
    }
    if (std::isfinite(line.low)) regional.misses.push_back(miss(model, result, inputs, below, g, MissSide::below));
    if (std::isfinite(line.high)) regional.misses.push_back(miss(model, result, inputs, above, g, MissSide::above));
  }
  return regional;
}

}  // namespace guidance
