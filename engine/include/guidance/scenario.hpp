// A scenario as the user wrote it, validated: plain structs, every value with its location.
//
// load_scenario() (load.hpp) produces it; build_model() (model.hpp) compiles it for simulation.
//
//   const Scenario scenario = load_scenario("scenarios/juniper_q4_2012.yaml");
//   for (const Driver& driver : scenario.drivers)
//     std::cout << driver.where.line << ": " << driver.name << '\n';   // as the file has them
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "guidance/diagnostics.hpp"
#include "guidance/dimension.hpp"
#include "guidance/distribution.hpp"

namespace guidance {

namespace load_detail {
struct WrittenDriver;
}

enum class Sampling { monte_carlo, latin_hypercube, sobol };

/// "mc", "lhs", "sobol": how the scenario file, the command line, JSON and Python spell each sampling.
constexpr std::string_view sampling_key(Sampling sampling) {
  switch (sampling) {
    case Sampling::monte_carlo: return "mc";
    case Sampling::latin_hypercube: return "lhs";
    case Sampling::sobol: return "sobol";
  }
  return "";
}

/// The sampling spelled `key` ("mc", "lhs", "sobol"), or nullopt.
constexpr std::optional<Sampling> sampling_from_key(std::string_view key) {
  for (const Sampling sampling : {Sampling::monte_carlo, Sampling::latin_hypercube, Sampling::sobol})
    if (sampling_key(sampling) == key) return sampling;
  return std::nullopt;
}

struct SimulationSettings {
  std::optional<std::uint64_t> trials;  // 1 .. 10^10
  std::optional<std::uint64_t> seed;
  std::optional<Sampling> sampling;
  std::optional<bool> repair_correlations;
};

/// A driver: an uncertain input with a distribution, or a constant. A dimensioned driver is one Driver
/// per element (`revenue[routing,Q3]`), consecutive, with an ArrayRange naming them.
struct Driver {
  std::string name;
  SourceLocation where;                      // the driver's key
  std::optional<Distribution> distribution;  // empty for a constant
  double constant = 0.0;                     // its value when there is no distribution
  bool percent = false;                      // written with percents: shown as percents
  /// A value already reported (`given:`): the same in every trial. The distribution stays, so that the
  /// elements correlated with this one are drawn conditionally on it.
  std::optional<double> given;
  SourceLocation given_where;
  /// What the loader read it from, for with_parameters (model.hpp) to re-derive it by the same rules.
  std::shared_ptr<const load_detail::WrittenDriver> written;
};

/// How a metric's numbers are written besides percents: `format: currency` and `digits:`.
struct Display {
  std::string currency;       // `format: currency`: the sign of the file's units ("$"); empty otherwise
  int scale_exponent = 0;     // with a currency, the units' scale: 6 for `USD millions` ("$1,100M")
  std::optional<int> digits;  // decimals (0 to 12); empty: chosen from the magnitude
};

/// A metric: a formula over drivers and other metrics.
struct Metric {
  std::string name;
  std::string formula;
  SourceLocation where;          // the metric's key
  SourceLocation formula_where;  // the first character of the formula text
  bool percent = false;          // `format: percent`: shown as percents
  Display display;
};

/// A correlation between two drivers: a rank (Spearman) correlation as `correlations:` writes it, or
/// (`normal`) the correlation of the copula's normals, as a driver's `ar1:` and `correlation:` state it.
struct Correlation {
  std::string first;
  std::string second;
  double rho = 0.0;
  SourceLocation where;  // the [a, b, rho] entry
  SourceLocation first_where, second_where, rho_where;
  bool pinned = false;  // [a, b, rho, pin]: a repair of the matrix keeps this pair as written
  bool normal = false;  // rho is the Gaussian copula's correlation, not a rank correlation
};

/// A published range for a driver or metric: inclusive; an open end is infinite.
struct GuidanceLine {
  std::string name;
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
  bool percent = false;
  // The range as the file writes it, for display: "16000 ± 2%", "~$1.78B", "0.04 ± 0.10 (reported to
  // 0.01)"; empty for a [low, high] line, which is shown from its ends.
  std::string text;
  SourceLocation where;
};

/// A reported figure, for back-testing (`actuals:`, or LoadOptions::actuals).
struct Actual {
  std::string name;
  double value = 0.0;
  SourceLocation where;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string units;
  std::string variant = "base";  // which of the file's scenarios this is
  SimulationSettings simulation;
  std::vector<Dimension> dimensions;  // file order
  std::vector<Driver> drivers;        // file order; a dimensioned driver's elements in a row
  std::vector<ArrayRange> arrays;     // the dimensioned drivers, file order
  std::vector<Correlation> correlations;
  std::vector<Metric> metrics;  // file order
  std::vector<GuidanceLine> guidance;
  std::vector<Actual> actuals;
  // Names under `scenarios:`, file order; never null. Shared: compare loads every variant at once.
  std::shared_ptr<const std::vector<std::string>> variant_names = std::make_shared<const std::vector<std::string>>();
  std::shared_ptr<const SourceText> source;
};

}  // namespace guidance
