// Dimensions: ordered lists of element names (`quarter: [Q1, Q2, Q3, Q4]`) that drivers and metrics
// range over. A dimensioned variable is stored as its elements, one scalar each, row-major over its
// axes (the last axis varies fastest), and each element is named `revenue[routing,Q3]`.
//
//   std::vector<Dimension> dimensions = {{"quarter", {"Q1", "Q2", "Q3", "Q4"}}};
//   Shape shape = {{0, 0, 4}};                                  // over every quarter
//   element_name("eps", shape, 2, dimensions);                  // "eps[Q3]"
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "guidance/diagnostics.hpp"

namespace guidance {

struct Dimension {
  std::string name;
  std::vector<std::string> elements;  // in order: lag(), cumsum() and `ar1` follow it
  SourceLocation where;               // the dimension's key in `dimensions:`
};

/// One axis of a shape: elements [first, first + count) of dimensions[dimension]. A slice (`x[Q2:Q4]`)
/// keeps its dimension with fewer elements.
struct Axis {
  std::size_t dimension = 0;
  std::size_t first = 0;
  std::size_t count = 0;
  bool operator==(const Axis&) const = default;
};

/// A variable's axes in order; empty for a scalar.
using Shape = std::vector<Axis>;

/// A dimensioned variable's elements, consecutive in the list that holds its scalars, row-major:
/// items [first, first + element_count(shape)) of the scenario's drivers, the formula inputs, or the
/// model's variables. A formula writes `name` for the whole array.
struct ArrayRange {
  std::string name;
  Shape shape;
  std::size_t first = 0;
  SourceLocation where = {};  // the variable's key in the file; empty where not known
};

/// Number of elements: the product of the axes' counts (1 for a scalar).
std::size_t element_count(std::span<const Axis> shape);

/// Element `index` (row-major) of `shape` as a position along each axis (relative to the axis's first).
std::vector<std::size_t> element_coordinates(std::span<const Axis> shape, std::size_t index);

/// The axis a shape's order runs along: the one whose dimension comes first in `dimensions:`. `ar1`
/// correlates neighbours along it, and fan charts spread along it. `shape` must not be empty.
std::size_t time_axis(std::span<const Axis> shape);

/// Letters, digits and `_`, not empty: what an element may be called (`Q3`, `FY2012`, `2013`), so that a
/// formula and a command line can write it between brackets.
bool is_element_label(std::string_view label);

/// A driver's name as the scenario's variants, the command line's overrides and `with_parameters` write it,
/// split at its brackets: `revenue[routing,Q3]` is `name` "revenue" and `subscript` "routing,Q3";
/// `revenue` has no subscript. The labels are not checked (is_element_label checks one, and the loader
/// looks them up). Nullopt when a `[` is not closed by the `]` that ends the text (`revenue[Q3`,
/// `revenue[Q3]x`).
struct ElementTarget {
  std::string_view name;
  std::optional<std::string_view> subscript;
};
std::optional<ElementTarget> split_subscript(std::string_view target);

/// `name` for a scalar, `name[e1,e2]` for element `index` (row-major) of `shape`.
std::string element_name(std::string_view name, std::span<const Axis> shape, std::size_t index,
                         std::span<const Dimension> dimensions);

/// "[segment, quarter]", or "[quarter Q3:Q4]" for a slice; "scalar" for an empty shape. For messages.
std::string describe_shape(std::span<const Axis> shape, std::span<const Dimension> dimensions);

}  // namespace guidance
