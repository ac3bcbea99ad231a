#include "report/format.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "guidance/report.hpp"

namespace guidance {

std::string group_thousands(std::string text) {
  const std::size_t sign = (!text.empty() && text[0] == '-') ? 1 : 0;
  std::size_t end = text.find('.');
  if (end == std::string::npos) end = text.size();
  for (std::size_t i = end; i > sign + 3; i -= 3) text.insert(i - 3, ",");
  return text;
}

std::size_t display_columns(std::string_view text) {
  return static_cast<std::size_t>(std::ranges::count_if(text, [](char c) { return (c & 0xC0) != 0x80; }));
}

ValueFormat choose_format(bool percent, double magnitude) {
  magnitude = std::abs(magnitude);
  if (!std::isfinite(magnitude)) return {percent, 2};
  if (percent) return magnitude < 10'000 ? ValueFormat{true, 2} : ValueFormat{true, 3, 0, true};  // 1,000,000%
  if (magnitude >= 1e16) return {false, 3, 0, true};
  if (magnitude >= 1e7) {
    const int thousands = magnitude >= 1e13 ? 4 : magnitude >= 1e10 ? 3 : 2;
    const double scaled = magnitude / std::pow(1000.0, thousands);  // 10 to 9,999
    return {false, scaled >= 100 ? 1 : 2, thousands};
  }
  if (magnitude >= 100'000) return {false, 0};
  if (magnitude >= 100) return {false, 1};
  if (magnitude >= 10) return {false, 2};
  if (magnitude >= 1) return {false, 3};
  // Four significant digits (three below 0.001): 0.2042, 0.001234, 0.000123.
  if (magnitude >= 1e-4 || magnitude == 0) {
    return {false, magnitude == 0 ? 4 : std::min(6, 3 - static_cast<int>(std::floor(std::log10(magnitude))))};
  }
  return {false, 3, 0, true};
}

ValueFormat value_format(const Variable& variable, double magnitude) {
  ValueFormat format = choose_format(variable.percent, magnitude);
  const Display& display = variable.display;
  if (!display.currency.empty()) {
    format.currency = display.currency;
    format.scale_exponent = display.scale_exponent;
    format.thousands = std::min(format.thousands, (12 - display.scale_exponent) / 3);  // "T" is the last suffix
  }
  if (display.digits && !format.scientific) format.decimals = *display.digits;
  return format;
}

ValueFormat finer(ValueFormat format) {
  ++format.decimals;
  return format;
}

std::string Painter::wrap(std::string_view code, std::string_view text) const {
  return color_ ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
}

std::string csv_cell(double value) {
  if (std::isnan(value)) return "";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return fmt::format("{}", value);
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\n") == std::string_view::npos) return std::string(text);
  std::string out(1, '"');
  for (const char c : text) {
    if (c == '"') out += '"';  // doubled
    out += c;
  }
  out += '"';
  return out;
}

std::string_view sampling_name(Sampling sampling) {
  switch (sampling) {
    case Sampling::monte_carlo: return "Monte Carlo";
    case Sampling::latin_hypercube: return "Latin hypercube";
    case Sampling::sobol: return "Sobol (scrambled)";
  }
  return "";
}

ValueFormat variable_format(const Variable& variable, const Summary& summary) {
  return value_format(variable, std::max(std::abs(summary.percentiles[4]), std::abs(summary.mean)));
}

std::string format_with(double value, ValueFormat format) {
  if (std::isnan(value)) return "n/a";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  const double shown = format.percent ? value * 100.0 : value / std::pow(1000.0, format.thousands);
  // A plain number's thousands are "k"; a currency's suffixes are the range reader's ("$16.0B").
  constexpr std::array<std::string_view, 5> thousands_suffix = {"", "k", "M", "B", "T"};
  const std::string_view suffix =
      format.percent                ? "%"
      : format.currency.empty()     ? thousands_suffix[static_cast<std::size_t>(std::clamp(format.thousands, 0, 4))]
                                    : scale_suffix(format.scale_exponent + 3 * format.thousands);
  std::string text = format.scientific ? (shown == 0 ? "0" : fmt::format("{:.{}e}", shown, format.decimals))
                                       : fmt::format("{:.{}f}", shown, format.decimals);
  if (!format.scientific) {
    if (text == fmt::format("-{:.{}f}", 0.0, format.decimals)) text.erase(0, 1);  // no "-0.0"
    text = group_thousands(std::move(text));
  }
  text.insert(text.starts_with('-') ? 1 : 0, format.currency);  // "-$5M"
  return text + std::string(suffix);
}

std::string format_ends(double low, double high, ValueFormat format) {
  // Seventeen more decimals tell any two doubles apart, whatever the format started from.
  for (int more = 0; more < 17 && low != high && format_with(low, format) == format_with(high, format); ++more)
    ++format.decimals;
  return fmt::format("{} to {}", format_with(low, format), format_with(high, format));
}

std::string_view scale_suffix(int exponent) {
  constexpr std::array<std::string_view, 5> suffixes = {"", "K", "M", "B", "T"};
  return suffixes[static_cast<std::size_t>(std::clamp(exponent / 3, 0, 4))];
}

std::string format_variable_value(double value, const Variable& variable) {
  return format_with(value, value_format(variable, value));
}

std::string format_signed(double value, int decimals) {
  return std::isfinite(value) ? fmt::format("{:+.{}f}", value, decimals) : "n/a";
}

std::string format_probability(double p) {
  if (std::isnan(p)) return "n/a";
  if (p > 0 && p < 0.0005) return "<0.1%";
  if (p < 1 && p > 0.9995) return ">99.9%";
  return fmt::format("{:.1f}%", p * 100.0);
}

/// A bound as the user would write it: up to 10 significant digits, grouped, percents as percents.
std::string format_bound(double value, bool percent) {
  std::string text = fmt::format("{:.10g}", percent ? value * 100.0 : value);
  if (text.find('e') == std::string::npos) text = group_thousands(std::move(text));
  return percent ? text + "%" : text;
}

std::string format_range(const GuidanceRange& line) {
  if (!line.text.empty()) return line.text;
  if (std::isinf(line.low)) return fmt::format("at most {}", format_bound(line.high, line.percent));
  if (std::isinf(line.high)) return fmt::format("at least {}", format_bound(line.low, line.percent));
  return fmt::format("{} to {}", format_bound(line.low, line.percent), format_bound(line.high, line.percent));
}

const IndicatorProbability* find_indicator(const RunReport& report, std::size_t variable) {
  const auto found = std::ranges::find(report.indicators, variable, &IndicatorProbability::variable);
  return found == report.indicators.end() ? nullptr : &*found;
}

std::string format_indicator(const IndicatorProbability& indicator) {
  const std::string p = format_probability(indicator.p);
  return (p.starts_with('<') || p.starts_with('>') ? "P " : "P = ") + p;
}

std::string format_rank(double rank) {
  if (std::isnan(rank)) return "n/a";
  const double percent = std::round(rank * 100.0);
  if (percent == 0 && rank > 0) return "<P1";
  if (percent == 100 && rank < 1) return ">P99";
  return fmt::format("P{:.0f}", percent);
}

std::string format_actual_rank(const ActualRank& actual) {
  if (std::isnan(actual.percentile_rank)) return "no rank: not a finite number in any trial";
  // percentile_rank is exactly 0 or 1 only below or above every finite trial.
  if (actual.percentile_rank != 0.0 && actual.percentile_rank != 1.0) return "the model's " + format_rank(actual.percentile_rank);
  const std::string_view side = actual.percentile_rank == 1.0 ? "above" : "below";
  const double distance = std::abs(actual.sd_from_mean);
  if (!std::isfinite(distance)) return fmt::format("{} every trial", side);
  // Far out (an actual of 1e308 against an sd of 90) in scientific notation, not in 300 digits.
  return distance < 1e6 ? fmt::format("{} every trial, {:.1f} sd {} the mean", side, distance, side)
                        : fmt::format("{} every trial, {:.1e} sd {} the mean", side, distance, side);
}

std::string format_run_header(const Model& model, const RunReport& report, bool variant) {
  const std::string_view sampling = sampling_name(report.sampling);
  std::string out = model.name + "\n";
  if (!model.description.empty()) out += model.description + "\n";
  const std::string settings =
      fmt::format("{} trials, seed {}, {} sampling", format_with(static_cast<double>(report.trials), {false, 0}),
                  report.seed, sampling);
  const std::string units = model.units.empty() ? "" : "values in " + model.units;
  // One line when it fits 80 columns, else the units on a line of their own.
  if (units.empty()) out += settings + "\n";
  else if (settings.size() + 2 + units.size() <= 80) out += settings + "; " + units + "\n";
  else out += settings + "\n" + units + "\n";
  if (variant && model.variant != "base") out += fmt::format("scenario: {}\n", model.variant);
  return out;
}

nlohmann::ordered_json json_number(double value) {
  return std::isfinite(value) ? nlohmann::ordered_json(value) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json json_interval(const Interval& interval) {
  return nlohmann::ordered_json::array({json_number(interval.low), json_number(interval.high)});
}

}  // namespace guidance
