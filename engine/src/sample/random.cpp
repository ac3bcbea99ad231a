// uniforms(): one Philox call per pair of trials, both words used; an odd first trial or an odd
// count takes one word of a pair, so every value depends only on its own trial.
#include "guidance/random.hpp"

#include "cpu_features.hpp"
#include "intrinsics.hpp"
#include "sample/philox.hpp"

namespace guidance {

using sample_detail::open_unit;
using sample_detail::philox_pair;

namespace {

[[gnu::always_inline]] inline void pairs_of_uniforms(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_pair,
                                                     std::size_t pairs, double* out) {
  for (std::size_t k = 0; k < pairs; ++k) {
    const auto words = philox_pair(seed, stream, first_pair + k);
    out[2 * k] = open_unit(words[0]);
    out[2 * k + 1] = open_unit(words[1]);
  }
}

#if defined(__x86_64__)
/// open_unit in eight lanes: (0.5 + (bits >> 12)) 2^-52, every step exact.
GUIDANCE_TARGET_AVX512 inline __m512d avx512_open_unit(__m512i bits) {
  return _mm512_mul_pd(_mm512_add_pd(_mm512_cvtepu64_pd(_mm512_srli_epi64(bits, 12)), _mm512_set1_pd(0.5)),
                       _mm512_set1_pd(0x1p-52));
}

/// Eight Philox4x32-10 calls side by side, each 32-bit word of the state in the low half of a 64-bit
/// lane: vpmuludq reads only those low halves, so the high halves may carry garbage between rounds
/// (a product's high word, an XOR of it) and are cleared once, when the words are assembled. The
/// round is Random123's _philox4x32round: (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0).
GUIDANCE_TARGET_AVX512 void avx512_pairs_of_uniforms(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_pair,
                                                     std::size_t pairs, double* out) {
  constexpr int rounds = 10;
  const __m512i multiplier0 = _mm512_set1_epi64(PHILOX_M4x32_0);
  const __m512i multiplier1 = _mm512_set1_epi64(PHILOX_M4x32_1);
  __m512i key0[rounds], key1[rounds];  // the round keys, bumped by the Weyl constants
  for (int r = 0; r < rounds; ++r) {
    key0[r] = _mm512_set1_epi64(static_cast<std::uint32_t>(static_cast<std::uint32_t>(seed) + r * PHILOX_W32_0));
    key1[r] = _mm512_set1_epi64(static_cast<std::uint32_t>(static_cast<std::uint32_t>(seed >> 32) + r * PHILOX_W32_1));
  }
  const __m512i stream_low = _mm512_set1_epi64(static_cast<std::uint32_t>(stream));
  const __m512i stream_high = _mm512_set1_epi64(static_cast<std::uint32_t>(stream >> 32));
  const __m512i lane = _mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7);
  const __m512i first_half = _mm512_setr_epi64(0, 8, 1, 9, 2, 10, 3, 11);
  const __m512i second_half = _mm512_setr_epi64(4, 12, 5, 13, 6, 14, 7, 15);
  constexpr int exclusive_or3 = 0x96;  // vpternlog's table for a ^ b ^ c
  std::size_t k = 0;
  for (; k + 8 <= pairs; k += 8) {
    const __m512i pair = _mm512_add_epi64(_mm512_set1_epi64(static_cast<long long>(first_pair + k)), lane);
    __m512i c0 = pair, c1 = _mm512_srli_epi64(pair, 32), c2 = stream_low, c3 = stream_high;
    for (int r = 0; r < rounds; ++r) {
      const __m512i product0 = _mm512_mul_epu32(c0, multiplier0);
      const __m512i product1 = _mm512_mul_epu32(c2, multiplier1);
      c0 = _mm512_ternarylogic_epi64(_mm512_srli_epi64(product1, 32), c1, key0[r], exclusive_or3);
      c1 = product1;
      c2 = _mm512_ternarylogic_epi64(_mm512_srli_epi64(product0, 32), c3, key1[r], exclusive_or3);
      c3 = product0;
    }
    // Words: c0 | c1 << 32 and c2 | c3 << 32, the odd 32-bit elements from the shifted high word.
    const __m512i word0 = _mm512_mask_mov_epi32(c0, 0xaaaa, _mm512_slli_epi64(c1, 32));
    const __m512i word1 = _mm512_mask_mov_epi32(c2, 0xaaaa, _mm512_slli_epi64(c3, 32));
    const __m512d u0 = avx512_open_unit(word0), u1 = avx512_open_unit(word1);
    _mm512_storeu_pd(out + 2 * k, _mm512_permutex2var_pd(u0, first_half, u1));
    _mm512_storeu_pd(out + 2 * k + 8, _mm512_permutex2var_pd(u0, second_half, u1));
  }
  pairs_of_uniforms(seed, stream, first_pair + k, pairs - k, out + 2 * k);
}
#else
void avx512_pairs_of_uniforms(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_pair, std::size_t pairs,
                              double* out) {
  pairs_of_uniforms(seed, stream, first_pair, pairs, out);
}
#endif

}  // namespace

namespace sample_detail {

void uniform_pairs_baseline(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_pair, std::size_t pairs,
                            double* out) {
  pairs_of_uniforms(seed, stream, first_pair, pairs, out);
}

bool uniform_pairs_avx512(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_pair, std::size_t pairs,
                          double* out) {
  if (!detail::cpu_has_avx512()) return false;
  avx512_pairs_of_uniforms(seed, stream, first_pair, pairs, out);
  return true;
}

}  // namespace sample_detail

void uniforms(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_trial, std::span<double> out) {
  std::size_t k = 0;
  std::uint64_t pair = first_trial >> 1;
  if ((first_trial & 1) != 0 && !out.empty()) out[k++] = open_unit(philox_pair(seed, stream, pair++)[1]);
  const std::size_t pairs = (out.size() - k) / 2;
  if (!sample_detail::uniform_pairs_avx512(seed, stream, pair, pairs, out.data() + k))
    sample_detail::uniform_pairs_baseline(seed, stream, pair, pairs, out.data() + k);
  k += 2 * pairs;
  pair += pairs;
  if (k < out.size()) out[k] = open_unit(philox_pair(seed, stream, pair)[0]);
}

double uniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t trial) {
  return open_unit(sample_detail::random_bits(seed, stream, trial));
}

}  // namespace guidance
