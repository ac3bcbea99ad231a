#include "load/range_text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include <boost/multiprecision/cpp_int.hpp>
#include <fmt/format.h>

#include "load/values.hpp"

namespace guidance::load_detail {

namespace {

using boost::multiprecision::cpp_int;

// mantissa x 10^exponent, exactly: the ends of "16000 ± 2%" are computed in decimal and rounded once,
// so that they are the very doubles `p10: 15680` and `p90: 16320` would give.
struct ExactDecimal {
  cpp_int mantissa = 0;
  int exponent = 0;

  friend ExactDecimal aligned(const ExactDecimal& d, int exponent) {
    ExactDecimal out{d.mantissa, exponent};
    for (int e = d.exponent; e > exponent; --e) out.mantissa *= 10;
    return out;
  }
  friend ExactDecimal operator+(const ExactDecimal& a, const ExactDecimal& b) {
    const int e = std::min(a.exponent, b.exponent);
    return {aligned(a, e).mantissa + aligned(b, e).mantissa, e};
  }
  friend ExactDecimal operator-(const ExactDecimal& a, const ExactDecimal& b) { return a + ExactDecimal{-b.mantissa, b.exponent}; }
  friend ExactDecimal operator*(const ExactDecimal& a, const ExactDecimal& b) {
    return {a.mantissa * b.mantissa, a.exponent + b.exponent};
  }
  friend bool operator<(const ExactDecimal& a, const ExactDecimal& b) { return (a - b).mantissa < 0; }
  ExactDecimal abs() const { return {mantissa < 0 ? cpp_int(-mantissa) : mantissa, exponent}; }

  // The nearest double, or nothing when it overflows.
  std::optional<double> to_double() const {
    const std::string text = mantissa.str() + "e" + std::to_string(exponent);
    double value = 0.0;
    const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (status != std::errc() || !std::isfinite(value)) return std::nullopt;
    return value;
  }
  // Plain decimal text, trailing zeros of the fraction dropped: 725e-3 -> "0.725"; shift moves the point.
  std::string text(int shift = 0) const {
    std::string digits = abs().mantissa.str();
    int e = exponent + shift;
    while (e < 0 && digits.size() > 1 && digits.back() == '0') {
      digits.pop_back();
      ++e;
    }
    if (e >= 0) digits += std::string(static_cast<std::size_t>(e), '0');
    else {
      const auto point = static_cast<std::size_t>(-e);
      if (digits.size() <= point) digits.insert(0, point - digits.size() + 1, '0');
      digits.insert(digits.size() - point, ".");
    }
    return (mantissa < 0 ? "-" : "") + digits;
  }
};

enum class Unit { plain, percent, basis_points, points };

// One figure as written, with where it is in the text (bytes).
struct Figure {
  ExactDecimal value;
  Unit unit = Unit::plain;
  std::size_t offset = 0, length = 0;
  std::string_view written;
  int stated_exponent = 0;  // the exponent of its last written digit, in the file's units
};

constexpr std::string_view plus_minus = "\u00b1";
constexpr std::string_view forms_hint = "a range is written like \"16000 ± 2%\", \"72.5% ± 50bp\" or \"80 to 120\"";

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Characters, not bytes: the caret line counts characters.
int characters(std::string_view text) {
  return static_cast<int>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

class RangeReader {
 public:
  RangeReader(const YamlNode& node, const FigureUnits& units) : node_(node), text_(node.text), units_(units) {}


  RangeText read(bool points) {
    skip_spaces();
    const Figure first = figure(false);
    skip_spaces();
    if (at_end()) return point(first, points);
    if (const std::size_t op = plus_minus_length(); op > 0) {
      const std::size_t op_offset = pos_;
      pos_ += op;
      skip_spaces();
      if (at_end()) {
        fail(op_offset, op, fmt::format("missing the margin after `{}`", text_.substr(op_offset, op)),
             "write the margin after it: a number (\"0.04 ± 0.10\"), a percent of the figure (\"16000 ± 2%\"), or "
             "basis points or percentage points around a percent (\"72.5% ± 50bp\")");
      }
      const Figure margin = figure(true);
      finish();
      return around(first, margin);
    }
    if (word() == "to") {
      const std::size_t to_offset = pos_;
      pos_ += 2;
      skip_spaces();
      if (at_end()) fail(to_offset, 2, "missing the high end after `to`", std::string(forms_hint));
      const Figure second = figure(false);
      finish();
      return between(first, second);
    }
    unexpected();
  }

 private:
  const YamlNode& node_;
  std::string_view text_;
  const FigureUnits& units_;
  std::size_t pos_ = 0;
  bool approximate_ = false;

  bool at_end() const { return pos_ >= text_.size(); }
  void skip_spaces() {
    while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  std::string_view word() const {
    std::size_t end = pos_;
    while (end < text_.size() && is_letter(text_[end])) ++end;
    return text_.substr(pos_, end - pos_);
  }
  std::size_t plus_minus_length() const {
    const std::string_view rest = text_.substr(pos_);
    if (rest.starts_with(plus_minus) || rest.starts_with("+-")) return 2;
    if (rest.starts_with("+/-")) return 3;
    return 0;
  }

  // At the bytes [offset, offset + length) of the value when it is the text in the file, else at the value.
  [[noreturn]] void fail(std::size_t offset, std::size_t length, std::string message, std::string hint) const {
    SourceLocation where = node_.where;
    if (node_.verbatim) {
      where = node_.text_where().shifted(static_cast<int>(offset),
                                         characters(text_.substr(offset, std::max<std::size_t>(length, 1))));
    }
    throw InputError(where, std::move(message), std::move(hint));
  }
  [[noreturn]] void unexpected() const {
    const std::string_view rest = text_.substr(pos_);
    fail(pos_, rest.size(), fmt::format("unexpected `{}` in the range `{}`", rest, text_), std::string(forms_hint));
  }
  void finish() {
    skip_spaces();
    if (!at_end()) unexpected();
  }

  // figure := ['~'] [sign] [currency] digits[,ddd]*[.digits] [unit]; a margin takes no `~` and no sign.
  Figure figure(bool margin) {
    Figure f;
    f.offset = pos_;
    if (!margin && !at_end() && text_[pos_] == '~') {
      approximate_ = true;
      ++pos_;
      skip_spaces();
    }
    bool negative = false;
    if (!at_end() && (text_[pos_] == '-' || text_[pos_] == '+')) {
      if (margin) {
        fail(pos_, text_.size() - pos_, fmt::format("a margin has no sign, found `{}`", text_.substr(pos_)),
             "write the margin as a positive number after ±: \"16000 ± 2%\"");
      }
      negative = text_[pos_++] == '-';
    }
    const std::string_view sign = currency_sign();
    const std::size_t number_offset = pos_;
    std::string digits;
    int fraction_digits = 0;
    std::size_t group = 0;
    bool grouped = false;
    while (!at_end() && (is_digit(text_[pos_]) || text_[pos_] == ',')) {
      if (text_[pos_] == ',') {
        std::size_t next = pos_ + 1;
        while (next < text_.size() && is_digit(text_[next])) ++next;
        if (group == 0 || (!grouped && group > 3) || next - pos_ - 1 != 3) {
          while (next < text_.size() && (is_digit(text_[next]) || text_[next] == ',')) ++next;
          const std::string_view bad = text_.substr(number_offset, next - number_offset);
          std::string plain(bad);
          std::erase(plain, ',');
          fail(number_offset, bad.size(), fmt::format("thousands separators group three digits, found `{}`", bad),
               fmt::format("write {} without separators, or group the digits in threes (1,100)", plain));
        }
        grouped = true;
        group = 0;
      } else {
        digits += text_[pos_];
        ++group;
      }
      ++pos_;
    }
    if (!at_end() && text_[pos_] == '.') {
      ++pos_;
      while (!at_end() && is_digit(text_[pos_])) {
        digits += text_[pos_++];
        ++fraction_digits;
      }
    }
    if (digits.empty()) {
      const std::size_t end = std::min(text_.size(), text_.find(' ', pos_));
      fail(pos_, end - pos_, fmt::format("expected a number, found `{}`", text_.substr(pos_, end - pos_)),
           std::string(forms_hint));
    }
    // cpp_int reads a leading 0 as octal ("010" is 8).
    digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));
    f.value = ExactDecimal{cpp_int(digits), -fraction_digits};
    if (negative) f.value.mantissa = -f.value.mantissa;
    f.unit = unit(f, sign, number_offset);
    f.length = pos_ - f.offset;
    f.written = text_.substr(f.offset, f.length);
    if (f.unit == Unit::percent) f.value.exponent -= 2;
    if (f.unit == Unit::points) f.value.exponent -= 2;
    if (f.unit == Unit::basis_points) f.value.exponent -= 4;
    f.stated_exponent = f.value.exponent;
    return f;
  }

  std::string_view currency_sign() {
    for (const std::string_view sign : {"$", "\u20ac", "\u00a3"}) {
      if (!text_.substr(pos_).starts_with(sign)) continue;
      if (units_.sign != sign) {
        const std::string message =
            units_.sign.empty() ? fmt::format("the currency sign `{}` needs `units:` in the file", sign)
                                : fmt::format("the currency sign `{}` does not match the file's units `{}`", sign,
                                              units_.text);
        fail(pos_, sign.size(), message,
             units_.sign.empty()
                 ? "declare the units figures are in, e.g. `units: USD millions` (then \"$16.0B\" reads as 16000), "
                   "or write the number in the file's units without a sign"
                 : fmt::format("write `{}`, or the number without a sign", units_.sign));
      }
      pos_ += sign.size();
      return sign;
    }
    return {};
  }

  // The unit after a number: %, bp, pt, or a K, M or B suffix (converted to the file's units here).
  Unit unit(Figure& f, std::string_view sign, std::size_t number_offset) {
    const std::size_t before = pos_;
    skip_spaces();
    if (!at_end() && text_[pos_] == '%') {
      ++pos_;
      if (!sign.empty()) {
        fail(f.offset, pos_ - f.offset, fmt::format("`{}` has both a currency sign and a percent", text_.substr(f.offset, pos_ - f.offset)),
             "write a percent without a currency sign");
      }
      return Unit::percent;
    }
    const std::string_view suffix = word();
    if (suffix.empty() || suffix == "to") {
      pos_ = before;
      return Unit::plain;
    }
    const std::size_t suffix_offset = pos_;
    pos_ += suffix.size();
    if (suffix == "bp") return Unit::basis_points;
    if (suffix == "pt") return Unit::points;
    const int exponent = suffix == "K" ? 3 : suffix == "M" ? 6 : suffix == "B" ? 9 : -1;
    if (exponent < 0) {
      fail(suffix_offset, suffix.size(),
           fmt::format("unknown unit `{}` after `{}`", suffix, text_.substr(number_offset, before - number_offset)),
           "after a number write %, or K, M or B (with the file's `units:`); after ± also bp or pt");
    }
    if (!units_.scale_exponent) {
      fail(suffix_offset, suffix.size(), fmt::format("the suffix `{}` needs the scale of the file's units", suffix),
           "declare the units figures are in, e.g. `units: USD millions` (then \"16.0B\" reads as 16000), or write "
           "the number in the file's units");
    }
    f.value.exponent += exponent - *units_.scale_exponent;
    return Unit::plain;
  }

  RangeText point(const Figure& f, bool points) const {
    if (!points || !approximate_) {
      const std::string_view figure = f.written.starts_with('~') ? f.written.substr(1) : f.written;
      fail(0, text_.size(), fmt::format("`{}` is a single figure, not a range", text_),
           points ? fmt::format("write \"~{}\" for a figure stated to its last digit, or give a margin: \"{} ± 1%\"",
                                figure, figure)
                  : fmt::format("give a margin or a second end, e.g. \"{} ± 1%\"", figure));
    }
    end_unit(f);
    RangeText range;
    range.low = range.high = value(f.value, f);
    range.percent = f.unit == Unit::percent;
    range.point = true;
    range.step = value(ExactDecimal{1, f.stated_exponent}, f);
    return range;
  }

  // "16000 ± 2%": a plain figure with an absolute or a relative margin; a percent with bp or pt.
  RangeText around(const Figure& centre, const Figure& margin) const {
    end_unit(centre);
    if (margin.value.mantissa == 0) {
      fail(margin.offset, margin.length, fmt::format("the margin must be above zero, found `{}`", margin.written),
           "a range ± 0 is a single figure: give a margin above zero");
    }
    ExactDecimal half = margin.value;
    const bool centre_percent = centre.unit == Unit::percent;
    if (!centre_percent && (margin.unit == Unit::basis_points || margin.unit == Unit::points)) {
      fail(margin.offset, margin.length,
           fmt::format("bp and pt are margins around a percent, and `{}` is not a percent", centre.written),
           fmt::format("a margin relative to the figure is a percent: \"{} ± 2%\"", centre.written));
    }
    if (centre_percent && margin.unit == Unit::plain) {
      fail(margin.offset, margin.length,
           fmt::format("the margin `{}` around the percent `{}` needs a unit", margin.written, centre.written),
           fmt::format("write {}bp (basis points) or {}pt (percentage points)", margin.written, margin.written));
    }
    if (centre_percent && margin.unit == Unit::percent) {
      const ExactDecimal points = ExactDecimal{margin.value.mantissa, margin.value.exponent};
      fail(margin.offset, margin.length,
           fmt::format("`{}` around the percent `{}` is ambiguous", margin.written, centre.written),
           fmt::format("write {}pt for percentage points ({}% to {}%) or {}bp; {} of the figure is {}bp",
                       points.text(2), (centre.value - points).text(2), (centre.value + points).text(2),
                       points.text(4), margin.written, (centre.value.abs() * points).text(4)));
    }
    if (!centre_percent && margin.unit == Unit::percent) half = centre.value.abs() * margin.value;
    RangeText range;
    range.low = value(centre.value - half, centre);
    range.high = value(centre.value + half, centre);
    range.percent = centre_percent;
    return range;
  }

  RangeText between(const Figure& low, const Figure& high) const {
    end_unit(low);
    end_unit(high);
    if ((low.unit == Unit::percent) != (high.unit == Unit::percent)) {
      const Figure& plain = low.unit == Unit::percent ? high : low;
      fail(plain.offset, plain.length,
           fmt::format("`{}` is not a percent, and the other end of `{}` is", plain.written, text_),
           "write both ends as percents, e.g. \"63.5% to 64.5%\"");
    }
    if (high.value < low.value) {
      fail(0, text_.size(), fmt::format("the range `{}` ends below where it starts", text_),
           fmt::format("write the low end first: \"{} to {}\"", high.written, low.written));
    }
    RangeText range;
    range.low = value(low.value, low);
    range.high = value(high.value, high);
    range.percent = low.unit == Unit::percent;
    return range;
  }

  void end_unit(const Figure& f) const {
    if (f.unit == Unit::basis_points || f.unit == Unit::points) {
      fail(f.offset, f.length, fmt::format("`{}` is a margin, not a figure", f.written),
           "write bp or pt after ± around a percent, e.g. \"72.5% ± 50bp\"");
    }
  }

  double value(const ExactDecimal& d, const Figure& f) const {
    const std::optional<double> v = d.to_double();
    if (!v) fail(f.offset, f.length, fmt::format("`{}` is too large for a double", text_), "check the exponents and units");
    return *v;
  }
};

// A double's shortest decimal, exactly: 0.22 -> 22e-2.
ExactDecimal shortest_decimal(double x) {
  const std::string text = fmt::format("{:e}", x);  // shortest round-trip digits, scientific
  const std::size_t e = text.find('e');
  std::string digits = text.substr(0, e);
  const bool negative = digits.starts_with('-');
  if (negative) digits.erase(0, 1);
  const std::size_t point = digits.find('.');
  int fraction = 0;
  if (point != std::string::npos) {
    fraction = static_cast<int>(digits.size() - point - 1);
    digits.erase(point, 1);
  }
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));  // cpp_int: a leading 0 is octal
  ExactDecimal d{cpp_int(digits), std::stoi(text.substr(e + 1)) - fraction};
  if (negative) d.mantissa = -d.mantissa;
  return d;
}

// floor(a / b) for b > 0, in whole numbers.
cpp_int floor_divide(const cpp_int& a, const cpp_int& b) {
  cpp_int q = a / b;  // truncates toward zero
  if (a % b != 0 && a < 0) --q;
  return q;
}

}  // namespace

std::optional<std::pair<double, double>> reported_interval(double low, double high, double step) {
  const ExactDecimal s = shortest_decimal(step);
  const ExactDecimal half{s.mantissa * 5, s.exponent - 1};
  constexpr double infinity = std::numeric_limits<double>::infinity();
  // The multiples k x step within [low, high]: k from ceil(low / step) to floor(high / step).
  const auto multiples = [&](double end, bool up) {
    const ExactDecimal d = shortest_decimal(end);
    const int e = std::min(d.exponent, s.exponent);
    const cpp_int a = aligned(d, e).mantissa, b = aligned(s, e).mantissa;
    return up ? cpp_int(-floor_divide(-a, b)) : floor_divide(a, b);
  };
  double from = -infinity, to = infinity;
  std::optional<cpp_int> first, last;
  if (std::isfinite(low)) first = multiples(low, true);
  if (std::isfinite(high)) last = multiples(high, false);
  if (first && last && *first > *last) return std::nullopt;
  // A value exactly at a half rounds away from zero: inward at a positive low end and a negative high end.
  if (first) {
    const ExactDecimal at = ExactDecimal{*first, 0} * s - half;
    from = *at.to_double();
    if (at.mantissa < 0) from = std::nextafter(from, infinity);
  }
  if (last) {
    const ExactDecimal at = ExactDecimal{*last, 0} * s + half;
    to = *at.to_double();
    if (at.mantissa > 0) to = std::nextafter(to, -infinity);
  }
  return std::pair{from, to};
}

FigureUnits read_figure_units(std::string_view units) {
  FigureUnits out{std::string(units), {}, {}};
  std::vector<std::string> words;
  for (std::size_t i = 0; i < units.size() && words.size() < 2;) {
    while (i < units.size() && units[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < units.size() && units[i] != ' ') ++i;
    if (i > start) words.emplace_back(units.substr(start, i - start));
  }
  static const std::vector<std::pair<std::string, std::string>> currencies = {
      {"USD", "$"}, {"$", "$"}, {"EUR", "\u20ac"}, {"\u20ac", "\u20ac"}, {"GBP", "\u00a3"}, {"\u00a3", "\u00a3"}};
  static const std::vector<std::pair<std::string, int>> scales = {
      {"thousand", 3}, {"thousands", 3}, {"million", 6}, {"millions", 6}, {"billion", 9}, {"billions", 9}};
  std::size_t next = 0;
  for (const auto& [code, sign] : currencies) {
    if (!words.empty() && words[0] == code) {
      out.sign = sign;
      out.scale_exponent = 0;  // "USD" alone: figures in dollars
      next = 1;
    }
  }
  if (next < words.size()) {
    for (const auto& [word, exponent] : scales)
      if (lower(words[next]) == word) out.scale_exponent = exponent;
  }
  return out;
}

RangeText read_range_text(const YamlNode& node, const FigureUnits& units, bool points) {
  return RangeReader(node, units).read(points);
}

RangeReading read_range_reading(const YamlNode& node) {
  const std::string& text = node.text;
  constexpr std::string_view hint =
      "write p5-p95, p10-p90, p25-p75 (any pA-pB), min-max, or a central confidence such as 80%";
  if (!node.is_scalar()) throw InputError(node.where, fmt::format("expected a reading of ranges, found {}", node.describe()), std::string(hint));
  RangeReading reading;
  reading.text = text;
  if (text == "min-max") {
    reading.ends = true;
    return reading;
  }
  const auto whole = [](std::string_view digits) -> std::optional<int> {
    int value = 0;
    if (digits.empty() || digits.size() > 2 || digits[0] == '0') return std::nullopt;
    for (char c : digits) {
      if (!is_digit(c)) return std::nullopt;
      value = value * 10 + (c - '0');
    }
    return value;
  };
  const std::size_t dash = text.find('-');
  if (text.starts_with('p') && dash != std::string::npos && text.substr(dash + 1).starts_with('p')) {
    const std::optional<int> low = whole(std::string_view(text).substr(1, dash - 1));
    const std::optional<int> high = whole(std::string_view(text).substr(dash + 2));
    if (low && high && *low < *high) {
      // As the percentile keys read them: p10 is 10 / 100.0.
      reading.low_probability = *low / 100.0;
      reading.high_probability = *high / 100.0;
      return reading;
    }
  }
  if (text.ends_with('%')) {
    // A central confidence C%: from (100 - C) / 2 to (100 + C) / 2 percent, each the double nearest it.
    const std::optional<int> confidence = whole(std::string_view(text).substr(0, text.size() - 1));
    if (confidence) {
      reading.low_probability = (100 - *confidence) / 200.0;
      reading.high_probability = (100 + *confidence) / 200.0;
      return reading;
    }
  }
  throw InputError(node.where, fmt::format("unknown reading of ranges `{}`", text), std::string(hint));
}

}  // namespace guidance::load_detail
