// Strict conversion of YAML nodes to values, with every error in one voice:
// "expected <what>, found <what was written>", located at the value, with a hint where one helps.
//
//   read_number(node)   "1115", "-2.5", "1.2e3" -> the number; "63.5%" -> 0.635 (percent = true)
//                       refused: "1,115", "yes", "010", ".nan", ".inf", "0x10", "1_000", "$5"
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "load/yaml_tree.hpp"

namespace guidance::load_detail {

/// An ASCII digit, 0 to 9.
bool is_digit(char c);
/// `text` with ASCII letters in lower case: "USD Millions" -> "usd millions".
std::string lower(std::string_view text);

struct Number {
  double value = 0.0;
  bool percent = false;  // written as a percent
};

/// A finite decimal number or percent (plain or quoted), converted with correct rounding.
Number read_number(const YamlNode& node);
/// The same, or nothing for null (an open end of a range).
std::optional<Number> read_number_or_null(const YamlNode& node);
/// A whole number in [min, max], written as digits.
std::uint64_t read_whole_number(const YamlNode& node, std::uint64_t min, std::uint64_t max);
/// `true` or `false`.
bool read_bool(const YamlNode& node);
/// Any scalar, as written.
std::string read_text(const YamlNode& node);

/// The node is a mapping / a list; `what` names it in the message ("`drivers`").
void require_map(const YamlNode& node, std::string_view what);
void require_list(const YamlNode& node, std::string_view what);

/// Every key of the map is one of `allowed`; otherwise "unknown key `x`<context>" with the nearest
/// valid key as a hint (or the list of valid keys).
void check_keys(const YamlNode& map, std::span<const std::string> allowed, std::string_view context = {});

/// A driver or metric name: an identifier [A-Za-z_][A-Za-z0-9_]* other than `and`, `or`, `not`.
void check_name(const std::string& name, const SourceLocation& where);

/// Throws `message` ("unknown driver `revnue`") with "did you mean" over `candidates` as the hint, or
/// `fallback_hint` when none is close.
[[noreturn]] void unknown_name(std::string message, std::string_view name, const SourceLocation& where,
                               std::span<const std::string> candidates, std::string fallback_hint = {});

/// "a, b and c" with each name in backquotes.
std::string quoted_list(std::span<const std::string> names, std::string_view conjunction = "and");

}  // namespace guidance::load_detail
