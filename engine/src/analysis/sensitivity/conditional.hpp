// Conditional distributions of the Gaussian copula's normals: what Shapley's design redraws.
#pragma once

#include <cstddef>
#include <vector>

#include <Eigen/Core>

namespace guidance::analysis {

/// For z ~ N(0, R) split into the redrawn part z_J and the given part z_K:
/// z_J | z_K ~ N(mean_map z_K, factor factor^T), with the Schur complement
///   mean_map = R_JK R_KK^+,   factor factor^T = R_JJ - R_JK R_KK^+ R_KJ
/// (R_KK^+ the pseudo-inverse, so that correlations of exactly +-1 are allowed). A draw is
/// z_J = mean_map z_K + factor e with e ~ N(0, I).
struct GaussianConditional {
  std::vector<std::size_t> redrawn;  // J: positions in R, ascending
  std::vector<std::size_t> given;    // K: the other positions, ascending
  Eigen::MatrixXd mean_map;          // |J| x |K|
  Eigen::MatrixXd factor;            // |J| x |J|, lower-triangular
};

/// The conditional distribution of the positions `redrawn` (ascending, at least one) given the others.
/// Throws std::logic_error if the Schur complement is not positive semidefinite (R is not a
/// correlation matrix).
GaussianConditional gaussian_conditional(const Eigen::MatrixXd& correlation, const std::vector<std::size_t>& redrawn);

}  // namespace guidance::analysis
