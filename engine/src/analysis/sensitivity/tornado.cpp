// Tornado: each driver at the low and the high end of its range, the others at their medians.
#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/sensitivity/common.hpp"
#include "analysis/sensitivity/design.hpp"
#include "guidance/sensitivity.hpp"

namespace guidance {

MemoryNeed analysis::tornado_memory(const Model& model) {
  return analysis::moves_memory(model, 2 * sensitivity_inputs(model).size());
}

Tornado tornado(const Model& model, std::size_t metric, double range_low, double range_high) {
  analysis::check_metric(model, metric);
  analysis::check_range(range_low, range_high);
  const std::vector<std::size_t> inputs = sensitivity_inputs(model);

  std::vector<analysis::Move> moves;
  for (const std::size_t d : inputs) {
    moves.push_back({d, driver_quantile(model, d, range_low)});
    moves.push_back({d, driver_quantile(model, d, range_high)});
  }
  const std::vector<double> outputs = analysis::evaluate_moves(model, metric, moves);

  Tornado result;
  result.base = outputs[0];
  result.design.evaluations = outputs.size();
  result.design.nonfinite =
      static_cast<std::uint64_t>(std::ranges::count_if(outputs, [](double y) { return !std::isfinite(y); }));
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    TornadoBar& bar = result.bars.emplace_back();
    bar.driver = inputs[k];
    bar.low_input = moves[2 * k].input;
    bar.high_input = moves[2 * k + 1].input;
    bar.output_low = outputs[1 + 2 * k];
    bar.output_high = outputs[2 + 2 * k];
    bar.swing = std::abs(bar.output_high - bar.output_low);
    if (!std::isfinite(bar.swing)) bar.swing = std::numeric_limits<double>::quiet_NaN();
  }
  // Largest swing first; NaN swings last; ties keep driver order.
  std::ranges::stable_sort(result.bars, [](const TornadoBar& a, const TornadoBar& b) {
    if (std::isnan(a.swing) || std::isnan(b.swing)) return !std::isnan(a.swing) && std::isnan(b.swing);
    return a.swing > b.swing;
  });
  return result;
}

}  // namespace guidance
