// Sampling designs: where each driver's uniforms come from before the copula and the quantiles.
//
// Every design is addressable by trial index, so a block of trials is a pure function of
// (seed, stream, trial) and any cut of a run into blocks gives the same numbers. Fixed random
// parameters of a design (a permutation key, a scrambling matrix, a digital shift) are drawn from the
// driver's Philox stream at counter pairs at or above 2^61, which no trial reaches (a run has at most
// 10^10 trials).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace guidance::sample_detail {

/// First Philox counter pair reserved for design parameters.
inline constexpr std::uint64_t parameter_pairs = std::uint64_t{1} << 61;
/// First of the 32 pairs of the Sobol' scrambling matrices: far above the pairs a Latin hypercube key
/// takes (parameter_pairs + 1 + its number of trials).
inline constexpr std::uint64_t scramble_pairs = parameter_pairs + (std::uint64_t{1} << 60);

/// A pseudo-random permutation of [0, n), a pure function of (seed, stream, n), evaluated per index
/// in O(1) memory: a balanced Feistel network on the smallest even number of bits covering n, with
/// cycle walking until the image falls below n (Black and Rogaway 2002; fewer than 4 rounds of the
/// network per index on average).
class StratumPermutation {
 public:
  StratumPermutation(std::uint64_t seed, std::uint64_t stream, std::uint64_t n);
  std::uint64_t operator()(std::uint64_t index) const;

 private:
  std::uint64_t feistel(std::uint64_t x) const;

  static constexpr int rounds = 6;
  std::uint64_t n_;
  int half_bits_;
  std::uint64_t half_mask_;
  std::uint64_t keys_[rounds];
};

/// Latin hypercube uniforms of one driver for trials first_trial.. (all < trials): trial i falls in
/// stratum s = pi(i) of [0, 1) cut into `trials` equal strata, u = (s + v_i) / trials with v_i the
/// driver's Monte Carlo uniform of trial i and pi a StratumPermutation. u is kept exactly inside its
/// stratum (rounding of the division could otherwise put it on the next stratum's edge).
void latin_hypercube_uniforms(std::uint64_t seed, std::uint64_t stream, std::uint64_t trials,
                              std::uint64_t first_trial, std::span<double> out);

/// Randomised Sobol' points. Direction numbers are Boost.Random's (boost::random::sobol, Joe and Kuo),
/// 64 bits; trial i is the Gray-code point i (XOR of the direction numbers of the set bits of
/// i ^ (i >> 1)), so trial 0 is the origin and trials 1, 2, ... are Boost's sequence (which starts
/// after the origin). Each dimension is randomised by a linear matrix scramble and a digital shift
/// (Matousek 1998; SciPy's default for its Sobol' engine): every point's digits are multiplied by a
/// random lower-triangular binary matrix with ones on its diagonal (each digit gains a random sum of
/// the digits above it), then XORed with a random 64-bit word, both from the driver's stream (Philox
/// pairs scramble_pairs.. and parameter_pairs). That keeps the net's stratification (the first 2^m
/// points of a dimension still fall one in each of 2^m equal strata, and pairs of dimensions keep
/// their t), scrambles where each point sits inside its stratum, and makes every point uniform on
/// (0, 1); u is then the open-interval value of the top 52 bits, as for Monte Carlo uniforms.
class SobolPoints {
 public:
  /// Boost's limit on the dimension.
  static std::size_t max_dimensions();

  /// One dimension per entry of `streams` (the stochastic drivers in order); randomise = false gives
  /// the plain sequence (for tests against Boost).
  SobolPoints(std::uint64_t seed, std::span<const std::uint64_t> streams, bool randomise = true);

  void uniforms(std::size_t dimension, std::uint64_t first_trial, std::span<double> out) const;
  /// The randomised 64-bit point of `dimension` at `trial`.
  std::uint64_t bits(std::size_t dimension, std::uint64_t trial) const;

 private:
  std::vector<std::uint64_t> directions_;  // [dimension * 64 + bit]
  std::vector<std::uint64_t> shifts_;
};

}  // namespace guidance::sample_detail
