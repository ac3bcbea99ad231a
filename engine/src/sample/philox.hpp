// The Philox4x32-10 call behind random.hpp, for the samplers that need raw random bits.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include <Random123/philox.h>
#include <Random123/u01fixedpt.h>

namespace guidance::sample_detail {

/// The two 64-bit words of trials 2 pair and 2 pair + 1: Philox4x32-10 with key = seed and
/// counter = (pair, stream), low 32-bit halves first.
inline std::array<std::uint64_t, 2> philox_pair(std::uint64_t seed, std::uint64_t stream, std::uint64_t pair) {
  const r123::Philox4x32_R<10> philox;
  const r123::Philox4x32_R<10>::ctr_type counter = {{static_cast<std::uint32_t>(pair), static_cast<std::uint32_t>(pair >> 32),
                                                     static_cast<std::uint32_t>(stream),
                                                     static_cast<std::uint32_t>(stream >> 32)}};
  const r123::Philox4x32_R<10>::key_type key = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  const r123::Philox4x32_R<10>::ctr_type out = philox(counter, key);
  return {out[0] | std::uint64_t{out[1]} << 32, out[2] | std::uint64_t{out[3]} << 32};
}

/// The 64-bit word behind uniform(seed, stream, trial).
inline std::uint64_t random_bits(std::uint64_t seed, std::uint64_t stream, std::uint64_t trial) {
  return philox_pair(seed, stream, trial >> 1)[trial & 1];
}

/// The odd multiples of 2^-53 in (0, 1), from the top 52 bits.
inline double open_unit(std::uint64_t bits) { return u01fixedpt_open_open_64_double(bits); }

/// uniforms()'s inner loop: out[2 k] and out[2 k + 1] are the uniforms of trial pair first_pair + k,
/// k < pairs. Two builds, which compute the same bits (integer arithmetic and one exact conversion; a
/// test runs both): the baseline x86-64 (or any other target) one, and an AVX-512 one that runs eight
/// Philox calls side by side in explicit lanes (bench_sample's uniforms_per_block: 1.34 G/s, against
/// 0.55 G/s when the compiler vectorised the scalar loop). The AVX-512 one returns false, computing
/// nothing, where the CPU lacks AVX-512 F, DQ and VL.
void uniform_pairs_baseline(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_pair, std::size_t pairs,
                            double* out);
bool uniform_pairs_avx512(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_pair, std::size_t pairs,
                          double* out);

/// normals()'s inner loop, likewise: out[2 k] and out[2 k + 1] are the normals of trial pair
/// first_pair + k. The AVX-512 build takes the ziggurat's fast path eight words at a time and leaves
/// the words it rejects to the scalar ziggurat_normal, as the baseline build does word by word.
void normal_pairs_baseline(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_pair, std::size_t pairs,
                           double* out);
bool normal_pairs_avx512(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_pair, std::size_t pairs,
                         double* out);

}  // namespace guidance::sample_detail
