// summarize and percentile_rank: moments by compensated chunked sums, percentiles and their
// intervals from one exact order-statistic selection.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>

#include "guidance/stats.hpp"
#include "simd/cpu_features.hpp"
#include "simd/lanes.hpp"
#include "simd/prefetch.hpp"
#include "stats/order_statistics.hpp"
#include "stats/summary_parts.hpp"

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

MemoryNeed summary_memory() { return order_statistics_memory(4 * reported_percentiles.size()); }

}  // namespace stats_detail

namespace {

using namespace stats_detail;

/// A chunk's moments by two passes over values scaled by 2^-exponent (the chunk's scale_exponent), so
/// that neither the mean nor the squares can overflow or lose bits to underflow: for the chunks whose
/// values are too large or too small for the single pass below. The chunk is still in cache for the
/// second pass, which takes the deviations about the first pass's mean.
[[gnu::always_inline]] inline ChunkMoments scaled_moments(std::span<const double> part) {
  ChunkMoments chunk;
  const Scan first = scan_lanes(part);
  chunk.extent = first.extent;
  if (chunk.extent.count == 0) return chunk;

  const double n = static_cast<double>(chunk.extent.count);
  chunk.exponent = scale_exponent(chunk.extent);
  const double scale = std::ldexp(1.0, -chunk.exponent);
  if (std::isfinite(first.sum.value())) {
    chunk.scaled_mean = first.sum.value() / n * scale;
  } else {  // the plain sum overflowed: sum the scaled values instead
    LaneSums scaled;
    for_each_in_lanes(part, [&](std::size_t lane, double x) {
      if (std::isfinite(x)) scaled.lanes[lane].add(x * scale);
    });
    chunk.scaled_mean = scaled.total().value() / n;
  }
  // Corrected two-pass (Chan, Golub and LeVeque 1983): the sum of the deviations corrects the
  // rounding of the mean. A non-finite value (or the padding) adds +0, which changes no sum.
  Lanes deviations{};
  LaneCompensatedSum squares;
  const auto add = [&](Lanes x) __attribute__((always_inline)) {
    const LaneMask finite = lanes_abs(x) <= std::numeric_limits<double>::max();
    const Lanes d = finite ? x * scale - chunk.scaled_mean : Lanes{};
    deviations += d;
    squares.add(d * d);
  };
  for_each_group(part, add, add);
  const double deviation = (deviations[0] + deviations[1]) + (deviations[2] + deviations[3]);
  const double square = squares.total().value();
  chunk.scaled_mean += deviation / n;
  chunk.scaled_squares = std::max(0.0, square - deviation * deviation / n);
  return chunk;
}

using detail::LaneMask8;
using detail::Lanes8;

/// The single pass's sums: about a shift K, of the deviations d = x - K and of their squares, value i
/// of the chunk in lane i % 8, each with the exact error of every addition accumulated beside it.
struct ShiftedSums {
  Extent extent;
  CompensatedSum deviations, squares;
};

/// The mean of the chunk's first (up to) 64 finite values, the single pass's shift: near the chunk's
/// mean, so that the sums of squared deviations about it lose nothing to cancellation.
double pilot_mean(std::span<const double> part) {
  double sum = 0.0;
  int count = 0;
  for (std::size_t i = 0; i < part.size() && count < 64; ++i) {
    if (!std::isfinite(part[i])) continue;
    sum += part[i];
    ++count;
  }
  return count == 0 ? 0.0 : sum / count;
}

/// The single pass over a chunk, or nothing when its sums are not finite. The deviations' sums are
/// Knuth's TwoSum (the exact error of each addition, whatever the signs); the squares' are Dekker's
/// Fast2Sum of the larger and the smaller term, both >= 0 (exact as well, in fewer operations). With
/// `assume_finite` no value is tested: a chunk with a value that is not finite then ends with a sum
/// that is not finite, and the caller takes the tested loop, where such a value (and the padding of
/// the last group) adds zero and is not counted.
template <bool assume_finite>
[[gnu::always_inline]] inline std::optional<ShiftedSums> shifted_sums_if(std::span<const double> part, double shift) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  constexpr double largest = std::numeric_limits<double>::max();
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const auto of = [](double x) { return Lanes8{x, x, x, x, x, x, x, x}; };
  Lanes8 low = of(inf), high = of(-inf), sum{}, sum_error{}, squares{}, squares_error{};
  LaneMask8 count{};  // of the finite values the tested loop saw
  const auto accumulate = [&](Lanes8 d) __attribute__((always_inline)) {
    const Lanes8 t = sum + d;
    const Lanes8 from_d = t - sum;
    sum_error += (sum - (t - from_d)) + (d - from_d);
    sum = t;
    const Lanes8 square = d * d;
    const LaneMask8 larger = squares > square;
    const Lanes8 big = larger ? squares : square, small = larger ? square : squares;
    const Lanes8 u = big + small;
    squares_error += (big - u) + small;
    squares = u;
  };
  const auto add_finite = [&](Lanes8 x) __attribute__((always_inline)) {
    low = x < low ? x : low;
    high = x > high ? x : high;
    accumulate(x - shift);
  };
  const auto add = [&](Lanes8 x) __attribute__((always_inline)) {
    const LaneMask8 finite = lanes_abs(x) <= largest;
    count -= finite;
    low = (finite & (x < low)) ? x : low;
    high = (finite & (x > high)) ? x : high;
    accumulate(finite ? x - shift : Lanes8{});
  };
  std::size_t i = 0;
  for (; i + 8 <= part.size(); i += 8) {  // a line a step
    detail::prefetch_ahead(part.data() + i);
    Lanes8 x;
    std::memcpy(&x, part.data() + i, sizeof x);
    if constexpr (assume_finite) add_finite(x);
    else add(x);
  }
  if (i < part.size()) {
    Lanes8 x = of(nan);
    for (std::size_t lane = 0; i + lane < part.size(); ++lane) x[lane] = part[i + lane];
    add(x);
  }
  const LaneMask8 finite_sums = (lanes_abs(sum) <= largest) & (lanes_abs(sum_error) <= largest) &
                                (lanes_abs(squares) <= largest) & (lanes_abs(squares_error) <= largest);
  ShiftedSums local;
  for (std::size_t lane = 0; lane < 8; ++lane) {
    if (finite_sums[lane] == 0) return std::nullopt;
    local.extent.count += static_cast<std::uint64_t>(count[lane]);
    local.extent.min = std::min(local.extent.min, low[lane]);
    local.extent.max = std::max(local.extent.max, high[lane]);
    local.deviations.add(CompensatedSum{sum[lane], sum_error[lane]});
    local.squares.add(CompensatedSum{squares[lane], squares_error[lane]});
  }
  if constexpr (assume_finite) local.extent.count += part.size() / 8 * 8;  // the whole groups, untested
  local.extent.nonfinite = part.size() - local.extent.count;
  return local;
}

/// One chunk, read once from memory: the single pass about the chunk's pilot mean, where its values'
/// magnitudes let the squares neither overflow nor underflow (2^-480 to 2^480), else the scaled two
/// passes. The shifted formula M2 = sum d^2 - (sum d)^2 / n is exact for any shift (Chan, Golub and
/// LeVeque 1983, who analyse it with a shift near the mean: then the subtraction cancels next to
/// nothing, and the result is as accurate as the corrected two-pass algorithm's).
[[gnu::always_inline]] inline ChunkMoments chunk_moments_lanes(std::span<const double> part) {
  const double shift = pilot_mean(part);
  std::optional<ShiftedSums> sums = shifted_sums_if<true>(part, shift);
  if (!sums) sums = shifted_sums_if<false>(part, shift);
  if (!sums || (sums->extent.count > 0 && std::abs(scale_exponent(sums->extent)) > 480)) return scaled_moments(part);
  ChunkMoments chunk;
  chunk.extent = sums->extent;
  if (chunk.extent.count == 0) return chunk;
  const double n = static_cast<double>(chunk.extent.count);
  const double deviation = sums->deviations.value();
  chunk.scaled_mean = shift + deviation / n;
  chunk.scaled_squares = std::max(0.0, sums->squares.value() - deviation * deviation / n);
  return chunk;
}

// Three builds (cpu_features.hpp) that compute the same bits: the same operations in the same lanes,
// no FMA.
ChunkMoments baseline_chunk_moments(std::span<const double> part) { return chunk_moments_lanes(part); }
GUIDANCE_TARGET_AVX2 ChunkMoments avx2_chunk_moments(std::span<const double> part) { return chunk_moments_lanes(part); }
GUIDANCE_TARGET_AVX512 ChunkMoments avx512_chunk_moments(std::span<const double> part) {
  return chunk_moments_lanes(part);
}

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

namespace stats_detail {

ChunkMoments chunk_moments(std::span<const double> part) {
  return detail::cpu_has_avx512() ? avx512_chunk_moments(part)
         : detail::cpu_has_avx2() ? avx2_chunk_moments(part)
                                  : baseline_chunk_moments(part);
}

Summary moments_summary(std::span<const ChunkMoments> chunks) {
  Extent extent;
  for (const ChunkMoments& chunk : chunks) extent.merge(chunk.extent);
  if (extent.count == 0) return empty_summary(extent.nonfinite);

  Summary summary;
  summary.count = extent.count;
  summary.nonfinite = extent.nonfinite;
  summary.min = extent.min;
  summary.max = extent.max;

  // The mean: the chunks' means weighted by their counts, at the scale 2^-exponent of the whole
  // column, where their compensated sum cannot overflow.
  const double n = static_cast<double>(extent.count);
  const int exponent = scale_exponent(extent);
  const auto rescale = [&](const ChunkMoments& chunk) { return std::ldexp(1.0, chunk.exponent - exponent); };
  CompensatedSum scaled;
  for (const ChunkMoments& chunk : chunks)
    scaled.add(static_cast<double>(chunk.extent.count) * (chunk.scaled_mean * rescale(chunk)));
  const double scaled_mean = scaled.value() / n;
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
  return summary;
}

Extent summary_extent(const Summary& summary) {
  Extent extent;
  extent.count = summary.count;
  extent.nonfinite = summary.nonfinite;
  if (summary.count > 0) {
    extent.min = summary.min;
    extent.max = summary.max;
  }
  return extent;
}

std::vector<std::uint64_t> summary_ranks(std::uint64_t count) {
  if (count == 0) return {};
  std::vector<std::uint64_t> ranks;
  for (const double percent : reported_percentiles) {
    const double p = percent / 100.0;
    const PercentilePosition position = percentile_position(count, p);
    const RankInterval interval = quantile_interval_ranks(count, p, 0.95);
    ranks.insert(ranks.end(), {position.lower, position.upper, interval.low.value_or(0), interval.high.value_or(0)});
  }
  return ranks;
}

void set_percentiles(Summary& summary, std::span<const double> x) {
  if (summary.count == 0) return;
  constexpr double inf = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < reported_percentiles.size(); ++i) {
    const double p = reported_percentiles[i] / 100.0;
    const PercentilePosition position = percentile_position(summary.count, p);
    const RankInterval interval = quantile_interval_ranks(summary.count, p, 0.95);
    summary.percentiles[i] = interpolate(x[4 * i], x[4 * i + 1], position.fraction);
    summary.percentile_ci[i] = {interval.low ? x[4 * i + 2] : -inf, interval.high ? x[4 * i + 3] : inf};
  }
}

void RankCounts::add(std::span<const double> part, double x) {
  for (const double v : part) {
    if (!std::isfinite(v)) continue;
    ++finite;
    below += v < x ? 1 : 0;
    equal += v == x ? 1 : 0;
  }
}

void RankCounts::merge(const RankCounts& other) {
  finite += other.finite;
  below += other.below;
  equal += other.equal;
}

double RankCounts::rank(double x) const {
  if (finite == 0 || std::isnan(x)) return std::numeric_limits<double>::quiet_NaN();
  return (static_cast<double>(below) + static_cast<double>(equal) / 2.0) / static_cast<double>(finite);
}

}  // namespace stats_detail

Summary summarize(std::span<const double> values, std::size_t columns) {
  // One pass over memory: each chunk's moments about its own mean, merged in chunk order.
  std::vector<ChunkMoments> chunks(chunk_count(values.size()));
  for_each_chunk(values, [&](std::size_t c, std::span<const double> part) { chunks[c] = chunk_moments(part); });
  Summary summary = moments_summary(chunks);
  // One selection for every rank the percentiles and their intervals need (summary_memory()).
  const std::vector<std::uint64_t> ranks = summary_ranks(summary.count);
  set_percentiles(summary, order_statistics(values, summary_extent(summary), ranks, columns));
  return summary;
}

double percentile_rank(std::span<const double> values, double x) {
  std::vector<RankCounts> chunks(chunk_count(values.size()));
  for_each_chunk(values, [&](std::size_t c, std::span<const double> part) { chunks[c].add(part, x); });
  RankCounts total;
  for (const RankCounts& chunk : chunks) total.merge(chunk);
  return total.rank(x);
}

}  // namespace guidance
