// The one validator: a YAML tree (the file, with any variant and override patches applied) -> Scenario.
#pragma once

#include <memory>

#include "guidance/formula.hpp"
#include "guidance/scenario.hpp"
#include "load/yaml_tree.hpp"

namespace guidance::load_detail {

/// The top-level keys of a scenario file.
const std::vector<std::string>& top_level_keys();

/// The error for a correlation (at `where`) of `driver`, which is a constant.
[[noreturn]] void constant_correlated(const std::string& driver, const SourceLocation& where);

/// Check and convert the whole tree. `source` is the file (for errors about the file as a whole).
/// `scenarios:` is not read here (variants.hpp applies it first). Throws InputError.
Scenario read_scenario(const YamlNode& root, const std::shared_ptr<const SourceText>& source);

/// The guidance lines and actuals that name an element of a dimensioned metric (`eps[Q3]`) name one
/// the compiled program has, and none names a dimensioned metric as a whole. Throws InputError at the name.
void check_element_names(const Scenario& scenario, const formula::Program& program);

}  // namespace guidance::load_detail
