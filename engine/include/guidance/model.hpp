// A scenario compiled for simulation: variables in register order, distributions, the copula factor
// and the formula program. Built once per run; read-only and shared by all threads afterwards.
//
//   Model model = build_model(load_scenario("scenarios/juniper_q4_2012.yaml"));
//   const std::ptrdiff_t eps = model.find("eps");               // an index into model.variables, or -1
//   for (const GuidanceRange& line : model.guidance) ...       // bound to their variables
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

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
  // A driver's value already reported (`given:`), or a metric's element computed from such values and
  // constants only: shown as reported, not simulated.
  bool given = false;
};

/// One pair of a repaired copula: the rank correlation the scenario asked for (0 where it named none)
/// and the one used, the rank correlation of the repaired Gaussian matrix.
struct CorrelationPair {
  std::string a, b;
  double requested = 0.0;
  double used = 0.0;
};

/// A dense square matrix of doubles, row-major: m(i, j) is row i, column j, for i, j < size(). The
/// copula's matrices; the engine's linear algebra reads them through Eigen, which this header leaves out.
class SquareMatrix {
 public:
  SquareMatrix() = default;
  /// size x size, every entry `fill`.
  explicit SquareMatrix(std::size_t size, double fill = 0.0) : size_(size), values_(size * size, fill) {}

  std::size_t size() const { return size_; }
  double& operator()(std::size_t i, std::size_t j) { return values_[i * size_ + j]; }
  double operator()(std::size_t i, std::size_t j) const { return values_[i * size_ + j]; }
  /// The size() * size() entries, row after row.
  double* data() { return values_.data(); }
  const double* data() const { return values_.data(); }
  bool operator==(const SquareMatrix&) const = default;

 private:
  std::size_t size_ = 0;
  std::vector<double> values_;
};

/// The Gaussian copula over the drivers named in `correlations` (the others skip it). Drivers with a
/// given value are not drawn: the others are drawn from the conditional normal given theirs, z =
/// shift + L e with e independent standard normals (docs/methods.md). The matrices are drivers.size()
/// square, indexed by position in `drivers`.
struct Copula {
  std::vector<std::size_t> drivers;  // the drawn drivers' indices, ascending
  SquareMatrix spearman;             // requested rank correlations (identity where not given)
  SquareMatrix gaussian;             // the normals' correlations: 2 sin(pi rho / 6) of a rank correlation,
                                     // a normal correlation (`ar1`) as written; repaired if asked
  SquareMatrix cholesky;             // lower-triangular L with L L^T = gaussian, or the conditional
                                     // covariance given the given values
  std::vector<double> shift;         // the conditional mean of the normals; empty when nothing is given
  /// When the requested matrix was not valid and build_model repaired it (gaussian is then the
  /// nearest valid matrix): every pair of `drivers`, in driver order. Empty otherwise.
  std::vector<CorrelationPair> repairs;

  bool empty() const { return drivers.empty(); }
  bool conditioned() const { return !shift.empty(); }
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
  std::vector<Dimension> dimensions;
  std::vector<ArrayRange> arrays;  // dimensioned drivers and metrics, in variable order

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

/// Driver d's quantile at probability p (0 < p < 1) as the model draws it: its distribution's, or for
/// a driver drawn conditionally on given values (Copula::shift), the conditional one,
/// F^-1(Phi(shift + s Phi^-1(p))) with s the conditional standard deviation of its normal.
double driver_quantile(const Model& model, std::size_t d, double p);

/// build_model's refusal of correlations that do not form a valid matrix, when no repair was asked
/// for. Its hint names the file's `repair_correlations`; a client adds its own way to ask for one.
class InvalidCorrelations : public InputError {
 public:
  using InputError::InputError;
};

/// Compile a validated scenario. Throws InputError for formula errors and for correlations that do not
/// form a valid matrix: unknown drivers, a driver correlated with itself, |rho| > 1, duplicate pairs,
/// a constant driver, or a Gaussian matrix that is not positive definite (naming the drivers involved
/// and the smallest eigenvalue; with `simulation.repair_correlations` the nearest valid matrix is used).
Model build_model(const Scenario& scenario);

// ---- typed changes: what a sweep point or a solve iterate varies ----------------------------------

/// One driver parameter set to a number: {"revenue", "p90", 1130}, or {"tax_rate", "", 0.3} (the driver
/// becomes that constant, replacing its distribution if it has one).
struct ParameterSetting {
  std::string driver;
  std::string parameter;  // as a scenario writes it ("mean", "p90", "lambda", "shift"); empty: a constant
  double value = 0.0;
  bool percent = false;   // shown as a percent (as `30%` in a file)

  /// "revenue.p90", or "tax_rate" for a constant.
  std::string name() const { return parameter.empty() ? driver : driver + "." + parameter; }
};

/// A setting the scenario refuses, with the loader's message. setting() indexes the settings, or is
/// `whole` when the scenario as a whole is at fault (a correlation of a driver made constant, a formula
/// the new constants break): where() is then in the file. For a setting, about_value() false means its
/// name is at fault and where() points into the text ParameterSetting::name() (path ""); true means its
/// value is, and where() is a stand-in for it (path ""): a caller moves either onto wherever the
/// setting came from.
class SettingError : public InputError {
 public:
  static constexpr std::size_t whole = std::numeric_limits<std::size_t>::max();
  SettingError(const InputError& error, std::size_t setting, bool about_value)
      : InputError(error), setting_(setting), about_value_(about_value) {}
  std::size_t setting() const { return setting_; }
  bool about_value() const { return about_value_; }

 private:
  std::size_t setting_;
  bool about_value_;
};

/// `scenario` with each setting applied in order and each changed driver re-derived from its entry as
/// loaded, by the loader's own rules (its other parameters, `range:`, `truncate`, `shift` and `scale`
/// as written), then compiled: the same model as a file with that parameter written so, without
/// reading any YAML. Throws SettingError: an unknown driver or parameter (with "did you mean"), a
/// metric, a parameter of a constant, a value the distribution refuses, or a model build_model refuses.
Model with_parameters(Scenario scenario, std::span<const ParameterSetting> settings);

}  // namespace guidance
