// summarize and percentile_rank: moments by compensated chunked sums, percentiles and their
// intervals from one exact order-statistic selection.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

#include "cpu_features.hpp"
#include "guidance/stats.hpp"
#include "lanes.hpp"
#include "prefetch.hpp"
#include "stats/order_statistics.hpp"

namespace guidance {

namespace stats_detail {

namespace {

using detail::LaneMask;
using detail::Lanes;
using detail::lanes_abs;

/// Calls whole(x) for each whole group of four values of a chunk, value i in lane i % 4 (as
/// for_each_in_lanes), then last(x) for the last partial group, if any, padded with NaN.
template <class Whole, class Last>
[[gnu::always_inline]] inline void for_each_group(std::span<const double> part, Whole&& whole, Last&& last) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  std::size_t i = 0;
  for (; i + 8 <= part.size(); i += 8) {  // a line a step, for one prefetch a line
    detail::prefetch_ahead(part.data() + i);
    whole(detail::load_lanes(part.data() + i, 4, nan));
    whole(detail::load_lanes(part.data() + i + 4, 4, nan));
  }
  for (; i + 4 <= part.size(); i += 4) whole(detail::load_lanes(part.data() + i, 4, nan));
  if (i < part.size()) last(detail::load_lanes(part.data() + i, part.size() - i, nan));
}

/// Neumaier sums (CompensatedSum::add) in four lanes.
struct LaneCompensatedSum {
  Lanes sum{}, compensation{};

  [[gnu::always_inline]] void add(Lanes v) {
    const Lanes t = sum + v;
    compensation += lanes_abs(sum) >= lanes_abs(v) ? (sum - t) + v : (v - t) + sum;
    sum = t;
  }
  [[gnu::always_inline]] bool finite() const {
    constexpr double largest = std::numeric_limits<double>::max();
    const LaneMask finite = (lanes_abs(sum) <= largest) & (lanes_abs(compensation) <= largest);
    return finite[0] && finite[1] && finite[2] && finite[3];
  }
  /// The lanes' sums added in lane order.
  CompensatedSum total() const {
    LaneSums sums;
    for (std::size_t lane = 0; lane < 4; ++lane) sums.lanes[lane] = {sum[lane], compensation[lane]};
    return sums.total();
  }
};

/// A chunk's scan, or nothing when `assume_finite` and the chunk has a value that is not finite (or
/// its sum overflows).
template <bool assume_finite>
[[gnu::always_inline]] inline std::optional<Scan> scan_lanes_if(std::span<const double> part) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  constexpr double largest = std::numeric_limits<double>::max();
  LaneCompensatedSum sum;
  Lanes low = {inf, inf, inf, inf}, high = {-inf, -inf, -inf, -inf};
  LaneMask count{};  // of the finite values the tested loop saw
  const auto add_finite = [&](Lanes v) __attribute__((always_inline)) {
    low = v < low ? v : low;
    high = v > high ? v : high;
    sum.add(v);
  };
  const auto add = [&](Lanes x) __attribute__((always_inline)) {
    const LaneMask finite = lanes_abs(x) <= largest;
    count -= finite;
    low = (finite & (x < low)) ? x : low;
    high = (finite & (x > high)) ? x : high;
    sum.add(finite ? x : Lanes{});
  };
  if constexpr (assume_finite) {
    for_each_group(part, add_finite, add);
    // A value that is not finite makes its lane's sum infinite or NaN, and it stays so.
    if (!sum.finite()) return std::nullopt;
  } else {
    for_each_group(part, add, add);
  }
  Scan local;
  local.extent.count = assume_finite ? part.size() / 4 * 4 : 0;  // the whole groups, untested
  for (std::size_t lane = 0; lane < 4; ++lane) {
    local.extent.count += static_cast<std::uint64_t>(count[lane]);
    local.extent.min = std::min(local.extent.min, low[lane]);
    local.extent.max = std::max(local.extent.max, high[lane]);
  }
  local.extent.nonfinite = part.size() - local.extent.count;
  local.sum = sum.total();
  return local;
}

/// One chunk's count, extent and compensated sum, value i in lane i % 4 (as for_each_in_lanes), every
/// lane a Neumaier sum (CompensatedSum::add). A non-finite value adds zero, which changes no sum (a sum
/// that starts at +0 never becomes -0), and leaves min and max alone; the last partial group is padded
/// with NaN. A chunk of finite values (the usual case) is summed without those tests first; for them
/// the two loops do the same operations.
[[gnu::always_inline]] inline Scan scan_lanes(std::span<const double> part) {
  if (const std::optional<Scan> finite = scan_lanes_if<true>(part)) return *finite;
  return *scan_lanes_if<false>(part);
}

// Two builds that compute the same bits (the same operations in the same lanes, no FMA): the
// baseline one, two lanes a vector, and an AVX2 one, four.
Scan scan_chunk(std::span<const double> part) { return scan_lanes(part); }
GUIDANCE_TARGET_AVX2 Scan avx2_scan_chunk(std::span<const double> part) { return scan_lanes(part); }

}  // namespace

Scan scan(std::span<const double> values) {
  std::vector<Scan> chunks(chunk_count(values.size()));
  const bool avx2 = detail::cpu_has_avx2();
  for_each_chunk(values, [&](std::size_t c, std::span<const double> part) {
    chunks[c] = avx2 ? avx2_scan_chunk(part) : scan_chunk(part);
  });
  Scan total;
  for (const Scan& chunk : chunks) {
    total.extent.merge(chunk.extent);
    total.sum.add(chunk.sum);
  }
  return total;
}

int scale_exponent(const Extent& extent) {
  const double largest = std::max(std::abs(extent.min), std::abs(extent.max));
  return largest == 0.0 ? 0 : std::clamp(std::ilogb(largest), -1020, 1020);
}

}  // namespace stats_detail

namespace {

using namespace stats_detail;

/// One chunk's count, extent and moments. The chunk is read once from memory; the deviations are
/// taken about the chunk's own mean in a second pass over it while it is still in cache, with the
/// values scaled by 2^-exponent (the chunk's scale_exponent) so that neither the mean nor the squares
/// can overflow or lose bits to underflow.
struct ChunkMoments {
  Extent extent;
  CompensatedSum sum;  // of the unscaled values (may overflow; the scaled mean below cannot)
  int exponent = 0;
  double scaled_mean = 0.0;     // the chunk's mean times 2^-exponent
  double scaled_squares = 0.0;  // the sum of squared deviations from it, times 2^-2 exponent
};

[[gnu::always_inline]] inline ChunkMoments chunk_moments_lanes(std::span<const double> part) {
  ChunkMoments chunk;
  const Scan first = scan_lanes(part);
  chunk.extent = first.extent;
  chunk.sum = first.sum;
  if (chunk.extent.count == 0) return chunk;

  const double n = static_cast<double>(chunk.extent.count);
  chunk.exponent = scale_exponent(chunk.extent);
  const double scale = std::ldexp(1.0, -chunk.exponent);
  if (std::isfinite(chunk.sum.value())) {
    chunk.scaled_mean = chunk.sum.value() / n * scale;
  } else {  // the plain sum overflowed: sum the scaled values instead
    LaneSums scaled;
    for_each_in_lanes(part, [&](std::size_t lane, double x) {
      if (std::isfinite(x)) scaled.lanes[lane].add(x * scale);
    });
    chunk.scaled_mean = scaled.total().value() / n;
  }
  // Corrected two-pass (Chan, Golub and LeVeque 1983): the sum of the deviations corrects the
  // rounding of the mean.
  // In lanes, as the scan: each lane's sums take its values in order, so the bits do not depend on
  // the build. A non-finite value (or the padding) adds +0, which changes no sum. The squares are
  // compensated: a column of few distinct values (a 0/1 indicator) adds the same rounded square
  // thousands of times, and plain sums then drift by hundreds of ulps in one direction.
  Lanes deviations{};
  LaneCompensatedSum squares;
  const auto accumulate = [&](Lanes d) __attribute__((always_inline)) {
    deviations += d;
    squares.add(d * d);
  };
  const auto add = [&](Lanes x) __attribute__((always_inline)) {
    const LaneMask finite = lanes_abs(x) <= std::numeric_limits<double>::max();
    accumulate(finite ? x * scale - chunk.scaled_mean : Lanes{});
  };
  const auto add_finite = [&](Lanes x) __attribute__((always_inline)) { accumulate(x * scale - chunk.scaled_mean); };
  if (chunk.extent.nonfinite == 0) for_each_group(part, add_finite, add);
  else for_each_group(part, add, add);
  const double deviation = (deviations[0] + deviations[1]) + (deviations[2] + deviations[3]);
  const double square = squares.total().value();
  chunk.scaled_mean += deviation / n;
  chunk.scaled_squares = std::max(0.0, square - deviation * deviation / n);
  return chunk;
}

// Two builds, as scan_chunk.
ChunkMoments chunk_moments(std::span<const double> part) { return chunk_moments_lanes(part); }
GUIDANCE_TARGET_AVX2 ChunkMoments avx2_chunk_moments(std::span<const double> part) { return chunk_moments_lanes(part); }

Summary empty_summary(std::uint64_t nonfinite) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  Summary summary;
  summary.nonfinite = nonfinite;
  summary.mean = summary.mean_se = summary.sd = summary.min = summary.max = nan;
  summary.percentiles.fill(nan);
  summary.percentile_ci.fill({nan, nan});
  return summary;
}

}  // namespace

Summary summarize(std::span<const double> values) {
  // One pass over memory: each chunk's moments about its own mean, merged in chunk order.
  std::vector<ChunkMoments> chunks(chunk_count(values.size()));
  const bool avx2 = detail::cpu_has_avx2();
  for_each_chunk(values, [&](std::size_t c, std::span<const double> part) {
    chunks[c] = avx2 ? avx2_chunk_moments(part) : chunk_moments(part);
  });
  Extent extent;
  CompensatedSum sum;
  for (const ChunkMoments& chunk : chunks) {
    extent.merge(chunk.extent);
    sum.add(chunk.sum);
  }
  if (extent.count == 0) return empty_summary(extent.nonfinite);

  Summary summary;
  summary.count = extent.count;
  summary.nonfinite = extent.nonfinite;
  summary.min = extent.min;
  summary.max = extent.max;

  // Scaling by 2^-e changes no bit of the mean unless the plain sum overflowed.
  const double n = static_cast<double>(extent.count);
  const int exponent = scale_exponent(extent);
  const auto rescale = [&](const ChunkMoments& chunk) { return std::ldexp(1.0, chunk.exponent - exponent); };
  double scaled_mean = sum.value() / n * std::ldexp(1.0, -exponent);
  if (!std::isfinite(sum.value())) {
    CompensatedSum scaled;
    for (const ChunkMoments& chunk : chunks)
      scaled.add(static_cast<double>(chunk.extent.count) * chunk.scaled_mean * rescale(chunk));
    scaled_mean = scaled.value() / n;
  }
  summary.mean = std::ldexp(scaled_mean, exponent);

  // The total sum of squares is the chunks' own plus their means' spread about the overall mean.
  if (extent.count >= 2) {
    CompensatedSum squares;
    for (const ChunkMoments& chunk : chunks) {
      if (chunk.extent.count == 0) continue;
      const double factor = rescale(chunk);
      const double offset = chunk.scaled_mean * factor - scaled_mean;
      squares.add(chunk.scaled_squares * factor * factor);
      squares.add(static_cast<double>(chunk.extent.count) * offset * offset);
    }
    const double variance = squares.value() / (n - 1.0);
    summary.sd = std::ldexp(std::sqrt(variance), exponent);
    summary.mean_se = summary.sd / std::sqrt(n);
  } else {
    summary.sd = summary.mean_se = std::numeric_limits<double>::quiet_NaN();
  }

  // One selection for every rank the percentiles and their intervals need.
  constexpr std::size_t k = reported_percentiles.size();
  std::array<PercentilePosition, k> positions;
  std::array<RankInterval, k> intervals;
  std::vector<std::uint64_t> ranks;
  for (std::size_t i = 0; i < k; ++i) {
    const double p = reported_percentiles[i] / 100.0;
    positions[i] = percentile_position(extent.count, p);
    intervals[i] = quantile_interval_ranks(extent.count, p, 0.95);
    ranks.insert(ranks.end(), {positions[i].lower, positions[i].upper, intervals[i].low.value_or(0),
                               intervals[i].high.value_or(0)});
  }
  const std::vector<double> x = order_statistics(values, extent, ranks);
  constexpr double inf = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < k; ++i) {
    summary.percentiles[i] = interpolate(x[4 * i], x[4 * i + 1], positions[i].fraction);
    summary.percentile_ci[i] = {intervals[i].low ? x[4 * i + 2] : -inf, intervals[i].high ? x[4 * i + 3] : inf};
  }
  return summary;
}

double percentile_rank(std::span<const double> values, double x) {
  struct Counts {
    std::uint64_t finite = 0, below = 0, equal = 0;
  };
  std::vector<Counts> chunks(chunk_count(values.size()));
  for_each_chunk(values, [&](std::size_t c, std::span<const double> part) {
    Counts local;
    for (const double v : part) {
      if (!std::isfinite(v)) continue;
      ++local.finite;
      local.below += v < x ? 1 : 0;
      local.equal += v == x ? 1 : 0;
    }
    chunks[c] = local;
  });
  Counts total;
  for (const Counts& chunk : chunks) {
    total.finite += chunk.finite;
    total.below += chunk.below;
    total.equal += chunk.equal;
  }
  if (total.finite == 0 || std::isnan(x)) return std::numeric_limits<double>::quiet_NaN();
  return (static_cast<double>(total.below) + static_cast<double>(total.equal) / 2.0) / static_cast<double>(total.finite);
}

}  // namespace guidance
