// Histograms for charts: integer counts per bin, merged in chunk order (exact in any order anyway).
#include "guidance/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "stats/chunks.hpp"

namespace guidance {

namespace {

using stats_detail::chunk_count;
using stats_detail::for_each_chunk;

struct Counts {
  std::vector<std::uint64_t> bins;
  std::uint64_t below = 0, above = 0, nonfinite = 0;
};

}  // namespace

Histogram histogram(std::span<const double> values, const HistogramBins& bins) {
  if (!std::isfinite(bins.low) || !std::isfinite(bins.width) || !(bins.width > 0) || bins.count == 0)
    throw std::invalid_argument(fmt::format("histogram: bins need a finite low, a finite width > 0 and at least one "
                                            "bin, found low {}, width {}, {} bins",
                                            bins.low, bins.width, bins.count));
  const auto count = static_cast<double>(bins.count);
  std::vector<Counts> chunks(chunk_count(values.size()));
  for_each_chunk(values, [&](std::size_t c, std::span<const double> part) {
    Counts local;
    local.bins.assign(bins.count, 0);
    for (const double x : part) {
      if (!std::isfinite(x)) {
        ++local.nonfinite;
        continue;
      }
      // The sign of x - low is exact, so "below" agrees with x < low; position may be +inf for a huge x.
      const double position = (x - bins.low) / bins.width;
      if (position < 0) ++local.below;
      else if (position >= count) ++local.above;
      else ++local.bins[static_cast<std::size_t>(position)];
    }
    chunks[c] = std::move(local);
  });

  Histogram result;
  result.bins = bins;
  result.counts.assign(bins.count, 0);
  for (const Counts& chunk : chunks) {
    for (std::size_t k = 0; k < bins.count; ++k) result.counts[k] += chunk.bins[k];
    result.below += chunk.below;
    result.above += chunk.above;
    result.nonfinite += chunk.nonfinite;
  }
  result.finite = values.size() - result.nonfinite;
  return result;
}

std::vector<double> cumulative_shares(const Histogram& histogram) {
  if (histogram.finite == 0) return {};
  const auto finite = static_cast<double>(histogram.finite);
  std::vector<double> shares;
  shares.reserve(histogram.counts.size() + 1);
  std::uint64_t below = histogram.below;
  shares.push_back(static_cast<double>(below) / finite);
  for (const std::uint64_t count : histogram.counts) {
    below += count;
    shares.push_back(static_cast<double>(below) / finite);
  }
  return shares;
}

HistogramBins chart_bins(Interval bulk, double low, double high, std::size_t target) {
  if (!std::isfinite(bulk.low) || !std::isfinite(bulk.high) || !(low <= high) || target == 0)
    throw std::invalid_argument(fmt::format("chart_bins: needs a finite bulk, low <= high and a target >= 1, found "
                                            "bulk [{}, {}], range [{}, {}], target {}",
                                            bulk.low, bulk.high, low, high, target));
  double from = std::min(bulk.low, bulk.high), to = std::max(bulk.low, bulk.high);
  for (const double bound : {low, high})
    if (std::isfinite(bound)) from = std::min(from, bound), to = std::max(to, bound);
  if (!(to > from)) {  // one value: a chart around it
    const double half = from != 0 ? std::abs(from) * 0.05 : 0.5;
    from -= half;
    to += half;
  }
  const double margin = 0.04 * (to - from);
  from -= margin;
  to += margin;

  double width = (to - from) / static_cast<double>(target);
  if (std::isfinite(low) && std::isfinite(high)) {
    // A whole number of bins inside the range, so that no bar straddles a bound.
    const double inside = std::round((high - low) / width);
    if (inside >= 2) width = (high - low) / inside;
  }
  const double anchor = std::isfinite(low) ? low : std::isfinite(high) ? high : from;
  const double bins_below = std::ceil((anchor - from) / width);
  const double bins_above = std::ceil((to - anchor) / width);
  return {anchor - bins_below * width, width, static_cast<std::size_t>(bins_below + bins_above)};
}

}  // namespace guidance
