// A YAML document as a small tree of located nodes, read through a guarded yaml-cpp event parser.
//
// yaml-cpp 0.7 (Debian 12) is unsafe on untrusted input as it stands; parse_yaml() guards it:
//  - bytes are valid UTF-8 without control characters (the parser silently drops a lone CR or NEL);
//  - its scanner may read at most max_lookahead bytes past the last event it reported: `[[[[...` or an
//    unclosed quote otherwise queues a token per byte of the whole file before the first event;
//  - at most max_depth levels of nesting and max_values values (its own limit says only "bad file");
//  - anchors, aliases and tags are refused (alias bombs, self-referencing aliases);
//  - duplicate keys are refused (yaml-cpp keeps one of them silently);
//  - one document: the parser is asked for a second one exactly once. A `,` outside brackets is a
//    token its parser never consumes, so each request "parses" another empty document at the same
//    place: a loop over documents (YAML::LoadAll) runs forever, eating memory (yaml-cpp issue 1040);
//  - its 0-based marks become 1-based lines and columns (bytes, as InputError::render() counts).
// Scalars stay text, exactly as written; values.hpp converts them strictly.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "guidance/diagnostics.hpp"

namespace guidance::load_detail {

inline constexpr int max_depth = 32;
inline constexpr std::size_t max_values = 100'000;
inline constexpr std::size_t max_lookahead = 256 * 1024;
inline constexpr std::size_t max_key_length = 1024;  // YAML's own limit on a key written without `?`

struct YamlNode {
  enum class Kind { null, scalar, list, map };
  enum class Style { plain, quoted, block };

  Kind kind = Kind::null;
  Style style = Style::plain;  // scalars only
  std::string text;            // a scalar's value; a null as written ("", "~", "null")
  SourceLocation where;        // as written: with its quotes, or its brackets when on one line
  bool verbatim = false;       // a scalar whose value is exactly its text on one line (no escapes, no folding)
  std::string key;             // an entry of a map: its key
  SourceLocation key_where;
  bool changed = false;        // set by a variant, an override or a typed change: errors it takes part in point at it
  /// A number given as a value rather than written (a sweep point, a solve iterate: with_parameters in
  /// model.hpp): read as is, and `text` only shows it.
  struct Typed {
    double value = 0.0;
    bool percent = false;  // shown as a percent
  };
  std::optional<Typed> typed;
  std::vector<YamlNode> children;  // list items, or map entries, in order

  bool is_map() const { return kind == Kind::map; }
  bool is_list() const { return kind == Kind::list; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_null() const { return kind == Kind::null; }

  /// The entry of a map with this key, or null.
  const YamlNode* find(std::string_view entry_key) const;
  YamlNode* find(std::string_view entry_key);
  /// The keys of a map, in order.
  std::vector<std::string> keys() const;
  /// Where a scalar's value starts (after an opening quote), spanning the value.
  SourceLocation text_where() const;
  /// For messages: "`1,115`", "nothing", "null", "a list", "a mapping".
  std::string describe() const;
};

/// Parse the one YAML document in `source`, starting at byte `start` (for an override NAME=VALUE: the VALUE,
/// with locations still pointing into the whole argument). An empty document is a null node.
/// Throws InputError.
YamlNode parse_yaml(const std::shared_ptr<const SourceText>& source, std::size_t start = 0);

}  // namespace guidance::load_detail
