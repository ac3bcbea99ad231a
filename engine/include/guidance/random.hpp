// Counter-based random numbers: a uniform is a pure function of (seed, stream, trial).
//
// Philox4x32-10 (Random123) keyed by the seed; the counter holds the trial index and the stream. A
// driver's stream is a hash of its name, so trial i of driver `revenue` is the same number in every
// run, variant, sweep point and sensitivity design that uses the same seed, on any number of threads.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace guidance {

/// Stream id for a name (64-bit FNV-1a); `salt` separates designs that need independent copies
/// (e.g. the A and B matrices of a pick-freeze design).
std::uint64_t stream_id(std::string_view name, std::uint64_t salt = 0);

/// out[k] = uniform in the open interval (0, 1) for trial first_trial + k, with 53 random bits.
void uniforms(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_trial, std::span<double> out);

/// One value of the same sequence.
double uniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t trial);

}  // namespace guidance
