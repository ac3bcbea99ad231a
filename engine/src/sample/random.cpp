// uniforms() and normals(): one Philox call per pair of trials, both words used; an odd first trial
// or an odd count takes one word of a pair, so every value depends only on its own trial.
#include "guidance/random.hpp"

#include <algorithm>
#include <bit>

#include "sample/philox.hpp"
#include "sample/ziggurat.hpp"
#include "simd/cpu_features.hpp"
#include "simd/intrinsics.hpp"
#include "simd/lanes.hpp"
#include "simd/lanes_exp.hpp"
#include "simd/prefetch.hpp"

namespace guidance {

using sample_detail::open_unit;
using sample_detail::philox_pair;
using sample_detail::Ziggurat;
using sample_detail::ziggurat;
using sample_detail::ziggurat_normal;

namespace {

/// A trial's normal from its first word: the fast path, else the whole draw.
[[gnu::always_inline]] inline double normal_of(const Ziggurat& table, std::uint64_t seed, std::uint64_t stream,
                                               std::uint64_t trial, std::uint64_t word) {
  double z;
  return sample_detail::ziggurat_fast(table, word, z) ? z : ziggurat_normal(seed, stream, trial, word);
}

[[gnu::always_inline]] inline void pairs_of_uniforms(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_pair,
                                                     std::size_t pairs, double* out) {
  for (std::size_t k = 0; k < pairs; ++k) {
    const auto words = philox_pair(seed, stream, first_pair + k);
    out[2 * k] = open_unit(words[0]);
    out[2 * k + 1] = open_unit(words[1]);
  }
}

void pairs_of_normals(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_pair, std::size_t pairs,
                      double* out) {
  const Ziggurat& table = ziggurat();
  for (std::size_t k = 0; k < pairs; ++k) {
    const std::uint64_t pair = first_pair + k;
    const auto words = philox_pair(seed, stream, pair);
    out[2 * k] = normal_of(table, seed, stream, 2 * pair, words[0]);
    out[2 * k + 1] = normal_of(table, seed, stream, 2 * pair + 1, words[1]);
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
class Avx512Philox {
 public:
  GUIDANCE_TARGET_AVX512 Avx512Philox(std::uint64_t seed, std::uint64_t stream) {
    for (int r = 0; r < rounds; ++r) {
      key0_[r] = _mm512_set1_epi64(static_cast<std::uint32_t>(static_cast<std::uint32_t>(seed) + r * PHILOX_W32_0));
      key1_[r] = _mm512_set1_epi64(static_cast<std::uint32_t>(static_cast<std::uint32_t>(seed >> 32) + r * PHILOX_W32_1));
    }
    stream_low_ = _mm512_set1_epi64(static_cast<std::uint32_t>(stream));
    stream_high_ = _mm512_set1_epi64(static_cast<std::uint32_t>(stream >> 32));
  }

  /// The words of pairs first_pair + j, j < 8: word0 lane j is trial 2 (first_pair + j), word1 lane j
  /// the trial after it.
  [[gnu::always_inline]] GUIDANCE_TARGET_AVX512 void words(std::uint64_t first_pair, __m512i& word0,
                                                           __m512i& word1) const {
    words_at(_mm512_add_epi64(_mm512_set1_epi64(static_cast<long long>(first_pair)),
                              _mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7)),
             word0, word1);
  }

  /// philox_pair(seed, stream, pair[j]) in lane j of word0 and word1.
  [[gnu::always_inline]] GUIDANCE_TARGET_AVX512 void words_at(__m512i pair, __m512i& word0, __m512i& word1) const {
    const __m512i multiplier0 = _mm512_set1_epi64(PHILOX_M4x32_0);
    const __m512i multiplier1 = _mm512_set1_epi64(PHILOX_M4x32_1);
    constexpr int exclusive_or3 = 0x96;  // vpternlog's table for a ^ b ^ c
    __m512i c0 = pair, c1 = _mm512_srli_epi64(pair, 32), c2 = stream_low_, c3 = stream_high_;
    for (int r = 0; r < rounds; ++r) {
      const __m512i product0 = _mm512_mul_epu32(c0, multiplier0);
      const __m512i product1 = _mm512_mul_epu32(c2, multiplier1);
      c0 = _mm512_ternarylogic_epi64(_mm512_srli_epi64(product1, 32), c1, key0_[r], exclusive_or3);
      c1 = product1;
      c2 = _mm512_ternarylogic_epi64(_mm512_srli_epi64(product0, 32), c3, key1_[r], exclusive_or3);
      c3 = product0;
    }
    // Words: c0 | c1 << 32 and c2 | c3 << 32, the odd 32-bit elements from the shifted high word.
    word0 = _mm512_mask_mov_epi32(c0, 0xaaaa, _mm512_slli_epi64(c1, 32));
    word1 = _mm512_mask_mov_epi32(c2, 0xaaaa, _mm512_slli_epi64(c3, 32));
  }

 private:
  static constexpr int rounds = 10;
  __m512i key0_[rounds], key1_[rounds];  // the round keys, bumped by the Weyl constants
  __m512i stream_low_, stream_high_;
};

/// Two vectors of trials in pair order (lanes j of `even` and `odd` are trials 2 j and 2 j + 1) stored
/// as sixteen consecutive values.
GUIDANCE_TARGET_AVX512 inline void avx512_store_pairs(__m512d even, __m512d odd, double* out) {
  _mm512_storeu_pd(out, _mm512_permutex2var_pd(even, _mm512_setr_epi64(0, 8, 1, 9, 2, 10, 3, 11), odd));
  _mm512_storeu_pd(out + 8, _mm512_permutex2var_pd(even, _mm512_setr_epi64(4, 12, 5, 13, 6, 14, 7, 15), odd));
}

GUIDANCE_TARGET_AVX512 void avx512_pairs_of_uniforms(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_pair,
                                                     std::size_t pairs, double* out) {
  const Avx512Philox philox(seed, stream);
  std::size_t k = 0;
  for (; k + 8 <= pairs; k += 8) {
    __m512i word0, word1;
    philox.words(first_pair + k, word0, word1);
    avx512_store_pairs(avx512_open_unit(word0), avx512_open_unit(word1), out + 2 * k);
  }
  pairs_of_uniforms(seed, stream, first_pair + k, pairs - k, out + 2 * k);
}

/// ziggurat_fast in eight lanes; `rejected` marks the lanes that need ziggurat_normal.
GUIDANCE_TARGET_AVX512 inline __m512d avx512_ziggurat_fast(const Ziggurat& table, __m512i word, __mmask8& rejected) {
  const __m512i layer = _mm512_and_si512(word, _mm512_set1_epi64(0xff));
  const __m512d x = _mm512_mul_pd(_mm512_cvtepu64_pd(_mm512_srli_epi64(word, 11)),
                                  _mm512_i64gather_pd(layer, table.scale, sizeof(double)));
  rejected = _mm512_cmp_pd_mask(x, _mm512_i64gather_pd(layer, table.inner, sizeof(double)), _CMP_NLT_UQ);
  const __m512i sign = _mm512_slli_epi64(_mm512_srli_epi64(word, 8), 63);
  return _mm512_castsi512_pd(_mm512_xor_si512(_mm512_castpd_si512(x), sign));
}

/// ziggurat_normal's first further step for listed words, eight at a time: the wedge test and, for a
/// point above the curve, the fast path of the next word, which is all that nearly all of them need,
/// with the same operations (so the same bits). Those draws are written to out[at[j]]; the others (the
/// base layer's tail, and the rare second rejection) go to ziggurat_normal.
GUIDANCE_TARGET_AVX512 void avx512_finish(const Ziggurat& table, std::uint64_t seed, std::uint64_t stream,
                                          std::uint64_t first_trial, const std::uint32_t* at, const std::uint64_t* words,
                                          std::size_t count, double* out) {
  const Avx512Philox retry(seed, sample_detail::retry_stream(stream, 1));
  for (std::size_t j = 0; j < count; j += 8) {
    const std::size_t in_group = std::min<std::size_t>(8, count - j);
    const auto lanes = static_cast<__mmask8>((1u << in_group) - 1);
    const __m512i word = _mm512_maskz_loadu_epi64(lanes, words + j);
    const __m512i trial = _mm512_add_epi64(_mm512_cvtepu32_epi64(_mm256_maskz_loadu_epi32(lanes, at + j)),
                                           _mm512_set1_epi64(static_cast<long long>(first_trial)));
    __m512i extra0, extra1;
    retry.words_at(trial, extra0, extra1);
    const __m512i layer = _mm512_and_si512(word, _mm512_set1_epi64(0xff));
    alignas(64) double x[8], curve[8], z[8];
    _mm512_store_pd(x, _mm512_mul_pd(_mm512_cvtepu64_pd(_mm512_srli_epi64(word, 11)),
                                     _mm512_i64gather_pd(layer, table.scale, sizeof(double))));
    detail::map_lanes(x, curve, 8, 0.0, [](detail::Lanes v) __attribute__((always_inline)) {
      const detail::ScaledExp e = detail::exp_of_sum(-0.5 * v * v, detail::Lanes{});
      return e.value * e.scale;
    });
    const __m512d bottom = _mm512_i64gather_pd(layer, table.height, sizeof(double));
    const __m512d top = _mm512_i64gather_pd(_mm512_add_epi64(layer, _mm512_set1_epi64(1)), table.height, sizeof(double));
    const __m512d height = _mm512_add_pd(bottom, _mm512_mul_pd(avx512_open_unit(extra0), _mm512_sub_pd(top, bottom)));
    const __mmask8 wedge = _mm512_test_epi64_mask(layer, layer) & lanes;
    const __mmask8 under = _mm512_cmp_pd_mask(height, _mm512_load_pd(curve), _CMP_LT_OQ) & wedge;
    // A point above the curve starts again from the second further word, whose fast path is tried here.
    __mmask8 rejected_again;
    const __m512d again = avx512_ziggurat_fast(table, extra1, rejected_again);
    const __mmask8 redrawn = wedge & ~under & ~rejected_again;
    const __m512i sign = _mm512_slli_epi64(_mm512_srli_epi64(word, 8), 63);
    const __m512d first = _mm512_castsi512_pd(_mm512_xor_si512(_mm512_castpd_si512(_mm512_load_pd(x)), sign));
    _mm512_store_pd(z, _mm512_mask_mov_pd(first, redrawn, again));
    const unsigned done = under | redrawn;
    for (std::size_t lane = 0; lane < in_group; ++lane)
      out[at[j + lane]] = (done >> lane & 1) != 0 ? z[lane]
                                                  : ziggurat_normal(seed, stream, first_trial + at[j + lane], words[j + lane]);
  }
}

/// The fast path over eight pairs at a time, without a branch: each tile keeps its words and a mask of
/// the words the fast path rejects (1.5%), which are then listed and finished by avx512_finish.
GUIDANCE_TARGET_AVX512 void avx512_pairs_of_normals(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_pair,
                                                    std::size_t pairs, double* out) {
  constexpr std::size_t tile = 256;  // pairs, a multiple of 8
  const Avx512Philox philox(seed, stream);
  const Ziggurat& table = ziggurat();
  alignas(64) std::uint64_t words[2 * tile];  // each group's eight even trials, then its eight odd ones
  std::uint16_t rejected[tile / 8];           // the same order, a bit a word
  std::uint32_t rejected_at[2 * tile];
  std::uint64_t rejected_word[2 * tile];
  std::size_t k = 0;
  while (k + 8 <= pairs) {
    const std::size_t start = k, groups = std::min(tile, (pairs - start) / 8 * 8) / 8;
    // Two loops: the gathers of the second wait on no Philox round.
    for (std::size_t g = 0; g < groups; ++g) {
      __m512i word0, word1;
      philox.words(first_pair + k + 8 * g, word0, word1);
      detail::prefetch_ahead_to_write(out + 2 * (k + 8 * g));  // the two lines the group's values fill
      detail::prefetch_ahead_to_write(out + 2 * (k + 8 * g) + 8);
      _mm512_store_si512(words + 16 * g, word0);
      _mm512_store_si512(words + 16 * g + 8, word1);
    }
    for (std::size_t g = 0; g < groups; ++g, k += 8) {
      __mmask8 rejected0, rejected1;
      const __m512d z0 = avx512_ziggurat_fast(table, _mm512_load_si512(words + 16 * g), rejected0);
      const __m512d z1 = avx512_ziggurat_fast(table, _mm512_load_si512(words + 16 * g + 8), rejected1);
      avx512_store_pairs(z0, z1, out + 2 * k);
      rejected[g] = static_cast<std::uint16_t>(rejected0 | rejected1 << 8);
    }
    std::size_t count = 0;
    for (std::size_t g = 0; g < groups; ++g) {
      for (unsigned bits = rejected[g]; bits != 0; bits &= bits - 1) {
        const unsigned lane = static_cast<unsigned>(std::countr_zero(bits));
        rejected_word[count] = words[16 * g + lane];
        rejected_at[count++] = static_cast<std::uint32_t>(16 * g + 2 * (lane & 7) + (lane >> 3));  // in the tile
      }
    }
    avx512_finish(table, seed, stream, 2 * (first_pair + start), rejected_at, rejected_word, count, out + 2 * start);
  }
  pairs_of_normals(seed, stream, first_pair + k, pairs - k, out + 2 * k);
}
#else
void avx512_pairs_of_uniforms(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_pair, std::size_t pairs,
                              double* out) {
  pairs_of_uniforms(seed, stream, first_pair, pairs, out);
}
void avx512_pairs_of_normals(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_pair, std::size_t pairs,
                             double* out) {
  pairs_of_normals(seed, stream, first_pair, pairs, out);
}
#endif

/// Fills `out` for trials first_trial, first_trial + 1, ...: `one(word, trial)` for a trial whose pair
/// is cut by either end of the span, `pairs(first_pair, count, out)` for the whole pairs between.
template <class One, class Pairs>
void by_pairs(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_trial, std::span<double> out, One&& one,
              Pairs&& pairs) {
  std::size_t k = 0;
  std::uint64_t pair = first_trial >> 1;
  if ((first_trial & 1) != 0 && !out.empty()) {
    out[k++] = one(philox_pair(seed, stream, pair)[1], first_trial);
    ++pair;
  }
  const std::size_t count = (out.size() - k) / 2;
  pairs(pair, count, out.data() + k);
  k += 2 * count;
  pair += count;
  if (k < out.size()) out[k] = one(philox_pair(seed, stream, pair)[0], 2 * pair);
}

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

void normal_pairs_baseline(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_pair, std::size_t pairs,
                           double* out) {
  pairs_of_normals(seed, stream, first_pair, pairs, out);
}

bool normal_pairs_avx512(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_pair, std::size_t pairs,
                         double* out) {
  if (!detail::cpu_has_avx512()) return false;
  avx512_pairs_of_normals(seed, stream, first_pair, pairs, out);
  return true;
}

}  // namespace sample_detail

void uniforms(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_trial, std::span<double> out) {
  by_pairs(
      seed, stream, first_trial, out, [](std::uint64_t word, std::uint64_t) { return open_unit(word); },
      [&](std::uint64_t first_pair, std::size_t pairs, double* to) {
        if (!sample_detail::uniform_pairs_avx512(seed, stream, first_pair, pairs, to))
          sample_detail::uniform_pairs_baseline(seed, stream, first_pair, pairs, to);
      });
}

double uniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t trial) {
  return open_unit(sample_detail::random_bits(seed, stream, trial));
}

void normals(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_trial, std::span<double> out) {
  const Ziggurat& table = ziggurat();
  by_pairs(
      seed, stream, first_trial, out,
      [&](std::uint64_t word, std::uint64_t trial) { return normal_of(table, seed, stream, trial, word); },
      [&](std::uint64_t first_pair, std::size_t pairs, double* to) {
        if (!sample_detail::normal_pairs_avx512(seed, stream, first_pair, pairs, to))
          sample_detail::normal_pairs_baseline(seed, stream, first_pair, pairs, to);
      });
}

double normal(std::uint64_t seed, std::uint64_t stream, std::uint64_t trial) {
  return normal_of(ziggurat(), seed, stream, trial, sample_detail::random_bits(seed, stream, trial));
}

}  // namespace guidance
