#include "args/tuning.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "args/list.hpp"
#include "guidance/decimal.hpp"
#include "guidance/dimension.hpp"

namespace guidance::args {

namespace {

using Argument = std::shared_ptr<const SourceText>;

Argument argument_text(std::string flag, const std::string& text) {
  return std::make_shared<const SourceText>(SourceText{std::move(flag), text});
}

/// Characters [first, first + length) of `argument`.
SourceLocation at(const Argument& argument, std::size_t first, std::size_t length) {
  return SourceLocation{argument, 1, static_cast<int>(first) + 1, static_cast<int>(std::max<std::size_t>(1, length))};
}

/// An element label that does not start with a digit: a driver's or a parameter's name.
bool is_name(std::string_view text) { return is_element_label(text) && !(text[0] >= '0' && text[0] <= '9'); }

/// A driver, or one element of a dimensioned driver: `revenue[Q4]`, `revenue[routing,Q3]` (element
/// names are letters, digits and `_`).
bool is_driver_name(std::string_view text) {
  const std::optional<ElementTarget> target = split_subscript(text);
  if (!target || !is_name(target->name)) return false;
  if (!target->subscript) return true;
  return std::ranges::all_of(split_list(*target->subscript, ','),
                             [](const ListItem& label) { return is_element_label(label.text); });
}

/// One number of a `--vary` value list.
struct Part {
  ListItem item;
  Decimal number;
};

std::vector<Part> split_numbers(const Argument& argument, std::size_t first, char separator) {
  std::vector<Part> parts;
  for (ListItem& item : split_list(argument->text, separator, first)) {
    const std::optional<Decimal> number = read_decimal(item.text);
    if (!number) {
      throw InputError(at(argument, item.first, item.text.size()),
                       item.text.empty() ? "expected a number, found nothing"
                                         : fmt::format("expected a number, found `{}`", item.text),
                       "numbers are written like 1120, -2.5, 1.2e3 or 30.5%");
    }
    if (!parts.empty() && parts.front().number.percent != number->percent) {
      throw InputError(at(argument, item.first, item.text.size()),
                       fmt::format("`{}` {} a percent but `{}` {}", item.text, number->percent ? "is" : "is not",
                                   parts.front().item.text, number->percent ? "is not" : "is"),
                       "write every value of --vary as a percent, or none of them");
    }
    parts.push_back({std::move(item), *number});
  }
  return parts;
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
  if (scaled < 0) digits.insert(0, 1, '-');
  return digits;
}

/// START:STOP:STEP as exact decimals: every point is START + i STEP computed in integers of the finest
/// decimal place written (a place above the units when every number ends there, so that
/// -1e308:1e308:1e308 is -1, 0, 1 times 1e308 and nothing overflows), so 0.19:0.22:0.01 is 0.19, 0.2,
/// 0.21, 0.22 and never 0.21000000000000002.
std::vector<ParameterValue> range_values(const Argument& argument, const std::vector<Part>& parts) {
  const Part &start = parts[0], &stop = parts[1], &step = parts[2];
  const auto error_at = [&](const Part& part, std::string message, std::string hint = {}) {
    return InputError(at(argument, part.item.first, part.item.text.size()), std::move(message), std::move(hint));
  };
  if (!(step.number.written > 0)) {
    throw error_at(step, fmt::format("STEP must be positive, found {}", step.item.text), "write START:STOP:STEP, e.g. 1120:1140:5");
  }
  if (stop.number.written < start.number.written) {
    throw error_at(stop, fmt::format("STOP must not be less than START, found {} after {}", stop.item.text, start.item.text),
                   "write START:STOP:STEP with START <= STOP");
  }
  // In long double, whose range holds STOP - START and its ratio to any STEP a double can be.
  const long double count =
      std::floor((static_cast<long double>(stop.number.written) - start.number.written) / step.number.written) + 1;
  if (count > static_cast<long double>(max_sweep_points)) {
    throw InputError(at(argument, start.item.first, argument->text.size() - start.item.first),
                     fmt::format("{}:{}:{} has {} values, more than the limit of {}", start.item.text, stop.item.text,
                                 step.item.text,
                                 count < 1e15L ? fmt::format("{:.0f}", count) : fmt::format("{:.3g}", count),
                                 max_sweep_points),
                     "use a larger STEP");
  }
  const int decimals = std::max({start.number.decimals, stop.number.decimals, step.number.decimals});
  const double scale = std::pow(10.0, std::abs(decimals));
  constexpr double exact_limit = 9007199254740992.0;  // 2^53: integers a double holds exactly
  const auto scaled = [&](const Part& part) {
    const double value = std::round(decimals >= 0 ? part.number.written * scale : part.number.written / scale);
    if (decimals > 15 || std::abs(value) >= exact_limit) {
      throw error_at(part, fmt::format("`{}` has too many significant digits for a range", part.item.text),
                     "list the values instead: NAME.PARAM=v1,v2,...");
    }
    return static_cast<std::int64_t>(value);
  };
  const std::int64_t first = scaled(start), last = scaled(stop), increment = scaled(step);
  if (increment <= 0) throw error_at(step, fmt::format("STEP must be positive, found {}", step.item.text));
  std::vector<ParameterValue> values;
  for (std::int64_t point = first; point <= last; point += increment) {
    const std::string text = scaled_decimal(point, decimals) + (start.number.percent ? "%" : "");
    values.push_back({text, read_decimal(text)->value, start.number.percent});
  }
  return values;
}

}  // namespace

std::size_t find_variable(const Model& model, const std::string& name, const std::string& flag) {
  const std::ptrdiff_t found = model.find(name);
  if (found >= 0) return static_cast<std::size_t>(found);
  std::vector<std::string> names;
  for (const Variable& variable : model.variables) names.push_back(variable.name);
  const std::string suggestion = did_you_mean(name, names);
  throw InputError(at(argument_text(flag, name), 0, name.size()), fmt::format("unknown variable `{}`", name),
                   suggestion.empty() ? flag + " takes a driver or metric of the scenario" : suggestion);
}

std::vector<std::string> parse_variant_list(const std::string& argument) {
  const Argument source = argument_text("--scenarios", argument);
  std::vector<std::string> names;
  for (ListItem& item : split_list(argument, ',')) {
    if (item.text.empty()) {
      throw InputError(at(source, item.first, 1), "expected a variant name, found nothing",
                       "write the names separated by commas, e.g. --scenarios base,bear,bull");
    }
    if (std::find(names.begin(), names.end(), item.text) != names.end())
      throw InputError(at(source, item.first, item.text.size()), fmt::format("`{}` is listed twice", item.text));
    names.push_back(std::move(item.text));
  }
  return names;
}

Variation parse_variation(const std::string& argument) {
  const Argument source = argument_text("--vary", argument);
  const std::size_t equals = argument.find('=');
  std::string name = argument.substr(0, equals);
  if (name.find('[') != std::string::npos) std::erase(name, ' ');  // revenue[routing, Q3]
  const std::size_t dot = name.find('.');
  Variation vary;
  vary.driver = name.substr(0, dot);
  vary.parameter = dot == std::string::npos ? "" : name.substr(dot + 1);
  vary.name_where = at(source, 0, name.size());
  vary.values_where = equals == std::string::npos ? at(source, 0, argument.size())
                                                  : at(source, equals + 1, argument.size() - equals - 1);
  if (!is_driver_name(vary.driver) || (dot != std::string::npos && !is_name(vary.parameter))) {
    throw InputError(vary.name_where,
                     fmt::format("expected NAME.PARAM (a driver's parameter) or NAME (a constant driver), found `{}`", name),
                     "e.g. --vary revenue.p90 (solve), --vary revenue.p90=1120:1140:5 or --vary tax_rate=30%,32%,34% "
                     "(sweep)");
  }
  if (equals == std::string::npos) return vary;
  if (equals + 1 == argument.size()) {
    throw InputError(at(source, equals, 1), "missing values after `=`",
                     "write NAME.PARAM=START:STOP:STEP or NAME.PARAM=v1,v2,...");
  }
  const bool range = argument.find(':', equals) != std::string::npos;
  const std::vector<Part> parts = split_numbers(source, equals + 1, range ? ':' : ',');
  vary.percent = parts.front().number.percent;
  if (range && parts.size() != 3) {
    throw InputError(vary.values_where, fmt::format("expected START:STOP:STEP, found `{}`", argument.substr(equals + 1)),
                     "e.g. 1120:1140:5, or a list of values: 1120,1130,1140");
  }
  if (range) {
    vary.values = range_values(source, parts);
    return vary;
  }
  if (parts.size() > max_sweep_points)
    throw InputError(vary.values_where, fmt::format("{} values, more than the limit of {}", parts.size(), max_sweep_points));
  for (const Part& part : parts) vary.values.push_back({part.item.text, part.number.value, part.number.percent});
  return vary;
}

Bracket parse_bracket(const std::string& argument) {
  const Argument source = argument_text("--bracket", argument);
  const std::size_t colon = argument.find(':');
  if (colon == std::string::npos) {
    throw InputError(at(source, 0, argument.size()), fmt::format("expected LO:HI, found `{}`", argument),
                     "e.g. --bracket 1100:1200 or --bracket 30%:40%");
  }
  Bracket bracket;
  bracket.where = at(source, 0, argument.size());
  const auto end = [&](std::size_t first, std::size_t last) {
    const std::string text = argument.substr(first, last - first);
    const std::optional<Decimal> number = read_decimal(text);
    if (!number) {
      throw InputError(at(source, first, text.size()),
                       text.empty() ? "expected a number, found nothing" : fmt::format("expected a number, found `{}`", text),
                       "e.g. --bracket 1100:1200 or --bracket 30%:40%");
    }
    bracket.percent = bracket.percent || number->percent;
    return ParameterValue{text, number->value, number->percent};
  };
  bracket.low = end(0, colon);
  bracket.high = end(colon + 1, argument.size());
  if (!(bracket.low.value < bracket.high.value)) {
    throw InputError(bracket.where, fmt::format("LO must be less than HI, found {} and {}", bracket.low.text, bracket.high.text));
  }
  return bracket;
}

double parse_probability(const std::string& text, std::string_view flag, bool exclusive) {
  const std::optional<Decimal> number = read_decimal(text);
  const bool inside = number && (exclusive ? number->value > 0.0 && number->value < 1.0
                                           : number->value >= 0.0 && number->value <= 1.0);
  if (!inside) {
    throw InputError({}, fmt::format("{} must be between 0 and 1{}, found {}", flag, exclusive ? " (exclusive)" : "", text),
                     "write a fraction such as 0.8, or a percent such as 80%");
  }
  return number->value;
}

double parse_round_step(const std::string& text) {
  const std::optional<Decimal> number = read_decimal(text);
  if (!number || !(number->value > 0.0)) {
    throw InputError({}, fmt::format("--round must be a number above 0, found {}", text),
                     "write the step to round the range's ends to, such as --round 0.01 (the cent) or --round 0.1% "
                     "(a tenth of a point)");
  }
  return number->value;
}

double parse_center(const std::string& text) {
  if (const std::optional<Decimal> number = read_decimal(text)) return number->value;
  throw InputError({}, fmt::format("--center must be a finite number, found {}", text),
                   "write the figure to centre the range on, such as --center 0.04 or --center 72.5%");
}

TuningTable parse_tuning_table(const Model& model, std::span<const std::string> variables, const std::string& percentiles) {
  TuningTable table;
  for (const std::string& name : variables) {
    find_variable(model, name, "--metric");
    if (std::find(table.variables.begin(), table.variables.end(), name) == table.variables.end())
      table.variables.push_back(name);
  }
  const Argument source = argument_text("--percentiles", percentiles);
  table.percentiles.clear();
  for (const ListItem& item : split_list(percentiles, ',')) {
    const std::string& text = item.text;
    const std::string digits = (!text.empty() && (text[0] == 'p' || text[0] == 'P')) ? text.substr(1) : text;
    const auto known = std::find_if(reported_percentiles.begin(), reported_percentiles.end(),
                                    [&](double p) { return fmt::format("{:g}", p) == digits; });
    if (known == reported_percentiles.end()) {
      throw InputError(at(source, item.first, text.size()),
                       fmt::format("expected one of 1, 5, 10, 25, 50, 75, 90, 95, 99, found `{}`", text),
                       "these are the percentiles every run keeps; `guidance propose` gives any range");
    }
    const auto index = static_cast<std::size_t>(known - reported_percentiles.begin());
    if (std::find(table.percentiles.begin(), table.percentiles.end(), index) == table.percentiles.end())
      table.percentiles.push_back(index);
  }
  return table;
}

}  // namespace guidance::args
