// The memory check every command makes before it starts (guidance/memory.hpp).
#include "guidance/memory.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <string>

#include <fmt/format.h>
#include <tbb/global_control.h>

#include "guidance/diagnostics.hpp"

namespace guidance {

namespace {

/// The kernel's MemAvailable: what a new allocation can have without swapping, in bytes.
std::uint64_t kernel_available_memory() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::uint64_t kibibytes = 0;
  std::string unit;
  while (meminfo >> key >> kibibytes >> unit)
    if (key == "MemAvailable:") return kibibytes * 1024;
  return std::numeric_limits<std::uint64_t>::max();  // unknown: let the allocator decide
}

std::string format_bytes(double bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int unit = 0;
  while (bytes >= 1024.0 && unit < 6) {
    bytes /= 1024.0;
    ++unit;
  }
  return unit == 0 ? fmt::format("{:.0f} bytes", bytes) : fmt::format("{:.1f} {}", bytes, units[unit]);
}

}  // namespace

std::uint64_t worker_threads() {
  return tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
}

std::uint64_t available_memory() {
  const std::uint64_t kernel = kernel_available_memory();
  const char* limit = std::getenv("GUIDANCE_MEMORY_LIMIT");
  if (limit == nullptr || *limit == '\0') return kernel;  // set empty: as unset, as shells use it
  const std::string_view text = limit;
  std::uint64_t bytes = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), bytes);
  if (end == text.data() + text.size() && error == std::errc::result_out_of_range) return kernel;  // above any machine
  if (error != std::errc() || end != text.data() + text.size())
    throw InputError({}, fmt::format("GUIDANCE_MEMORY_LIMIT must be a whole number of bytes, found `{}`", text),
                     "e.g. GUIDANCE_MEMORY_LIMIT=4000000000 for 4 GB, or unset it to use what the kernel reports");
  return std::min(kernel, bytes);
}

std::uint64_t default_memory_budget() { return available_memory() / 2; }

namespace {
/// The share of available_memory() a command may plan on: the rest is for the program itself, its
/// libraries and the kernel.
constexpr double usable_share = 0.9;
}  // namespace

bool fits_in_memory(const MemoryNeed& need, std::uint64_t trials) {
  return need.bytes(trials) <= usable_share * static_cast<double>(available_memory());
}

void check_memory(std::string_view what, const MemoryNeed& need, std::uint64_t trials) {
  if (fits_in_memory(need, trials)) return;
  const double needed = need.bytes(trials);
  const double available = static_cast<double>(available_memory());
  const double usable = usable_share * available;
  const std::uint64_t threads = worker_threads();
  const std::string on_threads = fmt::format("on {} thread{}", threads, threads == 1 ? "" : "s");
  // A need that does not grow with the trials (tornado, spider) is not stated per trial.
  const std::string message =
      need.per_trial > 0.0
          ? fmt::format("{} needs {} of memory for {} trials ({:.4g} bytes per trial, plus {} of workspace {}), but "
                        "only {} is available",
                        what, format_bytes(needed), trials, need.per_trial, format_bytes(need.fixed), on_threads,
                        format_bytes(available))
          : fmt::format("{} needs {} of memory (its workspace {}), but only {} is available", what,
                        format_bytes(needed), on_threads, format_bytes(available));
  const double fitting = need.per_trial > 0.0 ? std::floor((usable - need.fixed) / need.per_trial) : 0.0;
  std::string hint = fitting >= 1.0 ? fmt::format("at most {:.0f} trials fit: run fewer", fitting)
                     : threads > 1  ? "use fewer threads: each has a workspace of its own"
                                    : "fix the least important drivers to constants, or run on a machine with more "
                                      "memory";
  throw InputError({}, message, std::move(hint));
}

}  // namespace guidance
