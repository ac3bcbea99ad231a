// Four doubles, one a lane, and a lane mask (all bits set where true): GCC's vector extensions, which
// the baseline x86-64 build runs as two SSE2 halves and an AVX2 build (cpu_features.hpp) as one
// register. Every operation is the scalar IEEE one, lane by lane, so both builds give the same bits.
// Functions that take or return them are always inlined, so GCC's note that their calling convention
// differs with AVX (-Wpsabi, silenced here) is moot.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#pragma GCC diagnostic ignored "-Wpsabi"

namespace guidance::detail {

using Lanes = double __attribute__((vector_size(32)));
using LaneMask = std::int64_t __attribute__((vector_size(32)));

[[gnu::always_inline]] inline Lanes lanes_abs(Lanes x) {
  return reinterpret_cast<Lanes>(reinterpret_cast<LaneMask>(x) & INT64_MAX);
}

/// The same value in every lane.
[[gnu::always_inline]] inline Lanes lanes_of(double x) { return Lanes{x, x, x, x}; }

/// Eight lanes, for loops whose bits are fixed by eight (the moments' single pass): one register in an
/// AVX-512 build, two in an AVX2 one, four in the baseline one.
using Lanes8 = double __attribute__((vector_size(64)));
using LaneMask8 = std::int64_t __attribute__((vector_size(64)));

[[gnu::always_inline]] inline Lanes8 lanes_abs(Lanes8 x) {
  return reinterpret_cast<Lanes8>(reinterpret_cast<LaneMask8>(x) & INT64_MAX);
}

/// The first `count` (at most 4) values from `from` in lanes 0..count-1, `padding` in the others.
[[gnu::always_inline]] inline Lanes load_lanes(const double* from, std::size_t count, double padding) {
  Lanes x;
  if (count == 4) {
    std::memcpy(&x, from, sizeof x);
    return x;
  }
  x = lanes_of(padding);
  for (std::size_t lane = 0; lane < count; ++lane) x[lane] = from[lane];
  return x;
}

/// Lanes 0..count-1 (count at most 4) of x to `to`.
[[gnu::always_inline]] inline void store_lanes(Lanes x, std::size_t count, double* to) {
  if (count == 4) {
    std::memcpy(to, &x, sizeof x);
    return;
  }
  for (std::size_t lane = 0; lane < count; ++lane) to[lane] = x[lane];
}

/// out[i] = f(in[i]) for i < size, four at a time (`in` may be `out`), the last partial group padded
/// with `padding` (a value f takes without harm).
template <class F>
[[gnu::always_inline]] inline void map_lanes(const double* in, double* out, std::size_t size, double padding, F&& f) {
  for (std::size_t i = 0; i < size; i += 4) {
    const std::size_t count = size - i < 4 ? size - i : 4;
    store_lanes(f(load_lanes(in + i, count, padding)), count, out + i);
  }
}

/// The positions i < n where listed(x) (a LaneMask of four values) marks x[i], ascending, into
/// `positions`, which needs 3 slots beyond n; returns how many. Four at a time without a branch: each
/// group's 4-bit mask picks the row of a table that lists its set bits, all four slots are stored and
/// the count moves by the mask's population.
template <class Listed>
[[gnu::always_inline]] inline std::size_t list_lanes(const double* x, std::size_t n, Listed&& listed,
                                                     std::uint32_t* positions) {
  using Indices = std::uint32_t __attribute__((vector_size(16)));
  static constexpr Indices set_bits[16] = {{0, 0, 0, 0}, {0, 0, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0},
                                           {2, 0, 0, 0}, {0, 2, 0, 0}, {1, 2, 0, 0}, {0, 1, 2, 0},
                                           {3, 0, 0, 0}, {0, 3, 0, 0}, {1, 3, 0, 0}, {0, 1, 3, 0},
                                           {2, 3, 0, 0}, {0, 2, 3, 0}, {1, 2, 3, 0}, {0, 1, 2, 3}};
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; i += 4) {
    const std::size_t in_group = n - i < 4 ? n - i : 4;
    const LaneMask marked = listed(load_lanes(x + i, in_group, x[i]));
    const unsigned mask = static_cast<unsigned>((marked[0] & 1) | (marked[1] & 2) | (marked[2] & 4) | (marked[3] & 8)) &
                          ((1u << in_group) - 1);
    const Indices listed_here = set_bits[mask] + static_cast<std::uint32_t>(i);
    std::memcpy(positions + count, &listed_here, sizeof listed_here);
    count += static_cast<std::size_t>(std::popcount(mask));
  }
  return count;
}

}  // namespace guidance::detail
