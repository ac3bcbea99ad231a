// Exact order statistics of a column without sorting or copying it, and the ranks that percentiles
// and their confidence intervals need.
#pragma once

#include <bit>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "guidance/cluster.hpp"
#include "guidance/memory.hpp"
#include "stats/chunks.hpp"

namespace guidance::stats_detail {

/// An unsigned key that orders doubles as their values, -0 just below +0 (NaN beyond the infinities,
/// by its sign): for bisection over the doubles of a range, and for radix sorts.
inline std::uint64_t ordered_key(double x) {
  const auto bits = std::bit_cast<std::uint64_t>(x);
  return (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t{1} << 63);
}

/// x[rank] for each rank (0-based among the finite values in ascending order; any order, repeats
/// allowed, each < extent.count), where `extent` is the extent of `values`. Exact: equal to sorting.
/// `columns`: how many columns of one run are selected in the same passes; they share a budget of
/// gathered values (max_gather_in_pass), which only decides how many passes it takes.
std::vector<double> order_statistics(std::span<const double> values, const Extent& extent,
                                     std::span<const std::uint64_t> ranks, std::size_t columns = 1);

class Selector;

/// A selection's first histogram, counted before its ranks and its values' extent are known: in the
/// pass that finds them (a streamed run's first pass), so that the selection starts one pass further
/// on. Its bins span a provisional range [low, high] taken from a sample (such as the first chunk of
/// trials), with a bin of its own for the values below low and one for those from high up, so any
/// range is correct and a good one saves the pass. Per thread, then merged; finite values only.
class ProvisionalHistogram {
 public:
  /// low < high, both finite.
  ProvisionalHistogram(double low, double high);
  /// Over the range of the finite values of `sample`; none when it has fewer than two distinct ones.
  static std::optional<ProvisionalHistogram> from_sample(std::span<const double> sample);
  /// Count the finite values of `part`; `all_finite` says it has no other (a faster loop).
  void add(std::span<const double> part, bool all_finite = false);
  void merge(const ProvisionalHistogram& other);
  /// The counts, for summing over the processes of a cluster.
  std::span<std::uint64_t> counts() { return counts_; }
  /// The bytes one holds.
  static std::uint64_t bytes();

 private:
  friend class Selector;
  double low_, high_;
  std::vector<std::uint64_t> counts_;
};

/// order_statistics() a pass at a time, for values that need not be in memory together (a streamed
/// run regenerates them, simulate/stream.cpp): each pass visits every chunk of the same `values`
/// values (chunk_size each, numbered as for_each_chunk numbers them), from any thread, in any order,
/// each chunk once. The results equal order_statistics() of the whole column, bit for bit.
///
///   OrderStatisticSelection selection(n, extent, ranks);
///   while (!selection.done()) {
///     selection.begin_pass();
///     ... selection.visit(chunk, values_of(chunk)) for every chunk, in parallel ...
///     selection.end_pass();
///   }
///   std::vector<double> x = std::move(selection).results();
class OrderStatisticSelection {
 public:
  OrderStatisticSelection(std::uint64_t values, const Extent& extent, std::span<const std::uint64_t> ranks,
                          std::size_t columns = 1);
  /// Starting from `first`, the histogram of the same values (every chunk counted once).
  OrderStatisticSelection(std::uint64_t values, const Extent& extent, std::span<const std::uint64_t> ranks,
                          std::size_t columns, const ProvisionalHistogram& first);
  OrderStatisticSelection(OrderStatisticSelection&&) noexcept;
  OrderStatisticSelection& operator=(OrderStatisticSelection&&) noexcept;
  ~OrderStatisticSelection();

  bool done() const;
  /// What the next pass holds: its histograms (each worker thread has its own) and the values it
  /// gathers. The same on every process of a cluster.
  std::uint64_t pass_bytes() const;
  void begin_pass();
  void visit(std::size_t chunk, std::span<const double> part);
  /// With a `cluster` of several processes, each visited its own share of the chunks (chunk_share)
  /// and every process ends the pass together: their counts and values are combined, exactly.
  void end_pass(const Cluster* cluster = nullptr);
  /// x[rank] for each rank, once done().
  std::vector<double> results() &&;

 private:
  std::unique_ptr<Selector> selector_;  // null when no rank is asked for
};

/// The most order_statistics() holds at once for `ranks` ranks: the values it gathers (at most an
/// eighth of the column under its gather budget, plus a cell of at most 2^16 values per rank, gathered
/// whatever the budget) and the one cell it concatenates from them.
MemoryNeed order_statistics_memory(std::size_t ranks);
/// The same for summarize(): four ranks per reported percentile (its two neighbours and its interval).
MemoryNeed summary_memory();
/// What an OrderStatisticSelection of one of `columns` columns holds at most, whatever the number of
/// values: its gather budget is capped.
MemoryNeed streamed_order_statistics_memory(std::size_t ranks, std::size_t columns);

/// Where numpy's "linear" percentile sits among n sorted values: between x[lower] and x[upper]
/// (upper = min(lower + 1, n - 1)) at `fraction`, with h = (n - 1) p computed as numpy does.
struct PercentilePosition {
  std::uint64_t lower = 0;
  std::uint64_t upper = 0;
  double fraction = 0.0;
};
PercentilePosition percentile_position(std::uint64_t n, double p);

/// numpy's _lerp: a + (b - a) t, or b - (b - a)(1 - t) when t >= 0.5 (exact at both ends; monotone).
double interpolate(double a, double b, double t);

/// Ranks (0-based) of the distribution-free interval for the p-quantile (see percentile_interval):
/// empty when no rank has the coverage on that side.
struct RankInterval {
  std::optional<std::uint64_t> low;
  std::optional<std::uint64_t> high;
};
RankInterval quantile_interval_ranks(std::uint64_t n, double p, double confidence);

/// Throws std::invalid_argument unless 0 <= p <= 1; `what` names the argument.
void check_probability(double p, const char* what);

}  // namespace guidance::stats_detail
