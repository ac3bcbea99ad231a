// Formula text -> tokens, read one at a time so that errors come out in reading order.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "guidance/diagnostics.hpp"

namespace guidance::formula {

/// A formula's text and where it starts in the user's input.
struct FormulaText {
  std::string_view text;
  const SourceLocation& where;

  /// An InputError at characters [offset, offset + length) of the text.
  InputError error(std::size_t offset, std::size_t length, std::string message,
                   std::string hint = {}) const;
};

struct Token {
  enum class Kind { number, name, symbol, end };
  Kind kind = Kind::end;
  std::string_view text;  // a view into the formula; empty at the end
  std::size_t offset = 0;
  double value = 0.0;     // for numbers, with a trailing `%` already applied

  /// True for the symbol or keyword `spelling` (`and`, `or` and `not` are names to the lexer).
  bool is(std::string_view spelling) const { return kind != Kind::number && text == spelling; }
};

/// Names are [A-Za-z_][A-Za-z0-9_]*; numbers are digits with an optional fraction and exponent
/// (`1.5`, `.5`, `1e-3`) and an optional `%` written right after them. Throws InputError for a
/// character that starts no token and for a number out of the range of a double.
class Lexer {
 public:
  explicit Lexer(const FormulaText& formula) : formula_(formula) {}
  Token next();

 private:
  Token number(std::size_t start);

  const FormulaText& formula_;
  std::size_t position_ = 0;
};

}  // namespace guidance::formula
