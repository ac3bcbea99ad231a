// exact_percentiles: numpy's "linear" percentiles from exact order statistics.
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "guidance/stats.hpp"
#include "stats/order_statistics.hpp"

namespace guidance {

namespace stats_detail {

void check_probability(double p, const char* what) {
  if (!(p >= 0.0 && p <= 1.0))
    throw std::invalid_argument(fmt::format("{} must be in [0, 1], found {}", what, p));
}

PercentilePosition percentile_position(std::uint64_t n, double p) {
  const double h = static_cast<double>(n - 1) * p;  // numpy: (n - 1) * quantile, in double
  const double lower = std::floor(h);
  PercentilePosition position;
  position.lower = static_cast<std::uint64_t>(lower);
  position.upper = std::min(position.lower + 1, n - 1);
  position.fraction = h - lower;
  return position;
}

double interpolate(double a, double b, double t) {
  const double difference = b - a;
  // Only when b - a overflows (values near +-DBL_MAX): numpy would return inf or NaN here.
  if (!std::isfinite(difference)) return a * (1.0 - t) + b * t;
  return t >= 0.5 ? b - difference * (1.0 - t) : a + difference * t;
}

}  // namespace stats_detail

std::vector<double> exact_percentiles(std::span<const double> values, std::span<const double> probabilities) {
  using namespace stats_detail;
  for (const double p : probabilities) check_probability(p, "percentile probability");
  const Extent extent = scan(values).extent;
  if (extent.count == 0) return std::vector<double>(probabilities.size(), std::numeric_limits<double>::quiet_NaN());

  std::vector<std::uint64_t> ranks;
  for (const double p : probabilities) {
    const PercentilePosition position = percentile_position(extent.count, p);
    ranks.push_back(position.lower);
    ranks.push_back(position.upper);
  }
  const std::vector<double> x = order_statistics(values, extent, ranks);
  std::vector<double> result;
  for (std::size_t i = 0; i < probabilities.size(); ++i)
    result.push_back(interpolate(x[2 * i], x[2 * i + 1], percentile_position(extent.count, probabilities[i]).fraction));
  return result;
}

}  // namespace guidance
