// Named variants (`scenarios:`) and command-line overrides (`--set`, `--actual`), applied as patches to
// the YAML tree before the one validator (read_scenario.hpp) reads it: a patched value is checked
// exactly like one in the file, and its errors point at the variant's line or into the argument.
//
//   scenarios:
//     bear:
//       drivers:
//         revenue: {p10: 1080, p90: 1110}   # replaces the parameters (keeps `dist` and `truncate`)
//         opex.max: 570                      # changes one parameter
//     deep_bear: {extends: bear, guidance: {eps: [0.15, 0.2]}, metrics: {eps: net_income / 540}}
//
//   --set tax_rate=30%   --set revenue.mean=1120   --set 'revenue={dist: normal, mean: 1, sd: 2}'
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "load/yaml_tree.hpp"

namespace guidance::load_detail {

/// The variants under `scenarios:`, in file order, after checking the section's shape.
std::vector<std::string> variant_names(const YamlNode& root);

/// Apply variant `name` (after the variants it extends, root first) to `tree`; "base" changes nothing.
/// `file` locates "unknown variant" errors, whose name comes from the command line.
void apply_variant(YamlNode& tree, const std::string& name, const std::shared_ptr<const SourceText>& file);

/// Apply one `--set` argument: NAME=VALUE (a constant), NAME.PARAM=VALUE or NAME={dist: ...}.
void apply_set(YamlNode& tree, const std::string& argument);

/// Apply one `--actual NAME=VALUE` argument (adding to or replacing `actuals:`).
void apply_actual(YamlNode& tree, const std::string& argument);

}  // namespace guidance::load_detail
