// The exponential in four lanes, for the normal CDF's tails and the ziggurat's wedges: the same bits in
// every build (lanes.hpp) and with any C library.
#pragma once

#include <bit>
#include <cstdint>

#include "simd/lanes.hpp"

namespace guidance::detail {

/// e^s for s = a + b in [-830, 1] given as two parts, a exact: a polynomial on the reduced argument r,
/// |r| <= ln 2 / 2, times 2^k. The reduction r = ((a - k ln2_hi) + b) - k ln2_lo loses nothing to a's
/// size: a - k ln2_hi is exact. The result is `value` times `scale`, both normal doubles, so that a
/// caller can multiply `value` by other factors first and round into the subnormals only once.
struct ScaledExp {
  Lanes value;
  Lanes scale;
};
[[gnu::always_inline]] inline ScaledExp exp_of_sum(Lanes a, Lanes b) {
  constexpr double log2e = 1.44269504088896338700;
  constexpr double ln2_hi = 6.93147180369123816490e-01;  // 32 significant bits: k ln2_hi is exact
  constexpr double ln2_lo = 1.90821492927058770002e-10;
  constexpr double round_magic = 0x1.8p52;  // adding it rounds to an integer, held in the low bits
  const Lanes k = ((a + b) * log2e + round_magic) - round_magic;
  const Lanes r = ((a - k * ln2_hi) + b) - k * ln2_lo;
  // e^r by its Taylor series to r^13 (the next term is below 4e-18 relative for |r| <= 0.35).
  constexpr double inverse_factorials[] = {1.0,
                                           1.0,
                                           1.0 / 2,
                                           1.0 / 6,
                                           1.0 / 24,
                                           1.0 / 120,
                                           1.0 / 720,
                                           1.0 / 5040,
                                           1.0 / 40320,
                                           1.0 / 362880,
                                           1.0 / 3628800,
                                           1.0 / 39916800,
                                           1.0 / 479001600,
                                           1.0 / 6227020800};
  Lanes polynomial = lanes_of(inverse_factorials[13]);
  for (int n = 12; n >= 0; --n) polynomial = polynomial * r + inverse_factorials[n];
  // 2^k as 2^(k + 200) 2^-200 below 2^-1000, where 2^k alone would not be normal.
  const LaneMask deep = k < -1000.0;
  const Lanes k_normal = deep ? k + 200.0 : k;
  const LaneMask k_bits = reinterpret_cast<LaneMask>(k_normal + round_magic) - std::bit_cast<std::int64_t>(round_magic);
  return {reinterpret_cast<Lanes>(reinterpret_cast<LaneMask>(polynomial) + (k_bits << 52)),
          deep ? lanes_of(0x1p-200) : lanes_of(1.0)};
}

}  // namespace guidance::detail
