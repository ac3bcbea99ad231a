// A scenario compiled for simulation: variables in register order, distributions, the copula factor
// and the formula program. Built once per run; read-only and shared by all threads afterwards.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "guidance/formula.hpp"
#include "guidance/scenario.hpp"

namespace guidance {

enum class VariableKind { driver, metric };

struct Variable {
  std::string name;
  VariableKind kind;
  bool percent = false;     // shown as a percent (written so, or guided so)
  bool stochastic = true;   // false: the same value in every trial (`constant_value`)
  double constant_value = 0.0;
  Display display;          // a metric's currency and digits
  // A metric whose formula is a comparison or logic at the top (`loss: eps < 0`): 1 or 0 in every
  // trial (NaN from logic over NaN), shown as the probability of 1.
  bool indicator = false;
};

/// The Gaussian copula over the drivers named in `correlations` (the others skip it).
struct Copula {
  std::vector<std::size_t> drivers;  // driver indices, ascending
  Eigen::MatrixXd spearman;          // requested rank correlations (identity where not given)
  Eigen::MatrixXd gaussian;          // 2 sin(pi rho / 6), element-wise off the diagonal
  Eigen::MatrixXd cholesky;          // lower-triangular L with L L^T = gaussian

  bool empty() const { return drivers.empty(); }
};

/// A guidance line bound to its variable.
struct GuidanceRange {
  std::string name;
  std::size_t variable = 0;
  double low = 0.0;   // -inf when open
  double high = 0.0;  // +inf when open
  bool percent = false;
  std::string text;  // as written (GuidanceLine::text); empty: shown from the ends
};

struct Model {
  std::string name;
  std::string description;
  std::string units;
  std::string variant;
  SimulationSettings simulation;

  /// Drivers in file order (index = driver index), then metrics in file order. Variable v is formula
  /// register v.
  std::vector<Variable> variables;
  std::size_t driver_count = 0;
  std::vector<Distribution> distributions;  // per driver; unused for constant drivers
  std::vector<std::uint64_t> streams;       // per driver: random stream id (random.hpp)
  formula::Program program;
  Copula copula;
  std::vector<GuidanceRange> guidance;
  std::vector<Actual> actuals;

  /// Index of the variable called `name`, or -1.
  std::ptrdiff_t find(std::string_view name) const;
  /// Variables with a column in a simulation result (stochastic ones).
  std::size_t stochastic_count() const;
};

/// Compile a validated scenario. Throws InputError for formula errors and for correlations that do not
/// form a valid matrix: unknown drivers, a driver correlated with itself, |rho| > 1, duplicate pairs,
/// a constant driver, or a Gaussian matrix that is not positive definite (naming the drivers involved
/// and the smallest eigenvalue; with `simulation.repair_correlations` the nearest valid matrix is used).
Model build_model(const Scenario& scenario);

}  // namespace guidance
