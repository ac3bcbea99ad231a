// The quantile of a truncated shape: Q(F(low) + u (F(high) - F(low))), worked through the survival
// function when the point falls in the upper half, so that truncating far in the upper tail (a normal
// on [mean + 6 sd, inf)) keeps full precision.
#pragma once

#include <algorithm>
#include <limits>

#include "dist/shapes.hpp"
#include "guidance/distribution.hpp"

namespace guidance::dist_detail {

inline bool is_probability(double u) { return u >= 0.0 && u <= 1.0; }

/// F(high) - F(low), from whichever of the CDF or the survival function does not cancel.
inline double truncated_mass(const Distribution& d) {
  return d.cdf_low > 0.5 ? d.sf_low - d.sf_high : d.cdf_high - d.cdf_low;
}

/// The truncated quantile at u, given also uc = 1 - u (exact when the caller knows it better than
/// 1.0 - u, as tanh-sinh quadrature does near u = 1). NaN when u is not in [0, 1].
template <class Shape>
double truncated_quantile(const Shape& s, const Distribution& d, double mass, double u, double uc) {
  if (!is_probability(u)) return std::numeric_limits<double>::quiet_NaN();
  const double p = d.cdf_low + u * mass;
  const double x = p <= 0.5 ? lower_quantile(s, p) : upper_quantile(s, d.sf_high + uc * mass);
  // Rounding may step an ulp outside the range; the range is a promise to the user.
  return std::clamp(x, d.truncate_low, d.truncate_high);
}

}  // namespace guidance::dist_detail
