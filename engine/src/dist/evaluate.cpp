// quantile, cdf and support: one dispatch on the shape per call (per block for the block quantile),
// then a loop over the shape's inline functions from shapes.hpp.
#include <algorithm>
#include <limits>
#include <stdexcept>
#include <type_traits>

#include "dist/shapes.hpp"
#include "dist/truncation.hpp"
#include "guidance/distribution.hpp"

namespace guidance {

namespace {

using dist_detail::is_probability;

template <class Shape>
void quantile_block(const Shape& s, const Distribution& d, std::span<const double> u, std::span<double> out) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const std::size_t n = u.size();
  // Normals and lognormals through the vectorised block AS241: lower_quantile's operations, the same
  // bits (outside [0, 1] AS241 gives NaN, as the check below does).
  if constexpr (std::is_same_v<Shape, Normal> || std::is_same_v<Shape, LogNormal>) {
    if (!d.truncated()) {
      standard_normal_quantile(u, out);
      for (std::size_t i = 0; i < n; ++i) out[i] = dist_detail::from_standard_normal(s, out[i]);
      return;
    }
  }
  if (!d.truncated()) {
    for (std::size_t i = 0; i < n; ++i) out[i] = is_probability(u[i]) ? dist_detail::lower_quantile(s, u[i]) : nan;
    return;
  }
  const double mass = dist_detail::truncated_mass(d);
  for (std::size_t i = 0; i < n; ++i) out[i] = dist_detail::truncated_quantile(s, d, mass, u[i], 1.0 - u[i]);
}

}  // namespace

void quantile(const Distribution& distribution, std::span<const double> u, std::span<double> out) {
  if (u.size() != out.size()) throw std::invalid_argument("quantile: u and out differ in length");
  std::visit([&](const auto& s) { quantile_block(s, distribution, u, out); }, distribution.shape);
}

double quantile(const Distribution& distribution, double u) {
  double x;
  quantile(distribution, std::span<const double>(&u, 1), std::span<double>(&x, 1));
  return x;
}

double cdf(const Distribution& distribution, double x) {
  const Distribution& d = distribution;
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
  return std::visit([&](const auto& s) { return std::max(dist_detail::shape_min(s), distribution.truncate_low); },
                    distribution.shape);
}

double support_max(const Distribution& distribution) {
  return std::visit([&](const auto& s) { return std::min(dist_detail::shape_max(s), distribution.truncate_high); },
                    distribution.shape);
}

}  // namespace guidance
