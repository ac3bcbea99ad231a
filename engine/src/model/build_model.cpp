// Scenario -> Model: bind drivers and metrics to registers, compile the formulas, factor the copula.
#include <algorithm>
#include <cmath>
#include <numbers>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <fmt/format.h>

#include "guidance/load.hpp"
#include "guidance/model.hpp"
#include "guidance/random.hpp"
#include "model/correlation.hpp"

namespace guidance {

std::ptrdiff_t Model::find(std::string_view wanted) const {
  for (std::size_t v = 0; v < variables.size(); ++v)
    if (variables[v].name == wanted) return static_cast<std::ptrdiff_t>(v);
  return -1;
}

std::size_t Model::stochastic_count() const {
  return static_cast<std::size_t>(
      std::count_if(variables.begin(), variables.end(), [](const Variable& v) { return v.stochastic; }));
}

namespace {

void add_drivers(const Scenario& scenario, Model& model) {
  for (const Driver& driver : scenario.drivers) {
    Variable variable{driver.name, VariableKind::driver, driver.percent, driver.distribution.has_value(),
                      driver.constant};
    model.variables.push_back(variable);
    // A constant driver keeps a placeholder so that distributions[d] lines up with driver d.
    model.distributions.push_back(driver.distribution.value_or(make_uniform(0.0, 1.0)));
    model.streams.push_back(stream_id(driver.name));
  }
  model.driver_count = scenario.drivers.size();
}

void add_metrics(const Scenario& scenario, Model& model) {
  model.program = compile_metrics(scenario);
  for (std::size_t m = 0; m < scenario.metrics.size(); ++m) {
    const std::optional<double>& folded = model.program.constants[m];
    model.variables.push_back({scenario.metrics[m].name, VariableKind::metric, scenario.metrics[m].percent,
                               !folded.has_value(), folded.value_or(0.0), scenario.metrics[m].display,
                               model.program.indicator[m]});
  }
}

void add_guidance(const Scenario& scenario, Model& model) {
  for (const GuidanceLine& line : scenario.guidance) {
    const auto variable = static_cast<std::size_t>(model.find(line.name));
    model.guidance.push_back({line.name, variable, line.low, line.high, line.percent, line.text});
    // A metric guided in percents is shown in percents (operating_margin: ["14%", "16%"]).
    if (line.percent) model.variables[variable].percent = true;
  }
}

void add_copula(const Scenario& scenario, Model& model) {
  if (scenario.correlations.empty()) return;
  std::vector<std::size_t>& drivers = model.copula.drivers;
  std::vector<bool> correlated(model.driver_count, false);
  for (const Correlation& correlation : scenario.correlations) {
    for (const std::string* name : {&correlation.first, &correlation.second}) {
      const auto driver = static_cast<std::size_t>(model.find(*name));
      if (!correlated[driver]) drivers.push_back(driver);
      correlated[driver] = true;
    }
    if (drivers.size() > max_correlated_drivers)
      throw InputError(correlation.where,
                       fmt::format("the correlations tie more than {} drivers together", max_correlated_drivers),
                       "the matrix is factored (and repaired) in time that grows as the cube of its size; "
                       "correlate only the drivers that matter most (the tornado ranks them)");
  }
  std::sort(drivers.begin(), drivers.end());

  const auto size = static_cast<Eigen::Index>(drivers.size());
  const auto position = [&](const std::string& name) {
    const auto driver = static_cast<std::size_t>(model.find(name));
    return static_cast<Eigen::Index>(std::lower_bound(drivers.begin(), drivers.end(), driver) - drivers.begin());
  };
  model.copula.spearman = Eigen::MatrixXd::Identity(size, size);
  PinnedEntries pinned = PinnedEntries::Constant(size, size, false);
  for (const Correlation& correlation : scenario.correlations) {
    const Eigen::Index a = position(correlation.first), b = position(correlation.second);
    model.copula.spearman(a, b) = model.copula.spearman(b, a) = correlation.rho;
    pinned(a, b) = pinned(b, a) = correlation.pinned;
  }
  model.copula.gaussian = gaussian_from_spearman(model.copula.spearman);

  std::optional<Eigen::MatrixXd> factor = semidefinite_cholesky(model.copula.gaussian);
  // A valid matrix is used as written, with or without repair: repair never moves a good request.
  if (!factor && scenario.simulation.repair_correlations.value_or(false)) {
    const Eigen::MatrixXd requested = model.copula.gaussian;
    model.copula.gaussian = nearest_correlation(requested, &pinned);
    factor = semidefinite_cholesky(model.copula.gaussian);
    // Pins that cannot all hold leave the projections no valid matrix that keeps them; the last
    // rescaling then moves them too, which the user asked never to happen.
    for (const Correlation& correlation : scenario.correlations) {
      const Eigen::Index a = position(correlation.first), b = position(correlation.second);
      if (correlation.pinned && std::abs(model.copula.gaussian(a, b) - requested(a, b)) > 1e-9) {
        std::vector<std::string> names;
        for (const Correlation& pin : scenario.correlations)
          if (pin.pinned) names.push_back(fmt::format("{} ~ {}", pin.first, pin.second));
        throw InputError(correlation.where,
                         fmt::format("the pinned correlations cannot all hold in a valid correlation matrix "
                                     "(pinned: {})",
                                     fmt::join(names, ", ")),
                         "unpin or lower some of them: a repair moves only the pairs that are not pinned");
      }
    }
  }
  if (!factor) {
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(model.copula.gaussian);
    const Eigen::VectorXd weakest = eigen.eigenvectors().col(0);
    // The drivers that load on the eigenvector of the negative eigenvalue are the ones in conflict.
    std::vector<std::string> involved;
    for (Eigen::Index i = 0; i < size; ++i)
      if (std::abs(weakest(i)) >= 0.25 * weakest.cwiseAbs().maxCoeff())
        involved.push_back(model.variables[drivers[static_cast<std::size_t>(i)]].name);
    throw InputError(scenario.correlations.front().where,
                     fmt::format("the correlations do not form a valid correlation matrix: its smallest "
                                 "eigenvalue is {:.4g} (drivers involved: {})",
                                 eigen.eigenvalues()(0), fmt::join(involved, ", ")),
                     "lower some of these correlations, or set `simulation: {repair_correlations: true}` "
                     "(or --repair-correlations) to use the nearest valid matrix");
  }
  model.copula.cholesky = *factor;
}

}  // namespace

Model build_model(const Scenario& scenario) {
  Model model;
  model.name = scenario.name;
  model.description = scenario.description;
  model.units = scenario.units;
  model.variant = scenario.variant;
  model.simulation = scenario.simulation;
  model.actuals = scenario.actuals;
  add_drivers(scenario, model);
  add_metrics(scenario, model);
  add_guidance(scenario, model);
  add_copula(scenario, model);
  return model;
}

}  // namespace guidance
