// Formula text -> a bound expression tree (names resolved to registers, functions to Ops).
#pragma once

#include <array>
#include <optional>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "formula/instructions.hpp"
#include "guidance/dimension.hpp"
#include "guidance/formula.hpp"

namespace guidance::formula {

/// The names a formula may use: input i is register i, written definition j is register inputs + j,
/// array a (a dimensioned driver) is arrays[a], dimension d is dimensions[d]. The keys view the names
/// in the spans given, which must outlive the Scope.
struct Scope {
  std::vector<std::string> names;  // by register
  std::unordered_map<std::string_view, std::int32_t> registers;
  std::unordered_map<std::string_view, std::int32_t> arrays;
  std::unordered_map<std::string_view, std::int32_t> dimensions;
  std::vector<std::string> writable;  // every name a formula can write, for "did you mean"

  /// Throws InputError (at the definition's name) for a definition named like an input, an array or
  /// an earlier definition; std::invalid_argument for what the loader has already refused (duplicate
  /// inputs, an array without its inputs, an empty dimension).
  Scope(std::span<const Input> inputs, std::span<const Definition> definitions,
        std::span<const Dimension> dimension_list = {}, std::span<const ArrayRange> array_list = {});
};

/// The functions over dimensions: they reduce, pick or shift along an axis instead of applying an Op
/// element by element.
enum class Along : std::uint8_t { sum, mean, min, max, first, last, lag, cumsum };

/// A label written in a formula (an element, or a dimension's name) and where.
struct Label {
  std::string_view text;
  std::size_t offset = 0;
};

/// One position of a subscript: an element `Q3`, or a slice `Q2:Q4` when `last` is set.
struct Index {
  Label first;
  std::optional<Label> last{};
};

struct Node {
  enum class Kind : std::uint8_t { constant, variable, operation, array, subscript, along };
  Kind kind = Kind::constant;
  Op op = Op::copy;                        // operation
  Along along = Along::sum;                // along
  double value = 0.0;                      // constant; the steps of a lag
  std::int32_t reg = -1;                   // variable; array: its index; along: the dimension, or -1
  std::int32_t element = 0;                // variable of a dimensioned definition: which element
  std::array<std::int32_t, 3> operands{};  // indices of earlier nodes: arity(op) of them for an
                                           // operation; subscript and along: the value, then a lag's init
  std::uint32_t offset = 0, length = 0;    // the characters of the sub-expression in the formula
  std::vector<Index> indices{};            // subscript: its positions; along: the dimension's label
};

/// Nodes in post-order: every operand comes before the node that reads it, and the root is last, so
/// later passes walk the tree with a loop instead of recursion (no stack limit on long formulas).
using Tree = std::vector<Node>;

/// Deepest nesting of parentheses, calls, unary operators and `^` accepted: the parser recurses once
/// per level, and a formula deeper than this is surely a mistake.
inline constexpr int max_nesting = 256;

/// Parse and bind one definition. Throws InputError for syntax errors, unknown names and functions,
/// wrong numbers of arguments, an empty formula, nesting deeper than max_nesting, a dimension's name
/// used as a value, a function's dimension argument that is no dimension, and a lag's steps that are
/// not a whole number. Shapes are checked later (expand.hpp).
Tree parse(const Definition& definition, const Scope& scope);

}  // namespace guidance::formula
