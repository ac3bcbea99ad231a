// uniforms(): one Philox call per pair of trials, both words used; an odd first trial or an odd
// count takes one word of a pair, so every value depends only on its own trial.
#include "guidance/random.hpp"

#include "sample/philox.hpp"

namespace guidance {

using sample_detail::open_unit;
using sample_detail::philox_pair;

void uniforms(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_trial, std::span<double> out) {
  std::size_t k = 0;
  std::uint64_t pair = first_trial >> 1;
  if ((first_trial & 1) != 0 && !out.empty()) out[k++] = open_unit(philox_pair(seed, stream, pair++)[1]);
  for (; k + 2 <= out.size(); k += 2) {
    const auto words = philox_pair(seed, stream, pair++);
    out[k] = open_unit(words[0]);
    out[k + 1] = open_unit(words[1]);
  }
  if (k < out.size()) out[k] = open_unit(philox_pair(seed, stream, pair)[0]);
}

double uniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t trial) {
  return open_unit(sample_detail::random_bits(seed, stream, trial));
}

}  // namespace guidance
