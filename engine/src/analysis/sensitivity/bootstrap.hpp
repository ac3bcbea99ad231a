// Per-trial statistics summed in batches of consecutive base trials, and a percentile bootstrap over
// the batches: deterministic, and cheap however many trials the design has.
//
// The estimators of sobol and shapley are smooth functions of means of per-trial statistics. Trials
// are independent, so batches of consecutive trials are too, and resampling batch sums with
// replacement is a bootstrap of those means (with at most max_batches batches: a resample costs
// batches x statistics additions instead of trials x statistics).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "guidance/memory.hpp"
#include "guidance/stats.hpp"

namespace guidance::analysis {

/// The most batches: with at least this many trials there are between max_batches / 2 and max_batches,
/// enough for the percentiles of the bootstrap.
inline constexpr std::size_t max_batches = 1024;

/// The fewest batches holding a finite trial from which an interval is given. The most likely
/// resample of n batches, each once, has probability n! / n^n: 9.4% for 4, 3.8% for 5, 1.5% for 6. From
/// 6 on no single resample holds a whole 2.5% tail, so the interval's ends are not one repeated
/// resample's estimate (docs/methods.md, "Bootstrap intervals").
inline constexpr std::size_t min_bootstrap_batches = 6;

/// The first statistics of a trial in the Sobol and Shapley designs: a count, the output's sum and its
/// sum of squares; each design's own statistics follow from `design_statistics` on.
enum OutputSum : std::size_t { count, sum, sum_squares, design_statistics };

class BatchedSums {
 public:
  /// `rows` base trials processed in chunks of `chunk_rows` (a power of two) consecutive trials, each
  /// trial contributing `statistics` numbers.
  BatchedSums(std::uint64_t rows, std::size_t statistics, std::size_t chunk_rows);
  /// The most a BatchedSums and its batch_sums() hold: at most max_batches cells, or a cell per chunk
  /// when there are more chunks than that, and the batches' sums.
  static MemoryNeed memory(std::size_t statistics, std::size_t chunk_rows);

  /// Sums for the cell holding `row`: add a trial's statistics here. A cell lies inside one chunk, so
  /// that chunks processed in parallel never share one.
  std::span<double> cell(std::uint64_t row);
  /// Trials per cell; cell(row) is the same for rows in the same run of cell_rows() trials.
  std::size_t cell_rows() const { return cell_rows_; }

  /// Sums per batch (after every chunk is done), batches in trial order: batch b is [b * statistics,
  /// (b + 1) * statistics).
  std::vector<double> batch_sums() const;
  std::size_t batch_count() const { return batch_count_; }
  std::size_t statistics() const { return statistics_; }

 private:
  std::size_t statistics_;
  std::size_t cell_rows_;
  std::size_t cells_per_batch_;
  std::size_t batch_count_;
  std::vector<double> cells_;
};

/// Maps summed statistics to estimates (out has one slot per estimate).
using Estimator = std::function<void(std::span<const double> sums, std::span<double> out)>;

struct BootstrapEstimates {
  std::vector<double> estimates;    // from all trials
  std::vector<Interval> intervals;  // 95% percentile intervals
};

/// Point estimates from the sums of all batches (`batches` holds `statistics` sums per batch, batches in
/// trial order, statistic 0 (OutputSum::count) the batch's count of trials), and 95% percentile
/// intervals from `resamples` resamples of the batches with replacement, drawn from the counter-based
/// generator on its own `stream`. With fewer than min_bootstrap_batches batches that count a trial the
/// intervals are [NaN, NaN]: too few to resample.
BootstrapEstimates bootstrap(std::span<const double> batches, std::size_t statistics, std::size_t estimates,
                             const Estimator& estimator, std::size_t resamples, std::uint64_t seed,
                             std::uint64_t stream);

}  // namespace guidance::analysis
