// Eigen's view of the copula's matrices (guidance::SquareMatrix, guidance/model.hpp), for the stages that
// factor or multiply them: model, and the analyses through its folder. The public headers leave Eigen out.
#pragma once

#include <vector>

#include <Eigen/Core>

#include "guidance/model.hpp"

namespace guidance {

using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// The matrix as Eigen sees it, without a copy. Assigning it to an Eigen::MatrixXd copies it into
/// Eigen's own (column-major) layout, which the factorings and products then work on as before.
inline Eigen::Map<const RowMajorMatrix> eigen_view(const SquareMatrix& matrix) {
  const auto size = static_cast<Eigen::Index>(matrix.size());
  return Eigen::Map<const RowMajorMatrix>(matrix.data(), size, size);
}

inline Eigen::Map<const Eigen::VectorXd> eigen_view(const std::vector<double>& vector) {
  return Eigen::Map<const Eigen::VectorXd>(vector.data(), static_cast<Eigen::Index>(vector.size()));
}

/// A square Eigen matrix (or expression) as the model stores it.
inline SquareMatrix square_matrix(const Eigen::MatrixXd& matrix) {
  SquareMatrix out(static_cast<std::size_t>(matrix.rows()));
  Eigen::Map<RowMajorMatrix>(out.data(), matrix.rows(), matrix.cols()) = matrix;
  return out;
}

}  // namespace guidance
