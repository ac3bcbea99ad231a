// Confidence intervals: Wilson score intervals for proportions, order-statistic intervals for
// percentiles.
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>

#include "guidance/stats.hpp"
#include "stats/order_statistics.hpp"

namespace guidance {

namespace {

void check_confidence(double confidence) {
  if (!(confidence > 0.0 && confidence < 1.0))
    throw std::invalid_argument(fmt::format("confidence must be in (0, 1), found {}", confidence));
}

/// The largest k in [first, last] with holds(k), given that holds is true up to some point and false
/// after it; empty when holds(first) is false.
template <class Predicate>
std::optional<std::uint64_t> last_where(std::uint64_t first, std::uint64_t last, Predicate holds) {
  if (!holds(first)) return std::nullopt;
  while (first < last) {  // holds(first)
    const std::uint64_t middle = first + (last - first + 1) / 2;
    if (holds(middle)) first = middle;
    else last = middle - 1;
  }
  return first;
}

/// last_where, searched first in [guess - margin, guess + margin] (clamped to [first, last]): when
/// holds is true at that bracket's start and false just after its end, the answer is inside it, found
/// in a few steps instead of log2(last - first). Otherwise the whole range is searched.
template <class Predicate>
std::optional<std::uint64_t> last_where_near(std::uint64_t first, std::uint64_t last, double guess, double margin,
                                             Predicate holds) {
  const auto clamped = [&](double k) {
    return k <= static_cast<double>(first) ? first : k >= static_cast<double>(last) ? last : static_cast<std::uint64_t>(k);
  };
  const std::uint64_t from = clamped(guess - margin), to = clamped(guess + margin);
  if (holds(from) && (to == last || !holds(to + 1))) return last_where(from, to, holds);
  return last_where(first, last, holds);
}

}  // namespace

namespace stats_detail {

RankInterval quantile_interval_ranks(std::uint64_t n, double p, double confidence) {
  const double tail = (1.0 - confidence) / 2.0;
  const boost::math::binomial_distribution<double> successes(static_cast<double>(n), p);
  const auto at_most = [&](std::uint64_t k) { return boost::math::cdf(successes, static_cast<double>(k)); };
  const auto more_than = [&](std::uint64_t k) {
    return boost::math::cdf(boost::math::complement(successes, static_cast<double>(k)));
  };
  // Each binomial CDF is an incomplete beta function: the searches start near the normal
  // approximation's answer, n p -+ z sd, which is off by a few ranks at most where it is poor.
  const double mean = static_cast<double>(n) * p;
  const double sd = std::sqrt(mean * (1.0 - p));
  const double z = boost::math::quantile(boost::math::complement(boost::math::normal_distribution<double>(), tail));
  const double margin = 32.0 + sd / 64.0;
  RankInterval ranks;
  // x[l] > the quantile exactly when B <= l of the values fall at or below it.
  ranks.low = last_where_near(0, n - 1, mean - z * sd, margin, [&](std::uint64_t l) { return at_most(l) <= tail; });
  // x[u] < the quantile exactly when B > u; P(B > u) falls as u grows: the smallest u with it <= tail.
  const std::optional<std::uint64_t> too_low =
      last_where_near(0, n - 1, mean + z * sd, margin, [&](std::uint64_t u) { return more_than(u) > tail; });
  if (!too_low) ranks.high = 0;
  else if (*too_low + 1 < n) ranks.high = *too_low + 1;
  return ranks;
}

}  // namespace stats_detail

Interval percentile_interval(std::span<const double> values, double p, double confidence) {
  using namespace stats_detail;
  check_probability(p, "percentile probability");
  check_confidence(confidence);
  const Extent extent = scan(values).extent;
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  if (extent.count == 0) return {nan, nan};
  const RankInterval ranks = quantile_interval_ranks(extent.count, p, confidence);
  std::vector<std::uint64_t> wanted;
  if (ranks.low) wanted.push_back(*ranks.low);
  if (ranks.high) wanted.push_back(*ranks.high);
  const std::vector<double> x = order_statistics(values, extent, wanted);
  constexpr double inf = std::numeric_limits<double>::infinity();
  return {ranks.low ? x.front() : -inf, ranks.high ? x.back() : inf};
}

Interval wilson_interval(std::uint64_t successes, std::uint64_t trials, double confidence) {
  check_confidence(confidence);
  if (successes > trials)
    throw std::invalid_argument(fmt::format("wilson_interval: {} successes in {} trials", successes, trials));
  if (trials == 0) return {0.0, 1.0};
  const double z = boost::math::quantile(boost::math::complement(boost::math::normal_distribution<double>(),
                                                                 (1.0 - confidence) / 2.0));
  const double n = static_cast<double>(trials);
  const double share = static_cast<double>(successes) / n;
  const double z2n = z * z / n;
  const double center = (share + z2n / 2.0) / (1.0 + z2n);
  const double half_width = z * std::sqrt(share * (1.0 - share) / n + z2n / (4.0 * n)) / (1.0 + z2n);
  // The bounds are exactly 0 and 1 at the ends; rounding must not push them past.
  return {successes == 0 ? 0.0 : std::max(0.0, center - half_width),
          successes == trials ? 1.0 : std::min(1.0, center + half_width)};
}

}  // namespace guidance
