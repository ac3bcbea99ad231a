// Evaluation of each untruncated shape, inline so that the block loops in quantile.cpp compile to a
// tight loop per kind. Every shape S offers the same overload set:
//
//   lower_quantile(s, p)   Q(p) for p in [0, 1]
//   upper_quantile(s, q)   Q(1 - q), accurate when q is small (the upper tail)
//   lower_cdf(s, x)        P(X <= x)
//   upper_cdf(s, x)        P(X > x), accurate in the upper tail
//   shape_mean(s), shape_variance(s), shape_min(s), shape_max(s)
//
// Callers pass probabilities in [0, 1] (quantile.cpp maps anything else to NaN first).
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

#include <boost/math/special_functions/beta.hpp>

#include "dist/beta_quantile.hpp"
#include "dist/boost_policy.hpp"
#include "dist/standard_normal.hpp"
#include "guidance/distribution.hpp"

namespace guidance::dist_detail {

inline constexpr double infinity = std::numeric_limits<double>::infinity();

// ---- Normal --------------------------------------------------------------------------------------

/// The value at standard normal z: for the quantile, the block quantile and the copula alike.
inline double from_standard_normal(const Normal& s, double z) { return s.mean + s.sd * z; }
inline double lower_quantile(const Normal& s, double p) { return from_standard_normal(s, ppnd16(p)); }
inline double upper_quantile(const Normal& s, double q) { return s.mean - s.sd * ppnd16(q); }
inline double lower_cdf(const Normal& s, double x) { return normal_cdf((x - s.mean) / s.sd); }
inline double upper_cdf(const Normal& s, double x) { return normal_cdf((s.mean - x) / s.sd); }
inline double shape_mean(const Normal& s) { return s.mean; }
inline double shape_variance(const Normal& s) { return s.sd * s.sd; }
inline double shape_min(const Normal&) { return -infinity; }
inline double shape_max(const Normal&) { return infinity; }

// ---- LogNormal -----------------------------------------------------------------------------------

inline double from_standard_normal(const LogNormal& s, double z) { return std::exp(s.mu + s.sigma * z); }
inline double lower_quantile(const LogNormal& s, double p) { return from_standard_normal(s, ppnd16(p)); }
inline double upper_quantile(const LogNormal& s, double q) { return std::exp(s.mu - s.sigma * ppnd16(q)); }
inline double lower_cdf(const LogNormal& s, double x) {
  return x <= 0.0 ? 0.0 : normal_cdf((std::log(x) - s.mu) / s.sigma);
}
inline double upper_cdf(const LogNormal& s, double x) {
  return x <= 0.0 ? 1.0 : normal_cdf((s.mu - std::log(x)) / s.sigma);
}
inline double shape_mean(const LogNormal& s) { return std::exp(s.mu + 0.5 * s.sigma * s.sigma); }
inline double shape_variance(const LogNormal& s) {
  const double s2 = s.sigma * s.sigma;
  return std::expm1(s2) * std::exp(2.0 * s.mu + s2);
}
inline double shape_min(const LogNormal&) { return 0.0; }
inline double shape_max(const LogNormal&) { return infinity; }

// ---- Uniform -------------------------------------------------------------------------------------

inline double lower_quantile(const Uniform& s, double p) { return s.min + (s.max - s.min) * p; }
inline double upper_quantile(const Uniform& s, double q) { return s.max - (s.max - s.min) * q; }
inline double lower_cdf(const Uniform& s, double x) {
  return std::clamp((x - s.min) / (s.max - s.min), 0.0, 1.0);
}
inline double upper_cdf(const Uniform& s, double x) {
  return std::clamp((s.max - x) / (s.max - s.min), 0.0, 1.0);
}
inline double shape_mean(const Uniform& s) { return s.min + 0.5 * (s.max - s.min); }
inline double shape_variance(const Uniform& s) { return (s.max - s.min) * (s.max - s.min) / 12.0; }
inline double shape_min(const Uniform& s) { return s.min; }
inline double shape_max(const Uniform& s) { return s.max; }

// ---- Triangular ----------------------------------------------------------------------------------
// F(x) = (x - min)^2 / (w (mode - min)) left of the mode, 1 - (max - x)^2 / (w (max - mode)) right of
// it, with w = max - min; each quantile branch takes one square root.

inline double lower_quantile(const Triangular& s, double p) {
  const double w = s.max - s.min;
  const bool left = p * w < s.mode - s.min;
  const double root = std::sqrt(left ? p * w * (s.mode - s.min) : (1.0 - p) * w * (s.max - s.mode));
  return left ? s.min + root : s.max - root;
}
inline double upper_quantile(const Triangular& s, double q) {
  const double w = s.max - s.min;
  const bool right = q * w < s.max - s.mode;
  const double root = std::sqrt(right ? q * w * (s.max - s.mode) : (1.0 - q) * w * (s.mode - s.min));
  return right ? s.max - root : s.min + root;
}
inline double lower_cdf(const Triangular& s, double x) {
  const double w = s.max - s.min;
  if (x <= s.min) return 0.0;
  if (x >= s.max) return 1.0;
  if (x <= s.mode) return (x - s.min) * (x - s.min) / (w * (s.mode - s.min));
  return 1.0 - (s.max - x) * (s.max - x) / (w * (s.max - s.mode));
}
inline double upper_cdf(const Triangular& s, double x) {
  const double w = s.max - s.min;
  if (x <= s.min) return 1.0;
  if (x >= s.max) return 0.0;
  if (x >= s.mode) return (s.max - x) * (s.max - x) / (w * (s.max - s.mode));
  return 1.0 - (x - s.min) * (x - s.min) / (w * (s.mode - s.min));
}
// Moments relative to min, so that large offsets (min = 535, max = 560) do not cancel.
inline double shape_mean(const Triangular& s) { return s.min + ((s.mode - s.min) + (s.max - s.min)) / 3.0; }
inline double shape_variance(const Triangular& s) {
  const double b = s.mode - s.min;
  const double c = s.max - s.min;
  return (b * b + c * c - b * c) / 18.0;
}
inline double shape_min(const Triangular& s) { return s.min; }
inline double shape_max(const Triangular& s) { return s.max; }

// ---- Pert ----------------------------------------------------------------------------------------
// min + (max - min) B with B ~ Beta(alpha, beta). The upper tail uses 1 - B ~ Beta(beta, alpha) so that
// values near max keep their precision.

struct BetaShape {
  double alpha;
  double beta;
};
inline BetaShape beta_shape(const Pert& s) {
  const double w = s.max - s.min;
  return {1.0 + s.lambda * (s.mode - s.min) / w, 1.0 + s.lambda * (s.max - s.mode) / w};
}
/// The table, if the shape is still the one it was built for.
inline const BetaQuantileTable* quantile_table(const Pert& s, const BetaShape& b) {
  const BetaQuantileTable* table = s.quantile_table.get();
  return table != nullptr && table->alpha() == b.alpha && table->beta() == b.beta ? table : nullptr;
}
inline double lower_quantile(const Pert& s, double p) {
  const BetaShape b = beta_shape(s);
  const BetaQuantileTable* table = quantile_table(s, b);
  const double x = table != nullptr ? table->lower(p) : boost::math::ibeta_inv(b.alpha, b.beta, p, BoostPolicy());
  return s.min + (s.max - s.min) * x;
}
inline double upper_quantile(const Pert& s, double q) {
  const BetaShape b = beta_shape(s);
  const BetaQuantileTable* table = quantile_table(s, b);
  const double x = table != nullptr ? table->upper(q) : boost::math::ibeta_inv(b.beta, b.alpha, q, BoostPolicy());
  return s.max - (s.max - s.min) * x;
}
inline double lower_cdf(const Pert& s, double x) {
  if (x <= s.min) return 0.0;
  if (x >= s.max) return 1.0;
  const BetaShape b = beta_shape(s);
  return boost::math::ibeta(b.alpha, b.beta, (x - s.min) / (s.max - s.min), BoostPolicy());
}
inline double upper_cdf(const Pert& s, double x) {
  if (x <= s.min) return 1.0;
  if (x >= s.max) return 0.0;
  const BetaShape b = beta_shape(s);
  return boost::math::ibeta(b.beta, b.alpha, (s.max - x) / (s.max - s.min), BoostPolicy());
}
inline double shape_mean(const Pert& s) {
  const BetaShape b = beta_shape(s);
  return s.min + (s.max - s.min) * b.alpha / (b.alpha + b.beta);
}
inline double shape_variance(const Pert& s) {
  const BetaShape b = beta_shape(s);
  const double w = s.max - s.min;
  const double sum = b.alpha + b.beta;
  return w * w * b.alpha * b.beta / (sum * sum * (sum + 1.0));
}
inline double shape_min(const Pert& s) { return s.min; }
inline double shape_max(const Pert& s) { return s.max; }

// ---- Discrete ------------------------------------------------------------------------------------
// Values with zero probability are kept (for describe()) but never drawn: construction sets
// `cumulative` to exactly 1 from the last value with positive probability onwards.

inline double lower_quantile(const Discrete& s, double p) {
  const auto at = std::lower_bound(s.cumulative.begin(), s.cumulative.end(), p);
  return s.values[static_cast<std::size_t>(at - s.cumulative.begin())];
}
inline double upper_quantile(const Discrete& s, double q) { return lower_quantile(s, 1.0 - q); }
inline double lower_cdf(const Discrete& s, double x) {
  const auto above = std::upper_bound(s.values.begin(), s.values.end(), x);
  return above == s.values.begin() ? 0.0 : s.cumulative[static_cast<std::size_t>(above - s.values.begin()) - 1];
}
inline double upper_cdf(const Discrete& s, double x) { return 1.0 - lower_cdf(s, x); }
inline double shape_mean(const Discrete& s) {
  double sum = 0.0;
  for (std::size_t i = 0; i < s.values.size(); ++i) sum += s.probabilities[i] * s.values[i];
  return sum;
}
inline double shape_variance(const Discrete& s) {
  const double m = shape_mean(s);
  double sum = 0.0;
  for (std::size_t i = 0; i < s.values.size(); ++i) sum += s.probabilities[i] * (s.values[i] - m) * (s.values[i] - m);
  return sum;
}
inline double shape_min(const Discrete& s) {
  std::size_t i = 0;
  while (s.probabilities[i] == 0.0) ++i;
  return s.values[i];
}
inline double shape_max(const Discrete& s) {
  std::size_t i = s.values.size() - 1;
  while (s.probabilities[i] == 0.0) --i;
  return s.values[i];
}

// ---- The move -------------------------------------------------------------------------------------

/// x := x * scale + shift over a block of the distribution's values: a pass of its own, and only for a
/// moved distribution, so that an unmoved one keeps its bits (x * 1 + 0 would turn -0 into +0) and
/// costs nothing.
inline void apply_move(const Distribution& d, std::span<double> x) {
  if (!d.moved()) return;
  const double scale = d.scale, shift = d.shift;
  for (double& value : x) value = value * scale + shift;
}

}  // namespace guidance::dist_detail
