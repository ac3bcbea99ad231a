// Histograms for charts: integer counts per bin, merged in chunk order (exact in any order anyway).
#include "guidance/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "simd/cpu_features.hpp"
#include "simd/prefetch.hpp"
#include "stats/chunks.hpp"

namespace guidance {

namespace {

using stats_detail::chunk_count;
using stats_detail::for_each_chunk;

/// Per chunk, one counter per slot: 0 below the bins, 1 .. count the bins, count + 1 at or above
/// them, count + 2 not finite.
using SlotCounts = std::vector<std::uint64_t>;

/// Counts a chunk by runs (detail::for_each_prefetched_run): first every value's slot, without a
/// branch, so that the division vectorises (four lanes in the AVX2 build; the same quotients in any
/// build); then the increments.
[[gnu::always_inline]] inline void count_slots_lanes(std::span<const double> part, const HistogramBins& bins,
                                                     SlotCounts& slots) {
  constexpr double largest = std::numeric_limits<double>::max();
  const auto count = static_cast<double>(bins.count);
  const auto count_run = [&](std::size_t first, std::size_t n) __attribute__((always_inline)) {
    std::int32_t slot[detail::prefetched_run];
    const double* x = part.data() + first;
    for (std::size_t i = 0; i < n; ++i) {
      // The sign of x - low is exact, so "below" agrees with x < low; position may be +inf for a huge x.
      const double position = (x[i] - bins.low) / bins.width;
      const double bin = position < 0 ? -1.0 : position >= count ? count : position;
      slot[i] = static_cast<std::int32_t>(std::fabs(x[i]) <= largest ? bin : count + 1.0) + 1;
    }
    for (std::size_t i = 0; i < n; ++i) ++slots[static_cast<std::size_t>(slot[i])];
  };
  detail::for_each_prefetched_run(part.data(), part.size(), count_run);
}

// Three builds (cpu_features.hpp): the same quotients, the same counts.
void count_slots(std::span<const double> part, const HistogramBins& bins, SlotCounts& slots) {
  count_slots_lanes(part, bins, slots);
}
GUIDANCE_TARGET_AVX2 void avx2_count_slots(std::span<const double> part, const HistogramBins& bins,
                                           SlotCounts& slots) {
  count_slots_lanes(part, bins, slots);
}
GUIDANCE_TARGET_AVX512 void avx512_count_slots(std::span<const double> part, const HistogramBins& bins,
                                               SlotCounts& slots) {
  count_slots_lanes(part, bins, slots);
}

}  // namespace

Histogram histogram(std::span<const double> values, const HistogramBins& bins) {
  if (!std::isfinite(bins.low) || !std::isfinite(bins.width) || !(bins.width > 0) || bins.count == 0)
    throw std::invalid_argument(fmt::format("histogram: bins need a finite low, a finite width > 0 and at least one "
                                            "bin, found low {}, width {}, {} bins",
                                            bins.low, bins.width, bins.count));
  if (bins.count > std::size_t{1} << 30)
    throw std::invalid_argument(fmt::format("histogram: at most 2^30 bins, found {}", bins.count));
  const bool avx2 = detail::cpu_has_avx2(), avx512 = detail::cpu_has_avx512();
  std::vector<SlotCounts> chunks(chunk_count(values.size()));
  for_each_chunk(values, [&](std::size_t c, std::span<const double> part) {
    chunks[c].assign(bins.count + 3, 0);
    if (avx512) avx512_count_slots(part, bins, chunks[c]);
    else if (avx2) avx2_count_slots(part, bins, chunks[c]);
    else count_slots(part, bins, chunks[c]);
  });

  SlotCounts total(bins.count + 3);
  for (const SlotCounts& chunk : chunks)
    for (std::size_t k = 0; k < total.size(); ++k) total[k] += chunk[k];
  Histogram result;
  result.bins = bins;
  result.below = total.front();
  result.counts.assign(total.begin() + 1, total.begin() + 1 + static_cast<std::ptrdiff_t>(bins.count));
  result.above = total[bins.count + 1];
  result.nonfinite = total[bins.count + 2];
  result.finite = values.size() - result.nonfinite;
  return result;
}

void Histogram::merge(const Histogram& other) {
  for (std::size_t k = 0; k < counts.size(); ++k) counts[k] += other.counts[k];
  below += other.below;
  above += other.above;
  finite += other.finite;
  nonfinite += other.nonfinite;
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

std::optional<HistogramBins> chart_bins(Interval bulk, double low, double high, std::size_t target) {
  if (!std::isfinite(bulk.low) || !std::isfinite(bulk.high) || !(low <= high) || target == 0)
    throw std::invalid_argument(fmt::format("chart_bins: needs a finite bulk, low <= high and a target >= 1, found "
                                            "bulk [{}, {}], range [{}, {}], target {}",
                                            bulk.low, bulk.high, low, high, target));
  // Spans up to a quarter of the doubles' range leave room for the margins and the bins' arithmetic.
  constexpr double largest_span = std::numeric_limits<double>::max() / 4;
  const auto fits = [](double left, double right) { return right - left <= largest_span; };
  double from = std::min(bulk.low, bulk.high), to = std::max(bulk.low, bulk.high);
  if (!fits(from, to) || std::abs(from) > largest_span || std::abs(to) > largest_span) return std::nullopt;
  for (double* bound : {&low, &high}) {
    if (!std::isfinite(*bound)) continue;
    if (!fits(std::min(from, *bound), std::max(to, *bound))) {
      *bound = *bound < from ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
      continue;  // off the chart
    }
    from = std::min(from, *bound);
    to = std::max(to, *bound);
  }
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
  return HistogramBins{anchor - bins_below * width, width, static_cast<std::size_t>(bins_below + bins_above)};
}

}  // namespace guidance
