// Models built by hand, as build_model would build them: for sampler tests and benchmarks that must
// not depend on the loader or the model builder.
#pragma once

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Cholesky>

#include "guidance/distribution.hpp"
#include "guidance/model.hpp"
#include "guidance/random.hpp"
#include "model/eigen_view.hpp"

namespace guidance::testing {

struct DriverSpec {
  std::string name;
  std::optional<Distribution> distribution;  // empty: a constant
  double constant = 0.0;
};

struct Correlation {
  std::size_t a, b;
  double spearman;
};

/// A Model as build_model would make it, by hand: drivers only, the copula over the correlated ones.
inline Model hand_model(const std::vector<DriverSpec>& drivers, const std::vector<Correlation>& correlations = {}) {
  Model model;
  model.driver_count = drivers.size();
  for (const DriverSpec& driver : drivers) {
    Variable variable{driver.name, VariableKind::driver};
    variable.stochastic = driver.distribution.has_value();
    variable.constant_value = driver.constant;
    model.variables.push_back(variable);
    model.distributions.push_back(driver.distribution.value_or(make_uniform(0, 1)));
    model.streams.push_back(stream_id(driver.name));
  }
  std::vector<std::size_t>& in_copula = model.copula.drivers;
  for (const Correlation& c : correlations) in_copula.insert(in_copula.end(), {c.a, c.b});
  std::sort(in_copula.begin(), in_copula.end());
  in_copula.erase(std::unique(in_copula.begin(), in_copula.end()), in_copula.end());
  const auto k = static_cast<Eigen::Index>(in_copula.size());
  const auto position = [&](std::size_t d) { return std::find(in_copula.begin(), in_copula.end(), d) - in_copula.begin(); };
  Eigen::MatrixXd spearman = Eigen::MatrixXd::Identity(k, k), gaussian = Eigen::MatrixXd::Identity(k, k);
  for (const Correlation& c : correlations) {
    spearman(position(c.a), position(c.b)) = spearman(position(c.b), position(c.a)) = c.spearman;
    gaussian(position(c.a), position(c.b)) = gaussian(position(c.b), position(c.a)) =
        2 * std::sin(std::numbers::pi * c.spearman / 6);
  }
  model.copula.spearman = square_matrix(spearman);
  model.copula.gaussian = square_matrix(gaussian);
  model.copula.cholesky = square_matrix(gaussian.llt().matrixL());
  return model;
}

/// normal, normal, triangular, uniform, normal and a constant; revenue ~ cogs 0.7, margin ~ units -0.4.
inline Model six_drivers() {
  return hand_model({{"revenue", make_normal(1115, 11.7)},
                     {"cogs", make_normal(560, 9)},
                     {"margin", make_triangular(0.55, 0.64, 0.68)},
                     {"units", make_uniform(90, 110)},
                     {"opex", make_normal(300, 5)},
                     {"tax_rate", std::nullopt, 0.21}},
                    {{0, 1, 0.7}, {2, 3, -0.4}});
}

}  // namespace guidance::testing
