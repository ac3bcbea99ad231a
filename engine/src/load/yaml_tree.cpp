#include "load/yaml_tree.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <istream>
#include <optional>
#include <streambuf>
#include <unordered_map>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

namespace guidance::load_detail {

// ---- the node ------------------------------------------------------------------------------------

const YamlNode* YamlNode::find(std::string_view entry_key) const {
  for (const YamlNode& child : children)
    if (child.key == entry_key) return &child;
  return nullptr;
}

YamlNode* YamlNode::find(std::string_view entry_key) {
  return const_cast<YamlNode*>(std::as_const(*this).find(entry_key));
}

std::vector<std::string> YamlNode::keys() const {
  std::vector<std::string> result;
  for (const YamlNode& child : children) result.push_back(child.key);
  return result;
}

SourceLocation YamlNode::text_where() const {
  return where.shifted(style == Style::quoted ? 1 : 0, static_cast<int>(text.size()));
}

std::string YamlNode::describe() const {
  switch (kind) {
    case Kind::null: return text.empty() ? "nothing" : "null";
    case Kind::list: return "a list";
    case Kind::map: return "a mapping";
    case Kind::scalar: break;
  }
  if (text.empty()) return "an empty string";
  // On one line, as a message's quote must be: a block scalar's line ends shown as \n.
  const std::string shown = printable(text);
  constexpr std::size_t longest = 40;
  return shown.size() <= longest ? fmt::format("`{}`", shown) : fmt::format("`{}...`", shown.substr(0, longest));
}

namespace {

// ---- locations -----------------------------------------------------------------------------------

struct LineColumn {
  int line;
  int column;
};

LineColumn line_column(std::string_view text, std::size_t offset) {
  const std::string_view before = text.substr(0, offset);
  const std::size_t line_start = before.rfind('\n');
  return {static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1,
          static_cast<int>(offset - (line_start == std::string_view::npos ? 0 : line_start + 1)) + 1};
}

std::size_t rest_of_line(std::string_view text, std::size_t pos) {
  std::size_t end = text.find('\n', pos);
  if (end == std::string_view::npos) end = text.size();
  while (end > pos && (text[end - 1] == ' ' || text[end - 1] == '\r' || text[end - 1] == '\t')) --end;
  return std::max<std::size_t>(1, end - pos);
}

// Offset of the quote that closes the quoted scalar opening at `pos` (possibly on a later line), or npos.
std::size_t closing_quote(std::string_view text, std::size_t pos) {
  const char quote = text[pos];
  for (std::size_t i = pos + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;
      } else {
        return i;
      }
    }
  }
  return std::string_view::npos;
}

// Length of the quoted scalar starting at `pos` up to its closing quote when that is on the same line,
// otherwise to the end of the line.
std::size_t quoted_span(std::string_view text, std::size_t pos) {
  const std::size_t end = closing_quote(text, pos);
  const bool same_line = end != std::string_view::npos && text.substr(pos, end - pos).find('\n') == std::string_view::npos;
  return same_line ? end - pos + 1 : rest_of_line(text, pos);
}

// Offset of the bracket that closes the flow collection opening at `pos` (possibly on a later line), or npos.
// Comments are not skipped: a bracket in a comment inside a flow collection is rare, and this only
// chooses between two messages for a collection used as a key.
std::size_t closing_bracket(std::string_view text, std::size_t pos) {
  int depth = 0;
  for (std::size_t i = pos; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"' || c == '\'') {
      i = closing_quote(text, i);
      if (i == std::string_view::npos) return i;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if ((c == ']' || c == '}') && --depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

// Length of the flow collection starting at `pos` up to its closing bracket when that is on the same
// line, otherwise 1.
std::size_t flow_span(std::string_view text, std::size_t pos) {
  const std::size_t end = closing_bracket(text, pos);
  const bool same_line = end != std::string_view::npos && text.substr(pos, end - pos).find('\n') == std::string_view::npos;
  return same_line ? end - pos + 1 : 1;
}

// A bracket or quote that is never closed.
InputError not_closed(const SourceLocation& where, char opening) {
  const std::string hint = opening == '[' ? "close it with `]`"
                           : opening == '{' ? "close it with `}`"
                                            : "a quoted value needs its closing quote";
  return InputError(where.shifted(0, 1), fmt::format("invalid YAML: this `{}` is not closed", opening), hint);
}

// ---- encoding ------------------------------------------------------------------------------------

// Length of the UTF-8 sequence at text[i] and its code point, or 0 when the bytes are not UTF-8
// (overlong forms, surrogates and values above U+10FFFF included).
std::size_t utf8_sequence(std::string_view text, std::size_t i, char32_t& code_point) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high) return 0;
  code_point = lead & (0xFF >> (length + 1));
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i + k) & 0x3F);
  }
  return length;
}

// UTF-8 text without control characters other than tab and line ends (LF or CRLF): yaml-cpp silently
// drops a lone CR or a NEL, which would shift every column we report.
void check_encoding(const std::shared_ptr<const SourceText>& source) {
  const std::string_view text = source->text;
  for (std::size_t i = 0; i < text.size();) {
    char32_t code_point = 0;
    const std::size_t length = utf8_sequence(text, i, code_point);
    const bool line_end = code_point == '\n' || (code_point == '\r' && text.substr(i + 1, 1) == "\n");
    const bool control = (code_point < 0x20 && code_point != '\t' && !line_end) || (code_point >= 0x7F && code_point <= 0x9F);
    if (length == 0 || control) {
      const LineColumn at = line_column(text, i);
      if (length == 0) {
        throw InputError(SourceLocation{source},
                         fmt::format("not valid UTF-8: byte 0x{:02X} at line {}, column {}",
                                     static_cast<unsigned char>(text[i]), at.line, at.column),
                         "save the file as UTF-8");
      }
      throw InputError(SourceLocation{source},
                       fmt::format("control character U+{:04X} at line {}, column {}", static_cast<unsigned>(code_point),
                                   at.line, at.column),
                       "only printable text, tabs and line ends (LF or CRLF) are allowed");
    }
    i += length;
  }
}

// ---- the guarded parser --------------------------------------------------------------------------

// Serves the text to yaml-cpp, but never more than max_lookahead bytes of content past the last event:
// enough for any sensible value, and a bound on the tokens its scanner can queue. Blank lines and
// lines holding only a comment make no tokens, so they do not count: a long commented-out section is
// not a value too long to read.
class LookaheadGuard : public std::streambuf {
 public:
  explicit LookaheadGuard(std::string_view text) : text_(text), content_before_(text.size() + 1) {
    std::uint32_t content = 0;
    for (std::size_t line = 0; line < text.size();) {
      const std::size_t end = std::min(text.find('\n', line), text.size() - 1) + 1;  // past the line's \n
      const std::size_t stop = text[end - 1] == '\n' ? end - 1 : end;
      const std::size_t first = text.find_first_not_of(" \t\r", line);
      const bool counts = first < stop && text[first] != '#';
      for (std::size_t i = line; i < end; ++i) content_before_[i] = content, content += counts ? 1 : 0;
      line = end;
    }
    content_before_[text.size()] = content;
  }

  void reached(std::size_t offset) { last_event_ = std::max(last_event_, offset); }
  bool exhausted() const { return exhausted_; }
  std::size_t last_event() const { return last_event_; }

 protected:
  int_type underflow() override {
    // Serve up to the last offset with at most max_lookahead bytes of content since the last event.
    const std::size_t allowed = content_before_[std::min(last_event_, text_.size())] + max_lookahead;
    const std::size_t limit = static_cast<std::size_t>(
        std::upper_bound(content_before_.begin(), content_before_.end(), allowed) - content_before_.begin() - 1);
    if (next_ >= limit || exhausted_) {
      // Sticky: once yaml-cpp has seen an end of input, it must not see more text after it.
      exhausted_ = exhausted_ || next_ < text_.size();
      return traits_type::eof();
    }
    const std::size_t count = std::min(buffer_.size(), limit - next_);
    std::memcpy(buffer_.data(), text_.data() + next_, count);
    next_ += count;
    setg(buffer_.data(), buffer_.data(), buffer_.data() + count);
    return traits_type::to_int_type(buffer_[0]);
  }

 private:
  std::string_view text_;
  std::vector<std::uint32_t> content_before_;  // per offset: bytes of content before it (files are at most 4 MiB)
  std::size_t next_ = 0;
  std::size_t last_event_ = 0;
  bool exhausted_ = false;
  std::array<char, 4096> buffer_{};
};

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(std::shared_ptr<const SourceText> source, std::string_view text, LookaheadGuard& guard)
      : source_(std::move(source)), text_(text), guard_(guard) {}

  YamlNode take_root() { return std::move(root_); }

  /// The innermost collection still open, when it is written in brackets: the one yaml-cpp's "end of
  /// flow not found" is about.
  std::optional<InputError> unclosed_bracket() const {
    if (stack_.empty()) return std::nullopt;
    const SourceLocation& where = stack_.back().node.where;
    const std::string_view line = source_->line(where.line);
    const std::size_t column = static_cast<std::size_t>(where.column) - 1;
    if (column >= line.size() || (line[column] != '[' && line[column] != '{')) return std::nullopt;
    return not_closed(where, line[column]);
  }

  void OnDocumentStart(const YAML::Mark& mark) override { count(mark); }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    count(mark);
    refuse_anchor(mark, anchor);
    YamlNode node;
    node.where = at(mark, 1);
    for (std::string_view literal : {"~", "null", "Null", "NULL"}) {
      if (text_.substr(mark.pos, literal.size()) == literal) {
        node.text = literal;
        node.where.length = static_cast<int>(literal.size());
      }
    }
    // An empty value: yaml-cpp marks whatever follows it, often the next line; point at its key.
    if (node.text.empty() && !stack_.empty() && stack_.back().key) node.where = stack_.back().key->where;
    add(std::move(node));
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    throw InputError(at(mark, token_length(mark)), "YAML aliases are not supported", std::string(anchor_hint));
  }

  void OnAnchor(const YAML::Mark& mark, const std::string&) override { refuse_anchor(mark); }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    count(mark);
    refuse_anchor(mark, anchor);
    YamlNode node;
    node.kind = YamlNode::Kind::scalar;
    node.text = value;
    const char first = char_at(mark);
    std::size_t length = 1;
    if (tag == "?") {
      node.verbatim = text_.substr(mark.pos, value.size()) == value;
      length = node.verbatim ? value.size() : rest_of_line(text_, mark.pos);
    } else if (tag == "!" && (first == '"' || first == '\'')) {
      // yaml-cpp accepts a quote left open at the end of a file that ends with a line break.
      if (closing_quote(text_, mark.pos) == std::string_view::npos) throw not_closed(at(mark, 1), first);
      node.style = YamlNode::Style::quoted;
      node.verbatim = text_.substr(mark.pos + 1, value.size()) == value &&
                      text_.substr(mark.pos + 1 + value.size(), 1) == std::string_view(&first, 1);
      length = quoted_span(text_, mark.pos);
    } else if (tag == "!" && (first == '|' || first == '>')) {
      node.style = YamlNode::Style::block;
    } else {
      refuse_tag(mark);
    }
    node.where = at(mark, length);
    add(std::move(node));
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(YamlNode::Kind::list, mark, tag, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(YamlNode::Kind::map, mark, tag, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  static constexpr std::string_view anchor_hint =
      "write each value out in full: anchors and aliases are refused so that a small file cannot "
      "expand into a huge one";

  struct Frame {
    YamlNode node;
    std::optional<YamlNode> key;  // a map's key waiting for its value
    std::unordered_map<std::string, int> key_lines;  // a map's keys so far, and their lines: a lookup per key
  };

  SourceLocation at(const YAML::Mark& mark, std::size_t length) const {
    return SourceLocation{source_, mark.line + 1, mark.column + 1, static_cast<int>(length)};
  }

  char char_at(const YAML::Mark& mark) const {
    return mark.pos >= 0 && static_cast<std::size_t>(mark.pos) < text_.size() ? text_[mark.pos] : '\0';
  }

  // Length of the token at the mark: up to white space or a flow indicator.
  std::size_t token_length(const YAML::Mark& mark) const {
    const std::size_t end = text_.find_first_of(" \t\r\n,[]{}", mark.pos);
    return std::max<std::size_t>(1, (end == std::string_view::npos ? text_.size() : end) - mark.pos);
  }

  void count(const YAML::Mark& mark) {
    guard_.reached(static_cast<std::size_t>(mark.pos));
    if (++values_ > max_values) {
      throw InputError(at(mark, 1), fmt::format("more than {} YAML values", max_values),
                       "a scenario holds at most a few thousand values");
    }
  }

  void refuse_anchor(const YAML::Mark& mark, YAML::anchor_t anchor) const {
    if (anchor != YAML::NullAnchor) refuse_anchor(mark);
  }
  [[noreturn]] void refuse_anchor(const YAML::Mark& mark) const {
    throw InputError(at(mark, token_length(mark)), "YAML anchors are not supported", std::string(anchor_hint));
  }

  [[noreturn]] void refuse_tag(const YAML::Mark& mark) const {
    throw InputError(at(mark, token_length(mark)), "YAML tags are not supported",
                     "write the value without a tag (quote it to make it text)");
  }

  void open(YamlNode::Kind kind, const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor) {
    count(mark);
    refuse_anchor(mark, anchor);
    if (tag != "?") refuse_tag(mark);
    if (!stack_.empty() && stack_.back().node.is_map() && !stack_.back().key) {
      // yaml-cpp takes a bracket that is never closed for the start of a key.
      const char bracket = char_at(mark);
      if ((bracket == '[' || bracket == '{') && closing_bracket(text_, mark.pos) == std::string_view::npos)
        throw not_closed(at(mark, 1), bracket);
      throw InputError(at(mark, 1),
                       fmt::format("a key must be a name, found {}", kind == YamlNode::Kind::map ? "a mapping" : "a list"),
                       "keys are names such as `revenue`");
    }
    if (static_cast<int>(stack_.size()) >= max_depth) {
      throw InputError(at(mark, 1), fmt::format("nested deeper than {} levels", max_depth),
                       "a scenario needs only a few levels; check for unclosed brackets");
    }
    const bool flow = char_at(mark) == '[' || char_at(mark) == '{';
    YamlNode node;
    node.kind = kind;
    node.where = at(mark, flow ? flow_span(text_, mark.pos) : 1);
    stack_.push_back({std::move(node), std::nullopt, {}});
  }

  void close() {
    YamlNode node = std::move(stack_.back().node);
    stack_.pop_back();
    add(std::move(node));
  }

  void add(YamlNode node) {
    if (stack_.empty()) {
      root_ = std::move(node);
      return;
    }
    Frame& top = stack_.back();
    if (top.node.is_list()) {
      top.node.children.push_back(std::move(node));
    } else if (top.key) {
      node.key = std::move(top.key->text);
      node.key_where = top.key->where;
      top.key.reset();
      top.node.children.push_back(std::move(node));
    } else {
      if (!node.is_scalar()) throw InputError(node.where, "missing key before `:`");
      if (node.text == "<<" && node.style == YamlNode::Style::plain)
        throw InputError(node.where, "YAML merge keys (`<<`) are not supported", "write the values out in full");
      const auto [first, added] = top.key_lines.try_emplace(node.text, node.where.line);
      if (!added) {
        throw InputError(node.where, fmt::format("duplicate key `{}`", node.text),
                         fmt::format("`{}` is already defined on line {}; YAML would keep only one of them",
                                     node.text, first->second));
      }
      top.key = std::move(node);
    }
  }

  std::shared_ptr<const SourceText> source_;
  std::string_view text_;
  LookaheadGuard& guard_;
  std::vector<Frame> stack_;
  YamlNode root_;
  std::size_t values_ = 0;
};

// Asked for the document after the first one; there must be none.
class NoSecondDocument : public YAML::EventHandler {
 public:
  NoSecondDocument(std::shared_ptr<const SourceText> source, std::string_view text)
      : source_(std::move(source)), text_(text) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    const SourceLocation where{source_, mark.line + 1, mark.column + 1, 1};
    // The parser never consumes a `,` outside brackets: it reports it as the start of a document.
    if (text_.substr(mark.pos, 1) == ",") {
      throw InputError(where, "invalid YAML: unexpected `,`", "`,` separates items only inside [ ] or { }");
    }
    throw InputError(where, "a second YAML document",
                     "a scenario file holds one document: remove the `---` line and what follows it");
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

 private:
  std::shared_ptr<const SourceText> source_;
  std::string_view text_;
};

// yaml-cpp's messages are terse; a hint says what usually causes each.
std::string parser_hint(const std::string& message, std::string_view line) {
  const std::size_t indent_end = line.find_first_not_of(" \t");
  if (line.substr(0, indent_end).find('\t') != std::string_view::npos) return "indent with spaces: YAML does not allow tabs";
  if (message == YAML::ErrorMsg::END_OF_MAP_FLOW || message == YAML::ErrorMsg::END_OF_SEQ_FLOW)
    return "a `{` or `[` is not closed";
  if (message == YAML::ErrorMsg::FLOW_END) return "a `]` or `}` has no opening bracket";
  if (message == YAML::ErrorMsg::EOF_IN_SCALAR) return "a quote is not closed";
  if (message == YAML::ErrorMsg::END_OF_MAP || message == YAML::ErrorMsg::END_OF_SEQ)
    return "check the indentation of this line and the one before";
  if (message == YAML::ErrorMsg::MAP_VALUE) {
    // YAML reads an unquoted key of more than 1,024 characters as a value, so its `:` is out of place.
    const std::size_t key_end = line.find(':', indent_end);
    if (key_end != std::string_view::npos && key_end - indent_end > max_key_length)
      return fmt::format("a key is at most {} characters long in YAML: use a shorter name", max_key_length);
    return "a value containing `: ` must be quoted";
  }
  return {};
}

}  // namespace

YamlNode parse_yaml(const std::shared_ptr<const SourceText>& source, std::size_t start) {
  check_encoding(source);
  std::string text = source->text;
  std::fill_n(text.begin(), std::min(start, text.size()), ' ');

  LookaheadGuard guard(text);
  std::istream input(&guard);
  const auto too_far = [&] {
    const LineColumn at = line_column(text, guard.last_event());
    return InputError(SourceLocation{source, at.line, at.column, 1},
                      fmt::format("cannot read this YAML: more than {} bytes without a complete value", max_lookahead),
                      "check for an unclosed quote or bracket");
  };
  TreeBuilder builder(source, text, guard);
  try {
    YAML::Parser parser(input);
    if (!parser.HandleNextDocument(builder)) return {};
    // Exactly one more request, never a loop (see the header).
    NoSecondDocument no_second(source, text);
    parser.HandleNextDocument(no_second);
    if (guard.exhausted()) throw too_far();
    return builder.take_root();
  } catch (const InputError&) {
    // After the guard has cut the input short, what the parser made of it is not the user's file.
    if (guard.exhausted()) throw too_far();
    throw;
  } catch (const YAML::Exception& error) {
    if (guard.exhausted()) throw too_far();
    // yaml-cpp marks the end of the input when a bracket is not closed; point at the bracket.
    if (error.msg == YAML::ErrorMsg::END_OF_SEQ_FLOW || error.msg == YAML::ErrorMsg::END_OF_MAP_FLOW) {
      if (const std::optional<InputError> unclosed = builder.unclosed_bracket()) throw *unclosed;
    }
    SourceLocation where{source};
    if (!error.mark.is_null()) where = SourceLocation{source, error.mark.line + 1, error.mark.column + 1, 1};
    throw InputError(where, "invalid YAML: " + error.msg, parser_hint(error.msg, source->line(where.line)));
  }
}

}  // namespace guidance::load_detail
