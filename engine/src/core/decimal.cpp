#include "guidance/decimal.hpp"

#include <charconv>
#include <cmath>
#include <string>

#include <fmt/format.h>

namespace guidance {

namespace {

std::size_t count_digits(std::string_view text, std::size_t& i) {
  const std::size_t start = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  return i - start;
}

}  // namespace

std::optional<Decimal> read_decimal(std::string_view text) {
  Decimal number;
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
  // Zero is zero at any exponent: `0e999999999` is as good a zero as `0e400`.
  const bool zero = text.substr(0, mantissa_end).find_first_of("123456789") == std::string_view::npos;
  long exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    const std::size_t start = ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    const std::size_t digits = count_digits(text, i);
    if (digits == 0 || (digits > 6 && !zero)) return std::nullopt;
    if (!zero) exponent = std::stol(std::string(text.substr(start, i - start)));
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

}  // namespace guidance
