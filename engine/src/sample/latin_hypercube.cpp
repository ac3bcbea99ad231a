// Latin hypercube sampling with a per-index permutation: no table of size n, so blocks of trials are
// independent and any thread can compute any block.
#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "guidance/random.hpp"
#include "sample/designs.hpp"
#include "sample/philox.hpp"

namespace guidance::sample_detail {

namespace {

/// MurmurHash3's 64-bit finaliser: every input bit affects every output bit.
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  return x ^ (x >> 33);
}

}  // namespace

StratumPermutation::StratumPermutation(std::uint64_t seed, std::uint64_t stream, std::uint64_t n) : n_(n) {
  const int bits = std::max(2, static_cast<int>(std::bit_width(n > 0 ? n - 1 : 0)));
  half_bits_ = (bits + 1) / 2;
  half_mask_ = (std::uint64_t{1} << half_bits_) - 1;
  const auto words = philox_pair(seed, stream, parameter_pairs + 1 + n);  // pair parameter_pairs is Sobol's
  for (int r = 0; r < rounds; ++r) keys_[r] = mix(words[0] + static_cast<std::uint64_t>(r) * 0x9E3779B97F4A7C15ull) ^ words[1];
}

std::uint64_t StratumPermutation::feistel(std::uint64_t x) const {
  std::uint64_t left = x >> half_bits_;
  std::uint64_t right = x & half_mask_;
  for (const std::uint64_t key : keys_) {
    const std::uint64_t next = left ^ (mix(right ^ key) & half_mask_);
    left = right;
    right = next;
  }
  return left << half_bits_ | right;
}

std::uint64_t StratumPermutation::operator()(std::uint64_t index) const {
  // A permutation of [0, 2^(2 half_bits)) restricted to [0, n) by walking the cycle through index
  // until it re-enters [0, n): a bijection on [0, n).
  std::uint64_t x = feistel(index);
  while (x >= n_) x = feistel(x);
  return x;
}

void latin_hypercube_uniforms(std::uint64_t seed, std::uint64_t stream, std::uint64_t trials,
                              std::uint64_t first_trial, std::span<double> out) {
  if (first_trial > trials || out.size() > trials - first_trial)
    throw std::invalid_argument(fmt::format("latin hypercube: trials {}..{} beyond a design of {} trials", first_trial,
                                            first_trial + out.size(), trials));
  uniforms(seed, stream, first_trial, out);
  const StratumPermutation stratum_of(seed, stream, trials);
  const double n = static_cast<double>(trials);
  for (std::size_t k = 0; k < out.size(); ++k) {
    const double stratum = static_cast<double>(stratum_of(first_trial + k));
    double u = (stratum + out[k]) / n;
    // Is u N inside [stratum, stratum + 1)? u N is off by at most half an ulp, so the cheap test is
    // exact away from the edges; near them fma's single rounding keeps the sign of u N - edge exact.
    const double scaled = u * n;
    const double margin = scaled * 0x1p-52;
    if (!(scaled - stratum > margin && stratum + 1 - scaled > margin)) {
      while (std::fma(u, n, -(stratum + 1)) >= 0) u = std::nextafter(u, 0.0);
      while (std::fma(u, n, -stratum) < 0) u = std::nextafter(u, 1.0);
    }
    out[k] = u;
  }
}

}  // namespace guidance::sample_detail
