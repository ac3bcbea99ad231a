// The narrowest window of a column's finite values, exactly, a pass at a time and without sorting or
// keeping the column: for propose's narrowest range over trials that are not kept.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <span>

#include "guidance/cluster.hpp"
#include "guidance/memory.hpp"
#include "stats/chunks.hpp"

namespace guidance::stats_detail {

class WindowNarrowing;

/// What one pass of a NarrowestWindowSelection may hold: the values it gathers (counting those it
/// keeps from earlier passes) and the histogram bins it counts (each worker thread has its own).
/// Only the number of passes depends on them, never the result.
struct WindowBudget {
  std::uint64_t gathered = std::uint64_t{1} << 20;
  std::uint64_t bins = std::uint64_t{1} << 16;
};

/// With x(0) <= ... <= x(n - 1) the n finite values in ascending order (-0 below +0), the window
/// [x(i), x(i + k - 1)] of least width x(i + k - 1) - x(i), the lowest i among equally narrow ones:
/// equal to that of sorting the values. Used as OrderStatisticSelection is: begin_pass, visit every
/// chunk of the same values once (any thread, any order), end_pass, until done().
///
/// Each pass refines the value ranges (pieces of ranks) that hold the start or end of a window still
/// possibly narrowest: a piece is gathered whole, or histogrammed into bins that record their count,
/// smallest and largest value. A window whose least possible width exceeds the greatest possible
/// width of another is dropped for good.
class NarrowestWindowSelection {
 public:
  /// `extent`: the finite values' count and extremes; 1 <= k <= extent.count (else
  /// std::out_of_range).
  NarrowestWindowSelection(const Extent& extent, std::uint64_t k, WindowBudget budget = {});
  NarrowestWindowSelection(NarrowestWindowSelection&&) noexcept;
  NarrowestWindowSelection& operator=(NarrowestWindowSelection&&) noexcept;
  ~NarrowestWindowSelection();

  bool done() const;
  void begin_pass();
  /// Any part of the values (non-finite ones are skipped), each value once in a pass.
  void visit(std::span<const double> part);
  /// With a `cluster` of several processes, each visited its own share of the chunks and every process
  /// ends the pass together: their counts and values are combined, exactly.
  void end_pass(const Cluster* cluster = nullptr);
  /// x(i) and x(i + k - 1), once done().
  std::pair<double, double> result() const;
  /// Passes made so far.
  int passes() const;

 private:
  std::unique_ptr<WindowNarrowing> narrowing_;
};

/// The most a NarrowestWindowSelection with the default budget holds, whatever the number of values,
/// with passes on `threads` worker threads.
MemoryNeed narrowest_window_memory(std::uint64_t threads);

}  // namespace guidance::stats_detail
