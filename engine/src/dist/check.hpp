// Parameter checks for the construction functions, so that every ParameterError has the same form:
// "<parameter> must be <expected>, found <value>".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "guidance/distribution.hpp"

namespace guidance::dist_detail {

/// A value the user gave at a percentile, e.g. {0.9, 1130, "p90"} or {0.5, 100, "median"}.
struct Percentile {
  double p;
  double x;
  std::string name;
};

/// "p90" for 0.9, "p2.5" for 0.025: the scenario key for a percentile.
std::string percentile_name(double p);
/// {p, x, "pNN"}, after checking that p is strictly between 0 and 1 and x is finite.
Percentile percentile(double p, double x);

/// "<name> must be finite, found inf".
void require_finite(std::string_view name, double value);
/// "<name> must be > 0, found -0.4".
void require_positive(std::string_view name, double value, std::string_view hint);
/// "<name> must be > 0 for a lognormal, found -3".
void require_positive_for_lognormal(std::string_view name, double value);
/// "max must be > min = 5, found 3".
void require_ordered_range(double min, double max);
/// Orders the two by probability, then requires the values to increase with it:
/// "percentiles out of order: p10 = 1130 is above p90 = 1100".
void require_increasing(Percentile& a, Percentile& b);

/// Numbers in summaries: 4 significant digits, whole numbers from 10^4 up (mean=1115 sd=11.7).
std::string short_number(double value);

/// describe()'s text as a ParameterError pattern: a {} for each number in the variable's own units,
/// and those numbers rounded as short_number shows them (so that an error about a driver written in
/// percent can show them in percent). Numbers without units (lambda, probabilities) are in the pattern.
struct ParameterText {
  std::string pattern;
  std::vector<double> values;
};
ParameterText parameter_text(const Distribution& distribution);

}  // namespace guidance::dist_detail
