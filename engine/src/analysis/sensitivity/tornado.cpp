// Tornado: each input at the low and the high end of its range (a group's elements together, each at
// its own quantile), the other drivers at their medians.
#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/sensitivity/common.hpp"
#include "analysis/sensitivity/design.hpp"
#include "guidance/sensitivity.hpp"

namespace guidance {

MemoryNeed analysis::tornado_memory(const Model& model, std::span<const SensitivityInput> inputs) {
  return analysis::moves_memory(model, 2 * inputs.size());
}

Tornado tornado(const Model& model, std::span<const SensitivityInput> inputs, std::size_t metric, double range_low,
                double range_high) {
  analysis::check_metric(model, metric);
  analysis::check_range(range_low, range_high);

  std::vector<analysis::Move> moves;
  for (const SensitivityInput& input : inputs) {
    moves.push_back(analysis::move(model, input, range_low));
    moves.push_back(analysis::move(model, input, range_high));
  }
  const std::vector<double> outputs = analysis::evaluate_moves(model, metric, moves);

  Tornado result;
  result.base = outputs[0];
  result.design.evaluations = outputs.size();
  result.design.nonfinite =
      static_cast<std::uint64_t>(std::ranges::count_if(outputs, [](double y) { return !std::isfinite(y); }));
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    TornadoBar& bar = result.bars.emplace_back();
    bar.input = k;
    bar.low_input = moves[2 * k].values;
    bar.high_input = moves[2 * k + 1].values;
    bar.output_low = outputs[1 + 2 * k];
    bar.output_high = outputs[2 + 2 * k];
    bar.swing = std::abs(bar.output_high - bar.output_low);
    if (!std::isfinite(bar.swing)) bar.swing = std::numeric_limits<double>::quiet_NaN();
  }
  // Largest swing first; NaN swings last; ties keep input order.
  std::ranges::stable_sort(result.bars, [](const TornadoBar& a, const TornadoBar& b) {
    if (std::isnan(a.swing) || std::isnan(b.swing)) return !std::isnan(a.swing) && std::isnan(b.swing);
    return a.swing > b.swing;
  });
  return result;
}

}  // namespace guidance
