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

std::string InputError::render() const {
  std::string out;
  const std::string_view path = where_.path();
  if (!path.empty() && where_.line > 0) {
    out = fmt::format("{}:{}:{}: error: {}\n", path, where_.line, where_.column, message_);
    const std::string_view text = where_.source->line(where_.line);
    if (!text.empty()) {
      // Tabs are kept so that the caret lines up under the same characters in a terminal.
      std::string pad;
      for (int i = 0; i + 1 < where_.column && i < static_cast<int>(text.size()); ++i)
        pad += text[i] == '\t' ? '\t' : ' ';
      const int room = std::max(1, static_cast<int>(text.size()) - where_.column + 1);
      out += fmt::format("    {}\n    {}^{}\n", text, pad,
                         std::string(std::min(where_.length, room) - 1, '~'));
    }
  } else if (!path.empty()) {
    out = fmt::format("{}: error: {}\n", path, message_);
  } else {
    out = fmt::format("error: {}\n", message_);
  }
  if (!hint_.empty()) out += fmt::format("hint: {}\n", hint_);
  return out;
}

namespace {
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string closest_name(std::string_view name, std::span<const std::string> candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
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
