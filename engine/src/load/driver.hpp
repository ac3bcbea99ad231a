// Drivers: a constant (a number or percent), or a distribution written as a mapping
//
//   revenue: {dist: normal, p10: 1100, p90: 1130}
//   diluted_shares: {dist: normal, mean: 536, sd: 2, truncate: [0, null]}
//
// Each kind accepts a few parameterisations (see distribution_kinds() and docs/scenario-format.md).
// The loader checks which keys are given; the distribution's construction function checks their
// values, and its ParameterError is reported at the parameter's value in the user's text.
#pragma once

#include <string>
#include <vector>

#include "guidance/scenario.hpp"
#include "load/driver_range.hpp"
#include "load/yaml_tree.hpp"

namespace guidance::load_detail {

/// What a driver was read from: its entry as loaded (after the variant and the overrides) and the
/// file's reading of ranges, so that a typed change of one parameter re-derives it by these same rules.
struct WrittenDriver {
  YamlNode entry;
  RangeContext context;
};

/// The driver in one entry of `drivers:` (the entry's key is its name, already checked). `context`
/// reads its `range:`, if it has one.
Driver read_driver(const YamlNode& entry, const RangeContext& context);

/// "normal", "lognormal", "uniform", "triangular", "pert", "discrete".
const std::vector<std::string>& distribution_kinds();

}  // namespace guidance::load_detail
