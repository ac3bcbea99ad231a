// Spider: each input walked through its range in even steps of probability (a group's elements
// together), the other drivers at their medians.
#include <cmath>
#include <stdexcept>

#include "analysis/sensitivity/common.hpp"
#include "analysis/sensitivity/design.hpp"
#include "guidance/sensitivity.hpp"

namespace guidance {

MemoryNeed analysis::spider_memory(const Model& model, std::span<const SensitivityInput> inputs, std::size_t points) {
  return analysis::moves_memory(model, points * inputs.size());
}

Spider spider(const Model& model, std::span<const SensitivityInput> inputs, std::size_t metric, double range_low,
              double range_high, std::size_t points) {
  analysis::check_metric(model, metric);
  analysis::check_range(range_low, range_high);
  if (points < 2) throw std::invalid_argument("spider: at least two points");

  std::vector<double> probabilities(points);
  for (std::size_t k = 0; k < points; ++k)
    probabilities[k] = range_low + (range_high - range_low) * static_cast<double>(k) / static_cast<double>(points - 1);
  probabilities.back() = range_high;  // exact, whatever the rounding of the steps

  std::vector<analysis::Move> moves;
  for (const SensitivityInput& input : inputs)
    for (const double p : probabilities) moves.push_back(analysis::move(model, input, p));
  const std::vector<double> outputs = analysis::evaluate_moves(model, metric, moves);

  Spider result;
  result.design.evaluations = outputs.size();  // the points and the base
  if (!std::isfinite(outputs[0])) ++result.design.nonfinite;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    SpiderLine& line = result.lines.emplace_back();
    line.input = i;
    for (std::size_t k = 0; k < points; ++k) {
      const std::size_t move = i * points + k;
      line.points.push_back({probabilities[k], moves[move].values, outputs[1 + move]});
      if (!std::isfinite(outputs[1 + move])) ++result.design.nonfinite;
    }
  }
  return result;
}

}  // namespace guidance
