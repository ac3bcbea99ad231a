// Standard normal draws from 64-bit random words by the ziggurat method: G. Marsaglia and W. W. Tsang
// (2000), "The Ziggurat Method for Generating Random Variables", Journal of Statistical Software 5(8),
// with 256 layers and, as J. A. Doornik (2005, "An Improved Ziggurat Method to Generate Normal Random
// Samples") advises, a layer index, a sign and a magnitude taken from separate bits of the word.
//
// The region under f(x) = exp(-x^2 / 2), x >= 0, is covered by 256 layers of equal area V: the base
// (layer 0) is the rectangle [0, R] x [0, f(R)] plus the tail beyond R, drawn as a rectangle of width
// x_0 = V / f(R); layer i >= 1 is [0, x_i] x [f(x_i), f(x_{i+1})], with x_1 = R, x_i falling to
// x_256 = 0. A point drawn uniformly in a uniformly chosen layer lies under the curve, and so is a draw
// from the half-normal, at once when its x is below x_{i+1} (98.5% of words); otherwise it is tested
// against the curve (the wedge) or, in the base, replaced by a draw from the tail.
#pragma once

#include <cstdint>

namespace guidance::sample_detail {

struct Ziggurat {
  static constexpr int layers = 256;
  /// R, where the tail starts, and V, every layer's area: the pair for which the layers close at 0
  /// (the last one ends at f(0) = 1), solved to 60 digits (Marsaglia and Tsang give V to 12).
  static constexpr double tail_start = 3.6541528853610088;
  static constexpr double layer_area = 0.0049286732339746553;
  alignas(64) double scale[layers];  // x_i 2^-53: a 53-bit magnitude m gives x = m scale[i] in [0, x_i)
  alignas(64) double inner[layers];  // x_{i+1}: below it, every height of the layer is under the curve
  double height[layers + 1];         // f(x_i), rising to f(x_256) = 1
};

/// The tables, built once (in double, with the engine's own log and exp: the same bits on every
/// machine).
const Ziggurat& ziggurat();

/// The fast path for one word: layer = bits 0-7, sign = bit 8, magnitude m = bits 11-63;
/// z = +-(m scale[layer]). True when the point is certainly under the curve, so that z is the draw.
inline bool ziggurat_fast(const Ziggurat& table, std::uint64_t word, double& z) {
  const unsigned layer = word & 0xff;
  const double x = static_cast<double>(word >> 11) * table.scale[layer];
  z = (word >> 8 & 1) != 0 ? -x : x;
  return x < table.inner[layer];
}

/// The whole draw whose first word is `word`, for trial `trial` of `stream`: the fast path, else the
/// wedge test or the tail (Marsaglia 1964), each step with two further words from
/// philox_pair(seed, retry_stream(stream, k), trial), k = 1, 2, ...: a pure function of its arguments.
double ziggurat_normal(std::uint64_t seed, std::uint64_t stream, std::uint64_t trial, std::uint64_t word);

/// The stream of a draw's k-th further pair of words.
std::uint64_t retry_stream(std::uint64_t stream, std::uint64_t k);

}  // namespace guidance::sample_detail
