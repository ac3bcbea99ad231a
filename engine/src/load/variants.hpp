// Named variants (`scenarios:`) and a client's overrides and reported figures, applied as patches to
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
//   overrides: tax_rate=30%   revenue.mean=1120   'revenue={dist: normal, mean: 1, sd: 2}'
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "load/yaml_tree.hpp"

namespace guidance::load_detail {

/// The variants under `scenarios:`, in file order, after checking the section's shape.
std::vector<std::string> variant_names(const YamlNode& root);

/// Throw "unknown variant `name`", with the file's variants `names` in the hint. `file` locates the
/// error, whose name comes from the command line.
[[noreturn]] void unknown_variant(std::span<const std::string> names, const std::string& name,
                                  const std::shared_ptr<const SourceText>& file);

/// Call visit(position, tree) for every variant whose position in file order is marked in `wanted`, with `tree` the file without `scenarios:` and with the variant
/// and the ones it extends applied. Each tree is its parent's copy with its own changes applied, so
/// the work is one copy and one visit per variant, not one per variant of its chain. An InputError,
/// from a chain of `extends`, a variant's changes or `visit`, is thrown at the end: the first in
/// file order, as visiting the variants one by one would meet it.
void walk_variants(const YamlNode& root, const std::vector<bool>& wanted,
                   const std::function<void(std::size_t, const YamlNode&)>& visit);

/// Apply one override: NAME=VALUE (a constant), NAME.PARAM=VALUE or NAME={dist: ...}. `label` names the
/// argument in errors (a client names it as its users write it).
void apply_set(YamlNode& tree, const std::string& argument, const std::string& label);

/// The entry of driver `driver` with `parameter` set to `value` (a null removes it), or with `parameter`
/// empty the whole driver replaced, as a variant or an override changes it. `where` spans NAME.PARAM
/// as written: errors about the driver as a whole then point there. Throws InputError for a parameter
/// of a constant, or a removal of a parameter the driver does not have.
void patch_driver_entry(YamlNode& driver, const std::string& parameter, const SourceLocation& where, YamlNode value);

/// The error for `name`, which is not a driver: a metric, or unknown ("did you mean" among `drivers`).
[[noreturn]] void not_a_driver(const std::string& name, const SourceLocation& where, bool metric,
                               std::span<const std::string> drivers);

/// Apply one NAME=VALUE argument as an entry of `section_key` ("actuals", "given"), adding to the
/// file's or replacing its entry of that name; marked changed, so that a given element it names
/// replaces the file's value for it. `label` names the argument in errors.
void apply_entry(YamlNode& tree, const std::string& section_key, const std::string& argument, const std::string& label);

}  // namespace guidance::load_detail
