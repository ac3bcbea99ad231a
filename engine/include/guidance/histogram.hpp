// Histograms for charts: counts of the finite values in bins of equal width, the empirical CDF at the
// bin edges, and the bins a chart of one variable uses (its bulk and its guidance range, with the
// range's bounds on bin edges).
//
//   std::optional<HistogramBins> bins = chart_bins({s.percentiles[0], s.percentiles[8]}, 1100, 1130);  // P1..P99
//   Histogram h = histogram(result.column(v), *bins);   // h.counts[k]: values in [edge(k), edge(k + 1))
//   std::vector<double> cdf = cumulative_shares(h);    // cdf[k]: share of values below edge(k)
//
// Counts are integers, so every result is exact and the same on any number of threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "guidance/stats.hpp"

namespace guidance {

/// `count` bins of equal `width` from `low`: bin k is [low + k width, low + (k + 1) width).
struct HistogramBins {
  double low = 0.0;
  double width = 1.0;
  std::size_t count = 0;

  double edge(std::size_t k) const { return low + static_cast<double>(k) * width; }
  double high() const { return edge(count); }
};

struct Histogram {
  HistogramBins bins;
  std::vector<std::uint64_t> counts;  // finite values per bin
  std::uint64_t below = 0;            // finite values below bins.low
  std::uint64_t above = 0;            // finite values at or above bins.high()
  std::uint64_t finite = 0;           // every finite value: below + above + the sum of counts
  std::uint64_t nonfinite = 0;        // NaN and infinities, in no bin

  /// Add the counts of another histogram of other values over the same bins.
  void merge(const Histogram& other);
};

/// Count the finite values of `values` in `bins` (value x in bin floor((x - low) / width)).
/// Throws std::invalid_argument unless low and width are finite, width > 0 and 0 < count <= 2^30.
Histogram histogram(std::span<const double> values, const HistogramBins& bins);

/// The empirical CDF at the bin edges: element k (k = 0 .. bins.count) is the share of the finite
/// values below edge(k), so the last is 1 - above / finite. Empty when no value is finite.
std::vector<double> cumulative_shares(const Histogram& histogram);

/// Bins for a chart of a variable whose bulk is `bulk` (e.g. its P1 to P99) and whose guidance range is
/// [low, high] (an open side infinite): about `target` bins over the bulk and the range's finite bounds,
/// widened by 4% of that span on each side (a single value gets a span of 10% of its magnitude, or 1
/// for zero). Each finite bound is a bin edge; both are when the range is at least 1.5 bins wide.
/// A bound so far from the bulk that the span would pass the largest double (1e308 when the bulk is
/// near 1) is left off the chart; nothing when the bulk itself spans more than a quarter of the
/// doubles' range (no chart). Throws std::invalid_argument unless the bulk is finite, low <= high and
/// target >= 1.
std::optional<HistogramBins> chart_bins(Interval bulk, double low, double high, std::size_t target = 40);

}  // namespace guidance
