// summarize: counts, moments, extremes and percentiles of a column; percentile_rank.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include <catch2/catch.hpp>
#include <tbb/global_control.h>

#include "guidance/stats.hpp"
#include "stats/chunks.hpp"
#include "stats/stats_testing.hpp"
#include "special_values.hpp"

using namespace guidance;
using guidance::test::infinity;
using guidance::test::not_a_number;
using Catch::Matchers::WithinRel;
using guidance::testing::unit;

namespace {
constexpr double dbl_max = std::numeric_limits<double>::max();

/// The mean within 1e-15 and the sd within 1e-13 of the two-pass ones in long double.
void check_moments_against_long_double(const std::vector<double>& values, const Summary& s) {
  long double sum = 0, squares = 0;
  for (const double x : values) sum += x;
  const long double mean = sum / values.size();
  for (const double x : values) squares += (x - mean) * (x - mean);
  CHECK_THAT(s.mean, WithinRel(static_cast<double>(mean), 1e-15));
  CHECK_THAT(s.sd, WithinRel(static_cast<double>(std::sqrt(squares / (values.size() - 1))), 1e-13));
}

/// `s` summarises the values `clean` summarises plus `nonfinite` values that are not finite.
void check_same_finite_statistics(const Summary& s, const Summary& clean, std::uint64_t nonfinite) {
  CHECK(s.nonfinite == nonfinite);
  CHECK(s.count == clean.count);
  CHECK(s.mean == clean.mean);
  CHECK(s.sd == clean.sd);
  CHECK(s.min == clean.min);
  CHECK(s.max == clean.max);
  CHECK(s.percentiles == clean.percentiles);
}
}  // namespace

TEST_CASE("summary of known data", "[summary]") {
  const std::vector<double> values = {2, 4, 4, 4, 5, 5, 7, 9};
  const Summary s = summarize(values);
  CHECK(s.count == 8);
  CHECK(s.nonfinite == 0);
  CHECK(s.mean == 5.0);
  CHECK_THAT(s.sd, WithinRel(std::sqrt(32.0 / 7.0), 1e-15));
  CHECK_THAT(s.mean_se, WithinRel(std::sqrt(32.0 / 7.0) / std::sqrt(8.0), 1e-15));
  CHECK(s.min == 2.0);
  CHECK(s.max == 9.0);
  // numpy.percentile([2,4,4,4,5,5,7,9], [1,5,10,25,50,75,90,95,99])
  const std::array<double, 9> numpy = {2.14, 2.7, 3.4, 4.0, 4.5, 5.5, 7.6, 8.3, 8.86};
  for (std::size_t i = 0; i < numpy.size(); ++i) CHECK_THAT(s.percentiles[i], WithinRel(numpy[i], 1e-15));
}

TEST_CASE("non-finite values are counted and excluded from everything else", "[summary]") {
  const std::vector<double> values = {not_a_number, 2, infinity, 4, 4, -infinity, 4, 5, 5, 7, not_a_number, 9};
  const Summary clean = summarize(std::vector<double>{2, 4, 4, 4, 5, 5, 7, 9});
  CHECK(clean.count == 8);
  check_same_finite_statistics(summarize(values), clean, 4);
}

TEST_CASE("no finite value: NaN statistics, one value: no spread", "[summary]") {
  const Summary none = summarize(std::vector<double>{not_a_number, infinity});
  CHECK(none.count == 0);
  CHECK(none.nonfinite == 2);
  for (const double x : {none.mean, none.sd, none.mean_se, none.min, none.max, none.percentiles[4],
                         none.percentile_ci[4].low, none.percentile_ci[4].high})
    CHECK(std::isnan(x));

  const Summary one = summarize(std::vector<double>{3.5});
  CHECK(one.count == 1);
  CHECK(one.mean == 3.5);
  CHECK(std::isnan(one.sd));
  CHECK(std::isnan(one.mean_se));
  for (const double p : one.percentiles) CHECK(p == 3.5);
}

TEST_CASE("compensated sums: cancellation and a large offset", "[summary]") {
  // A naive sum of 1e100, 1, -1e100 is 0; Neumaier's keeps the 1.
  CHECK(summarize(std::vector<double>{1e100, 1.0, -1e100}).mean == 1.0 / 3.0);
  // Welford's classic test: 1e9 + {4, 7, 13, 16} has variance 30.
  const std::vector<double> offset = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
  CHECK(summarize(offset).mean == 1e9 + 10);
  CHECK_THAT(summarize(offset).sd, WithinRel(std::sqrt(30.0), 1e-15));
}

TEST_CASE("the sd of a 0/1 column is the exactly rounded one", "[summary]") {
  // k ones among n values: variance k (n - k) / (n (n - 1)), its square root rounded once (the
  // long double's 64 bits leave the double's rounding exact here). Plain sums of the squares drifted
  // by 542 ulps for k = 28, n = 65,535 (one chunk), and by hundreds across chunks.
  for (const auto& [k, n] : {std::pair<std::size_t, std::size_t>{28, 65'535}, {1'234, 1'000'003}}) {
    CAPTURE(k, n);
    std::vector<double> values(n, 0.0);
    for (std::size_t i = 0; i < k; ++i) values[i * (n / k)] = 1.0;
    const long double kl = k, nl = n;
    const auto exact = static_cast<double>(std::sqrt(kl * (nl - kl) / (nl * (nl - 1))));
    const double sd = summarize(values).sd;
    CHECK(std::abs(sd - exact) <= std::nextafter(exact, 1.0) - exact);
  }
}

TEST_CASE("values near the largest double do not overflow the moments", "[summary]") {
  const Summary top = summarize(std::vector<double>{dbl_max, dbl_max, dbl_max});
  CHECK(top.mean == dbl_max);
  CHECK(top.sd == 0.0);
  const Summary wide = summarize(std::vector<double>{1e300, -1e300});
  CHECK(wide.mean == 0.0);
  CHECK_THAT(wide.sd, WithinRel(std::sqrt(2.0) * 1e300, 1e-15));
  const Summary tiny = summarize(std::vector<double>{1e-300, 3e-300});
  CHECK_THAT(tiny.mean, WithinRel(2e-300, 1e-15));
  CHECK_THAT(tiny.sd, WithinRel(std::sqrt(2.0) * 1e-300, 1e-15));
}

TEST_CASE("a chunk with values that are not finite sums the others as a chunk without them does", "[summary]") {
  // A chunk of finite values is scanned by a loop without the finiteness tests; one with a NaN or an
  // infinity by the loop with them. Eight such values at a group's place in the last chunk (inside its
  // pilot, which takes the first 64 finite values) leave every other value in its lane, so the two
  // columns' moments must have the same bits.
  std::mt19937_64 engine(5);
  std::vector<double> clean(guidance::stats_detail::chunk_size + 101);
  for (double& x : clean) x = 1100 + 30 * unit(engine);
  const Summary expected = summarize(clean);
  const auto at = static_cast<std::ptrdiff_t>(guidance::stats_detail::chunk_size + 40);
  for (const double bad : {not_a_number, infinity, -infinity}) {
    std::vector<double> with_bad = clean;
    with_bad.insert(with_bad.begin() + at, 8, bad);
    INFO("the value that is not finite: " << bad);
    check_same_finite_statistics(summarize(with_bad), expected, 8);
  }
}

TEST_CASE("moments of a large sample are accurate and match its percentiles' reference", "[summary]") {
  std::mt19937_64 engine(7);
  std::vector<double> values(1'000'000);
  for (double& x : values) x = 1100 + 30 * unit(engine);
  const Summary s = summarize(values);
  check_moments_against_long_double(values, s);
  const std::vector<double> sorted = guidance::testing::sorted_finite(values);
  for (std::size_t i = 0; i < reported_percentiles.size(); ++i)
    CHECK(s.percentiles[i] == guidance::testing::reference_percentile_of_sorted(sorted, reported_percentiles[i] / 100));
}

TEST_CASE("moments stay accurate when a chunk's first values lie far from its mean", "[summary]") {
  // The single pass takes its deviations about the mean of each chunk's first 64 finite values. In a
  // column sorted in decreasing order of an exponential's draws those are the largest: in the first
  // chunk about seven of its standard deviations above its mean. The shifted formula's error grows
  // with the square of that distance, and must stay far below the tests' 1e-13.
  std::mt19937_64 engine(11);
  std::vector<double> values(3 * guidance::stats_detail::chunk_size + 17);
  for (double& x : values) x = 1e6 - 250.0 * std::log(unit(engine));
  std::sort(values.begin(), values.end(), std::greater<>());
  const Summary s = summarize(values);
  check_moments_against_long_double(values, s);
}

TEST_CASE("percentile intervals in a summary are percentile_interval's", "[summary]") {
  std::mt19937_64 engine(11);
  std::vector<double> values(50'000);
  for (double& x : values) x = std::exp(unit(engine));
  const Summary s = summarize(values);
  for (std::size_t i = 0; i < reported_percentiles.size(); ++i) {
    const Interval expected = percentile_interval(values, reported_percentiles[i] / 100, 0.95);
    CHECK(s.percentile_ci[i].low == expected.low);
    CHECK(s.percentile_ci[i].high == expected.high);
    CHECK(s.percentile_ci[i].low <= s.percentiles[i]);
    CHECK(s.percentiles[i] <= s.percentile_ci[i].high);
  }
}

TEST_CASE("a summary does not depend on the number of threads", "[summary]") {
  std::mt19937_64 engine(3);
  std::vector<double> values(2'000'000);
  for (double& x : values) x = std::log(unit(engine)) * 1e6;
  Summary single;
  {
    tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    single = summarize(values);
  }
  const int threads = GENERATE(2, 4);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  const Summary parallel = summarize(values);
  CHECK(parallel.mean == single.mean);
  CHECK(parallel.sd == single.sd);
  CHECK(parallel.percentiles == single.percentiles);
}

TEST_CASE("percentile rank counts ties as half", "[summary]") {
  const std::vector<double> values = {1, 2, 3, 3, 4, not_a_number, infinity};
  CHECK(percentile_rank(values, 3) == (2 + 2 / 2.0) / 5);
  CHECK(percentile_rank(values, 2.5) == 2.0 / 5);
  CHECK(percentile_rank(values, 0) == 0.0);
  CHECK(percentile_rank(values, 4) == (4 + 0.5) / 5);
  CHECK(percentile_rank(values, 100) == 1.0);
  CHECK(std::isnan(percentile_rank(values, not_a_number)));
  CHECK(std::isnan(percentile_rank(std::vector<double>{not_a_number}, 1.0)));
}
