// Sobol' points addressable by trial: the direction numbers come from Boost's engine once per call,
// then any point is a XOR of at most 64 of them (or one XOR from the previous trial's point).
#include <array>
#include <bit>

#include <boost/random/sobol.hpp>

#include "sample/designs.hpp"
#include "sample/philox.hpp"

namespace guidance::sample_detail {

namespace {
constexpr int word_bits = 64;
using Engine = boost::random::sobol_engine<std::uint64_t, word_bits>;
}  // namespace

std::size_t SobolPoints::max_dimensions() { return boost::random::default_sobol_table::max_dimension; }

namespace {

/// L v for the lower-triangular binary matrix L whose row k (digit k of the result, digit 0 the most
/// significant bit) is digit k itself plus the digits of `rows[k]`, which are all more significant.
std::uint64_t scramble_digits(std::uint64_t v, const std::array<std::uint64_t, word_bits>& rows) {
  std::uint64_t out = 0;
  for (int k = 0; k < word_bits; ++k) {
    const int bit = word_bits - 1 - k;
    const std::uint64_t digit = ((v >> bit) ^ static_cast<std::uint64_t>(std::popcount(v & rows[k]))) & 1;
    out |= digit << bit;
  }
  return out;
}

}  // namespace

SobolPoints::SobolPoints(std::uint64_t seed, std::span<const std::uint64_t> streams, bool randomise)
    : directions_(streams.size() * word_bits), shifts_(streams.size()) {
  if (streams.empty()) return;
  // Boost's point n is the XOR of the direction numbers of the set bits of gray(n + 1); for
  // n = 2^(j+1) - 2, gray(n + 1) = 2^j, so the point is direction number j of every dimension.
  Engine engine(streams.size());
  for (int j = 0; j < word_bits; ++j) {
    engine.seed((std::uint64_t{2} << j) - 2);
    for (std::size_t d = 0; d < streams.size(); ++d) directions_[d * word_bits + j] = engine();
  }
  if (!randomise) return;
  for (std::size_t d = 0; d < streams.size(); ++d) {
    // Scrambling is linear: scrambling each direction number once scrambles every point.
    std::array<std::uint64_t, word_bits> rows;
    for (int k = 0; k < word_bits; ++k) {
      const std::uint64_t word = philox_pair(seed, streams[d], scramble_pairs + static_cast<std::uint64_t>(k / 2))[k % 2];
      rows[k] = word & ~(~std::uint64_t{0} >> k);  // the k digits above digit k
    }
    for (int j = 0; j < word_bits; ++j) directions_[d * word_bits + j] = scramble_digits(directions_[d * word_bits + j], rows);
    shifts_[d] = philox_pair(seed, streams[d], parameter_pairs)[0];
  }
}

std::uint64_t SobolPoints::bits(std::size_t dimension, std::uint64_t trial) const {
  std::uint64_t point = shifts_[dimension];
  for (std::uint64_t gray = trial ^ (trial >> 1); gray != 0; gray &= gray - 1)
    point ^= directions_[dimension * word_bits + std::countr_zero(gray)];
  return point;
}

void SobolPoints::uniforms(std::size_t dimension, std::uint64_t first_trial, std::span<double> out) const {
  if (out.empty()) return;
  const std::uint64_t* direction = &directions_[dimension * word_bits];
  std::uint64_t point = bits(dimension, first_trial);
  out[0] = open_unit(point);
  // gray(i + 1) = gray(i) ^ 2^ctz(i + 1): one XOR per trial.
  for (std::size_t k = 1; k < out.size(); ++k) {
    point ^= direction[std::countr_zero(first_trial + k)];
    out[k] = open_unit(point);
  }
}

}  // namespace guidance::sample_detail
