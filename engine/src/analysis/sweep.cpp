// `guidance sweep`: the scenario at every value of one or two driver parameters, with common random
// numbers. Also the reading of command-line numbers, and the model at a point, shared by sweep and solve.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>

#include "analysis/tuning_input.hpp"

namespace guidance {

namespace tuning_detail {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::size_t count_digits(std::string_view text, std::size_t& i) {
  const std::size_t start = i;
  while (i < text.size() && is_digit(text[i])) ++i;
  return i - start;
}

}  // namespace

std::optional<Number> parse_number(std::string_view text) {
  Number number;
  number.percent = text.ends_with('%');
  if (number.percent) text.remove_suffix(1);
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  const std::size_t whole_digits = count_digits(text, i);
  std::size_t fraction_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    fraction_digits = count_digits(text, i);
  }
  if (whole_digits + fraction_digits == 0) return std::nullopt;
  const std::size_t mantissa_end = i;
  long exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    const std::size_t start = ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    const std::size_t digits = count_digits(text, i);
    if (digits == 0 || digits > 6) return std::nullopt;
    exponent = std::stol(std::string(text.substr(start, i - start)));
  }
  if (i != text.size()) return std::nullopt;

  // from_chars takes no leading '+'.
  const std::string mantissa(text.substr(text[0] == '+' ? 1 : 0, mantissa_end - (text[0] == '+' ? 1 : 0)));
  const auto convert = [&](long shift, double& out) {
    const std::string normalised = fmt::format("{}e{}", mantissa, exponent - shift);
    const auto [end, status] = std::from_chars(normalised.data(), normalised.data() + normalised.size(), out);
    return status == std::errc() && end == normalised.data() + normalised.size() && std::isfinite(out);
  };
  if (!convert(0, number.written) || !convert(number.percent ? 2 : 0, number.value)) return std::nullopt;
  number.decimals = static_cast<int>(static_cast<long>(fraction_digits) - exponent);
  return number;
}

InputError argument_error(const std::shared_ptr<const SourceText>& argument, std::size_t first, std::size_t length,
                          std::string message, std::string hint) {
  return InputError(SourceLocation{argument, 1, static_cast<int>(first) + 1, static_cast<int>(std::max<std::size_t>(1, length))},
                    std::move(message), std::move(hint));
}

void unknown_variable(const Model& model, const std::string& name, const SourceLocation& where,
                      const std::string& fallback_hint) {
  std::vector<std::string> names;
  for (const Variable& variable : model.variables) names.push_back(variable.name);
  const std::string suggestion = did_you_mean(name, names);
  throw InputError(where, fmt::format("unknown variable `{}`", name), suggestion.empty() ? fallback_hint : suggestion);
}

ParameterValue written(double value, bool percent) {
  ParameterValue out;
  out.text = percent ? fmt::format("{}%", value * 100.0) : fmt::format("{}", value);
  out.value = parse_number(out.text)->value;
  out.percent = percent;
  return out;
}

Model load_point(const TuningSource& source, std::span<const Variation> vary, std::span<const ParameterValue> values) {
  std::vector<ParameterSetting> settings;
  for (std::size_t k = 0; k < vary.size(); ++k) {
    const std::size_t dot = vary[k].target.find('.');
    settings.push_back({vary[k].target.substr(0, dot), dot == std::string::npos ? "" : vary[k].target.substr(dot + 1),
                        values[k].value, values[k].percent});
  }
  try {
    return with_parameters(source.scenario, settings);
  } catch (const SettingError& error) {
    // Moved onto the `--vary` argument that asked for the setting: its NAME.PARAM when the name is at
    // fault, otherwise its values, with the point named.
    std::string point;
    for (std::size_t k = 0; k < vary.size(); ++k)
      point += fmt::format("{}{} = {}", k == 0 ? "" : ", ", vary[k].target, values[k].text);
    const std::string message = fmt::format("at {}: {}", point, error.message());
    if (error.setting() == SettingError::whole) throw InputError(error.where(), message, error.hint());
    const std::shared_ptr<const SourceText>& argument = vary[error.setting()].argument;
    if (!error.about_value())
      throw InputError(SourceLocation{argument, 1, error.where().column, error.where().length}, error.message(), error.hint());
    const std::size_t equals = argument->text.find('=');
    if (equals == std::string::npos) throw argument_error(argument, 0, argument->text.size(), message, error.hint());
    throw argument_error(argument, equals + 1, argument->text.size() - equals - 1, message, error.hint());
  }
}

}  // namespace tuning_detail

namespace {

using tuning_detail::argument_error;
using tuning_detail::Number;
using tuning_detail::parse_number;

bool is_name(std::string_view text) {
  if (text.empty() || (text[0] >= '0' && text[0] <= '9')) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

/// One number of a `--vary` value list, at [first, first + text.size()) of the argument.
struct Part {
  std::string text;
  std::size_t first = 0;
  Number number;
};

std::vector<Part> split_numbers(const std::shared_ptr<const SourceText>& argument, std::size_t first, char separator) {
  const std::string& text = argument->text;
  std::vector<Part> parts;
  for (std::size_t start = first;;) {
    std::size_t end = text.find(separator, start);
    if (end == std::string::npos) end = text.size();
    std::size_t left = start, right = end;  // trimmed of spaces
    while (left < right && text[left] == ' ') ++left;
    while (right > left && text[right - 1] == ' ') --right;
    const std::string part = text.substr(left, right - left);
    const std::optional<Number> number = parse_number(part);
    if (!number) {
      throw argument_error(argument, left, part.size(),
                           part.empty() ? "expected a number, found nothing" : fmt::format("expected a number, found `{}`", part),
                           "numbers are written like 1120, -2.5, 1.2e3 or 30.5%");
    }
    parts.push_back({part, left, *number});
    if (!parts.empty() && parts.front().number.percent != number->percent) {
      throw argument_error(argument, left, part.size(),
                           fmt::format("`{}` {} a percent but `{}` {}", part, number->percent ? "is" : "is not",
                                       parts.front().text, number->percent ? "is not" : "is"),
                           "write every value of --vary as a percent, or none of them");
    }
    if (end == text.size()) return parts;
    start = end + 1;
  }
}

/// "-1234" with `decimals` places -> "-12.34", with -2 -> "-123400", and with -308 -> "-1234e308" (an
/// exponent once the zeros would pass 17 digits): the exact decimal of a scaled integer.
std::string scaled_decimal(std::int64_t scaled, int decimals) {
  if (decimals < 0) {
    if (scaled == 0) return "0";
    const std::string digits = std::to_string(scaled);
    return digits.size() - decimals <= 17 ? digits + std::string(-decimals, '0') : fmt::format("{}e{}", digits, -decimals);
  }
  std::string digits = std::to_string(scaled < 0 ? -scaled : scaled);
  if (decimals > 0) {
    if (digits.size() <= static_cast<std::size_t>(decimals)) digits.insert(0, decimals + 1 - digits.size(), '0');
    digits.insert(digits.size() - decimals, ".");
  }
  return (scaled < 0 ? "-" : "") + digits;
}

/// START:STOP:STEP as exact decimals: every point is START + i STEP computed in integers of the finest
/// decimal place written (a place above the units when every number ends there, so that
/// -1e308:1e308:1e308 is -1, 0, 1 times 1e308 and nothing overflows), so 0.19:0.22:0.01 is 0.19, 0.2,
/// 0.21, 0.22 and never 0.21000000000000002.
std::vector<ParameterValue> range_values(const std::shared_ptr<const SourceText>& argument, const std::vector<Part>& parts) {
  const Part &start = parts[0], &stop = parts[1], &step = parts[2];
  if (!(step.number.written > 0)) {
    throw argument_error(argument, step.first, step.text.size(), fmt::format("STEP must be positive, found {}", step.text),
                         "write START:STOP:STEP, e.g. 1120:1140:5");
  }
  if (stop.number.written < start.number.written) {
    throw argument_error(argument, stop.first, stop.text.size(),
                         fmt::format("STOP must not be less than START, found {} after {}", stop.text, start.text),
                         "write START:STOP:STEP with START <= STOP");
  }
  // In long double, whose range holds STOP - START and its ratio to any STEP a double can be.
  const long double count =
      std::floor((static_cast<long double>(stop.number.written) - start.number.written) / step.number.written) + 1;
  if (count > static_cast<long double>(max_sweep_points)) {
    throw argument_error(argument, start.first, argument->text.size() - start.first,
                         fmt::format("{}:{}:{} has {} values, more than the limit of {}", start.text, stop.text,
                                     step.text, count < 1e15L ? fmt::format("{:.0f}", count) : fmt::format("{:.3g}", count),
                                     max_sweep_points),
                         "use a larger STEP");
  }
  const int decimals = std::max({start.number.decimals, stop.number.decimals, step.number.decimals});
  const double scale = std::pow(10.0, std::abs(decimals));
  constexpr double exact_limit = 9007199254740992.0;  // 2^53: integers a double holds exactly
  const auto scaled = [&](const Part& part) {
    const double value = std::round(decimals >= 0 ? part.number.written * scale : part.number.written / scale);
    if (decimals > 15 || std::abs(value) >= exact_limit) {
      throw argument_error(argument, part.first, part.text.size(),
                           fmt::format("`{}` has too many significant digits for a range", part.text),
                           "list the values instead: NAME.PARAM=v1,v2,...");
    }
    return static_cast<std::int64_t>(value);
  };
  const std::int64_t first = scaled(start), last = scaled(stop), increment = scaled(step);
  if (increment <= 0) {
    throw argument_error(argument, step.first, step.text.size(), fmt::format("STEP must be positive, found {}", step.text));
  }
  std::vector<ParameterValue> values;
  for (std::int64_t point = first; point <= last; point += increment) {
    const std::string text = scaled_decimal(point, decimals) + (start.number.percent ? "%" : "");
    values.push_back({text, parse_number(text)->value, start.number.percent});
  }
  return values;
}

}  // namespace

Variation parse_variation(const std::string& argument) {
  Variation vary;
  vary.argument = std::make_shared<const SourceText>(SourceText{"--vary", argument});
  const std::size_t equals = argument.find('=');
  vary.target = argument.substr(0, equals);
  const std::size_t dot = vary.target.find('.');
  const bool valid = is_name(vary.target.substr(0, dot)) &&
                     (dot == std::string::npos || is_name(vary.target.substr(dot + 1)));
  if (!valid) {
    throw argument_error(vary.argument, 0, vary.target.size(),
                         fmt::format("expected NAME.PARAM (a driver's parameter) or NAME (a constant driver), found `{}`",
                                     vary.target),
                         "e.g. --vary revenue.p90 (solve), --vary revenue.p90=1120:1140:5 or --vary tax_rate=30%,32%,34% "
                         "(sweep)");
  }
  if (equals == std::string::npos) return vary;
  if (equals + 1 == argument.size()) {
    throw argument_error(vary.argument, equals, 1, "missing values after `=`",
                         "write NAME.PARAM=START:STOP:STEP or NAME.PARAM=v1,v2,...");
  }
  const bool range = argument.find(':', equals) != std::string::npos;
  const std::vector<Part> parts = split_numbers(vary.argument, equals + 1, range ? ':' : ',');
  vary.percent = parts.front().number.percent;
  if (range && parts.size() != 3) {
    throw argument_error(vary.argument, equals + 1, argument.size() - equals - 1,
                         fmt::format("expected START:STOP:STEP, found `{}`", argument.substr(equals + 1)),
                         "e.g. 1120:1140:5, or a list of values: 1120,1130,1140");
  }
  if (range) {
    vary.values = range_values(vary.argument, parts);
    return vary;
  }
  if (parts.size() > max_sweep_points) {
    throw argument_error(vary.argument, equals + 1, argument.size() - equals - 1,
                         fmt::format("{} values, more than the limit of {}", parts.size(), max_sweep_points));
  }
  for (const Part& part : parts) vary.values.push_back({part.text, part.number.value, part.number.percent});
  return vary;
}

Sweep run_sweep(const TuningSource& source, std::vector<Variation> vary, const RunOptions& options) {
  if (vary.empty() || vary.size() > 2) {
    throw InputError({}, fmt::format("a sweep takes one or two --vary, found {}", vary.size()),
                     "one --vary gives a table, two give a grid");
  }
  for (const Variation& variation : vary) {
    if (variation.values.empty()) {
      throw argument_error(variation.argument, 0, variation.argument->text.size(),
                           fmt::format("--vary {} has no values to sweep", variation.target),
                           "write NAME.PARAM=START:STOP:STEP or NAME.PARAM=v1,v2,...");
    }
  }
  if (vary.size() == 2 && vary[0].target == vary[1].target) {
    throw argument_error(vary[1].argument, 0, vary[1].target.size(), fmt::format("`{}` is varied twice", vary[1].target),
                         "give each parameter one --vary with all its values");
  }
  const std::size_t inner = vary.size() == 2 ? vary[1].values.size() : 1;
  const std::size_t count = vary[0].values.size() * inner;
  if (count > max_sweep_points) {
    throw InputError({}, fmt::format("the sweep has {} points ({} x {}), more than the limit of {}", count,
                                     vary[0].values.size(), inner, max_sweep_points),
                     "use fewer values");
  }

  Sweep sweep{std::move(vary), {}};
  // Every point is loaded before any is run: a bad value fails in milliseconds, not after a long run.
  for (std::size_t i = 0; i < count; ++i) {
    std::vector<ParameterValue> values = {sweep.vary[0].values[i / inner]};
    if (sweep.vary.size() == 2) values.push_back(sweep.vary[1].values[i % inner]);
    SweepPoint& point = sweep.points.emplace_back();
    for (const ParameterValue& value : values) point.values.push_back(value.value);
    point.model = tuning_detail::load_point(source, sweep.vary, values);
  }
  for (SweepPoint& point : sweep.points) point.report = analyze(point.model, simulate(point.model, options), Charts::none);
  return sweep;
}

}  // namespace guidance
