// Counter-based random numbers: a uniform is a pure function of (seed, stream, trial).
//
// Philox4x32-10 (Random123; Salmon et al., SC'11) keyed by the 64-bit seed; the 128-bit counter holds
// the trial pair (trial / 2) and the 64-bit stream, and one call gives the uniforms of both trials of
// the pair. A driver's stream is a hash of its name, so trial i of driver `revenue` is the same number
// in every run, variant, sweep point and sensitivity design that uses the same seed, on any number of
// threads and whatever blocks the trials are cut into.
//
//   std::vector<double> u(2048);
//   uniforms(seed, stream_id("revenue"), first_trial, u);   // u[k] == uniform(seed, stream, first_trial + k)
//   normals(seed, stream_id("revenue"), first_trial, u);    // u[k] == normal(seed, stream, first_trial + k)
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace guidance {

namespace detail {
inline constexpr std::uint64_t salt_multiplier = 0x9E3779B97F4A7C15ull;  // 2^64 / golden ratio
/// x ^ (x >> 31) and its inverse: a bijection on 64-bit words.
constexpr std::uint64_t xorshift31(std::uint64_t x) { return x ^ (x >> 31); }
constexpr std::uint64_t unxorshift31(std::uint64_t y) { return y ^ (y >> 31) ^ (y >> 62); }
}  // namespace detail

/// Stream id for a name (64-bit FNV-1a); `salt` separates designs that need independent copies
/// (e.g. the A and B matrices of a pick-freeze design). Inline because the model builder assigns
/// streams without depending on the sampler.
constexpr std::uint64_t stream_id(std::string_view name, std::uint64_t salt = 0) {
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a 64 offset basis
  for (const char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;  // FNV-1a 64 prime
  }
  // A multiply-xorshift finaliser spreads the salt over all bits.
  return detail::xorshift31(hash ^ salt * detail::salt_multiplier);
}

/// The stream of the same name under another salt: salted_stream(stream_id(name), salt) ==
/// stream_id(name, salt). For the sampler, which knows drivers by stream, not by name. For a fixed
/// salt it is a bijection, so distinct streams stay distinct.
constexpr std::uint64_t salted_stream(std::uint64_t stream, std::uint64_t salt) {
  return detail::xorshift31(detail::unxorshift31(stream) ^ salt * detail::salt_multiplier);
}

/// out[k] = uniform in the open interval (0, 1) for trial first_trial + k. The values are the odd
/// multiples of 2^-53, (2 j + 1) / 2^53 with j the top 52 bits of a 64-bit Philox output word
/// (Random123's u01fixedpt_open_open_64_double): 2^52 equally likely values, symmetric about 1/2,
/// never 0 or 1, from 2^-53 to 1 - 2^-53.
void uniforms(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_trial, std::span<double> out);

/// One value of the same sequence.
double uniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t trial);

/// out[k] = a standard normal draw for trial first_trial + k, by the ziggurat method (Marsaglia and
/// Tsang 2000; docs/methods.md) from the same 64-bit Philox word as uniform(seed, stream, trial). The
/// 1.5% of words that fall outside the ziggurat's rectangles take further words from streams salted
/// from `stream`, counted by the trial, so each value is still a pure function of (seed, stream,
/// trial). Not the inverse CDF of the trial's uniform: several times faster, for Monte Carlo draws
/// that need no such link.
void normals(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_trial, std::span<double> out);

/// One value of the same sequence.
double normal(std::uint64_t seed, std::uint64_t stream, std::uint64_t trial);

}  // namespace guidance
