// Designs: blocks of trials whose driver values an analysis sets itself (one-at-a-time points, the
// pick-freeze matrices, conditional redraws), evaluated by the model's block evaluator.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "guidance/model.hpp"
#include "guidance/simulate.hpp"

namespace guidance::analysis {

/// Columns of `rows` trials for every stochastic variable. The caller writes the drivers' columns;
/// evaluate() computes the metrics. Constant drivers and folded metrics have no column.
class Design {
 public:
  Design(const Model& model, std::size_t rows);

  std::size_t rows() const { return rows_; }
  /// Driver d's column (stochastic drivers only).
  std::span<double> driver(std::size_t d) { return columns_[d]; }
  /// Pointers to trial `first` of each driver's column (null for constants), for sample_drivers.
  std::span<double* const> driver_pointers(std::size_t first);
  /// Run the formulas over the first `n` rows (n <= rows()).
  void evaluate(std::size_t n);
  /// A stochastic variable's column.
  std::span<const double> column(std::size_t variable) const { return columns_[variable]; }

 private:
  const Model* model_;
  std::size_t rows_;
  std::vector<Column> columns_;
  std::vector<double*> pointers_;
};

/// Each driver's median (quantile at 1/2); constants have their value.
std::vector<double> driver_medians(const Model& model);

/// A one-at-a-time point: every driver at its median except `driver`, which is at `input`.
struct Move {
  std::size_t driver = 0;
  double input = 0.0;
};

/// The metric with every driver at its median (element 0), then at each move (element 1 + k).
std::vector<double> evaluate_moves(const Model& model, std::size_t metric, std::span<const Move> moves);

/// The value of a driver for the standard normal z: exactly mean + sd z for an untruncated normal and
/// exp(mu + sigma z) for an untruncated lognormal (no CDF round trip), else quantile(Phi(z)) with the
/// probability kept inside the open interval (0, 1). `z` and `out` may alias.
void values_from_normals(const Distribution& distribution, std::span<const double> z, std::span<double> out);

}  // namespace guidance::analysis
