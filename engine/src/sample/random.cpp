// uniforms(): one Philox call per pair of trials, both words used; an odd first trial or an odd
// count takes one word of a pair, so every value depends only on its own trial.
#include "guidance/random.hpp"

#include "cpu_features.hpp"
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

GUIDANCE_TARGET_AVX512 void avx512_pairs_of_uniforms(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_pair,
                                                     std::size_t pairs, double* out) {
  pairs_of_uniforms(seed, stream, first_pair, pairs, out);
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
