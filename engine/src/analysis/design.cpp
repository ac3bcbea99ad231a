#include "analysis/design.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "dist/standard_normal.hpp"

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
        model.variables[d].stochastic ? quantile(model.distributions[d], 0.5) : model.variables[d].constant_value;
  return medians;
}

std::vector<double> evaluate_moves(const Model& model, std::size_t metric, std::span<const Move> moves) {
  const std::vector<double> medians = driver_medians(model);
  Design design(model, 1 + moves.size());
  for (std::size_t d = 0; d < model.driver_count; ++d)
    if (model.variables[d].stochastic) std::ranges::fill(design.driver(d), medians[d]);
  for (std::size_t k = 0; k < moves.size(); ++k) design.driver(moves[k].driver)[1 + k] = moves[k].input;
  design.evaluate(design.rows());
  const std::span<const double> output = design.column(metric);
  return {output.begin(), output.end()};
}

void values_from_normals(const Distribution& distribution, std::span<const double> z, std::span<double> out) {
  const std::size_t n = z.size();
  if (!distribution.truncated()) {
    if (const auto* normal = std::get_if<Normal>(&distribution.shape)) {
      for (std::size_t i = 0; i < n; ++i) out[i] = normal->mean + normal->sd * z[i];
      return;
    }
    if (const auto* lognormal = std::get_if<LogNormal>(&distribution.shape)) {
      for (std::size_t i = 0; i < n; ++i) out[i] = std::exp(lognormal->mu + lognormal->sigma * z[i]);
      return;
    }
  }
  // A correlated or conditional normal can pass 8.3, where Phi rounds to 1 and the quantile would be
  // the end of the support (infinite for unbounded shapes): keep u in the open interval.
  constexpr double smallest = std::numeric_limits<double>::min();
  const double largest = std::nextafter(1.0, 0.0);
  for (std::size_t i = 0; i < n; ++i) out[i] = std::clamp(dist_detail::normal_cdf(z[i]), smallest, largest);
  quantile(distribution, out.first(n), out.first(n));
}

}  // namespace guidance::analysis
