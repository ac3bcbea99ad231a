// The natural logarithm in four lanes, for the tails of the normal quantile: the same bits in every
// build (lanes.hpp) and with any C library, and vectorised where glibc's log is one call per value.
#pragma once

#include <bit>
#include <cstdint>

#include "simd/lanes.hpp"

namespace guidance::detail {

/// log(x) for finite x > 0, subnormals included (any other x gives an unspecified value, not a trap),
/// with an error below one ulp. The algorithm of fdlibm's e_log.c (Sun Microsystems, 1993), its
/// coefficients and its two final forms, written branch-free: x = 2^k (1 + f) with 1 + f in
/// [sqrt(2)/2, sqrt(2)); s = f / (2 + f); log(1 + f) = 2 atanh(s) = f - s (f - R(s^2)) with R a
/// degree-7 polynomial in s^2 (Remez, error below 2^-58.45); k ln2 split in two parts so that k ln2_hi
/// is exact. Near both ends of the reduced range (f about +0.41 or -0.29) the form with f^2 / 2 keeps
/// more bits, as in fdlibm.
[[gnu::always_inline]] inline Lanes lanes_log(Lanes x) {
  constexpr double ln2_hi = 6.93147180369123816490e-01;  // 0x3fe62e42fee00000: 32 significant bits
  constexpr double ln2_lo = 1.90821492927058770002e-10;  // 0x3dea39ef35793c76
  constexpr double lg1 = 6.666666666666735130e-01, lg2 = 3.999999999940941908e-01, lg3 = 2.857142874366239149e-01,
                   lg4 = 2.222219843214978396e-01, lg5 = 1.818357216161805012e-01, lg6 = 1.531383769920937332e-01,
                   lg7 = 1.479819860511658591e-01;
  const LaneMask subnormal = x < 0x1p-1022;
  x = subnormal ? x * 0x1p54 : x;
  const LaneMask bits = reinterpret_cast<LaneMask>(x);
  const LaneMask high = bits >> 32;  // sign (0), exponent and the fraction's first 20 bits
  const LaneMask fraction_high = high & 0x000fffff;
  // 0x100000 where the significand is at least sqrt(2) (whose fraction begins 0x6a09e), then halved.
  const LaneMask halve = (fraction_high + 0x95f64) & 0x100000;
  const Lanes reduced = reinterpret_cast<Lanes>(((fraction_high | (halve ^ 0x3ff00000)) << 32) | (bits & 0xffffffff));
  // k as a double without a conversion instruction (AVX2 has none from 64-bit integers): the low bits
  // of 2^52 + n hold the integer n exactly.
  const LaneMask biased_exponent = (high >> 20) + (halve >> 20);
  const Lanes k = (reinterpret_cast<Lanes>(biased_exponent | std::bit_cast<std::int64_t>(0x1p52)) - 0x1p52) -
                  (subnormal ? lanes_of(1077.0) : lanes_of(1023.0));

  const Lanes f = reduced - 1.0;
  const Lanes s = f / (2.0 + f);
  const Lanes z = s * s;
  const Lanes w = z * z;
  const Lanes t1 = w * (lg2 + w * (lg4 + w * lg6));
  const Lanes t2 = z * (lg1 + w * (lg3 + w * (lg5 + w * lg7)));
  const Lanes r = t2 + t1;
  const Lanes half_f_squared = 0.5 * f * f;
  const LaneMask near_ends = (fraction_high >= 0x6147a) & (fraction_high <= 0x6b851);
  const Lanes with_square = k * ln2_hi - ((half_f_squared - (s * (half_f_squared + r) + k * ln2_lo)) - f);
  const Lanes without = k * ln2_hi - ((s * (f - r) - k * ln2_lo) - f);
  return near_ends ? with_square : without;
}

}  // namespace guidance::detail
