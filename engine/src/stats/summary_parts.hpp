// summarize() in its parts, for a streamed run (simulate/stream.cpp) that sees a column a chunk at a
// time and never whole: each chunk's moments, merged in chunk order; the ranks the percentiles need,
// selected by an OrderStatisticSelection; and percentile ranks by counts. summarize() is these parts
// put together, so a streamed summary equals it bit for bit.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "guidance/stats.hpp"
#include "stats/chunks.hpp"

namespace guidance::stats_detail {

/// One chunk's count, extent and moments: its mean and its sum of squared deviations from it, both
/// times 2^-exponent.
struct ChunkMoments {
  Extent extent;
  int exponent = 0;
  double scaled_mean = 0.0;
  double scaled_squares = 0.0;
};

/// The moments of one chunk (chunk_size values, the last may be shorter).
ChunkMoments chunk_moments(std::span<const double> part);

/// A summary's count, non-finite count, extent, mean, sd and mean_se from its chunks' moments in chunk
/// order; the percentiles are left for set_percentiles (all NaN when no value is finite).
Summary moments_summary(std::span<const ChunkMoments> chunks);

/// The extent of the values `summary` summarises, for their order statistics.
Extent summary_extent(const Summary& summary);

/// The ranks among `count` finite values that set_percentiles needs, in its order (none for 0).
std::vector<std::uint64_t> summary_ranks(std::uint64_t count);

/// The percentiles and their intervals from x[i], the order statistic of summary_ranks()[i].
void set_percentiles(Summary& summary, std::span<const double> x);

/// percentile_rank's counts, added a chunk at a time.
struct RankCounts {
  std::uint64_t finite = 0, below = 0, equal = 0;

  void add(std::span<const double> part, double x);
  void merge(const RankCounts& other);
  /// percentile_rank of x among the values counted.
  double rank(double x) const;
};

}  // namespace guidance::stats_detail
