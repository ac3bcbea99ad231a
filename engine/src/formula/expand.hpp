// Bound trees -> element trees: infers the shape of each written definition and writes, for each of its
// elements, the scalar tree a hand-written formula for that element would have (sum is a left fold of
// `+` in element order, mean that sum over the count, min and max chains of the binary Op).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "formula/parser.hpp"
#include "guidance/dimension.hpp"
#include "guidance/formula.hpp"

namespace guidance::formula {

/// A written definition element by element. `dag` holds only constants, variables and operations,
/// shared between elements; element e is the tree of the nodes reachable from roots[e]. A variable
/// that reads element k of written definition d has reg = inputs + d and element = k.
struct Expansion {
  Shape shape;
  Tree dag;
  std::vector<std::int32_t> roots;
  bool is_tree = false;  // a formula over scalars: `dag` is its one element's tree as parsed
};

/// What a definition's expansion reads: the inputs' count, the dimensions, the arrays, and the shapes
/// of the written definitions expanded before it (indexed by written definition).
struct Shapes {
  std::size_t input_count = 0;
  std::span<const Dimension> dimensions;
  std::span<const ArrayRange> arrays;
  std::span<const Shape> definitions;
};

/// Throws InputError at the sub-expression for values whose dimensions do not match, subscripts and
/// slices that name no element, functions over a dimension the value lacks or of a scalar, values
/// beyond max_elements, and at the definition's name for more than max_operations nodes.
Expansion expand(const Definition& definition, Tree tree, const Shapes& shapes);

/// The tree of element `element`: its nodes in post-order, each shared node copied for every reader
/// (so that, as in a hand-written formula, each node is read once), and a variable of a definition
/// pointing at register inputs + first[d] + k. Adds the nodes' count to `operations` and throws
/// InputError at the definition's name past max_operations. Takes the dag of an `is_tree` expansion.
Tree element_tree(Expansion& expansion, std::size_t element, std::size_t input_count,
                  std::span<const std::size_t> first, const Definition& definition, std::size_t& operations);

}  // namespace guidance::formula
