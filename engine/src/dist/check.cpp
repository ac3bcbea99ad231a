#include "dist/check.hpp"

#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "guidance/distribution.hpp"

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
    throw ParameterError(std::string(name), fmt::format("{} must be > 0, found {}", name, value), std::string(hint));
  }
}

void require_positive_for_lognormal(std::string_view name, double value) {
  require_finite(name, value);
  if (!(value > 0.0)) {
    throw ParameterError(std::string(name), fmt::format("{} must be > 0 for a lognormal, found {}", name, value),
                         "a lognormal takes positive values only");
  }
}

void require_ordered_range(double min, double max) {
  require_finite("min", min);
  require_finite("max", max);
  if (!(max > min)) {
    throw ParameterError("max", fmt::format("max must be > min = {}, found {}", min, max));
  }
}

void require_increasing(Percentile& a, Percentile& b) {
  if (b.p < a.p) std::swap(a, b);
  if (a.p == b.p) {
    throw ParameterError(b.name, fmt::format("two different percentiles are needed, found {} twice", b.name));
  }
  if (!(a.x < b.x)) {
    throw ParameterError(b.name,
                         fmt::format("percentiles out of order: {} = {} is {} {} = {}", a.name, a.x,
                                     a.x == b.x ? "equal to" : "above", b.name, b.x),
                         "a higher percentile needs a higher value");
  }
}

std::string short_number(double value) {
  if (std::fabs(value) >= 1e4 && std::fabs(value) < 1e15) return fmt::format("{:.0f}", value);
  return fmt::format("{:.4g}", value);
}

}  // namespace guidance::dist_detail
