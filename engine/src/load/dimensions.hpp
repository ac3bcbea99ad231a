// Dimensions in the scenario file: `dimensions:`, drivers `over:` them, and `given:` values.
//
//   dimensions: {quarter: [Q1, Q2, Q3, Q4], segment: [routing, switching, security]}
//   drivers:
//     revenue: {over: [segment, quarter], dist: normal, mean: {routing: [560, 575, 590, 600], ...}, sd: 12, ar1: 0.6}
//   given:
//     revenue: {routing: {Q1: 540, Q2: 560}, ...}
//
// A dimensioned driver becomes one driver per element, each read by read_driver() from the entry with
// every parameter narrowed to that element's value, so each element follows exactly the rules (and
// gives exactly the messages) of a scalar driver. Its `ar1:` or `correlation:` becomes correlations of
// the copula's normals between its elements.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "guidance/scenario.hpp"
#include "load/driver_range.hpp"
#include "load/yaml_tree.hpp"

namespace guidance::load_detail {

/// `dimensions:`: a mapping of names to lists of distinct element labels (letters, digits and `_`).
std::vector<Dimension> read_dimensions(const YamlNode& section);

/// Whether a `drivers:` entry ranges over dimensions (has `over:`).
bool is_dimensioned(const YamlNode& entry);

/// The elements of a driver with `over:`, appended to scenario.drivers with its ArrayRange, and the
/// correlations its `ar1:` or `correlation:` states appended to scenario.correlations (normal = true).
void read_dimensioned_driver(const YamlNode& entry, const RangeContext& context, Scenario& scenario);

/// The element drivers a correlation of `first` with `second` stands for: each a driver name or a
/// dimensioned driver's name (`array` non-null), paired element by element on the dimensions they
/// share and every element with every element on the others.
std::vector<std::pair<std::string, std::string>> element_pairs(const Scenario& scenario, const std::string& first,
                                                               const std::string& second);

/// The ArrayRange called `name`, or null.
const ArrayRange* find_array(const Scenario& scenario, std::string_view name);

/// `given:`: sets Driver::given on the elements it names (a driver, a dimensioned driver with values
/// by element, or one element, `revenue[routing,Q1]: 540`). Each value must lie in its driver's
/// support; a driver without a distribution or a metric is refused.
void read_given(const YamlNode& section, Scenario& scenario);

/// Throws InputError (at driver.given_where) when driver.given lies outside the support of its
/// distribution; `written` shows the value in the message.
void check_given(const Driver& driver, std::string_view written);

/// The elements (row-major indices into `shape`) that `subscript` names for driver `driver`: one
/// element label per axis at most, in any order (`routing,Q3`, `Q3`), each looked up in its axis's
/// dimension; an axis no label names keeps every element. A label two of the driver's dimensions have
/// is read in the order of `over` when every axis is named. `where` spans the subscript. Throws
/// InputError for an unknown or ambiguous label, two labels on one axis, or more labels than axes.
std::vector<std::size_t> select_elements(const Shape& shape, std::span<const Dimension> dimensions,
                                         std::string_view subscript, const SourceLocation& where,
                                         std::string_view driver);

/// A variant's or an override's change to some elements of a dimensioned driver's entry
/// (`revenue[Q4].p90: 1140`): `parameter` of the elements `subscript` selects becomes `value` (marked
/// changed), rewritten as a mapping by element name in which the other elements keep their values.
/// `dimensions_section` is the tree's `dimensions:` (null when it has none). Throws InputError for a
/// driver without `over:`, an element replaced whole, a parameter the driver lacks or that belongs to
/// it as a whole (`over`, `ar1`, `correlation`), or a removal.
void patch_elements(YamlNode& driver, const YamlNode* dimensions_section, std::string_view subscript,
                    const SourceLocation& subscript_where, const std::string& parameter,
                    const SourceLocation& parameter_where, YamlNode value);

}  // namespace guidance::load_detail
