#include "guidance/diagnostics.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace guidance {

std::string_view SourceText::line(int line_number) const {
  if (line_number < 1) return {};
  std::size_t start = 0;
  for (int current = 1; current < line_number; ++current) {
    start = text.find('\n', start);
    if (start == std::string::npos) return {};
    ++start;
  }
  std::size_t end = text.find('\n', start);
  std::string_view result(text.data() + start, (end == std::string::npos ? text.size() : end) - start);
  if (!result.empty() && result.back() == '\r') result.remove_suffix(1);
  return result;
}

std::string_view SourceLocation::path() const { return source ? std::string_view(source->path) : ""; }

SourceLocation SourceLocation::shifted(int offset, int new_length) const {
  SourceLocation moved = *this;
  moved.column += offset;
  moved.length = std::max(1, new_length);
  return moved;
}

InputError::InputError(SourceLocation where, std::string message, std::string hint)
    : std::runtime_error(message), where_(std::move(where)), message_(std::move(message)),
      hint_(std::move(hint)) {}

namespace {

/// The bidirectional controls (U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), whose UTF-8 is
/// E2 80 or E2 81 and a last byte: they reorder the rest of a terminal's line, so that a quoted value
/// could show a different line from the one the file holds. Their code point, or 0.
unsigned bidi_control(std::string_view text, std::size_t at) {
  if (at + 2 >= text.size() || static_cast<unsigned char>(text[at]) != 0xE2) return 0;
  const auto second = static_cast<unsigned char>(text[at + 1]), third = static_cast<unsigned char>(text[at + 2]);
  const unsigned code = 0x2000u + ((second & 0x3Fu) << 6) + (third & 0x3Fu);
  if (second == 0x80 && (code == 0x200E || code == 0x200F || (code >= 0x202A && code <= 0x202E))) return code;
  if (second == 0x81 && code >= 0x2066 && code <= 0x2069) return code;
  return 0;
}

}  // namespace

std::string printable(std::string_view text) {
  std::string shown;
  shown.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const bool c1 = byte == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xA0 &&
                    static_cast<unsigned char>(text[i + 1]) >= 0x80;
    if (byte == '\n') shown += "\\n";
    else if (byte == '\r') shown += "\\r";
    else if ((byte < 0x20 && byte != '\t') || byte == 0x7F) shown += fmt::format("\\x{:02x}", byte);
    else if (c1) shown += fmt::format("\\u{:04x}", static_cast<unsigned char>(text[++i]));
    else if (const unsigned bidi = bidi_control(text, i); bidi != 0) {
      shown += fmt::format("\\u{:04x}", bidi);
      i += 2;
    } else shown += text[i];
  }
  return shown;
}

namespace {

bool continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

/// Characters (UTF-8 code points) in `text`: the terminal columns the caret line must match.
std::size_t characters(std::string_view text) {
  return static_cast<std::size_t>(std::ranges::count_if(text, [](char c) { return !continuation_byte(c); }));
}

/// The start of the character holding byte `at` (at most text.size()).
std::size_t character_start(std::string_view text, std::size_t at) {
  while (at > 0 && at < text.size() && continuation_byte(text[at])) --at;
  return at;
}

/// Lines longer than this are shown as a window around the caret, cut at both ends with "...".
constexpr std::size_t widest_line = 100;
constexpr std::size_t context_before = 30;

/// The source line with a caret line under [first, first + length) (bytes), both indented by 4.
/// The line is shown printable(); the carets stay under the characters they mark.
std::string caret_lines(std::string_view text, std::size_t first, std::size_t length) {
  first = std::min(first, text.size());
  std::size_t end = std::min(text.size(), first + length);
  std::string before, after;
  if (text.size() > widest_line) {
    const std::size_t from = first > context_before ? character_start(text, first - context_before) : 0;
    const std::size_t to = character_start(text, std::min(text.size(), from + widest_line));
    if (from > 0) before = "...";
    if (to < text.size()) after = "...";
    text = text.substr(from, to - from);
    first = std::min(first - from, text.size());
    end = std::min(end - from, text.size());
  }
  const std::string head = printable(text.substr(0, first)), span = printable(text.substr(first, end - first));
  // Tabs are kept so that the caret lines up under the same characters in a terminal.
  std::string pad(before.size(), ' ');
  for (const char c : head)
    if (!continuation_byte(c)) pad += c == '\t' ? '\t' : ' ';
  const std::size_t marked = std::max<std::size_t>(1, characters(span));
  return fmt::format("    {}{}{}{}{}\n    {}^{}\n", before, head, span, printable(text.substr(end)), after, pad,
                     std::string(marked - 1, '~'));
}

}  // namespace

std::string InputError::render() const {
  std::string out;
  const std::string path = printable(where_.path()), message = printable(message_);
  if (!path.empty() && where_.line > 0) {
    out = fmt::format("{}:{}:{}: error: {}\n", path, where_.line, where_.column, message);
    const std::string_view text = where_.source->line(where_.line);
    if (!text.empty())
      out += caret_lines(text, static_cast<std::size_t>(std::max(1, where_.column) - 1),
                         static_cast<std::size_t>(std::max(1, where_.length)));
  } else if (!path.empty()) {
    out = fmt::format("{}: error: {}\n", path, message);
  } else {
    out = fmt::format("error: {}\n", message);
  }
  if (!hint_.empty()) out += fmt::format("hint: {}\n", printable(hint_));
  return out;
}

namespace {
// Edits between two names: insertions, deletions, substitutions and swaps of neighbours, each one
// (the optimal string alignment distance), so that `lsh` is one edit from `lhs`.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    before.swap(previous);
    previous.swap(row);
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      row[j] = std::min({previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) row[j] = std::min(row[j], before[j - 2] + 1);
    }
  }
  return row[b.size()];
}
}  // namespace

std::string closest_name(std::string_view name, std::span<const std::string> candidates) {
  // One edit in three at most: `sum` is two edits from `sin` and `min`, which share one letter with it.
  const std::size_t allowed = std::max<std::size_t>(1, name.size() / 3);
  std::string best;
  std::size_t best_distance = allowed + 1;
  for (const std::string& candidate : candidates) {
    const std::size_t distance = edit_distance(name, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view name, std::span<const std::string> candidates) {
  const std::string best = closest_name(name, candidates);
  return best.empty() ? std::string() : fmt::format("did you mean `{}`?", best);
}

}  // namespace guidance
