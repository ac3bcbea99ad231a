// What a computation needs in memory at its peak, and the check every command makes before it starts:
// each analysis states its own need (MemoryNeed), derived from the buffers it holds at once, and
// check_memory() compares it with what the machine has.
//
//   const MemoryNeed need = run_memory(model);                 // simulate.hpp: bytes per trial, and fixed
//   check_memory("run", need, 10'000'000);                      // InputError with the arithmetic if short
//   const double bytes = need.bytes(10'000'000);
#pragma once

#include <cstdint>
#include <string_view>

namespace guidance {

/// Bytes held at a computation's peak: `per_trial` for each trial, and `fixed` whatever the count (the
/// worker threads' scratch columns and workspaces, tables).
struct MemoryNeed {
  double per_trial = 0.0;
  double fixed = 0.0;

  double bytes(std::uint64_t trials) const { return per_trial * static_cast<double>(trials) + fixed; }
  /// Both alive at once.
  MemoryNeed operator+(const MemoryNeed& other) const { return {per_trial + other.per_trial, fixed + other.fixed}; }
  /// `copies` alive at once (one per thread, say).
  MemoryNeed operator*(double copies) const { return {per_trial * copies, fixed * copies}; }
};

/// Covers two stages that run one after the other: the larger of each part.
inline MemoryNeed either(const MemoryNeed& a, const MemoryNeed& b) {
  return {a.per_trial > b.per_trial ? a.per_trial : b.per_trial, a.fixed > b.fixed ? a.fixed : b.fixed};
}

/// The worker threads a parallel loop may use now (the caller's tbb::global_control limit, else the
/// machine's cores).
std::uint64_t worker_threads();

/// Memory a new allocation can have: the kernel's MemAvailable, or the environment variable
/// GUIDANCE_MEMORY_LIMIT (whole bytes) when that is lower (a container's limit, a share of a machine);
/// set empty, it is as unset.
/// Throws InputError when GUIDANCE_MEMORY_LIMIT is set but not a whole number of bytes.
std::uint64_t available_memory();

/// The memory a run may keep its trials in before it streams them instead (stream_run in
/// simulate.hpp): half of available_memory(), leaving the rest to the rest of the machine.
/// Throws as available_memory().
std::uint64_t default_memory_budget();

/// Whether `need` for `trials` trials fits in 90% of available_memory(), check_memory's test.
/// Throws as available_memory().
bool fits_in_memory(const MemoryNeed& need, std::uint64_t trials);

/// Throws InputError when `what` (a command, "sensitivity's correlation method", or "a run") would need
/// more than 90% of available_memory() for `trials` trials. The message gives the need, its bytes per
/// trial and the memory available; the hint, how many trials would fit.
void check_memory(std::string_view what, const MemoryNeed& need, std::uint64_t trials);

}  // namespace guidance
