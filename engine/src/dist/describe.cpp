// kind_name and describe: distributions in the user's terms, for summaries and error messages.
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/args.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "dist/check.hpp"
#include "dist/shapes.hpp"
#include "guidance/distribution.hpp"

namespace guidance {

namespace dist_detail {

namespace {

/// value rounded to what short_number shows (strtod, not stod: a subnormal is a value, not an error).
double rounded(double value) { return std::strtod(short_number(value).c_str(), nullptr); }

/// A number in the variable's units.
void add(ParameterText& text, std::string_view name, double value) {
  text.pattern += fmt::format("{}{}={{}}", text.pattern.empty() ? "" : " ", name);
  text.values.push_back(rounded(value));
}

void add_parameters(ParameterText& text, const Normal& s) {
  add(text, "mean", s.mean);
  add(text, "sd", s.sd);
}
// A lognormal is described by the mean and sd of the variable itself, as a user would give them.
void add_parameters(ParameterText& text, const LogNormal& s) {
  add(text, "mean", shape_mean(s));
  add(text, "sd", std::sqrt(shape_variance(s)));
}
void add_parameters(ParameterText& text, const Uniform& s) {
  add(text, "min", s.min);
  add(text, "max", s.max);
}
void add_parameters(ParameterText& text, const Triangular& s) {
  add(text, "min", s.min);
  add(text, "mode", s.mode);
  add(text, "max", s.max);
}
void add_parameters(ParameterText& text, const Pert& s) {
  add(text, "min", s.min);
  add(text, "mode", s.mode);
  add(text, "max", s.max);
  if (s.lambda != 4.0) text.pattern += fmt::format(" lambda={}", short_number(s.lambda));
}
void add_parameters(ParameterText& text, const Discrete& s) {
  std::vector<std::string> probabilities;
  text.pattern = "values=[";
  for (std::size_t i = 0; i < s.values.size(); ++i) {
    text.pattern += i == 0 ? "{}" : ", {}";
    text.values.push_back(rounded(s.values[i]));
    probabilities.push_back(short_number(s.probabilities[i]));
  }
  text.pattern += fmt::format("] probabilities=[{}]", fmt::join(probabilities, ", "));
}

}  // namespace

ParameterText parameter_text(const Distribution& distribution) {
  ParameterText text;
  std::visit([&](const auto& s) { add_parameters(text, s); }, distribution.shape);
  if (distribution.truncate_low > -infinity || distribution.truncate_high < infinity) {
    text.pattern += " truncate=[{}, {}]";
    text.values.push_back(rounded(distribution.truncate_low));
    text.values.push_back(rounded(distribution.truncate_high));
  }
  if (distribution.shift != 0.0) add(text, "shift", distribution.shift);
  if (distribution.scale != 1.0) text.pattern += fmt::format(" scale={}", short_number(distribution.scale));
  return text;
}

}  // namespace dist_detail

std::string_view kind_name(const Distribution& distribution) {
  constexpr std::string_view names[] = {"normal", "lognormal", "uniform", "triangular", "pert", "discrete"};
  static_assert(std::size(names) == std::variant_size_v<DistributionShape>);
  return names[distribution.shape.index()];
}

std::string describe(const Distribution& distribution) {
  const dist_detail::ParameterText text = dist_detail::parameter_text(distribution);
  fmt::dynamic_format_arg_store<fmt::format_context> numbers;
  for (const double value : text.values) numbers.push_back(dist_detail::short_number(value));
  return fmt::vformat(text.pattern, numbers);
}

}  // namespace guidance
