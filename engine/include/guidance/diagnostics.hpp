// Errors in user input, pointing at the user's own text.
//
// Every value read from a scenario (and every override argument) carries a SourceLocation. When it is
// wrong, the engine throws InputError; the CLI prints InputError::render() and exits with status 2:
//
//   scenarios/x.yaml:7:31: error: sd must be > 0, found -0.4
//       gross_margin: {dist: normal, mean: "64%", sd: -0.4}
//                                                    ^~~~
//   hint: a normal distribution needs a positive standard deviation
#pragma once

#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace guidance {

/// The text of one input: a scenario file, or one argument (path: the label its client gives it).
struct SourceText {
  std::string path;
  std::string text;

  /// Line `line` (1-based) without its newline; empty when out of range.
  std::string_view line(int line) const;
};

/// Where a value sits in the user's input. line/column are 1-based; line 0 means "the whole input".
struct SourceLocation {
  std::shared_ptr<const SourceText> source;  // null for errors with no input text (e.g. a bad flag)
  int line = 0;
  int column = 0;
  int length = 1;  // characters under the caret

  std::string_view path() const;
  /// The same location moved `offset` characters to the right on its line (e.g. into a formula).
  SourceLocation shifted(int offset, int new_length) const;
};

/// A bad scenario, override or flag. Thrown by the loader, the formula compiler and the model builder.
class InputError : public std::runtime_error {
 public:
  InputError(SourceLocation where, std::string message, std::string hint = {});

  const SourceLocation& where() const { return where_; }
  const std::string& message() const { return message_; }
  const std::string& hint() const { return hint_; }

  /// "path:line:column: error: message", then the source line with carets under the span, then
  /// "hint: ..." when there is one. Without a location: "path: error: message" or "error: message".
  /// Every part is printable(): a file name or value cannot colour the terminal or forge a line.
  std::string render() const;

 private:
  SourceLocation where_;
  std::string message_;
  std::string hint_;
};

/// `text` on one line and safe to show on a terminal: a line end as \n or \r, any other control
/// character (C0 but tab, DEL, C1) as \xHH or \u00HH, the rest unchanged. For what a message quotes
/// from the user: file names, arguments, values. printable("a\x1b[31m\n") == "a\\x1b[31m\\n".
std::string printable(std::string_view text);

/// The candidate closest to `name` by edit distance (a swap of neighbours is one edit), or "" when
/// none is within one edit per three characters of `name` (at least one).
std::string closest_name(std::string_view name, std::span<const std::string> candidates);

/// "did you mean `x`?" for the closest candidate, or "" when none is close.
std::string did_you_mean(std::string_view name, std::span<const std::string> candidates);

}  // namespace guidance
