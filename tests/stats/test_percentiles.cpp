// exact_percentiles equals sorting, on every kind of column the engine can produce.
#include <limits>
#include <mutex>
#include <string>
#include <utility>

#include <catch2/catch.hpp>
#include <tbb/global_control.h>

#include "guidance/stats.hpp"
#include "simd/cpu_features.hpp"
#include "special_values.hpp"
#include "stats/order_statistics.hpp"
#include "stats/stats_testing.hpp"

using namespace guidance;
using guidance::test::infinity;
using guidance::test::not_a_number;
using guidance::testing::unit;

namespace {


const std::vector<double> probabilities = {0.0,  0.001, 0.01, 0.05, 0.1,  0.25,   0.3333, 0.5,
                                           0.6,  0.75,  0.9,  0.95, 0.99, 0.9999, 1.0};

/// A column of n values of one kind, from a fixed seed.
std::vector<double> column(const std::string& kind, std::size_t n) {
  std::mt19937_64 engine(n * 7919 + kind.size());
  std::vector<double> values(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double u = unit(engine);
    if (kind == "uniform") values[i] = u;
    else if (kind == "normal-ish") values[i] = std::log(u / (1 - u)) * 11.7 + 1115;  // logistic: heavy tails
    else if (kind == "three values") values[i] = u < 0.2 ? -1.0 : u < 0.7 ? 0.5 : 2.0;
    else if (kind == "all equal") values[i] = 42.0;
    else if (kind == "ulps apart") values[i] = std::nextafter(1.0, 2.0) + (u < 0.5 ? 0.0 : 0x1p-52);
    else if (kind == "signed zeros") values[i] = u < 0.3 ? -0.0 : u < 0.6 ? 0.0 : u - 0.8;
    else if (kind == "with non-finite") values[i] = u < 0.05 ? not_a_number : u < 0.08 ? infinity : u < 0.1 ? -infinity : u;
    else if (kind == "huge range") values[i] = u < 0.5 ? -1e300 * u : 1e300 * u;
    else if (kind == "extremes") values[i] = u < 0.1 ? std::numeric_limits<double>::max() : u < 0.2 ? -std::numeric_limits<double>::max() : u < 0.3 ? 5e-324 : u;
    else if (kind == "cluster and outliers") values[i] = u < 0.999 ? 1e-9 * u : 1e9 * u;
  }
  return values;
}

void require_matches_sort(std::span<const double> values) {
  const std::vector<double> exact = exact_percentiles(values, probabilities);
  const std::vector<double> sorted = guidance::testing::sorted_finite(values);
  REQUIRE(exact.size() == probabilities.size());
  for (std::size_t i = 0; i < probabilities.size(); ++i) {
    INFO("p = " << probabilities[i]);
    const double expected = guidance::testing::reference_percentile_of_sorted(sorted, probabilities[i]);
    if (std::isnan(expected)) CHECK(std::isnan(exact[i]));
    else CHECK(exact[i] == expected);
  }
}

}  // namespace

TEST_CASE("exact percentiles equal a sort of the finite values", "[percentiles]") {
  const std::string kind = GENERATE("uniform", "normal-ish", "three values", "all equal", "ulps apart", "signed zeros",
                                    "with non-finite", "huge range", "extremes", "cluster and outliers");
  const std::size_t n = GENERATE(1, 2, 3, 4, 5, 10, 1000, 65537, 300'001);
  // The gather pass has an AVX-512 build (where the CPU has it) beside the scalar loop.
  const detail::VectorBuilds builds = GENERATE(detail::VectorBuilds::all, detail::VectorBuilds::baseline);
  INFO(kind << ", n = " << n << ", vector builds " << static_cast<int>(builds));
  const test::VectorBuildsScope scope(builds);
  require_matches_sort(column(kind, n));
}

TEST_CASE("heavily tied columns are narrowed until exact", "[percentiles]") {
  // 2 million values: the tied bins are too full to gather and need a second histogram.
  const std::string kind = GENERATE("three values", "ulps apart", "signed zeros", "cluster and outliers");
  INFO(kind);
  require_matches_sort(column(kind, 2'000'000));
}

TEST_CASE("numpy's linear interpolation", "[percentiles]") {
  const std::vector<double> values = {4, 1, 3, 2};
  CHECK(exact_percentiles(values, std::vector{0.25})[0] == 1.75);  // numpy.percentile([1,2,3,4], 25)
  CHECK(exact_percentiles(values, std::vector{0.5})[0] == 2.5);
  const std::vector<double> ends = {0, 10};
  CHECK(exact_percentiles(ends, std::vector{0.33})[0] == 0 + 10 * 0.33);  // a + (b - a) t below t = 0.5
  CHECK(exact_percentiles(ends, std::vector{0.7})[0] == 10 - 10 * (1 - 0.7));  // b - (b - a)(1 - t) above
}

TEST_CASE("no finite value gives NaN percentiles", "[percentiles]") {
  const std::vector<double> values = {not_a_number, infinity, -infinity};
  for (const double x : exact_percentiles(values, probabilities)) CHECK(std::isnan(x));
  CHECK(exact_percentiles({}, std::vector{0.5}).size() == 1);
  CHECK(exact_percentiles(values, {}).empty());
}

TEST_CASE("a probability outside [0, 1] is a programming error", "[percentiles]") {
  const std::vector<double> values = {1, 2, 3};
  CHECK_THROWS_WITH(exact_percentiles(values, std::vector{1.5}), "percentile probability must be in [0, 1], found 1.5");
  CHECK_THROWS_WITH(exact_percentiles(values, std::vector{not_a_number}), "percentile probability must be in [0, 1], found nan");
}

TEST_CASE("percentiles do not depend on the number of threads", "[percentiles]") {
  const std::vector<double> values = column("signed zeros", 1'000'000);
  std::vector<double> single;
  {
    tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    single = exact_percentiles(values, probabilities);
  }
  const int threads = GENERATE(2, 4);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  const std::vector<double> parallel = exact_percentiles(values, probabilities);
  for (std::size_t i = 0; i < single.size(); ++i) CHECK(std::signbit(parallel[i]) == std::signbit(single[i]));
  CHECK(parallel == single);
}

TEST_CASE("a selection begun from a provisional histogram selects what one begun from its own does", "[percentiles]") {
  using namespace guidance::stats_detail;
  const std::string kind = GENERATE("normal-ish", "three values", "all equal", "ulps apart", "signed zeros",
                                    "with non-finite", "huge range", "extremes", "cluster and outliers");
  const std::size_t n = GENERATE(3, 1000, 65537, 300'001);
  const std::vector<double> values = column(kind, n);
  const Extent extent = scan(values).extent;
  if (extent.count < 2) return;
  const std::vector<double> sorted = guidance::testing::sorted_finite(values);
  // Ranges that hold every wanted rank, some, or none: from a sample (the first tenth), below and
  // above every value, a sliver in the middle, and all the doubles.
  const Extent sample = scan(std::span(values).first(std::max<std::size_t>(2, n / 10))).extent;
  const double median = sorted[sorted.size() / 2];
  const double lowest = std::numeric_limits<double>::lowest(), highest = std::numeric_limits<double>::max();
  const std::string range = GENERATE("sample", "below", "above", "sliver", "everything");
  std::pair<double, double> bounds = {sample.min, sample.max};
  if (range == "below") bounds = {extent.min - 2 * std::abs(extent.min) - 2, extent.min - std::abs(extent.min) - 1};
  if (range == "above") bounds = {extent.max + std::abs(extent.max) + 1, extent.max + 2 * std::abs(extent.max) + 2};
  if (range == "sliver") bounds = {median, std::nextafter(median, highest)};
  if (range == "everything") bounds = {lowest, highest};
  INFO(kind << ", n = " << n << ", range " << range << " [" << bounds.first << ", " << bounds.second << "]");
  if (!(bounds.first < bounds.second && std::isfinite(bounds.first) && std::isfinite(bounds.second))) return;

  std::vector<std::uint64_t> ranks = {0, extent.count - 1, extent.count / 100, extent.count / 2, extent.count / 3,
                                      extent.count - 1 - extent.count / 100};
  ProvisionalHistogram first(bounds.first, bounds.second);
  // Counted a chunk at a time into per-chunk histograms, then merged, as a streamed run's threads do.
  for_each_chunk(values, [&](std::size_t, std::span<const double> part) {
    ProvisionalHistogram mine(bounds.first, bounds.second);
    mine.add(part);
    static std::mutex merging;
    const std::lock_guard lock(merging);
    first.merge(mine);
  });
  OrderStatisticSelection selection(values.size(), extent, ranks, 1, first);
  while (!selection.done()) {
    selection.begin_pass();
    for_each_chunk(values, [&](std::size_t chunk, std::span<const double> part) { selection.visit(chunk, part); });
    selection.end_pass();
  }
  const std::vector<double> from_provisional = std::move(selection).results();
  const std::vector<double> from_own = order_statistics(values, extent, ranks);
  for (std::size_t i = 0; i < ranks.size(); ++i) {
    INFO("rank " << ranks[i]);
    CHECK(from_provisional[i] == sorted[ranks[i]]);
    CHECK(std::signbit(from_provisional[i]) == std::signbit(from_own[i]));
    CHECK(from_provisional[i] == from_own[i]);
  }
}
