// Shared helpers of the stats tests: reproducible samples and the sort-based reference.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace guidance::testing {

/// Uniform in [0, 1) from the top 53 bits of mt19937_64: the same numbers on every platform.
inline double unit(std::mt19937_64& engine) { return static_cast<double>(engine() >> 11) * 0x1p-53; }

/// The finite values, sorted: the reference that exact selection must equal.
inline std::vector<double> sorted_finite(std::span<const double> values) {
  std::vector<double> sorted;
  for (const double x : values)
    if (std::isfinite(x)) sorted.push_back(x);
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

/// numpy.percentile(x, 100 p) (method "linear") of sorted finite values x.
inline double reference_percentile_of_sorted(std::span<const double> sorted, double p) {
  if (sorted.empty()) return NAN;
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto lower = static_cast<std::size_t>(std::floor(h));
  const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
  const double t = h - std::floor(h), a = sorted[lower], b = sorted[upper];
  if (!std::isfinite(b - a)) return a * (1 - t) + b * t;
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;  // numpy's _lerp
}

inline double reference_percentile(std::span<const double> values, double p) {
  return reference_percentile_of_sorted(sorted_finite(values), p);
}

}  // namespace guidance::testing
