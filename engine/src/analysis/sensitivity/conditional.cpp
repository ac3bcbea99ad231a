#include "analysis/sensitivity/conditional.hpp"

#include <optional>
#include <stdexcept>

#include <Eigen/QR>

#include "model/correlation.hpp"

namespace guidance::analysis {

namespace {

Eigen::MatrixXd submatrix(const Eigen::MatrixXd& matrix, const std::vector<std::size_t>& rows,
                          const std::vector<std::size_t>& columns) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(columns.size()));
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < columns.size(); ++j)
      out(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          matrix(static_cast<Eigen::Index>(rows[i]), static_cast<Eigen::Index>(columns[j]));
  return out;
}

}  // namespace

GaussianConditional gaussian_conditional(const Eigen::MatrixXd& covariance, const std::vector<std::size_t>& redrawn,
                                         const Eigen::VectorXd& mean) {
  if (redrawn.empty()) throw std::logic_error("gaussian_conditional: nothing to redraw");
  GaussianConditional conditional;
  conditional.redrawn = redrawn;
  for (std::size_t i = 0, next = 0; i < static_cast<std::size_t>(covariance.rows()); ++i) {
    if (next < redrawn.size() && redrawn[next] == i)
      ++next;
    else
      conditional.given.push_back(i);
  }

  const Eigen::MatrixXd rjj = submatrix(covariance, conditional.redrawn, conditional.redrawn);
  Eigen::MatrixXd schur = rjj;
  conditional.mean_map = Eigen::MatrixXd::Zero(rjj.rows(), static_cast<Eigen::Index>(conditional.given.size()));
  if (!conditional.given.empty()) {
    const Eigen::MatrixXd rjk = submatrix(covariance, conditional.redrawn, conditional.given);
    const Eigen::MatrixXd rkk = submatrix(covariance, conditional.given, conditional.given);
    conditional.mean_map = rjk * Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd>(rkk).pseudoInverse();
    schur = rjj - conditional.mean_map * rjk.transpose();
    schur = 0.5 * (schur + schur.transpose()).eval();  // symmetric to the last bit
  }
  conditional.offset = Eigen::VectorXd::Zero(rjj.rows());
  if (mean.size() > 0) {
    for (std::size_t j = 0; j < conditional.redrawn.size(); ++j)
      conditional.offset(static_cast<Eigen::Index>(j)) = mean(static_cast<Eigen::Index>(conditional.redrawn[j]));
    for (std::size_t k = 0; k < conditional.given.size(); ++k)
      conditional.offset -= conditional.mean_map.col(static_cast<Eigen::Index>(k)) *
                            mean(static_cast<Eigen::Index>(conditional.given[k]));
  }
  std::optional<Eigen::MatrixXd> factor = semidefinite_cholesky(schur);
  if (!factor) throw std::logic_error("gaussian_conditional: the conditional covariance is not positive semidefinite");
  conditional.factor = *factor;
  return conditional;
}

}  // namespace guidance::analysis
