#include "dist/standard_normal.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <stdexcept>

#include "guidance/distribution.hpp"
#include "simd/cpu_features.hpp"
#include "simd/lanes.hpp"
#include "simd/lanes_exp.hpp"

namespace guidance {

namespace {

/// 85% of uniforms fall in AS241's central region. Its rational function is evaluated for a whole
/// tile, branch-free so that the compiler vectorises it (q clamped to the region keeps the values
/// computed for the other 15% finite). The other 15% are listed first, and their p kept, because z may
/// be u; their logarithms (lanes_log), square roots and rational functions are then taken over the
/// list, vectorised. Every value is the scalar function's operations in the same order: the same bits.
[[gnu::always_inline]] inline void quantiles(const double* u, double* z, std::size_t size) {
  constexpr std::size_t tile = 512;
  double tail_p[tile], r[tile];
  std::uint32_t tails[tile + 3];
  for (std::size_t first = 0; first < size; first += tile) {
    const std::size_t n = std::min(tile, size - first);
    const double* p = u + first;
    double* out = z + first;
    // AS241's tails: not |p - 0.5| <= 0.425 (NaN too).
    const std::size_t count = detail::list_lanes(
        p, n, [](detail::Lanes x) __attribute__((always_inline)) { return !(detail::lanes_abs(x - 0.5) <= 0.425); },
        tails);
    for (std::size_t k = 0; k < count; ++k) tail_p[k] = p[tails[k]];
    for (std::size_t i = 0; i < n; ++i) out[i] = dist_detail::ppnd16_central(std::clamp(p[i] - 0.5, -0.425, 0.425));
    for (std::size_t k = 0; k < count; ++k) {
      const double x = tail_p[k];
      r[k] = x < 0.5 ? x : 1.0 - x;  // x not in (0, 1) is redone below
    }
    // dist_detail::tail_r, four at a time.
    detail::map_lanes(r, r, count, 0.5, [](detail::Lanes m) __attribute__((always_inline)) { return -detail::lanes_log(m); });
    for (std::size_t k = 0; k < count; ++k) r[k] = dist_detail::ppnd16_tail(std::sqrt(r[k]));
    for (std::size_t k = 0; k < count; ++k) {
      const double x = tail_p[k];
      out[tails[k]] = !(x > 0.0 && x < 1.0) ? dist_detail::ppnd16(x) : x < 0.5 ? -r[k] : r[k];
    }
  }
}

// The same loop compiled for AVX2 (4 lanes instead of 2) and AVX-512 (8). Without FMA
// (-ffp-contract=off) all compute the same bits.
GUIDANCE_TARGET_AVX2 void avx2_quantiles(const double* u, double* z, std::size_t size) { quantiles(u, z, size); }
GUIDANCE_TARGET_AVX512 void avx512_quantiles(const double* u, double* z, std::size_t size) { quantiles(u, z, size); }

using detail::LaneMask;
using detail::Lanes;
using detail::lanes_abs;
using detail::lanes_of;
using detail::exp_of_sum;
using detail::ScaledExp;

/// Phi(z) in four lanes by Cody's rational approximations of erf and erfc (Cody 1969; the coefficients
/// of his CALERF), in terms of y = |z| / sqrt 2:
///   y <= 0.46875:  Phi(-|z|) = (1 - y P(y^2) / Q(y^2)) / 2                              (central)
///   y <= 4:        Phi(-|z|) = e^(-z^2/2) P(y) / Q(y) / 2                                 (tail)
///   y > 4:         Phi(-|z|) = e^(-z^2/2) (1/sqrt(pi) - P(1/y^2) / (y^2 Q(1/y^2))) / y / 2  (tail)
/// and Phi(z) = 1 - Phi(-z) for z > 0. e^(-z^2/2) is taken from z itself, split as z = h + (z - h) with
/// h a multiple of 2^-8, so that h^2 / 2 is exact: the rounding of y, which erfc's argument would
/// amplify by 2 y^2 (1e-13 relative at z = -37), does not reach the exponential. z is clamped to
/// [-40, 10], where Phi is 0 and 1 in double; NaN stays NaN (and takes the tail).
[[gnu::always_inline]] inline Lanes clamped_z(Lanes z) {
  z = z < -40.0 ? lanes_of(-40.0) : z;
  return z > 10.0 ? lanes_of(10.0) : z;
}
[[gnu::always_inline]] inline Lanes cdf_y(Lanes clamped) {
  constexpr double sqrt1_2 = 0.70710678118654752440;
  return lanes_abs(clamped) * sqrt1_2;
}
[[gnu::always_inline]] inline LaneMask in_cdf_tail(Lanes z) { return !(cdf_y(clamped_z(z)) <= 0.46875); }

/// Phi(z) from Phi(-|z|).
[[gnu::always_inline]] inline Lanes from_lower(Lanes z, Lanes lower) { return z > 0.0 ? 1.0 - lower : lower; }

/// Phi(z) where y <= 0.46875 (any finite value elsewhere).
[[gnu::always_inline]] inline Lanes cdf_central(Lanes z) {
  constexpr double a[] = {3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947,
                          0.185777706184603153};
  constexpr double b[] = {23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062};
  z = clamped_z(z);
  const Lanes y = cdf_y(z);
  const Lanes y2 = y * y;
  Lanes numerator = a[4] * y2, denominator = y2;
  for (int i = 0; i < 3; ++i) {
    numerator = (numerator + a[i]) * y2;
    denominator = (denominator + b[i]) * y2;
  }
  return from_lower(z, 0.5 * (1.0 - y * (numerator + a[3]) / (denominator + b[3])));
}

/// Phi(z) where y > 0.46875 or z is NaN (any value elsewhere).
[[gnu::always_inline]] inline Lanes cdf_tail(Lanes z) {
  constexpr double c[] = {0.564188496988670089, 8.88314979438837594, 66.1191906371416295,
                          298.635138197400131,  881.95222124176909,  1712.04761263407058,
                          2051.07837782607147,  1230.33935479799725, 2.15311535474403846e-8};
  constexpr double d[] = {15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019,
                          3290.79923573345963, 4362.61909014324716, 3439.36767414372164, 1230.33935480374942};
  constexpr double p[] = {0.305326634961232344, 0.360344899949804439, 0.125781726111229246,
                          0.0160837851487422766, 6.58749161529837803e-4, 0.0163153871373020978};
  constexpr double q[] = {2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191,
                          0.00233520497626869185};
  constexpr double one_over_sqrt_pi = 0.56418958354775628695;
  constexpr double round_magic = 0x1.8p52;
  z = clamped_z(z);
  const Lanes y = cdf_y(z);
  Lanes numerator = c[8] * y;
  Lanes denominator = y;
  for (int i = 0; i < 7; ++i) {
    numerator = (numerator + c[i]) * y;
    denominator = (denominator + d[i]) * y;
  }
  const Lanes middle = (numerator + c[7]) / (denominator + d[7]);

  // y > 4 (|z| > 5.66) comes once in 7e7 draws, and its three divisions would cost as much as the
  // rest: a group computes it only when one of its lanes needs it (or is NaN).
  const LaneMask beyond_middle = !(y <= 4.0);
  Lanes far = middle;
  if ((beyond_middle[0] | beyond_middle[1] | beyond_middle[2] | beyond_middle[3]) != 0) {
    const Lanes inverse_y2 = 1.0 / (y * y);
    numerator = p[5] * inverse_y2;
    denominator = inverse_y2;
    for (int i = 0; i < 4; ++i) {
      numerator = (numerator + p[i]) * inverse_y2;
      denominator = (denominator + q[i]) * inverse_y2;
    }
    far = (one_over_sqrt_pi - inverse_y2 * (numerator + p[4]) / (denominator + q[4])) / y;
  }

  const Lanes h = ((z * 256.0 + round_magic) - round_magic) * 0x1p-8;
  const ScaledExp density = exp_of_sum(-(h * h) * 0.5, -((z - h) * (z + h)) * 0.5);
  return from_lower(z, ((0.5 * density.value) * (beyond_middle ? far : middle)) * density.scale);
}

/// Phi for a block, by tiles: the central branch for every value (about half of the draws of a
/// standard normal need it), then the tail branches over a list of the others, four lanes at a time.
/// The tail's z are kept before the central pass writes, because u may be z. Every value is its own
/// branch's operations: the same bits however the lanes are grouped.
[[gnu::always_inline]] inline void cdfs(const double* z, double* u, std::size_t size) {
  constexpr std::size_t tile = 512;
  double tail_z[tile];
  std::uint32_t tails[tile + 3];
  for (std::size_t first = 0; first < size; first += tile) {
    const std::size_t n = std::min(tile, size - first);
    const std::size_t count = detail::list_lanes(z + first, n, in_cdf_tail, tails);
    for (std::size_t k = 0; k < count; ++k) tail_z[k] = z[first + tails[k]];
    detail::map_lanes(z + first, u + first, n, 0.0, [](Lanes x) __attribute__((always_inline)) { return cdf_central(x); });
    detail::map_lanes(tail_z, tail_z, count, 0.0, [](Lanes x) __attribute__((always_inline)) { return cdf_tail(x); });
    for (std::size_t k = 0; k < count; ++k) u[first + tails[k]] = tail_z[k];
  }
}

// Three builds, as the quantile's.
GUIDANCE_TARGET_AVX2 void avx2_cdfs(const double* z, double* u, std::size_t size) { cdfs(z, u, size); }
GUIDANCE_TARGET_AVX512 void avx512_cdfs(const double* z, double* u, std::size_t size) { cdfs(z, u, size); }

}  // namespace

namespace dist_detail {

void block_cdfs_baseline(const double* z, double* u, std::size_t size) { cdfs(z, u, size); }

bool block_cdfs_avx2(const double* z, double* u, std::size_t size) {
  if (!detail::cpu_has_avx2()) return false;
  avx2_cdfs(z, u, size);
  return true;
}

bool block_cdfs_avx512(const double* z, double* u, std::size_t size) {
  if (!detail::cpu_has_avx512()) return false;
  avx512_cdfs(z, u, size);
  return true;
}

void block_quantiles_baseline(const double* u, double* z, std::size_t size) { quantiles(u, z, size); }

bool block_quantiles_avx2(const double* u, double* z, std::size_t size) {
  if (!detail::cpu_has_avx2()) return false;
  avx2_quantiles(u, z, size);
  return true;
}

bool block_quantiles_avx512(const double* u, double* z, std::size_t size) {
  if (!detail::cpu_has_avx512()) return false;
  avx512_quantiles(u, z, size);
  return true;
}

}  // namespace dist_detail

double standard_normal_quantile(double u) { return dist_detail::ppnd16(u); }

void standard_normal_quantile(std::span<const double> u, std::span<double> z) {
  if (u.size() != z.size()) throw std::invalid_argument("standard_normal_quantile: u and z differ in length");
  if (!dist_detail::block_quantiles_avx512(u.data(), z.data(), u.size()) &&
      !dist_detail::block_quantiles_avx2(u.data(), z.data(), u.size()))
    dist_detail::block_quantiles_baseline(u.data(), z.data(), u.size());
}

double standard_normal_cdf(double z) { return dist_detail::normal_cdf(z); }

void standard_normal_cdf(std::span<const double> z, std::span<double> u) {
  if (z.size() != u.size()) throw std::invalid_argument("standard_normal_cdf: z and u differ in length");
  if (!dist_detail::block_cdfs_avx512(z.data(), u.data(), z.size()) &&
      !dist_detail::block_cdfs_avx2(z.data(), u.data(), z.size()))
    dist_detail::block_cdfs_baseline(z.data(), u.data(), z.size());
}

}  // namespace guidance
