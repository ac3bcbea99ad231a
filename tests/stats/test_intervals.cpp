// Wilson score intervals and distribution-free percentile intervals.
#include <cmath>
#include <limits>
#include <numeric>

#include <boost/math/distributions/binomial.hpp>
#include <catch2/catch.hpp>

#include "guidance/stats.hpp"
#include "stats/order_statistics.hpp"
#include "stats/stats_testing.hpp"

using namespace guidance;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using guidance::testing::unit;

TEST_CASE("Wilson intervals match Newcombe (1998), Table I, method 3", "[intervals]") {
  struct Case {
    std::uint64_t successes, trials;
    double low, high;  // published to 4 decimals
  };
  const Case c = GENERATE(Case{81, 263, 0.2553, 0.3662}, Case{15, 148, 0.0624, 0.1605}, Case{0, 20, 0.0, 0.1611},
                          Case{1, 29, 0.0061, 0.1718});
  INFO(c.successes << " / " << c.trials);
  const Interval ci = wilson_interval(c.successes, c.trials, 0.95);
  CHECK_THAT(ci.low, WithinAbs(c.low, 0.5e-4));
  CHECK_THAT(ci.high, WithinAbs(c.high, 0.5e-4));
}

TEST_CASE("Wilson intervals at the ends have closed forms", "[intervals]") {
  const double z = 1.959963984540054;  // two-sided 95% normal quantile
  const std::uint64_t n = GENERATE(1, 10, 1000, 10'000'000);
  const double trials = static_cast<double>(n);
  const Interval none = wilson_interval(0, n);
  CHECK(none.low == 0.0);
  CHECK_THAT(none.high, WithinRel(z * z / (trials + z * z), 1e-12));
  const Interval all = wilson_interval(n, n);
  CHECK_THAT(all.low, WithinRel(trials / (trials + z * z), 1e-12));
  CHECK(all.high == 1.0);
  const Interval wider = wilson_interval(0, n, 0.99);
  CHECK(wider.high > none.high);
}

TEST_CASE("Wilson interval errors and no trials", "[intervals]") {
  CHECK(wilson_interval(0, 0).low == 0.0);
  CHECK(wilson_interval(0, 0).high == 1.0);
  CHECK_THROWS_WITH(wilson_interval(5, 4), "wilson_interval: 5 successes in 4 trials");
  CHECK_THROWS_WITH(wilson_interval(1, 4, 1.0), "confidence must be in (0, 1), found 1");
}

TEST_CASE("percentile interval ranks follow the binomial convention", "[intervals]") {
  std::vector<double> values(20);
  std::iota(values.begin(), values.end(), 1.0);  // x[k] = k + 1
  std::reverse(values.begin(), values.end());
  // Median of 20: P(B <= 5) = 0.0207 <= 0.025 < P(B <= 6), P(B > 14) = 0.0207: ranks 5 and 14 (0-based),
  // the classic (x(6), x(15)) of distribution-free tables.
  const Interval median = percentile_interval(values, 0.5, 0.95);
  CHECK(median.low == 6.0);
  CHECK(median.high == 15.0);
  // Five values cannot give 95% for the median (P(B <= 0) = 1/32 > 0.025); six can.
  const Interval five = percentile_interval(std::span(values).first(5), 0.5, 0.95);
  CHECK(five.low == -std::numeric_limits<double>::infinity());
  CHECK(five.high == std::numeric_limits<double>::infinity());
  const std::vector<double> six = {6, 5, 4, 3, 2, 1};
  CHECK(percentile_interval(six, 0.5, 0.95).low == 1.0);
  CHECK(percentile_interval(six, 0.5, 0.95).high == 6.0);
  // The extreme quantiles are one-sided.
  CHECK(percentile_interval(values, 0.0, 0.95).low == -std::numeric_limits<double>::infinity());
  CHECK(percentile_interval(values, 0.0, 0.95).high == 1.0);
  CHECK(percentile_interval(values, 1.0, 0.95).low == 20.0);
  CHECK(percentile_interval(values, 1.0, 0.95).high == std::numeric_limits<double>::infinity());
  CHECK_THROWS_WITH(percentile_interval(values, 0.5, 0.0), "confidence must be in (0, 1), found 0");
}

TEST_CASE("percentile interval ranks are the binomial definition's, for small and large samples", "[intervals]") {
  // The definition, searched without a starting guess: low is the largest l with P(B <= l) <= 2.5%,
  // high the smallest u with P(B > u) <= 2.5% (none when that is n - 1 or beyond).
  const auto reference = [](std::uint64_t n, double p) {
    const boost::math::binomial_distribution<double> successes(static_cast<double>(n), p);
    const auto low_holds = [&](std::uint64_t l) { return boost::math::cdf(successes, static_cast<double>(l)) <= 0.025; };
    const auto high_holds = [&](std::uint64_t u) {
      return boost::math::cdf(boost::math::complement(successes, static_cast<double>(u))) <= 0.025;
    };
    stats_detail::RankInterval ranks;
    if (low_holds(0)) {
      std::uint64_t below = 0, above = n;  // low_holds(below), !low_holds(above) or above == n
      while (above - below > 1) {
        const std::uint64_t middle = below + (above - below) / 2;
        (low_holds(middle) ? below : above) = middle;
      }
      ranks.low = below;
    }
    if (high_holds(n - 1)) {
      std::uint64_t from = 0, to = n - 1;  // the smallest u in [from, to] with high_holds(u); high_holds(to)
      while (from < to) {
        const std::uint64_t middle = from + (to - from) / 2;
        if (high_holds(middle)) to = middle;
        else from = middle + 1;
      }
      ranks.high = from;
    }
    return ranks;
  };
  std::vector<std::uint64_t> sizes;
  for (std::uint64_t n = 1; n <= 60; ++n) sizes.push_back(n);
  sizes.insert(sizes.end(), {100, 1'000, 12'345, 1'000'000, 10'000'000, std::uint64_t{1} << 40});
  for (const std::uint64_t n : sizes) {
    for (const double p : {0.0, 1e-6, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0 - 1e-6, 1.0}) {
      INFO("n = " << n << ", p = " << p);
      const stats_detail::RankInterval expected = reference(n, p);
      const stats_detail::RankInterval ranks = stats_detail::quantile_interval_ranks(n, p, 0.95);
      CHECK(ranks.low == expected.low);
      CHECK(ranks.high == expected.high);
    }
  }
}

TEST_CASE("percentile intervals cover the true quantile at their exact binomial rate", "[intervals]") {
  // Uniform(0, 1) samples: the true p-quantile is p. For these ranks the coverage is exactly
  // 1 - P(B <= l) - P(B > u); the observed rate over R replications is within 4.5 binomial standard
  // errors of it (a false alarm about once in 150,000 runs).
  const double p = GENERATE(0.05, 0.5, 0.9);
  const std::size_t n = GENERATE(60, 400);
  constexpr int replications = 4000;
  std::mt19937_64 engine(static_cast<std::uint64_t>(p * 1000) + n);
  std::vector<double> values(n);
  int covered = 0;
  for (int r = 0; r < replications; ++r) {
    for (double& x : values) x = unit(engine);
    const Interval ci = percentile_interval(values, p, 0.95);
    covered += ci.low <= p && p <= ci.high ? 1 : 0;
  }
  // The ranks, found independently: l the largest with P(B <= l) <= 0.025, u the smallest with P(B > u) <= 0.025.
  const boost::math::binomial_distribution<double> b(static_cast<double>(n), p);
  double miss_low = 0, miss_high = 0;
  for (std::size_t l = 0; l < n && boost::math::cdf(b, l) <= 0.025; ++l) miss_low = boost::math::cdf(b, l);
  for (std::size_t u = n; u-- > 0 && boost::math::cdf(boost::math::complement(b, u)) <= 0.025;)
    miss_high = boost::math::cdf(boost::math::complement(b, u));
  const double coverage = 1 - miss_low - miss_high;
  INFO("p = " << p << ", n = " << n << ", exact coverage " << coverage);
  CHECK(coverage >= 0.95);
  const double se = std::sqrt(coverage * (1 - coverage) / replications);
  CHECK_THAT(covered / double(replications), WithinAbs(coverage, 4.5 * se));
}
