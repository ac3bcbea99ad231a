#include "formula/lexer.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <utility>

#include <fmt/format.h>

namespace guidance::formula {

InputError FormulaText::error(std::size_t offset, std::size_t length, std::string message,
                              std::string hint) const {
  return InputError(where.shifted(static_cast<int>(offset), static_cast<int>(length)), std::move(message),
                    std::move(hint));
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Longest first, so that `<=` is not read as `<` then `=`.
constexpr std::array<std::string_view, 17> symbols = {"<=", ">=", "==", "!=", "+", "-", "*", "/",  "^",
                                                      "<",  ">",  "(",  ")",  ",", "[", "]", ":"};

// What the user probably meant by a character the language does not have.
std::string hint_for(char c) {
  switch (c) {
    case '=': return "compare with `==`";
    case '!': return "write `not x`, or `a != b` to compare";
    case '&': return "write `and`";
    case '|': return "write `or`";
    case '%': return "`%` goes right after a number, as in `5%`";
    default:
      return static_cast<unsigned char>(c) >= 0x80 ? "formulas use the ASCII operators + - * / ^" : "";
  }
}

}  // namespace

Token Lexer::next() {
  const std::string_view text = formula_.text;
  while (position_ < text.size() && is_space(text[position_])) ++position_;
  const std::size_t start = position_;
  if (start == text.size()) return Token{Token::Kind::end, {}, start};

  const char c = text[start];
  if (is_digit(c) || (c == '.' && start + 1 < text.size() && is_digit(text[start + 1]))) return number(start);
  if (is_name_start(c)) {
    while (position_ < text.size() && is_name_char(text[position_])) ++position_;
    return Token{Token::Kind::name, text.substr(start, position_ - start), start};
  }
  for (const std::string_view symbol : symbols) {
    if (text.substr(start).starts_with(symbol)) {
      position_ += symbol.size();
      return Token{Token::Kind::symbol, symbol, start};
    }
  }
  // Show a whole UTF-8 character (e.g. a typographic minus pasted from a document), not one byte of it.
  std::size_t end = start + 1;
  while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  // Right after a name's letters, a non-ASCII character is most likely part of the name (`ré`).
  const bool in_name = start > 0 && static_cast<unsigned char>(c) >= 0x80 &&
                       (std::isalnum(static_cast<unsigned char>(text[start - 1])) != 0 || text[start - 1] == '_');
  throw formula_.error(start, end - start, fmt::format("unexpected character `{}`", text.substr(start, end - start)),
                       in_name ? "names are written with ASCII letters, digits and `_`" : hint_for(c));
}

Token Lexer::number(std::size_t start) {
  const std::string_view text = formula_.text;
  auto skip_digits = [&] {
    while (position_ < text.size() && is_digit(text[position_])) ++position_;
  };
  skip_digits();
  if (position_ < text.size() && text[position_] == '.') {
    ++position_;
    skip_digits();
  }
  const std::size_t mantissa_end = position_;
  long long exponent = 0;
  bool exponent_fits = true;
  if (position_ < text.size() && (text[position_] == 'e' || text[position_] == 'E')) {
    std::size_t digits = position_ + 1;
    if (digits < text.size() && (text[digits] == '+' || text[digits] == '-')) ++digits;
    if (digits < text.size() && is_digit(text[digits])) {
      const bool negative = text[digits - 1] == '-';
      position_ = digits;
      skip_digits();
      exponent_fits = std::from_chars(text.data() + digits, text.data() + position_, exponent).ec == std::errc();
      if (negative) exponent = -exponent;
    }
  }
  const bool percent = position_ < text.size() && text[position_] == '%';
  if (percent) ++position_;
  const std::string_view spelling = text.substr(start, position_ - start);

  // `1.1%` is read as the decimal 1.1e-2 rather than computed as 1.1 / 100, which would round twice.
  const std::string decimal = fmt::format("{}e{}", text.substr(start, mantissa_end - start),
                                          exponent - (percent ? 2 : 0));
  double value = 0.0;
  if (!exponent_fits ||
      std::from_chars(decimal.data(), decimal.data() + decimal.size(), value).ec != std::errc())
    throw formula_.error(start, spelling.size(), fmt::format("number `{}` is out of range", spelling),
                         "a double holds magnitudes from about 4.9e-324 to 1.8e308");
  return Token{Token::Kind::number, spelling, start, value};
}

}  // namespace guidance::formula
