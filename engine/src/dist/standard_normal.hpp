// The standard normal quantile and CDF, inline for the block loops of Normal and LogNormal.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>

#include "simd/lanes_log.hpp"

namespace guidance::dist_detail {

/// AS241's rational function for the central region, |q| <= 0.425 with q = p - 0.5 (0.075 <= p <= 0.925).
inline double ppnd16_central(double q) {
  const double r = 0.180625 - q * q;
  return q *
         (((((((2.5090809287301226727e+3 * r + 3.3430575583588128105e+4) * r +
               6.7265770927008700853e+4) * r + 4.5921953931549871457e+4) * r +
             1.3731693765509461125e+4) * r + 1.9715909503065514427e+3) * r +
           1.3314166789178437745e+2) * r + 3.3871328727963666080e+0) /
         (((((((5.2264952788528545610e+3 * r + 2.8729085735721942674e+4) * r +
               3.9307895800092710610e+4) * r + 2.1213794301586595867e+4) * r +
             5.3941960214247511077e+3) * r + 6.8718700749205790830e+2) * r +
           4.2313330701600911252e+1) * r + 1.0);
}

/// The tails' r = sqrt(-log(m)) for m = min(p, 1 - p) in (0, 0.075]: with lanes_log, so that the
/// block loop (which takes the logs four at a time) and this scalar function agree bit for bit.
inline double tail_r(double m) { return std::sqrt(-detail::lanes_log(detail::lanes_of(m))[0]); }

/// AS241's rational functions for the tails: |Phi^-1(p)| for p outside the central region, from
/// r = tail_r(min(p, 1 - p)).
inline double ppnd16_tail(double r) {
  if (r <= 5.0) {  // min(p, 1 - p) >= exp(-25), about 1.4e-11
    r -= 1.6;
    return (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r +
                 2.41780725177450611770e-1) * r + 1.27045825245236838258e+0) * r +
               3.64784832476320460504e+0) * r + 5.76949722146069140550e+0) * r +
             4.63033784615654529590e+0) * r + 1.42343711074968357734e+0) /
           (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r +
                 1.51986665636164571966e-2) * r + 1.48103976427480074590e-1) * r +
               6.89767334985100004550e-1) * r + 1.67638483018380384940e+0) * r +
             2.05319162663775882187e+0) * r + 1.0);
  }
  r -= 5.0;  // far tails
  return (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r +
               1.24266094738807843860e-3) * r + 2.65321895265761230930e-2) * r +
             2.96560571828504891230e-1) * r + 1.78482653991729133580e+0) * r +
           5.46378491116411436990e+0) * r + 6.65790464350110377720e+0) /
         (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r +
               1.84631831751005468180e-5) * r + 7.86869131145613259100e-4) * r +
             1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r +
           5.99832206555887937690e-1) * r + 1.0);
}

/// Phi^-1(p) by Wichura's PPND16: M. J. Wichura (1988), "Algorithm AS 241: The percentage points of
/// the normal distribution", Applied Statistics 37(3), 477-484. Relative accuracy about 1e-16.
/// Hand-written rather than boost::math::quantile(normal) because it is on the hot path (tens of
/// millions of calls per run) and several times faster; tests/dist checks it against Boost to a few ulp.
/// p = 0 gives -inf, p = 1 gives +inf, anything outside [0, 1] gives NaN.
inline double ppnd16(double p) {
  if (!(p > 0.0 && p < 1.0)) {
    if (p == 0.0) return -std::numeric_limits<double>::infinity();
    if (p == 1.0) return std::numeric_limits<double>::infinity();
    return std::numeric_limits<double>::quiet_NaN();
  }
  const double q = p - 0.5;
  if (std::fabs(q) <= 0.425) return ppnd16_central(q);
  // Tails: 1 - p is exact here because p > 0.5.
  const double z = ppnd16_tail(tail_r(q < 0.0 ? p : 1.0 - p));
  return q < 0.0 ? -z : z;
}

/// Phi(z) = erfc(-z / sqrt 2) / 2, which keeps full relative accuracy in the lower tail (no 1 - x).
inline double normal_cdf(double z) {
  // The argument x = -z / sqrt 2 is rounded, and erfc's relative sensitivity to its argument grows
  // like 2 x^2 (1e-13 at z = -37). Carry the rounding error dx (of the product and of the constant)
  // and correct to first order: erfc(x + dx) = erfc(x) - dx 2/sqrt(pi) exp(-x^2).
  constexpr double sqrt1_2 = 0.70710678118654752440;        // 1/sqrt(2) rounded to double
  constexpr double sqrt1_2_error = -4.8336466567264565e-17;  // 1/sqrt(2) - sqrt1_2
  constexpr double two_over_sqrt_pi = 1.12837916709551257390;
  if (std::isinf(z)) return z > 0.0 ? 1.0 : 0.0;
  const double x = -z * sqrt1_2;
  const double dx = std::fma(-z, sqrt1_2, -x) - z * sqrt1_2_error;
  return 0.5 * (std::erfc(x) - dx * two_over_sqrt_pi * std::exp(-x * x));
}

/// The standard normal density.
inline double normal_pdf(double z) {
  constexpr double one_over_sqrt_2pi = 0.39894228040143267794;
  return one_over_sqrt_2pi * std::exp(-0.5 * z * z);
}

/// The block standard_normal_quantile's builds of one loop, which must agree bit for bit (a test runs
/// them all): for the baseline x86-64 (SSE2) or any other target, for AVX2 and for AVX-512 (eight
/// lanes: about 1.4 times the AVX2 build's speed on the project's AMD EPYC machine). The last two
/// return false, computing nothing, where the CPU lacks the extension (or the target is not x86-64).
void block_quantiles_baseline(const double* u, double* z, std::size_t size);
bool block_quantiles_avx2(const double* u, double* z, std::size_t size);
bool block_quantiles_avx512(const double* u, double* z, std::size_t size);
/// The block standard_normal_cdf's three builds, likewise (the AVX-512 one about 1.2 times the AVX2
/// one's speed on the Intel machine of docs/performance.md, though its lanes are four wide).
void block_cdfs_baseline(const double* z, double* u, std::size_t size);
bool block_cdfs_avx2(const double* z, double* u, std::size_t size);
bool block_cdfs_avx512(const double* z, double* u, std::size_t size);

}  // namespace guidance::dist_detail
