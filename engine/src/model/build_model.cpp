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
#include "model/eigen_view.hpp"

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

double driver_quantile(const Model& model, std::size_t d, double p) {
  const Copula& copula = model.copula;
  const auto found = std::ranges::find(copula.drivers, d);
  if (!copula.conditioned() || found == copula.drivers.end()) return quantile(model.distributions[d], p);
  const auto i = static_cast<std::size_t>(found - copula.drivers.begin());
  // The conditional standard deviation, the norm of L's row i, summed in Eigen's order for a row.
  double variance = 0.0;
  for (std::size_t j = 0; j < copula.cholesky.size(); ++j) variance += copula.cholesky(i, j) * copula.cholesky(i, j);
  const double z = copula.shift[i] + std::sqrt(variance) * standard_normal_quantile(p);
  return quantile(model.distributions[d], standard_normal_cdf(z));
}

namespace {

// A metric folded to a constant that reads a given value, directly or through another such metric,
// is a reported figure (a quarter already reported), not a constant of the model.
void mark_given_metrics(Model& model) {
  const formula::Program& program = model.program;
  for (const std::size_t k : program.order) {
    Variable& variable = model.variables[program.input_count + k];
    if (variable.stochastic) continue;
    variable.given = std::ranges::any_of(program.depends_on[k], [&](std::size_t reg) { return model.variables[reg].given; });
  }
}

void add_drivers(const Scenario& scenario, Model& model) {
  for (const Driver& driver : scenario.drivers) {
    Variable variable;
    variable.name = driver.name;
    variable.kind = VariableKind::driver;
    variable.percent = driver.percent;
    variable.stochastic = driver.distribution.has_value() && !driver.given;
    variable.constant_value = driver.given.value_or(driver.constant);
    variable.given = driver.given.has_value();
    model.variables.push_back(variable);
    // A constant driver keeps a placeholder so that distributions[d] lines up with driver d.
    model.distributions.push_back(driver.distribution.value_or(make_uniform(0.0, 1.0)));
    model.streams.push_back(stream_id(driver.name));
  }
  model.driver_count = scenario.drivers.size();
  model.arrays = scenario.arrays;
}

void add_metrics(const Scenario& scenario, Model& model) {
  model.program = compile_metrics(scenario);
  const formula::Program& program = model.program;
  for (std::size_t m = 0; m < scenario.metrics.size(); ++m) {
    const Metric& metric = scenario.metrics[m];
    const Shape& shape = program.shapes[m];
    // Variable v is register v: element definitions follow the inputs in the metrics' order.
    if (model.variables.size() != program.input_count + program.first[m])
      throw std::logic_error("build_model: a metric's elements are not where its registers are");
    if (!shape.empty()) model.arrays.push_back({metric.name, shape, model.variables.size(), metric.where});
    for (std::size_t i = 0; i < element_count(shape); ++i) {
      const std::size_t k = program.first[m] + i;
      const std::optional<double>& folded = program.constants[k];
      model.variables.push_back({element_name(metric.name, shape, i, model.dimensions), VariableKind::metric,
                                 metric.percent, !folded.has_value(), folded.value_or(0.0), metric.display,
                                 program.indicator[k]});
    }
  }
  mark_given_metrics(model);
}

void add_guidance(const Scenario& scenario, Model& model) {
  for (const GuidanceLine& line : scenario.guidance) {
    const auto variable = static_cast<std::size_t>(model.find(line.name));
    model.guidance.push_back({line.name, variable, line.low, line.high, line.percent, line.text});
    // A metric guided in percents is shown in percents (operating_margin: ["14%", "16%"]).
    if (line.percent) model.variables[variable].percent = true;
  }
}

// The copula's matrices while build_model makes them, in Eigen's type for its factorings; stored in
// the model's own (SquareMatrix) once made.
struct CopulaMatrices {
  Eigen::MatrixXd spearman, gaussian, cholesky;
  Eigen::VectorXd shift;
};

// The copula's drivers with given values leave it, and the others are drawn from the normals'
// distribution conditional on theirs, z_g = Phi^-1(F(given)): mean R_ug R_gg^-1 z_g and covariance
// R_uu - R_ug R_gg^-1 R_gu (Anderson 2003, theorem 2.5.1).
void condition_on_given(const Scenario& scenario, std::vector<std::size_t>& drivers, CopulaMatrices& copula) {
  std::vector<Eigen::Index> given, drawn;
  for (std::size_t i = 0; i < drivers.size(); ++i)
    (scenario.drivers[drivers[i]].given ? given : drawn).push_back(static_cast<Eigen::Index>(i));
  if (given.empty()) return;
  Eigen::VectorXd z(static_cast<Eigen::Index>(given.size()));
  for (std::size_t k = 0; k < given.size(); ++k) {
    const Driver& driver = scenario.drivers[drivers[static_cast<std::size_t>(given[k])]];
    if (std::holds_alternative<Discrete>(driver.distribution->shape)) {
      throw InputError(driver.given_where,
                       fmt::format("`{}` is discrete and correlated: its given value cannot condition the drivers "
                                   "correlated with it exactly",
                                   driver.name),
                       "a discrete value stands for a whole interval of the copula's normal; make the driver "
                       "continuous, or drop its correlations");
    }
    z(static_cast<Eigen::Index>(k)) = standard_normal_quantile(cdf(*driver.distribution, *driver.given));
    if (!std::isfinite(z(static_cast<Eigen::Index>(k)))) {
      throw InputError(driver.given_where,
                       fmt::format("the given value of `{}` lies so far out in its distribution (or at its end) "
                                   "that the copula's normal there is infinite",
                                   driver.name),
                       "a correlated driver's given value must be one its distribution could plausibly draw: check "
                       "the value, or widen the driver");
    }
  }
  const Eigen::MatrixXd r_gg = copula.gaussian(given, given);
  const Eigen::MatrixXd r_ug = copula.gaussian(drawn, given);
  const Eigen::LDLT<Eigen::MatrixXd> solver(r_gg);
  const Eigen::MatrixXd weights = solver.solve(r_ug.transpose()).transpose();  // R_ug R_gg^-1
  const Eigen::MatrixXd covariance = copula.gaussian(drawn, drawn) - weights * r_ug.transpose();
  std::optional<Eigen::MatrixXd> factor = semidefinite_cholesky(covariance);
  if (solver.info() != Eigen::Success || !factor) {
    throw InputError(scenario.drivers[drivers[static_cast<std::size_t>(given.front())]].given_where,
                     "the given values' correlations leave no valid conditional distribution",
                     "given drivers correlated at exactly 1 or -1 must be given consistent values");
  }
  std::vector<std::size_t> drawn_drivers;
  for (const Eigen::Index i : drawn) drawn_drivers.push_back(drivers[static_cast<std::size_t>(i)]);
  drivers = std::move(drawn_drivers);
  copula.shift = weights * z;
  copula.spearman = Eigen::MatrixXd(copula.spearman(drawn, drawn));
  copula.gaussian = Eigen::MatrixXd(copula.gaussian(drawn, drawn));
  copula.cholesky = std::move(*factor);
  if (drivers.empty()) copula.shift.resize(0);
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
  CopulaMatrices copula;
  copula.spearman = Eigen::MatrixXd::Identity(size, size);
  PinnedEntries pinned = PinnedEntries::Constant(size, size, false);
  for (const Correlation& correlation : scenario.correlations) {
    const Eigen::Index a = position(correlation.first), b = position(correlation.second);
    copula.spearman(a, b) = copula.spearman(b, a) =
        correlation.normal ? std::asin(correlation.rho / 2.0) * 6.0 / std::numbers::pi : correlation.rho;
    pinned(a, b) = pinned(b, a) = correlation.pinned;
  }
  copula.gaussian = gaussian_from_spearman(copula.spearman);
  // A correlation of the normals (`ar1`) is used as written, not through the rank correlation's round trip.
  for (const Correlation& correlation : scenario.correlations) {
    if (!correlation.normal) continue;
    const Eigen::Index a = position(correlation.first), b = position(correlation.second);
    copula.gaussian(a, b) = copula.gaussian(b, a) = correlation.rho;
  }

  std::optional<Eigen::MatrixXd> factor = semidefinite_cholesky(copula.gaussian);
  // A valid matrix is used as written, with or without repair: repair never moves a good request.
  if (!factor && scenario.simulation.repair_correlations.value_or(false)) {
    const Eigen::MatrixXd requested = copula.gaussian;
    copula.gaussian = nearest_correlation(requested, &pinned);
    // What the reports show of the repair, kept with the model so that none of them recomputes it.
    const Eigen::MatrixXd used = spearman_from_gaussian(copula.gaussian);
    for (Eigen::Index i = 0; i < used.rows(); ++i)
      for (Eigen::Index j = i + 1; j < used.cols(); ++j)
        model.copula.repairs.push_back({model.variables[drivers[static_cast<std::size_t>(i)]].name,
                                        model.variables[drivers[static_cast<std::size_t>(j)]].name,
                                        copula.spearman(i, j), used(i, j)});
    factor = semidefinite_cholesky(copula.gaussian);
    // Pins that cannot all hold leave the projections no valid matrix that keeps them; the last
    // rescaling then moves them too, which the user asked never to happen.
    for (const Correlation& correlation : scenario.correlations) {
      const Eigen::Index a = position(correlation.first), b = position(correlation.second);
      if (correlation.pinned && std::abs(copula.gaussian(a, b) - requested(a, b)) > 1e-9) {
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
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(copula.gaussian);
    const Eigen::VectorXd weakest = eigen.eigenvectors().col(0);
    // The drivers that load on the eigenvector of the negative eigenvalue are the ones in conflict.
    std::vector<std::string> involved;
    for (Eigen::Index i = 0; i < size; ++i)
      if (std::abs(weakest(i)) >= 0.25 * weakest.cwiseAbs().maxCoeff())
        involved.push_back(model.variables[drivers[static_cast<std::size_t>(i)]].name);
    throw InvalidCorrelations(scenario.correlations.front().where,
                              fmt::format("the correlations do not form a valid correlation matrix: its smallest "
                                          "eigenvalue is {:.4g} (drivers involved: {})",
                                          eigen.eigenvalues()(0), fmt::join(involved, ", ")),
                              "lower some of these correlations, or set `simulation: {repair_correlations: true}` "
                              "to use the nearest valid matrix");
  }
  copula.cholesky = *factor;
  condition_on_given(scenario, drivers, copula);
  model.copula.spearman = square_matrix(copula.spearman);
  model.copula.gaussian = square_matrix(copula.gaussian);
  model.copula.cholesky = square_matrix(copula.cholesky);
  model.copula.shift.assign(copula.shift.begin(), copula.shift.end());
}

}  // namespace

Model build_model(const Scenario& scenario) {
  Model model;
  model.name = scenario.name;
  model.description = scenario.description;
  model.units = scenario.units;
  model.variant = scenario.variant;
  model.simulation = scenario.simulation;
  model.dimensions = scenario.dimensions;
  model.actuals = scenario.actuals;
  add_drivers(scenario, model);
  add_metrics(scenario, model);
  add_guidance(scenario, model);
  add_copula(scenario, model);
  return model;
}

}  // namespace guidance
