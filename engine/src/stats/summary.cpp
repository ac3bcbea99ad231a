// summarize and percentile_rank: moments by compensated chunked sums, percentiles and their
// intervals from one exact order-statistic selection.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "guidance/stats.hpp"
#include "stats/order_statistics.hpp"

namespace guidance {

namespace stats_detail {

Scan scan(std::span<const double> values) {
  std::vector<Scan> chunks(chunk_count(values.size()));
  for_each_chunk(values, [&](std::size_t c, std::span<const double> part) {
    Scan local;
    LaneSums sums;
    for_each_in_lanes(part, [&](std::size_t lane, double x) {
      if (!std::isfinite(x)) {
        ++local.extent.nonfinite;
        return;
      }
      ++local.extent.count;
      local.extent.min = std::min(local.extent.min, x);
      local.extent.max = std::max(local.extent.max, x);
      sums.lanes[lane].add(x);
    });
    local.sum = sums.total();
    chunks[c] = local;
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

/// Compensated sums of terms(x) (an array of K values) over the finite x, in chunks merged in order.
template <std::size_t K, class Terms>
std::array<double, K> chunked_sums(std::span<const double> values, Terms terms) {
  std::vector<std::array<CompensatedSum, K>> chunks(chunk_count(values.size()));
  for_each_chunk(values, [&](std::size_t c, std::span<const double> part) {
    std::array<LaneSums, K> sums{};
    for_each_in_lanes(part, [&](std::size_t lane, double x) {
      if (!std::isfinite(x)) return;
      const std::array<double, K> t = terms(x);
      for (std::size_t k = 0; k < K; ++k) sums[k].lanes[lane].add(t[k]);
    });
    for (std::size_t k = 0; k < K; ++k) chunks[c][k] = sums[k].total();
  });
  std::array<CompensatedSum, K> total{};
  for (const auto& chunk : chunks)
    for (std::size_t k = 0; k < K; ++k) total[k].add(chunk[k]);
  std::array<double, K> result{};
  for (std::size_t k = 0; k < K; ++k) result[k] = total[k].value();
  return result;
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

Summary summarize(std::span<const double> values) {
  const Scan first = scan(values);
  const Extent& extent = first.extent;
  if (extent.count == 0) return empty_summary(extent.nonfinite);

  Summary summary;
  summary.count = extent.count;
  summary.nonfinite = extent.nonfinite;
  summary.min = extent.min;
  summary.max = extent.max;

  // Scaling by 2^-e changes no bit of the result unless the plain sum overflowed.
  const double n = static_cast<double>(extent.count);
  const int exponent = scale_exponent(extent);
  const double scale = std::ldexp(1.0, -exponent);
  const double scaled_mean = std::isfinite(first.sum.value())
                                 ? first.sum.value() / n * scale
                                 : chunked_sums<1>(values, [&](double x) { return std::array{x * scale}; })[0] / n;
  summary.mean = std::ldexp(scaled_mean, exponent);

  // Corrected two-pass variance (Chan, Golub and LeVeque 1983): the sum of deviations corrects the
  // rounding of the mean.
  if (extent.count >= 2) {
    const auto [deviations, squares] = chunked_sums<2>(values, [&](double x) {
      const double d = x * scale - scaled_mean;
      return std::array{d, d * d};
    });
    const double variance = std::max(0.0, squares - deviations * deviations / n) / (n - 1.0);
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
