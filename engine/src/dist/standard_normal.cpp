#include "dist/standard_normal.hpp"

#include <algorithm>
#include <stdexcept>

#include "guidance/distribution.hpp"

namespace guidance {

double standard_normal_quantile(double u) { return dist_detail::ppnd16(u); }

// Cloned for AVX2 (4 lanes instead of 2; chosen at load time): the same operations without FMA
// (-ffp-contract=off), so both clones give the same bits.
__attribute__((target_clones("avx2", "default"))) void standard_normal_quantile(std::span<const double> u,
                                                                                 std::span<double> z) {
  if (u.size() != z.size()) throw std::invalid_argument("standard_normal_quantile: u and z differ in length");
  // 85% of uniforms fall in AS241's central region. Its rational function is evaluated for a whole
  // tile, branch-free so that the compiler vectorises it (q clamped to the region keeps the values
  // computed for the other 15% finite), and those are then redone one by one. The central values
  // are the scalar function's operations in the same order: the same bits.
  constexpr std::size_t tile = 512;
  double p[tile];
  for (std::size_t first = 0; first < u.size(); first += tile) {
    const std::size_t n = std::min(tile, u.size() - first);
    std::copy_n(u.data() + first, n, p);  // z may be u
    double* out = z.data() + first;
    for (std::size_t i = 0; i < n; ++i) out[i] = dist_detail::ppnd16_central(std::clamp(p[i] - 0.5, -0.425, 0.425));
    for (std::size_t i = 0; i < n; ++i)
      if (!(std::fabs(p[i] - 0.5) <= 0.425)) out[i] = dist_detail::ppnd16(p[i]);
  }
}

double standard_normal_cdf(double z) { return dist_detail::normal_cdf(z); }

}  // namespace guidance
