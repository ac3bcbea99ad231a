// Conditional distributions of the Gaussian copula's normals: what Shapley's design redraws.
#pragma once

#include <cstddef>
#include <vector>

#include <Eigen/Core>

namespace guidance::analysis {

/// For z ~ N(mu, R) split into the redrawn part z_J and the given part z_K:
/// z_J | z_K ~ N(offset + mean_map z_K, factor factor^T), with the Schur complement
///   mean_map = R_JK R_KK^+,   offset = mu_J - mean_map mu_K,   factor factor^T = R_JJ - R_JK R_KK^+ R_KJ
/// (R_KK^+ the pseudo-inverse, so that correlations of exactly +-1 are allowed). A draw is
/// z_J = offset + mean_map z_K + factor e with e ~ N(0, I).
struct GaussianConditional {
  std::vector<std::size_t> redrawn;  // J: positions in R, ascending
  std::vector<std::size_t> given;    // K: the other positions, ascending
  Eigen::MatrixXd mean_map;          // |J| x |K|
  Eigen::VectorXd offset;            // |J|; zero when mu is
  Eigen::MatrixXd factor;            // |J| x |J|, lower-triangular
};

/// The conditional distribution of the positions `redrawn` (ascending, at least one) given the others,
/// for normals with covariance `covariance` (a correlation matrix, or the copula's conditional
/// covariance given reported values) and mean `mean` (empty: zero). Throws std::logic_error if the
/// Schur complement is not positive semidefinite (`covariance` is not a covariance matrix).
GaussianConditional gaussian_conditional(const Eigen::MatrixXd& covariance, const std::vector<std::size_t>& redrawn,
                                         const Eigen::VectorXd& mean = {});

}  // namespace guidance::analysis
