// Formula text -> a bound expression tree (names resolved to registers, functions to Ops).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "guidance/formula.hpp"

namespace guidance::formula {

/// The names a formula may use: input i is register i, definition j is register inputs + j. The keys
/// view the names in `inputs` and `definitions`, which must outlive the Scope.
struct Scope {
  std::vector<std::string> names;  // by register
  std::unordered_map<std::string_view, std::int32_t> registers;

  /// Throws InputError (at the definition's name) for a definition named like an input or like an
  /// earlier definition.
  Scope(std::span<const Input> inputs, std::span<const Definition> definitions);
};

struct Node {
  enum class Kind : std::uint8_t { constant, variable, operation };
  Kind kind = Kind::constant;
  Op op = Op::copy;                        // operation
  double value = 0.0;                      // constant
  std::int32_t reg = -1;                   // variable
  std::array<std::int32_t, 3> operands{};  // operation: indices of earlier nodes, arity(op) of them
};

/// Nodes in post-order: every operand comes before the node that reads it, and the root is last, so
/// later passes walk the tree with a loop instead of recursion (no stack limit on long formulas).
using Tree = std::vector<Node>;

/// Deepest nesting of parentheses, calls, unary operators and `^` accepted: the parser recurses once
/// per level, and a formula deeper than this is surely a mistake.
inline constexpr int max_nesting = 256;

/// Parse and bind one definition. Throws InputError for syntax errors, unknown names and functions,
/// wrong numbers of arguments, an empty formula and nesting deeper than max_nesting.
Tree parse(const Definition& definition, const Scope& scope);

}  // namespace guidance::formula
