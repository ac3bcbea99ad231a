// Correlation matrices for the Gaussian copula: conversion, factoring and repair.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "guidance/model.hpp"

namespace guidance {

/// The most drivers the correlations may tie together. The copula's matrix is factored, and an invalid
/// one repaired, in time that grows as the cube of its size (a repair of 250 drivers takes seconds,
/// of 1,000 two minutes), and every trial draws from it in time that grows as the square.
inline constexpr std::size_t max_correlated_drivers = 200;

/// Element-wise 2 sin(pi rho / 6) off the diagonal: the Gaussian-copula correlation whose rank
/// (Spearman) correlation is rho (Kruskal 1958).
Eigen::MatrixXd gaussian_from_spearman(const Eigen::MatrixXd& spearman);

/// The inverse map, (6 / pi) asin(r / 2): the rank correlation a Gaussian correlation r produces.
Eigen::MatrixXd spearman_from_gaussian(const Eigen::MatrixXd& gaussian);

/// A lower-triangular L with L L^T = matrix, for positive definite and positive semidefinite
/// matrices (a correlation of exactly 1 or -1 is semidefinite); nullopt when the matrix has a
/// negative eigenvalue beyond rounding.
std::optional<Eigen::MatrixXd> semidefinite_cholesky(const Eigen::MatrixXd& matrix);

/// Per entry of a correlation matrix: whether a repair must keep it.
using PinnedEntries = Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic>;

/// The nearest correlation matrix in the Frobenius norm (Higham 2002, alternating projections with
/// Dykstra's correction). Entries where `pinned` is true keep their value (the diagonal is always 1).
/// The result's eigenvalues are at least `min_eigenvalue`.
Eigen::MatrixXd nearest_correlation(const Eigen::MatrixXd& matrix, const PinnedEntries* pinned = nullptr,
                                    double min_eigenvalue = 1e-8);

}  // namespace guidance
