// Software prefetch for the passes that stream a stored column from memory, and for the loops that
// write the columns in the first place. On some machines the hardware prefetcher alone keeps too few
// cache lines in flight for a loop that does real work per value: on the Intel machine of
// docs/performance.md a histogram pass over 10 M values ran at 2.5 ns a value, and at 1.1 ns when it
// asked for each line 8 KiB ahead; the first write to each line of a fresh column waits for the line
// likewise. Asking costs a load slot per line and changes no result.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <type_traits>

namespace guidance::detail {

/// How far ahead of the value being read a pass asks for its line: 1,024 doubles, 8 KiB.
inline constexpr std::size_t prefetch_distance = 1024;

/// Asks for the cache line prefetch_distance values after `p`, for reading. Never faults, even past the
/// end of the column. Once per 8 values (a line).
[[gnu::always_inline]] inline void prefetch_ahead(const double* p) { __builtin_prefetch(p + prefetch_distance); }

/// The same for a line the loop will write: asks for it in a state that can be written.
[[gnu::always_inline]] inline void prefetch_ahead_to_write(double* p) { __builtin_prefetch(p + prefetch_distance, 1); }

/// Calls visit(x) for each value in order, asking for each line prefetch_distance values ahead.
template <class Visit>
[[gnu::always_inline]] inline void for_each_prefetched(std::span<const double> values, Visit&& visit) {
  std::size_t i = 0;
  for (; i + 8 <= values.size(); i += 8) {
    prefetch_ahead(values.data() + i);
    for (std::size_t k = i; k < i + 8; ++k) visit(values[k]);
  }
  for (; i < values.size(); ++i) visit(values[i]);
}

/// The values of one run of for_each_prefetched_run: eight lines.
inline constexpr std::size_t prefetched_run = 64;

/// Calls run(first, count) for consecutive runs of up to prefetched_run values of [0, n), each after
/// asking for its eight lines prefetch_distance values ahead in `column` (to write them, when `column`
/// is not const): for loops that should stay simple enough to vectorise, where a prefetch per line
/// inside would not.
template <class Value, class Run>
[[gnu::always_inline]] inline void for_each_prefetched_run(Value* column, std::size_t n, Run&& run) {
  for (std::size_t first = 0; first < n; first += prefetched_run) {
    for (std::size_t line = 0; line < prefetched_run; line += 8) {
      if constexpr (std::is_const_v<Value>) prefetch_ahead(column + first + line);
      else prefetch_ahead_to_write(column + first + line);
    }
    run(first, std::min(prefetched_run, n - first));
  }
}

}  // namespace guidance::detail
