// quantile, cdf and support: one dispatch on the shape per call (per block for the block quantile),
// then a loop over the shape's inline functions from shapes.hpp.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>

#include "dist/shapes.hpp"
#include "dist/truncation.hpp"
#include "guidance/distribution.hpp"
#include "simd/cpu_features.hpp"

namespace guidance {

namespace {

using dist_detail::is_probability;

/// out[i] = lower_quantile(shape, u[i]), NaN where u[i] is not a probability: `shape` is a local copy
/// (its fields cannot alias `out`), so the loop vectorises, the triangular quantile's branches
/// becoming selects. Two builds, element by element the same operations (no FMA): the baseline one
/// and an AVX-512 one, chosen where the CPU has it.
template <class Shape>
[[gnu::always_inline]] inline void quantile_loop(const Shape shape, const double* u, double* out, std::size_t n) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < n; ++i) out[i] = is_probability(u[i]) ? dist_detail::lower_quantile(shape, u[i]) : nan;
}
template <class Shape>
void baseline_quantile_loop(const Shape& shape, const double* u, double* out, std::size_t n) {
  quantile_loop(shape, u, out, n);
}
template <class Shape>
GUIDANCE_TARGET_AVX512 void avx512_quantile_loop(const Shape& shape, const double* u, double* out, std::size_t n) {
  quantile_loop(shape, u, out, n);
}

/// truncated_quantile for a whole block of a truncated normal or lognormal: each point's probability
/// in the half where truncated_quantile takes it, one block AS241 for all of them, then that half's
/// side of the shape (upper_quantile(s, q) is from_standard_normal(s, -z): negating is exact). The
/// same operations as truncated_quantile, so the same bits; every loop branch-free, as the half is a
/// coin toss per point. `u` may be `out`.
template <class Shape>
void truncated_normal_block(const Shape& s, const Distribution& d, std::span<const double> u, std::span<double> out) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  constexpr std::size_t tile = 512;
  const double mass = dist_detail::truncated_mass(d);
  const double cdf_low = d.cdf_low, sf_high = d.sf_high, low = d.truncate_low, high = d.truncate_high;
  std::array<double, tile> p;
  std::array<double, tile> side;  // +1 below the median, -1 above
  for (std::size_t first = 0; first < u.size(); first += tile) {
    const std::size_t n = std::min(tile, u.size() - first);
    for (std::size_t i = 0; i < n; ++i) {
      const double x = u[first + i];
      const double lower = cdf_low + x * mass;
      const double upper = sf_high + (1.0 - x) * mass;
      const bool above = !(lower <= 0.5);
      p[i] = is_probability(x) ? (above ? upper : lower) : nan;
      side[i] = above ? -1.0 : 1.0;
    }
    const std::span<double> z(p.data(), n);
    standard_normal_quantile(z, z);
    // std::clamp's comparisons in this order, so that NaN passes through as there.
    for (std::size_t i = 0; i < n; ++i)
      out[first + i] = std::min(std::max(dist_detail::from_standard_normal(s, side[i] * z[i]), low), high);
  }
}

template <class Shape>
void quantile_block(const Shape& s, const Distribution& d, std::span<const double> u, std::span<double> out) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const std::size_t n = u.size();
  // Normals and lognormals through the vectorised block AS241: lower_quantile's operations, the same
  // bits (outside [0, 1] AS241 gives NaN, as the check below does).
  if constexpr (std::is_same_v<Shape, Normal> || std::is_same_v<Shape, LogNormal>) {
    // Also bounds far enough out that no mass lies beyond them in double: the same values, except that
    // the clamp keeps u = 0 and 1 inside the bounds.
    if (d.truncate_low > -dist_detail::infinity || d.truncate_high < dist_detail::infinity) {
      truncated_normal_block(s, d, u, out);
    } else {
      standard_normal_quantile(u, out);
      for (std::size_t i = 0; i < n; ++i) out[i] = dist_detail::from_standard_normal(s, out[i]);
    }
    return;
  }
  if (!d.truncated()) {
    if constexpr (std::is_trivially_copyable_v<Shape>) {
      if (detail::cpu_has_avx512()) avx512_quantile_loop(s, u.data(), out.data(), n);
      else baseline_quantile_loop(s, u.data(), out.data(), n);
    } else {
      for (std::size_t i = 0; i < n; ++i) out[i] = is_probability(u[i]) ? dist_detail::lower_quantile(s, u[i]) : nan;
    }
    return;
  }
  const double mass = dist_detail::truncated_mass(d);
  for (std::size_t i = 0; i < n; ++i) out[i] = dist_detail::truncated_quantile(s, d, mass, u[i], 1.0 - u[i]);
}

}  // namespace

void quantile(const Distribution& distribution, std::span<const double> u, std::span<double> out) {
  if (u.size() != out.size()) throw std::invalid_argument("quantile: u and out differ in length");
  std::visit([&](const auto& s) { quantile_block(s, distribution, u, out); }, distribution.shape);
  dist_detail::apply_move(distribution, out);
}

double quantile(const Distribution& distribution, double u) {
  double x;
  quantile(distribution, std::span<const double>(&u, 1), std::span<double>(&x, 1));
  return x;
}

double cdf(const Distribution& distribution, double value) {
  const Distribution& d = distribution;
  const double x = d.moved() ? (value - d.shift) / d.scale : value;
  return std::visit(
      [&](const auto& s) {
        if (!d.truncated()) return dist_detail::lower_cdf(s, x);
        if (x < d.truncate_low) return 0.0;
        if (x >= d.truncate_high) return 1.0;
        const double mass = dist_detail::truncated_mass(d);
        const double inside = d.cdf_low > 0.5 ? d.sf_low - dist_detail::upper_cdf(s, x)
                                              : dist_detail::lower_cdf(s, x) - d.cdf_low;
        return std::clamp(inside / mass, 0.0, 1.0);
      },
      d.shape);
}

double support_min(const Distribution& distribution) {
  double low = std::visit([&](const auto& s) { return std::max(dist_detail::shape_min(s), distribution.truncate_low); },
                          distribution.shape);
  dist_detail::apply_move(distribution, std::span(&low, 1));
  return low;
}

double support_max(const Distribution& distribution) {
  double high = std::visit([&](const auto& s) { return std::min(dist_detail::shape_max(s), distribution.truncate_high); },
                           distribution.shape);
  dist_detail::apply_move(distribution, std::span(&high, 1));
  return high;
}

}  // namespace guidance
