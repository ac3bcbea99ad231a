// Shared pieces of the sensitivity tests: models from YAML text, the analytic test functions, and a
// coverage check for confidence intervals.
#pragma once

#include <bit>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <catch2/catch.hpp>

#include "guidance/load.hpp"
#include "guidance/model.hpp"
#include "guidance/sensitivity.hpp"
#include "guidance/stats.hpp"

namespace guidance::test {

inline Model model_of(const std::string& yaml) { return build_model(parse_scenario(yaml, "test.yaml")); }

inline std::size_t index_of(const Model& model, std::string_view name) {
  const std::ptrdiff_t v = model.find(name);
  REQUIRE(v >= 0);
  return static_cast<std::size_t>(v);
}

/// The index of the sensitivity input called `name` (sensitivity_inputs(model, by_element)).
inline std::size_t input_of(const Model& model, std::string_view name, bool by_element = false) {
  const std::vector<SensitivityInput> inputs = sensitivity_inputs(model, by_element);
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].name == name) return i;
  FAIL("no input called " << name);
  return 0;
}

/// Shapley effects of y = beta^T x, x ~ N(mu, Sigma), in closed form (Owen & Prieur 2017, section 3;
/// Iooss & Prieur 2019, section 3.1). With the closed value val(J) = Var E[y | x_J], which for a
/// Gaussian is Var y - beta_-J^T (Sigma_-J,-J - Sigma_-J,J Sigma_J,J^-1 Sigma_J,-J) beta_-J (the
/// conditional variance does not depend on x_J),
///   Sh_i = sum over J not holding i of |J|! (d - |J| - 1)! / d! (val(J + i) - val(J)) / Var y.
inline std::vector<double> linear_gaussian_shapley(const Eigen::VectorXd& beta, const Eigen::MatrixXd& sigma) {
  const auto d = static_cast<std::size_t>(beta.size());
  const auto indices = [&](std::uint64_t mask, bool in) {
    std::vector<Eigen::Index> out;
    for (std::size_t i = 0; i < d; ++i)
      if (((mask >> i) & 1) == in) out.push_back(static_cast<Eigen::Index>(i));
    return out;
  };
  const double total = beta.dot(sigma * beta);
  const auto value = [&](std::uint64_t known) {
    const std::vector<Eigen::Index> j = indices(known, true), rest = indices(known, false);
    if (rest.empty()) return total;
    const Eigen::VectorXd b = beta(rest);
    Eigen::MatrixXd conditional = sigma(rest, rest);
    if (!j.empty()) conditional -= sigma(rest, j) * sigma(j, j).inverse() * sigma(j, rest);
    return total - b.dot(conditional * b);
  };
  const auto factorial = [](std::size_t n) { return std::tgamma(static_cast<double>(n) + 1); };
  std::vector<double> effects(d, 0.0);
  for (std::size_t i = 0; i < d; ++i)
    for (std::uint64_t known = 0; known < (std::uint64_t{1} << d); ++known) {
      if ((known >> i) & 1) continue;
      const auto size = static_cast<std::size_t>(std::popcount(known));
      effects[i] += factorial(size) * factorial(d - size - 1) / factorial(d) *
                    (value(known | (std::uint64_t{1} << i)) - value(known)) / total;
    }
  return effects;
}

/// The Ishigami function (Ishigami & Homma 1990) with a = 7, b = 0.1, drivers uniform on [-pi, pi].
inline const std::string ishigami_yaml = R"(
name: Ishigami
drivers:
  x1: {dist: uniform, min: -3.141592653589793, max: 3.141592653589793}
  x2: {dist: uniform, min: -3.141592653589793, max: 3.141592653589793}
  x3: {dist: uniform, min: -3.141592653589793, max: 3.141592653589793}
metrics:
  y: sin(x1) + 7 * sin(x2)^2 + 0.1 * x3^4 * sin(x1)
)";

/// Its variance decomposition (Sobol' & Levitan 1999): V1 = b pi^4 / 5 + b^2 pi^8 / 50 + 1/2,
/// V2 = a^2 / 8, V3 = 0, V13 = 8 b^2 pi^8 / 225, V = a^2 / 8 + b pi^4 / 5 + b^2 pi^8 / 18 + 1/2.
struct Ishigami {
  static constexpr double a = 7.0, b = 0.1;
  static constexpr double pi4 = std::numbers::pi * std::numbers::pi * std::numbers::pi * std::numbers::pi;
  static constexpr double v1 = b * pi4 / 5 + b * b * pi4 * pi4 / 50 + 0.5;
  static constexpr double v2 = a * a / 8;
  static constexpr double v13 = 8 * b * b * pi4 * pi4 / 225;
  static constexpr double v = a * a / 8 + b * pi4 / 5 + b * b * pi4 * pi4 / 18 + 0.5;
  static constexpr double first[3] = {v1 / v, v2 / v, 0.0};
  static constexpr double total[3] = {(v1 + v13) / v, v2 / v, v13 / v};
  /// Shapley effects of independent drivers: the first-order index plus an equal share of each
  /// interaction (here only x1-x3).
  static constexpr double shapley[3] = {(v1 + v13 / 2) / v, v2 / v, v13 / 2 / v};
};

/// Sobol's G-function (Saltelli & Sobol' 1995) over k drivers uniform on [0, 1]:
/// g = prod (|4 x_i - 2| + a_i) / (1 + a_i); V_i = 1 / (3 (1 + a_i)^2), V = prod (1 + V_i) - 1,
/// S_i = V_i / V, ST_i = V_i prod_{j != i} (1 + V_j) / V.
struct GFunction {
  std::vector<double> a;

  std::string yaml() const {
    std::string text = "name: G-function\ndrivers:\n";
    for (std::size_t i = 0; i < a.size(); ++i)
      text += "  x" + std::to_string(i + 1) + ": {dist: uniform, min: 0, max: 1}\n";
    text += "metrics:\n  g: ";
    for (std::size_t i = 0; i < a.size(); ++i)
      text += (i ? " * " : "") + std::string("(abs(4 * x") + std::to_string(i + 1) + " - 2) + " + std::to_string(a[i]) +
              ") / (1 + " + std::to_string(a[i]) + ")";
    return text + "\n";
  }
  double partial(std::size_t i) const { return 1.0 / (3.0 * (1 + a[i]) * (1 + a[i])); }
  double variance() const {
    double product = 1.0;
    for (std::size_t i = 0; i < a.size(); ++i) product *= 1 + partial(i);
    return product - 1;
  }
  double first(std::size_t i) const { return partial(i) / variance(); }
  double total(std::size_t i) const {
    double product = partial(i);
    for (std::size_t j = 0; j < a.size(); ++j)
      if (j != i) product *= 1 + partial(j);
    return product / variance();
  }
};

/// Coverage of nominal-95% intervals over `runs` independent runs: with the binomial standard error
/// sqrt(0.95 * 0.05 / runs), the observed rate must lie within 4.5 standard errors of 0.95. With 500
/// runs that is [90.6%, 99.4%]: intervals too wide fail as well as intervals too narrow.
inline void check_coverage(std::size_t covered, std::size_t runs) {
  const double rate = static_cast<double>(covered) / static_cast<double>(runs);
  const double se = std::sqrt(0.95 * 0.05 / static_cast<double>(runs));
  CAPTURE(covered, runs, rate, se);
  CHECK(std::abs(rate - 0.95) <= 4.5 * se);
}

/// The standard error a 95% interval implies, as if it were normal: its half-width / 1.96.
inline double implied_se(const Interval& ci) { return (ci.high - ci.low) / (2 * 1.96); }

}  // namespace guidance::test
