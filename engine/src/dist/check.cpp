#include "dist/check.hpp"

#include <cmath>
#include <string>
#include <utility>

#include <fmt/args.h>
#include <fmt/format.h>

#include "guidance/distribution.hpp"

namespace guidance {

namespace {

std::string format_values(const std::string& pattern, const std::vector<double>& values, bool percent) {
  fmt::dynamic_format_arg_store<fmt::format_context> arguments;
  for (const double value : values)
    arguments.push_back(percent && std::isfinite(value) ? fmt::format("{:.15g}%", value * 100) : fmt::format("{}", value));
  return fmt::vformat(pattern, arguments);
}

}  // namespace

ParameterError::ParameterError(std::string parameter, std::string pattern, std::vector<double> values, std::string hint)
    : std::invalid_argument(format_values(pattern, values, false)), parameter_(std::move(parameter)),
      hint_(std::move(hint)), pattern_(std::move(pattern)), values_(std::move(values)) {}

ParameterError ParameterError::with_numbers(std::string parameter, std::string pattern, std::vector<double> values,
                                           std::string hint) {
  return {std::move(parameter), std::move(pattern), std::move(values), std::move(hint)};
}

std::string ParameterError::message(bool percent) const {
  return percent && !pattern_.empty() ? format_values(pattern_, values_, true) : what();
}

}  // namespace guidance

namespace guidance::dist_detail {

std::string percentile_name(double p) { return fmt::format("p{:.6g}", 100.0 * p); }

Percentile percentile(double p, double x) {
  std::string name = percentile_name(p);
  if (!(p > 0.0 && p < 1.0)) {
    throw ParameterError(name, fmt::format("percentile {} must be strictly between p0 and p100", name));
  }
  require_finite(name, x);
  return {p, x, std::move(name)};
}

void require_finite(std::string_view name, double value) {
  if (!std::isfinite(value)) {
    throw ParameterError(std::string(name), fmt::format("{} must be finite, found {}", name, value));
  }
}

void require_positive(std::string_view name, double value, std::string_view hint) {
  require_finite(name, value);
  if (!(value > 0.0)) {
    throw ParameterError::with_numbers(std::string(name), fmt::format("{} must be > 0, found {{}}", name), {value},
                                       std::string(hint));
  }
}

void require_positive_for_lognormal(std::string_view name, double value) {
  require_finite(name, value);
  if (!(value > 0.0)) {
    throw ParameterError::with_numbers(std::string(name),
                                       fmt::format("{} must be > 0 for a lognormal, found {{}}", name), {value},
                                       "a lognormal takes positive values only");
  }
}

void require_ordered_range(double min, double max) {
  require_finite("min", min);
  require_finite("max", max);
  if (!(max > min)) {
    throw ParameterError::with_numbers("max", "max must be > min = {}, found {}", {min, max}).involving({"min"});
  }
}

void require_increasing(Percentile& a, Percentile& b) {
  if (b.p < a.p) std::swap(a, b);
  if (a.p == b.p) {
    throw ParameterError(b.name, fmt::format("two different percentiles are needed, found {} twice", b.name));
  }
  if (!(a.x < b.x)) {
    throw ParameterError::with_numbers(b.name,
                                       fmt::format("percentiles out of order: {} = {{}} is {} {} = {{}}", a.name,
                                                   a.x == b.x ? "equal to" : "above", b.name),
                                       {a.x, b.x}, "a higher percentile needs a higher value")
        .involving({a.name});
  }
}

std::string short_number(double value) {
  if (std::fabs(value) >= 1e4 && std::fabs(value) < 1e15) return fmt::format("{:.0f}", value);
  return fmt::format("{:.4g}", value);
}

}  // namespace guidance::dist_detail
