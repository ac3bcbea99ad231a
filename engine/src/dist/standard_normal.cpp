#include "dist/standard_normal.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "cpu_features.hpp"
#include "guidance/distribution.hpp"

namespace guidance {

namespace {

/// 85% of uniforms fall in AS241's central region. Its rational function is evaluated for a whole
/// tile, branch-free so that the compiler vectorises it (q clamped to the region keeps the values
/// computed for the other 15% finite). The other 15% are listed without a branch; their logarithms
/// are taken one by one, and the tails' rational functions for the list in a second vectorised loop.
/// Every value is the scalar function's operations in the same order: the same bits.
[[gnu::always_inline]] inline void quantiles(const double* u, double* z, std::size_t size) {
  constexpr std::size_t tile = 512;
  double p[tile], r[tile];
  std::uint32_t tails[tile];
  for (std::size_t first = 0; first < size; first += tile) {
    const std::size_t n = std::min(tile, size - first);
    std::copy_n(u + first, n, p);  // z may be u
    double* out = z + first;
    for (std::size_t i = 0; i < n; ++i) out[i] = dist_detail::ppnd16_central(std::clamp(p[i] - 0.5, -0.425, 0.425));
    std::size_t count = 0;
    for (std::size_t i = 0; i < n; ++i) {
      tails[count] = static_cast<std::uint32_t>(i);
      count += std::fabs(p[i] - 0.5) <= 0.425 ? 0 : 1;
    }
    for (std::size_t k = 0; k < count; ++k) {
      const double x = p[tails[k]];
      r[k] = std::sqrt(-std::log(x < 0.5 ? x : 1.0 - x));  // x not in (0, 1) is redone below
    }
    for (std::size_t k = 0; k < count; ++k) r[k] = dist_detail::ppnd16_tail(r[k]);
    for (std::size_t k = 0; k < count; ++k) {
      const double x = p[tails[k]];
      out[tails[k]] = !(x > 0.0 && x < 1.0) ? dist_detail::ppnd16(x) : x < 0.5 ? -r[k] : r[k];
    }
  }
}

// The same loop compiled for AVX2 (4 lanes instead of 2). Without FMA (-ffp-contract=off) both
// compute the same bits.
GUIDANCE_TARGET_AVX2 void avx2_quantiles(const double* u, double* z, std::size_t size) { quantiles(u, z, size); }

}  // namespace

namespace dist_detail {

void block_quantiles_baseline(const double* u, double* z, std::size_t size) { quantiles(u, z, size); }

bool block_quantiles_avx2(const double* u, double* z, std::size_t size) {
  if (!detail::cpu_has_avx2()) return false;
  avx2_quantiles(u, z, size);
  return true;
}

}  // namespace dist_detail

double standard_normal_quantile(double u) { return dist_detail::ppnd16(u); }

void standard_normal_quantile(std::span<const double> u, std::span<double> z) {
  if (u.size() != z.size()) throw std::invalid_argument("standard_normal_quantile: u and z differ in length");
  if (!dist_detail::block_quantiles_avx2(u.data(), z.data(), u.size()))
    dist_detail::block_quantiles_baseline(u.data(), z.data(), u.size());
}

double standard_normal_cdf(double z) { return dist_detail::normal_cdf(z); }

}  // namespace guidance
