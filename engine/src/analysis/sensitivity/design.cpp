#include "analysis/sensitivity/design.hpp"

#include <algorithm>
#include <stdexcept>

namespace guidance::analysis {

Design::Design(const Model& model, std::size_t rows)
    : model_(&model), rows_(rows), columns_(model.variables.size()), pointers_(model.driver_count, nullptr) {
  for (std::size_t v = 0; v < model.variables.size(); ++v)
    if (model.variables[v].stochastic) columns_[v].resize(rows);
}

std::span<double* const> Design::driver_pointers(std::size_t first) {
  for (std::size_t d = 0; d < pointers_.size(); ++d)
    pointers_[d] = columns_[d].empty() ? nullptr : columns_[d].data() + first;
  return pointers_;
}

void Design::evaluate(std::size_t n) {
  if (n > rows_) throw std::invalid_argument("Design::evaluate: more rows than the design has");
  guidance::evaluate(*model_, columns_, n);
}

std::vector<double> driver_medians(const Model& model) {
  std::vector<double> medians(model.driver_count);
  for (std::size_t d = 0; d < model.driver_count; ++d)
    medians[d] =
        model.variables[d].stochastic ? driver_quantile(model, d, 0.5) : model.variables[d].constant_value;
  return medians;
}

Move move(const Model& model, const SensitivityInput& input, double probability) {
  Move out{&input, probability, {}};
  for (const std::size_t d : input.variables) out.values.push_back(driver_quantile(model, d, probability));
  return out;
}

MemoryNeed moves_memory(const Model& model, std::size_t moves) {
  return MemoryNeed{0.0, Design::bytes(model, 1 + moves)} + evaluation_memory(model);
}

std::vector<double> evaluate_moves(const Model& model, std::size_t metric, std::span<const Move> moves) {
  const std::vector<double> medians = driver_medians(model);
  Design design(model, 1 + moves.size());
  for (std::size_t d = 0; d < model.driver_count; ++d)
    if (model.variables[d].stochastic) std::ranges::fill(design.driver(d), medians[d]);
  for (std::size_t k = 0; k < moves.size(); ++k)
    for (std::size_t e = 0; e < moves[k].values.size(); ++e)
      design.driver(moves[k].input->variables[e])[1 + k] = moves[k].values[e];
  design.evaluate(design.rows());
  const std::span<const double> output = design.column(metric);
  return {output.begin(), output.end()};
}

}  // namespace guidance::analysis
