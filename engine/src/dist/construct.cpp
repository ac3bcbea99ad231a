// Construction functions: validate in the user's terms, then solve for the shape's parameters.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include <fmt/format.h>

#include "dist/check.hpp"
#include "dist/shapes.hpp"
#include "dist/truncation.hpp"
#include "guidance/distribution.hpp"

namespace guidance {

using dist_detail::Percentile;
using dist_detail::percentile;
using dist_detail::require_finite;
using dist_detail::require_increasing;
using dist_detail::require_positive;
using dist_detail::require_positive_for_lognormal;

namespace {

constexpr std::string_view sd_hint = "the standard deviation must be positive";

// The normal (mean, sd) through two percentiles of increasing value: sd = (x_b - x_a) / (z_b - z_a).
Normal normal_through(const Percentile& a, const Percentile& b) {
  const double z_a = standard_normal_quantile(a.p);
  const double z_b = standard_normal_quantile(b.p);
  const double sd = (b.x - a.x) / (z_b - z_a);
  return {a.x - sd * z_a, sd};
}

Percentile log_of(Percentile p) {
  p.x = std::log(p.x);
  return p;
}

}  // namespace

Distribution make_normal(double mean, double sd) {
  require_finite("mean", mean);
  require_positive("sd", sd, sd_hint);
  return {Normal{mean, sd}};
}

Distribution normal_from_percentiles(double p_a, double x_a, double p_b, double x_b) {
  Percentile a = percentile(p_a, x_a);
  Percentile b = percentile(p_b, x_b);
  require_increasing(a, b);
  return {normal_through(a, b)};
}

Distribution make_lognormal(double mean, double sd) {
  require_positive_for_lognormal("mean", mean);
  require_positive("sd", sd, sd_hint);
  // Var X = (e^{sigma^2} - 1) mean^2 and mean = e^{mu + sigma^2 / 2}.
  const double cv = sd / mean;
  const double sigma2 = std::log1p(cv * cv);
  return {LogNormal{std::log(mean) - 0.5 * sigma2, std::sqrt(sigma2)}};
}

Distribution lognormal_from_median(double median, double p, double x_p) {
  require_positive_for_lognormal("median", median);
  Percentile m{0.5, median, "median"};
  Percentile other = percentile(p, x_p);
  if (p == 0.5) {
    throw ParameterError(other.name, "p50 is the median; give a percentile other than p50");
  }
  require_positive_for_lognormal(other.name, x_p);
  require_increasing(m, other);
  return {LogNormal{std::log(median), std::log(x_p / median) / standard_normal_quantile(p)}};
}

Distribution lognormal_from_percentiles(double p_a, double x_a, double p_b, double x_b) {
  Percentile a = percentile(p_a, x_a);
  Percentile b = percentile(p_b, x_b);
  require_positive_for_lognormal(a.name, a.x);
  require_positive_for_lognormal(b.name, b.x);
  require_increasing(a, b);
  const Normal log_normal = normal_through(log_of(a), log_of(b));
  return {LogNormal{log_normal.mean, log_normal.sd}};
}

Distribution make_uniform(double min, double max) {
  dist_detail::require_ordered_range(min, max);
  return {Uniform{min, max}};
}

Distribution uniform_from_percentiles(double p_a, double x_a, double p_b, double x_b) {
  Percentile a = percentile(p_a, x_a);
  Percentile b = percentile(p_b, x_b);
  require_increasing(a, b);
  // Extend the line through the two points to p = 0 and p = 1.
  const double slope = (b.x - a.x) / (b.p - a.p);
  return {Uniform{a.x - slope * a.p, b.x + slope * (1.0 - b.p)}};
}

namespace {

void require_mode_in_range(double min, double mode, double max) {
  dist_detail::require_ordered_range(min, max);
  require_finite("mode", mode);
  if (!(mode >= min && mode <= max)) {
    throw ParameterError::with_numbers("mode", "mode must be in [min, max] = [{}, {}], found {}", {min, max, mode})
        .involving({"min", "max"});
  }
}

}  // namespace

Distribution make_triangular(double min, double mode, double max) {
  require_mode_in_range(min, mode, max);
  return {Triangular{min, mode, max}};
}

Distribution make_pert(double min, double mode, double max, double lambda) {
  require_mode_in_range(min, mode, max);
  require_positive("lambda", lambda, "lambda weights the mode; the usual value is 4");
  Pert pert{min, mode, max, lambda, nullptr};
  const dist_detail::BetaShape shape = dist_detail::beta_shape(pert);
  pert.quantile_table = dist_detail::beta_quantile_table(shape.alpha, shape.beta);
  return {pert};
}

Distribution make_discrete(std::vector<double> values, std::vector<double> probabilities) {
  if (values.empty()) throw ParameterError("values", "values must not be empty");
  if (probabilities.size() != values.size()) {
    throw ParameterError("probabilities", fmt::format("probabilities must have one entry per value, found {} for {} values",
                                                      probabilities.size(), values.size()));
  }
  for (double v : values) require_finite("values", v);
  for (double p : probabilities) require_finite("probabilities", p);
  for (double p : probabilities) {
    if (p < 0.0) throw ParameterError("probabilities", fmt::format("probabilities must be >= 0, found {}", p));
  }
  const double sum = std::accumulate(probabilities.begin(), probabilities.end(), 0.0);
  if (!(std::fabs(sum - 1.0) <= 1e-9)) {
    throw ParameterError("probabilities", fmt::format("probabilities must sum to 1, found a sum of {:.10g}", sum));
  }

  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return values[i] < values[j]; });
  Discrete d;
  for (std::size_t i : order) {
    if (!d.values.empty() && d.values.back() == values[i]) {
      throw ParameterError::with_numbers("values", "values must be distinct, found {} twice", {values[i]});
    }
    d.values.push_back(values[i]);
    d.probabilities.push_back(probabilities[i] / sum);
  }
  std::partial_sum(d.probabilities.begin(), d.probabilities.end(), std::back_inserter(d.cumulative));
  // The running sum may end an ulp short of 1; every u in (0, 1] must find a value of positive
  // probability, so the cumulative is exactly 1 from the last such value onwards.
  const auto last_positive = std::find_if(d.probabilities.rbegin(), d.probabilities.rend(), [](double p) { return p > 0.0; });
  std::fill(d.cumulative.begin() + (d.probabilities.rend() - last_positive - 1), d.cumulative.end(), 1.0);
  return {std::move(d)};
}

Distribution truncate(Distribution distribution, double low, double high) {
  if (std::isnan(low) || std::isnan(high)) {
    throw ParameterError::with_numbers("truncate", "truncate must be a range [low, high], found [{}, {}]", {low, high});
  }
  if (!(low < high)) {
    throw ParameterError::with_numbers("truncate", "truncate range [{}, {}] is empty: low must be below high",
                                       {low, high});
  }
  if (std::holds_alternative<Discrete>(distribution.shape)) {
    throw ParameterError("truncate", "a discrete distribution cannot be truncated",
                         "leave out the values outside the range instead");
  }
  Distribution d{distribution.shape};
  d.shift = distribution.shift;
  d.scale = distribution.scale;
  d.truncate_low = std::max(low, distribution.truncate_low);
  d.truncate_high = std::min(high, distribution.truncate_high);
  std::visit(
      [&](const auto& s) {
        d.cdf_low = dist_detail::lower_cdf(s, d.truncate_low);
        d.cdf_high = dist_detail::lower_cdf(s, d.truncate_high);
        d.sf_low = dist_detail::upper_cdf(s, d.truncate_low);
        d.sf_high = dist_detail::upper_cdf(s, d.truncate_high);
      },
      d.shape);
  const double mass = dist_detail::truncated_mass(d);
  // The numbers as values of the message, so that a driver written in percent reads them in percent.
  const dist_detail::ParameterText text = dist_detail::parameter_text(distribution);
  std::vector<double> numbers = {low, high};
  numbers.insert(numbers.end(), text.values.begin(), text.values.end());
  // Below the smallest normal double the probabilities lose precision: count that as zero.
  if (!(mass >= std::numeric_limits<double>::min()) || !(d.truncate_low < d.truncate_high)) {
    throw ParameterError::with_numbers(
        "truncate", fmt::format("truncate range [{{}}, {{}}] has zero probability under {} {}", kind_name(distribution),
                                text.pattern),
        std::move(numbers));
  }
  // The quantile reaches the range through probabilities of size up to F(high) (or 1 - F(low) in the
  // upper tail, or 1/2 across the median); a range holding less than 1e-9 of that leaves too few
  // distinct doubles to sample it faithfully.
  const double reference = d.cdf_low > 0.5 ? d.sf_low : std::min(d.cdf_high, 0.5);
  if (mass < 1e-9 * reference) {
    throw ParameterError::with_numbers(
        "truncate",
        fmt::format("truncate range [{{}}, {{}}] is too narrow to sample under {} {} (probability {:.3g})",
                    kind_name(distribution), text.pattern, mass),
        std::move(numbers));
  }
  return d;
}

Distribution shift_and_scale(Distribution distribution, double shift, double scale) {
  dist_detail::require_finite("shift", shift);
  dist_detail::require_positive("scale", scale,
                                "scale multiplies the values; a negative one would mirror the distribution (its low "
                                "tail becoming the high one): negate the driver in the formulas instead");
  distribution.shift = shift;
  distribution.scale = scale;
  return distribution;
}

}  // namespace guidance
