#include "load/values.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <regex>

#include <fmt/format.h>

#include "guidance/decimal.hpp"

namespace guidance::load_detail {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string lower(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

namespace {

// The pieces of a decimal number: [+-] digits [. digits] [(e|E) [+-] digits], at least one digit
// before the exponent.
struct Decimal {
  bool negative = false;
  std::string_view whole;     // digits before the point
  std::string_view fraction;  // digits after it
  std::string_view exponent;  // with its sign
};

std::optional<Decimal> split_decimal(std::string_view text) {
  Decimal d;
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t start = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    return text.substr(start, i - start);
  };
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) d.negative = text[i++] == '-';
  d.whole = digits();
  if (i < text.size() && text[i] == '.') {
    ++i;
    d.fraction = digits();
  }
  if (d.whole.empty() && d.fraction.empty()) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    const std::size_t start = ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (digits().empty()) return std::nullopt;
    d.exponent = text.substr(start, i - start);
  }
  if (i != text.size()) return std::nullopt;
  return d;
}

std::string without(std::string_view text, char removed) {
  std::string result(text);
  result.erase(std::remove(result.begin(), result.end(), removed), result.end());
  return result;
}

std::string without_leading_zeros(std::string_view whole) {
  const std::size_t first = whole.find_first_not_of('0');
  return first == std::string_view::npos ? "0" : std::string(whole.substr(first));
}

constexpr std::string_view out_of_range_hint = "the number is too large or too small for a double";
constexpr std::string_view number_examples = "numbers are written like 1115, -2.5, 1.2e3 or \"63.5%\"";

// Why `text` is not a number, as a hint the user can act on.
std::string not_a_number_hint(std::string_view text) {
  static const std::array<std::string_view, 8> booleans = {"yes", "no", "on", "off", "true", "false", "y", "n"};
  const std::string folded = lower(text);
  if (std::find(booleans.begin(), booleans.end(), folded) != booleans.end())
    return fmt::format("`{}` is not a number (YAML 1.1 reads it as a boolean)", text);
  static const std::regex thousands(R"([+-]?\d{1,3}(,\d{3})+(\.\d*)?%?)");
  static const std::regex decimal_comma(R"([+-]?\d*,\d+%?)");
  if (std::regex_match(text.begin(), text.end(), thousands))
    return fmt::format("write {}: thousands separators are not allowed", without(text, ','));
  if (std::regex_match(text.begin(), text.end(), decimal_comma)) {
    std::string point(text);
    std::replace(point.begin(), point.end(), ',', '.');
    return fmt::format("write {}: the decimal separator is a point", point);
  }
  // `q3_revenue * 1.02`: one quantity made to depend on another, which is what a metric is.
  static const std::regex formula(R"(.*(^|[^0-9A-Za-z_.])[A-Za-z_][A-Za-z0-9_]*.*)");
  if (text.find_first_of("+-*/^()") != std::string_view::npos && std::regex_match(text.begin(), text.end(), formula))
    return "a value here is a number; a formula belongs under `metrics:`, where it can use drivers and other "
           "metrics (e.g. q4_revenue: q3_revenue * growth, with growth a driver of its own)";
  if (text.find('_') != std::string_view::npos && std::any_of(text.begin(), text.end(), is_digit))
    return fmt::format("write {}: digit separators are not allowed", without(text, '_'));
  if (folded.starts_with("0x") || folded.starts_with("0o") || folded.starts_with("0b"))
    return "write numbers in decimal";
  if (text.starts_with("$") || text.starts_with("\u20ac") || text.starts_with("\u00a3"))
    return "write the number without a currency sign";
  return std::string(number_examples);
}

bool is_nan_or_infinity(std::string_view text) {
  std::string folded = lower(text);
  if (!folded.empty() && (folded[0] == '+' || folded[0] == '-')) folded.erase(0, 1);
  if (!folded.empty() && folded[0] == '.') folded.erase(0, 1);
  return folded == "nan" || folded == "inf" || folded == "infinity";
}

[[noreturn]] void expected(std::string_view what, const YamlNode& node, std::string hint = {}) {
  throw InputError(node.where, fmt::format("expected {}, found {}", what, node.describe()), std::move(hint));
}

Number convert_number(const YamlNode& node, bool null_allowed) {
  if (node.typed) return {node.typed->value, node.typed->percent};
  if (!node.is_scalar()) expected("a number", node);
  std::string_view text = node.text;
  const bool percent = text.ends_with('%');
  if (percent) text.remove_suffix(1);
  if (is_nan_or_infinity(text)) {
    expected("a finite number", node,
             null_allowed ? "NaN and infinities are not allowed; write null for an open end"
                          : "NaN and infinities are not allowed");
  }
  const std::optional<Decimal> d = split_decimal(text);
  if (!d) expected("a number", node, not_a_number_hint(node.text));
  if (d->whole.size() > 1 && d->whole[0] == '0') {
    const std::string plain = without_leading_zeros(d->whole);
    const bool octal = d->fraction.empty() && d->exponent.empty() && d->whole.size() <= 12 &&
                       d->whole.find_first_of("89") == std::string_view::npos;
    const std::string octal_value =
        octal ? fmt::format(" (YAML 1.1 reads {} as the octal number {})", d->whole, std::stoull(plain, nullptr, 8))
              : std::string();
    const std::string rest = node.text.substr(static_cast<std::size_t>(d->whole.data() - node.text.data()) +
                                              d->whole.size());
    expected("a number", node,
             fmt::format("a leading zero is ambiguous{}: write {}{}{}", octal_value, d->negative ? "-" : "", plain, rest));
  }
  // The one conversion the command line shares (guidance/decimal.hpp): the percent is folded into the
  // exponent, so that "64.1%" rounds exactly like "0.641".
  const std::optional<guidance::Decimal> number = read_decimal(node.text);
  if (!number) expected("a number in range", node, std::string(out_of_range_hint));
  return {number->value, percent};
}

}  // namespace

Number read_number(const YamlNode& node) { return convert_number(node, false); }

std::optional<Number> read_number_or_null(const YamlNode& node) {
  if (node.is_null()) return std::nullopt;
  return convert_number(node, true);
}

std::uint64_t read_whole_number(const YamlNode& node, std::uint64_t min, std::uint64_t max) {
  const std::string what = fmt::format("a whole number from {} to {}", min, max);
  if (!node.is_scalar()) expected(what, node);
  const std::string_view text = node.text;
  std::uint64_t value = 0;
  const bool digits_only = !text.empty() && std::all_of(text.begin(), text.end(), is_digit) &&
                           (text.size() == 1 || text[0] != '0');
  const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (digits_only && status == std::errc() && end == text.data() + text.size() && value >= min && value <= max)
    return value;
  // "1e6" or "1000000.0": say how to write it.
  std::string hint;
  if (const std::optional<guidance::Decimal> d = read_decimal(text); d && !d->percent) {
    const double number = d->value;
    // max as a double may round up to 2^64, which no std::uint64_t holds: refused before the cast.
    if (number >= static_cast<double>(min) && number <= static_cast<double>(max) && number < 0x1p64 &&
        number == std::floor(number) && !digits_only)
      hint = fmt::format("write {}", static_cast<std::uint64_t>(number));
  }
  expected(what, node, std::move(hint));
}

bool read_bool(const YamlNode& node) {
  if (node.is_scalar() && node.text == "true") return true;
  if (node.is_scalar() && node.text == "false") return false;
  expected("true or false", node,
           node.is_scalar() ? "YAML 1.1 spellings such as yes, on and True are refused: write true or false"
                            : std::string());
}

std::string read_text(const YamlNode& node) {
  if (!node.is_scalar()) expected("text", node);
  // The file itself holds no control characters (check_encoding); a quoted scalar can still write
  // them as escapes ("\x1b[31m"), which would reach the terminal in every table.
  const std::string& text = node.text;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const bool c1 = byte == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xA0;
    if ((byte < 0x20 && byte != '\t' && byte != '\n') || byte == 0x7F || c1) {
      const unsigned code = c1 ? static_cast<unsigned char>(text[i + 1]) : byte;
      throw InputError(node.where, fmt::format("control character U+{:04X} in text", code),
                       "write printable text only: tabs and line ends are the only control characters allowed");
    }
  }
  return text;
}

void require_map(const YamlNode& node, std::string_view what) {
  if (!node.is_map()) expected(fmt::format("a mapping for {}", what), node);
}

void require_list(const YamlNode& node, std::string_view what) {
  if (!node.is_list()) expected(fmt::format("a list for {}", what), node);
}

std::string quoted_list(std::span<const std::string> names, std::string_view conjunction) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? fmt::format(" {} ", conjunction) : ", ";
    out += fmt::format("`{}`", names[i]);
  }
  return out;
}

void unknown_name(std::string message, std::string_view name, const SourceLocation& where,
                  std::span<const std::string> candidates, std::string fallback_hint) {
  std::string hint = did_you_mean(name, candidates);
  throw InputError(where, std::move(message), hint.empty() ? std::move(fallback_hint) : hint);
}

void check_keys(const YamlNode& map, std::span<const std::string> allowed, std::string_view context) {
  for (const YamlNode& entry : map.children) {
    if (std::find(allowed.begin(), allowed.end(), entry.key) == allowed.end()) {
      unknown_name(fmt::format("unknown key `{}`{}{}", entry.key, context.empty() ? "" : " in ", context), entry.key,
                   entry.key_where, allowed, "expected one of " + quoted_list(allowed, "or"));
    }
  }
}

void check_name(const std::string& name, const SourceLocation& where) {
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  const bool identifier = !name.empty() && letter(name[0]) &&
                          std::all_of(name.begin(), name.end(), [&](char c) { return letter(c) || is_digit(c); });
  if (!identifier) {
    throw InputError(where, fmt::format("`{}` is not a valid name", name),
                     "a name starts with a letter or `_` and has only letters, digits and `_` (formulas use it)");
  }
  if (name == "and" || name == "or" || name == "not") {
    throw InputError(where, fmt::format("`{}` is reserved in formulas", name), "choose another name");
  }
}

}  // namespace guidance::load_detail
