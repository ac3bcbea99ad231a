#include "model/correlation.hpp"

#include <cmath>
#include <numbers>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>

namespace guidance {

Eigen::MatrixXd gaussian_from_spearman(const Eigen::MatrixXd& spearman) {
  // +-1 stays exact: 2 sin(pi / 6) rounds to 1 - 2^-53, which would leave the drivers' ranks apart.
  Eigen::MatrixXd gaussian = spearman.unaryExpr(
      [](double rho) { return std::abs(rho) == 1.0 ? rho : 2.0 * std::sin(std::numbers::pi * rho / 6.0); });
  gaussian.diagonal().setOnes();
  return gaussian;
}

Eigen::MatrixXd spearman_from_gaussian(const Eigen::MatrixXd& gaussian) {
  Eigen::MatrixXd spearman =
      gaussian.unaryExpr([](double r) { return 6.0 / std::numbers::pi * std::asin(r / 2.0); });
  spearman.diagonal().setOnes();
  return spearman;
}

std::optional<Eigen::MatrixXd> semidefinite_cholesky(const Eigen::MatrixXd& matrix) {
  Eigen::LLT<Eigen::MatrixXd> llt(matrix);
  if (llt.info() == Eigen::Success) return Eigen::MatrixXd(llt.matrixL());

  // Cholesky with zero pivots allowed: a pivot that is zero to rounding leaves its column zero, which
  // is exact for a semidefinite matrix (that variable is a combination of the earlier ones).
  const Eigen::Index n = matrix.rows();
  const double tolerance = 1e-10 * std::max(1.0, matrix.diagonal().cwiseAbs().maxCoeff());
  Eigen::MatrixXd lower = Eigen::MatrixXd::Zero(n, n);
  for (Eigen::Index j = 0; j < n; ++j) {
    const double pivot = matrix(j, j) - lower.row(j).head(j).squaredNorm();
    if (pivot < -tolerance) return std::nullopt;
    if (pivot <= tolerance) {
      // The rest of column j must then vanish too, or the matrix is indefinite.
      for (Eigen::Index i = j + 1; i < n; ++i)
        if (std::abs(matrix(i, j) - lower.row(i).head(j).dot(lower.row(j).head(j))) > 1e-8) return std::nullopt;
      continue;
    }
    lower(j, j) = std::sqrt(pivot);
    for (Eigen::Index i = j + 1; i < n; ++i)
      lower(i, j) = (matrix(i, j) - lower.row(i).head(j).dot(lower.row(j).head(j))) / lower(j, j);
  }
  // Rounding can leave a residual; a factor that does not reproduce the matrix is no factor.
  if ((lower * lower.transpose() - matrix).cwiseAbs().maxCoeff() > 1e-8) return std::nullopt;
  return lower;
}

Eigen::MatrixXd nearest_correlation(const Eigen::MatrixXd& matrix, const PinnedEntries* pinned,
                                    double min_eigenvalue) {
  const Eigen::Index n = matrix.rows();
  // Projection onto the affine set {unit diagonal, pinned entries as given}.
  const auto project_fixed = [&](Eigen::MatrixXd x) {
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index j = 0; j < n; ++j)
        if (i == j) x(i, j) = 1.0;
        else if (pinned && (*pinned)(i, j)) x(i, j) = matrix(i, j);
    return x;
  };
  // Projection onto {eigenvalues >= min_eigenvalue}.
  const auto project_definite = [&](const Eigen::MatrixXd& x) {
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(0.5 * (x + x.transpose()));
    const Eigen::VectorXd clipped = eigen.eigenvalues().cwiseMax(min_eigenvalue);
    return Eigen::MatrixXd(eigen.eigenvectors() * clipped.asDiagonal() * eigen.eigenvectors().transpose());
  };

  Eigen::MatrixXd y = matrix;
  Eigen::MatrixXd correction = Eigen::MatrixXd::Zero(n, n);
  for (int iteration = 0; iteration < 10'000; ++iteration) {
    const Eigen::MatrixXd r = y - correction;
    const Eigen::MatrixXd x = project_definite(r);
    correction = x - r;
    const Eigen::MatrixXd next = project_fixed(x);
    const double change = (next - y).norm();
    y = next;
    if (change < 1e-12 * std::max(1.0, y.norm())) break;
  }
  // The last step restored the unit diagonal; if that cost definiteness beyond the floor, one final
  // definite projection rescaled to a unit diagonal keeps the matrix valid.
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> check(y);
  if (check.eigenvalues()(0) < 0.5 * min_eigenvalue) {
    Eigen::MatrixXd x = project_definite(y);
    const Eigen::VectorXd scale = x.diagonal().cwiseSqrt().cwiseInverse();
    y = scale.asDiagonal() * x * scale.asDiagonal();
  }
  return y;
}

}  // namespace guidance
