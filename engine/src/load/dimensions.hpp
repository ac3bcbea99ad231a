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

/// The elements of a driver with `over:`, appended to scenario.drivers with its DriverArray, and the
/// correlations its `ar1:` or `correlation:` states appended to scenario.correlations (normal = true).
void read_dimensioned_driver(const YamlNode& entry, const RangeContext& context, Scenario& scenario);

/// The element drivers a correlation of `first` with `second` stands for: each a driver name or a
/// dimensioned driver's name (`array` non-null), paired element by element on the dimensions they
/// share and every element with every element on the others.
std::vector<std::pair<std::string, std::string>> element_pairs(const Scenario& scenario, const std::string& first,
                                                               const std::string& second);

/// The DriverArray called `name`, or null.
const DriverArray* find_array(const Scenario& scenario, std::string_view name);

/// `given:`: sets Driver::given on the elements it names (a driver, a dimensioned driver with values
/// by element, or one element, `revenue[routing,Q1]: 540`). Each value must lie in its driver's
/// support; a driver without a distribution or a metric is refused.
void read_given(const YamlNode& section, Scenario& scenario);

}  // namespace guidance::load_detail
