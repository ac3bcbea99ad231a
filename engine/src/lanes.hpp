// Four doubles, one a lane, and a lane mask (all bits set where true): GCC's vector extensions, which
// the baseline x86-64 build runs as two SSE2 halves and an AVX2 build (cpu_features.hpp) as one
// register. Every operation is the scalar IEEE one, lane by lane, so both builds give the same bits.
// Functions that take or return them are always inlined, so GCC's note that their calling convention
// differs with AVX (-Wpsabi, silenced here) is moot.
#pragma once

#include <cstdint>

#pragma GCC diagnostic ignored "-Wpsabi"

namespace guidance::detail {

using Lanes = double __attribute__((vector_size(32)));
using LaneMask = std::int64_t __attribute__((vector_size(32)));

[[gnu::always_inline]] inline Lanes lanes_abs(Lanes x) {
  return reinterpret_cast<Lanes>(reinterpret_cast<LaneMask>(x) & INT64_MAX);
}

/// The same value in every lane.
[[gnu::always_inline]] inline Lanes lanes_of(double x) { return Lanes{x, x, x, x}; }

}  // namespace guidance::detail
