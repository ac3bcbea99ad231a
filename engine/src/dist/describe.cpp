// kind_name and describe: distributions in the user's terms, for summaries and error messages.
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "dist/check.hpp"
#include "dist/shapes.hpp"
#include "guidance/distribution.hpp"

namespace guidance {

namespace {

using dist_detail::short_number;

std::string parameters(const Normal& s) {
  return fmt::format("mean={} sd={}", short_number(s.mean), short_number(s.sd));
}
// A lognormal is described by the mean and sd of the variable itself, as a user would give them.
std::string parameters(const LogNormal& s) {
  return fmt::format("mean={} sd={}", short_number(dist_detail::shape_mean(s)),
                     short_number(std::sqrt(dist_detail::shape_variance(s))));
}
std::string parameters(const Uniform& s) {
  return fmt::format("min={} max={}", short_number(s.min), short_number(s.max));
}
std::string parameters(const Triangular& s) {
  return fmt::format("min={} mode={} max={}", short_number(s.min), short_number(s.mode), short_number(s.max));
}
std::string parameters(const Pert& s) {
  std::string text =
      fmt::format("min={} mode={} max={}", short_number(s.min), short_number(s.mode), short_number(s.max));
  if (s.lambda != 4.0) text += fmt::format(" lambda={}", short_number(s.lambda));
  return text;
}
std::string parameters(const Discrete& s) {
  std::vector<std::string> values;
  std::vector<std::string> probabilities;
  for (std::size_t i = 0; i < s.values.size(); ++i) {
    values.push_back(short_number(s.values[i]));
    probabilities.push_back(short_number(s.probabilities[i]));
  }
  return fmt::format("values=[{}] probabilities=[{}]", fmt::join(values, ", "), fmt::join(probabilities, ", "));
}

}  // namespace

std::string_view kind_name(const Distribution& distribution) {
  constexpr std::string_view names[] = {"normal", "lognormal", "uniform", "triangular", "pert", "discrete"};
  static_assert(std::size(names) == std::variant_size_v<DistributionShape>);
  return names[distribution.shape.index()];
}

std::string describe(const Distribution& distribution) {
  std::string text = std::visit([](const auto& s) { return parameters(s); }, distribution.shape);
  if (distribution.truncate_low > -dist_detail::infinity || distribution.truncate_high < dist_detail::infinity) {
    text += fmt::format(" truncate=[{}, {}]", short_number(distribution.truncate_low),
                        short_number(distribution.truncate_high));
  }
  return text;
}

}  // namespace guidance
