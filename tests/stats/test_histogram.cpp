// Histograms and chart bins: exact counts against a one-value-at-a-time reference, the CDF at the
// edges, bins that put the guidance bounds on edges, and the errors.
#include <cmath>
#include <limits>
#include <random>

#include <catch2/catch.hpp>
#include <tbb/global_control.h>

#include "guidance/histogram.hpp"
#include "simd/cpu_features.hpp"
#include "special_values.hpp"
#include "stats/stats_testing.hpp"

using namespace guidance;
using guidance::test::infinity;
using guidance::test::not_a_number;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using guidance::testing::unit;

namespace {


/// The definition, value by value: bin floor((x - low) / width).
Histogram reference(const std::vector<double>& values, const HistogramBins& bins) {
  Histogram h;
  h.bins = bins;
  h.counts.assign(bins.count, 0);
  for (const double x : values) {
    if (!std::isfinite(x)) {
      ++h.nonfinite;
      continue;
    }
    ++h.finite;
    const double k = std::floor((x - bins.low) / bins.width);
    if (k < 0) ++h.below;
    else if (k >= static_cast<double>(bins.count)) ++h.above;
    else ++h.counts[static_cast<std::size_t>(k)];
  }
  return h;
}

}  // namespace

TEST_CASE("histogram counts every finite value once, the same on any number of threads", "[histogram]") {
  const int threads = GENERATE(1, 2, 4);
  const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  std::mt19937_64 engine(7);
  // More than one chunk of 2^16, with non-finite values and values beyond both ends.
  std::vector<double> values(200'003);
  for (double& x : values) x = -1.0 + 4.0 * unit(engine);
  values[5] = not_a_number;
  values[70'000] = infinity;
  values[140'000] = -infinity;
  values[9] = 0.0;   // exactly the low edge: the first bin
  values[10] = 2.0;  // exactly the high edge: above (every bin is half-open)
  const HistogramBins bins{0.0, 0.05, 40};
  const Histogram h = histogram(values, bins);
  const Histogram expected = reference(values, bins);
  CAPTURE(threads);
  CHECK(h.counts == expected.counts);
  CHECK(h.below == expected.below);
  CHECK(h.above == expected.above);
  CHECK(h.nonfinite == 3);
  CHECK(h.finite == values.size() - 3);
  std::uint64_t inside = 0;
  for (const std::uint64_t count : h.counts) inside += count;
  CHECK(h.below + inside + h.above == h.finite);
}

TEST_CASE("histogram: the baseline and the vector build count alike, also at the ends of the doubles", "[histogram]") {
  // Values whose x - low overflows (a position of +-inf), edges, a value just below an edge, the
  // non-finite ones, and a partial tile: each build against the definition.
  std::vector<double> values = {std::numeric_limits<double>::max(), -std::numeric_limits<double>::max(),
                                std::numeric_limits<double>::lowest(), 1.0, 1.5, 3.0, std::nextafter(1.0, 0.0),
                                not_a_number, infinity, -infinity, std::numeric_limits<double>::denorm_min()};
  std::mt19937_64 engine(11);
  for (int i = 0; i < 1'000; ++i) values.push_back(-1e300 + 2e300 * unit(engine));
  for (int i = 0; i < 1'000; ++i) values.push_back(0.5 + 3.0 * unit(engine));
  const HistogramBins bins{1.0, 0.25, 8};
  const Histogram expected = reference(values, bins);
  const detail::VectorBuilds builds =
      GENERATE(detail::VectorBuilds::all, detail::VectorBuilds::avx2, detail::VectorBuilds::baseline);
  CAPTURE(builds);
  const Histogram h = [&] {
    const test::VectorBuildsScope scope(builds);
    return histogram(values, bins);
  }();
  CHECK(h.counts == expected.counts);
  CHECK(h.below == expected.below);
  CHECK(h.above == expected.above);
  CHECK(h.nonfinite == 3);
  CHECK(h.finite == expected.finite);
}

TEST_CASE("histogram of a small sample, bin by bin", "[histogram]") {
  const std::vector<double> values = {-0.5, 0.0, 0.2, 0.99, 1.0, 1.5, 2.999, 3.0, 7.0, not_a_number};
  const Histogram h = histogram(values, {0.0, 1.0, 3});
  CHECK(h.counts == std::vector<std::uint64_t>{3, 2, 1});
  CHECK(h.below == 1);
  CHECK(h.above == 2);
  CHECK(h.finite == 9);
  CHECK(h.nonfinite == 1);
  // The CDF at the edges 0, 1, 2, 3: shares of the 9 finite values below each.
  const std::vector<double> cdf = cumulative_shares(h);
  REQUIRE(cdf.size() == 4);
  CHECK_THAT(cdf[0], WithinRel(1.0 / 9, 1e-15));
  CHECK_THAT(cdf[1], WithinRel(4.0 / 9, 1e-15));
  CHECK_THAT(cdf[2], WithinRel(6.0 / 9, 1e-15));
  CHECK_THAT(cdf[3], WithinRel(7.0 / 9, 1e-15));
}

TEST_CASE("histogram of nothing finite, and bad bins", "[histogram]") {
  const std::vector<double> values = {not_a_number, infinity};
  const Histogram h = histogram(values, {0.0, 1.0, 2});
  CHECK(h.finite == 0);
  CHECK(h.nonfinite == 2);
  CHECK(cumulative_shares(h).empty());
  CHECK(histogram(std::vector<double>{}, {0.0, 1.0, 2}).finite == 0);
  CHECK_THROWS_WITH(histogram(values, {0.0, 0.0, 2}),
                    "histogram: bins need a finite low, a finite width > 0 and at least one bin, found low 0, "
                    "width 0, 2 bins");
  CHECK_THROWS_WITH(histogram(values, {not_a_number, 1.0, 2}),
                    "histogram: bins need a finite low, a finite width > 0 and at least one bin, found low nan, "
                    "width 1, 2 bins");
  CHECK_THROWS_AS(histogram(values, {0.0, 1.0, 0}), std::invalid_argument);
  // Slots are 32-bit in the counting loop: more than 2^30 bins is refused before anything is allocated.
  CHECK_THROWS_WITH(histogram(values, {0.0, 1.0, (std::size_t{1} << 30) + 1}),
                    "histogram: at most 2^30 bins, found 1073741825");
}

TEST_CASE("chart bins cover the bulk and the range, with both bounds on bin edges", "[histogram]") {
  struct Case {
    Interval bulk;
    double low, high;
  };
  const Case c = GENERATE(Case{{1086.0, 1144.0}, 1100, 1130},   // revenue: the range inside the bulk
                          Case{{0.1748, 0.2342}, 0.19, 0.22},   // eps
                          Case{{0.63, 0.65}, 0.635, 0.645},     // a narrow range
                          Case{{10.0, 11.0}, 20, 30},           // the range beside the bulk
                          Case{{-5.0, 5.0}, -0.1, 0.1});        // a range of about one bin
  CAPTURE(c.bulk.low, c.bulk.high, c.low, c.high);
  const HistogramBins bins = chart_bins(c.bulk, c.low, c.high, 40).value();
  const double from = std::min(c.bulk.low, c.low), to = std::max(c.bulk.high, c.high);
  CHECK(bins.low <= from - 0.04 * (to - from) + 1e-12 * std::abs(from));
  CHECK(bins.high() >= to + 0.04 * (to - from) - 1e-12 * std::abs(to));
  CHECK(bins.count >= 32);
  CHECK(bins.count <= 52);
  // The low bound is an edge; so is the high bound when the range spans at least 1.5 bins.
  const double low_edge = (c.low - bins.low) / bins.width;
  CHECK_THAT(low_edge, WithinRel(std::round(low_edge), 1e-9));
  const double high_edge = (c.high - bins.low) / bins.width;
  if (c.high - c.low >= 1.5 * bins.width) CHECK_THAT(high_edge, WithinRel(std::round(high_edge), 1e-9));
}

TEST_CASE("chart bins with an open side, a single value, and bad arguments", "[histogram]") {
  const HistogramBins at_least = chart_bins({0.10, 0.20}, 0.14, infinity, 40).value();
  const double edge = (0.14 - at_least.low) / at_least.width;
  CHECK_THAT(edge, WithinRel(std::round(edge), 1e-9));
  CHECK(at_least.low < 0.10);
  CHECK(at_least.high() > 0.20);

  const HistogramBins at_most = chart_bins({5.0, 9.0}, -infinity, 12.0, 40).value();
  CHECK(at_most.high() > 12.0);
  CHECK(at_most.low < 5.0);

  // One value: 10% of its magnitude around it (and 1 around zero), plus the 4% margins.
  const HistogramBins single = chart_bins({50.0, 50.0}, -infinity, infinity, 10).value();
  CHECK(single.low < 47.5);
  CHECK(single.high() > 52.5);
  CHECK(single.high() < 53.0);
  const HistogramBins zero = chart_bins({0.0, 0.0}, -infinity, infinity, 10).value();
  CHECK(zero.low < -0.5);
  CHECK(zero.high() > 0.5);

  // Values near the largest double: a bound whose span would overflow is left off the chart; a bulk
  // that spans more than a quarter of the doubles' range gets no chart.
  const HistogramBins far = chart_bins({0.0, 2.0}, -1e308, 1e308, 40).value();
  CHECK(far.low < 0.0);
  CHECK(far.low > -0.1);
  CHECK(far.high() > 2.0);
  CHECK(far.high() < 2.1);
  const HistogramBins one_far = chart_bins({0.0, 2.0}, -1e308, 1.0, 40).value();
  CHECK_THAT((1.0 - one_far.low) / one_far.width, WithinAbs(std::round((1.0 - one_far.low) / one_far.width), 1e-9));
  CHECK(one_far.low > -0.1);
  CHECK_FALSE(chart_bins({-1e308, 1e308}, 0, 1, 40).has_value());
  CHECK_FALSE(chart_bins({1e308, 1e308}, -infinity, infinity, 40).has_value());

  CHECK_THROWS_WITH(chart_bins({not_a_number, 1.0}, 0, 1, 40),
                    "chart_bins: needs a finite bulk, low <= high and a target >= 1, found bulk [nan, 1], range "
                    "[0, 1], target 40");
  CHECK_THROWS_AS(chart_bins({0.0, 1.0}, 2, 1, 40), std::invalid_argument);
  CHECK_THROWS_AS(chart_bins({0.0, 1.0}, 0, 1, 0), std::invalid_argument);
}
