#include "load/variants.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "load/values.hpp"

namespace guidance::load_detail {

namespace {

const std::vector<std::string>& variant_keys() {
  static const std::vector<std::string> keys = {"extends",  "description", "drivers", "metrics",
                                                "correlations", "guidance", "simulation"};
  return keys;
}

void check_variant_name(const std::string& name, const SourceLocation& where) {
  if (name == "base") {
    throw InputError(where, "`base` is the file itself", "choose another name for this variant");
  }
  const bool valid = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  if (!valid) {
    throw InputError(where, fmt::format("`{}` is not a valid variant name", name),
                     "use letters, digits, `_` and `-` (the name is typed on the command line)");
  }
}

// Replace the entry of `map` with the same key, or append it.
void set_entry(YamlNode& map, YamlNode entry) {
  if (YamlNode* existing = map.find(entry.key)) {
    *existing = std::move(entry);
  } else {
    map.children.push_back(std::move(entry));
  }
}

// Remove the entry `key` of `map`, which must be there.
void remove_entry(YamlNode& map, const std::string& key) {
  std::erase_if(map.children, [&](const YamlNode& entry) { return entry.key == key; });
}

// The mapping under `key` in `tree`, created empty (located at `where`) when the file has none.
YamlNode& section(YamlNode& tree, const std::string& key, const SourceLocation& where) {
  if (YamlNode* found = tree.find(key)) return *found;
  YamlNode created;
  created.kind = YamlNode::Kind::map;
  created.key = key;
  created.key_where = created.where = where;
  tree.children.push_back(std::move(created));
  return tree.children.back();
}

// A whole driver replaced. A mapping without `dist` keeps the driver's kind and its `truncate`, and
// replaces the other parameters: `revenue: {p10: 1080, p90: 1110}` moves a range.
void replace_driver(YamlNode& driver, YamlNode value) {
  if (value.is_map() && driver.is_map() && !value.find("dist")) {
    if (const YamlNode* dist = driver.find("dist")) value.children.insert(value.children.begin(), *dist);
    const YamlNode* truncate = driver.find("truncate");
    if (truncate && !value.find("truncate")) value.children.push_back(*truncate);
  }
  value.key = std::move(driver.key);
  value.key_where = driver.key_where;  // the driver is still declared in the file
  driver = std::move(value);
}

// `target` is NAME (the whole driver) or NAME.PARAM (one parameter; a null value removes it).
void patch_driver(YamlNode& tree, const std::string& target, const SourceLocation& where, YamlNode value) {
  const std::size_t dot = target.find('.');
  const std::string name = target.substr(0, dot);
  const SourceLocation name_where = where.shifted(0, static_cast<int>(name.size()));
  YamlNode& drivers = *tree.find("drivers");  // the file itself was read first: a mapping
  YamlNode* driver = drivers.find(name);
  if (!driver) {
    const YamlNode* metrics = tree.find("metrics");
    if (metrics && metrics->find(name)) {
      throw InputError(name_where, fmt::format("`{}` is a metric; only drivers can be changed", name),
                       "a metric is a formula over the drivers");
    }
    unknown_name(fmt::format("unknown driver `{}`", name), name, name_where, drivers.keys(),
                 "variants and --set change the drivers under `drivers:`");
  }
  if (dot == std::string::npos) {
    replace_driver(*driver, std::move(value));
    return;
  }
  const std::string parameter = target.substr(dot + 1);
  const SourceLocation parameter_where =
      where.shifted(static_cast<int>(dot + 1), static_cast<int>(parameter.size()));
  if (!driver->is_map()) {
    throw InputError(name_where, fmt::format("`{}` is a constant, not a distribution", name),
                     fmt::format("replace the whole driver instead: `{}: VALUE`", name));
  }
  if (value.is_null()) {
    if (!driver->find(parameter)) {
      unknown_name(fmt::format("driver `{}` has no parameter `{}` to remove", name, parameter), parameter,
                   parameter_where, driver->keys());
    }
    remove_entry(*driver, parameter);
  } else {
    value.key = parameter;
    value.key_where = parameter_where;
    value.changed = true;
    set_entry(*driver, std::move(value));
  }
  driver->where = where;  // errors about the driver as a whole now point at its latest change
}

// A metric's formula replaced; it is then checked as the file's are, and its errors point at the variant.
void replace_metric(YamlNode& tree, const YamlNode& metric) {
  YamlNode* metrics = tree.find("metrics");
  YamlNode* existing = metrics ? metrics->find(metric.key) : nullptr;
  if (!existing) {
    const YamlNode* drivers = tree.find("drivers");
    if (drivers && drivers->find(metric.key)) {
      throw InputError(metric.key_where, fmt::format("`{}` is a driver; a variant changes it under `drivers:`", metric.key),
                       fmt::format("write `drivers: {{{}: ...}}` in the variant", metric.key));
    }
    unknown_name(fmt::format("unknown metric `{}`", metric.key), metric.key, metric.key_where,
                 metrics ? metrics->keys() : std::vector<std::string>(),
                 "a variant changes the formulas of the file's metrics");
  }
  YamlNode changed = metric;
  changed.changed = true;
  // A formula alone keeps the file's `format`.
  if (existing->is_map() && existing->find("formula") && metric.is_scalar()) {
    changed.key = "formula";
    *existing->find("formula") = std::move(changed);
  } else {
    *existing = std::move(changed);
  }
}

void remove_guidance(YamlNode& tree, const YamlNode& line) {
  YamlNode* guidance = tree.find("guidance");
  if (!guidance || !guidance->find(line.key)) {
    unknown_name(fmt::format("no guidance on `{}` to remove", line.key), line.key, line.key_where,
                 guidance ? guidance->keys() : std::vector<std::string>());
  }
  remove_entry(*guidance, line.key);
}

void apply_patch(YamlNode& tree, const YamlNode& variant) {
  for (const YamlNode& entry : variant.children) {
    if (entry.key == "extends") continue;
    const std::string what = fmt::format("`{}` in variant `{}`", entry.key, variant.key);
    if (entry.key == "drivers") {
      require_map(entry, what);
      for (const YamlNode& driver : entry.children) patch_driver(tree, driver.key, driver.key_where, driver);
    } else if (entry.key == "metrics") {
      require_map(entry, what);
      for (const YamlNode& metric : entry.children) replace_metric(tree, metric);
    } else if (entry.key == "guidance") {
      require_map(entry, what);
      for (const YamlNode& line : entry.children) {
        if (line.is_null()) {
          remove_guidance(tree, line);
        } else {
          set_entry(section(tree, "guidance", entry.key_where), line);
        }
      }
    } else if (entry.key == "simulation") {
      require_map(entry, what);
      for (const YamlNode& setting : entry.children) set_entry(section(tree, "simulation", entry.key_where), setting);
    } else {
      set_entry(tree, entry);  // description, correlations: replaced whole
    }
  }
}

// The variant and the ones it extends, nearest first (not including base).
std::vector<YamlNode> lineage(const YamlNode& scenarios, const std::string& name) {
  std::vector<std::string> known = {"base"};
  for (const YamlNode& variant : scenarios.children) known.push_back(variant.key);
  std::vector<const YamlNode*> chain;
  for (const YamlNode* variant = scenarios.find(name); variant;) {
    const auto repeat = std::find(chain.begin(), chain.end(), variant);
    if (repeat != chain.end()) {
      std::string path, lines;
      for (auto it = repeat; it != chain.end(); ++it) {
        const YamlNode& extends = *(*it)->find("extends");
        path += (*it)->key + " -> ";
        lines += fmt::format("{}`{}` extends `{}` on line {}", it == repeat ? "" : ", ", (*it)->key, extends.text,
                             extends.where.line);
      }
      throw InputError(chain.back()->find("extends")->where,
                       fmt::format("variant `{}` extends itself: {}{}", variant->key, path, variant->key), lines);
    }
    chain.push_back(variant);
    const YamlNode* extends = variant->find("extends");
    if (!extends) break;
    const std::string parent = read_text(*extends);
    if (parent == "base") break;
    variant = scenarios.find(parent);
    if (!variant) {
      unknown_name(fmt::format("unknown variant `{}` in `extends`", parent), parent, extends->where, known,
                   "the variants are " + quoted_list(known));
    }
  }
  std::vector<YamlNode> copies;  // copied: applying them changes the tree they live in
  for (const YamlNode* variant : chain) copies.push_back(*variant);
  return copies;
}

// NAME=VALUE with VALUE parsed as YAML; locations point into the argument, shown as `path`.
struct Assignment {
  std::string target;
  SourceLocation target_where;
  YamlNode value;
};

Assignment parse_assignment(const std::string& argument, const std::string& path, std::string_view forms) {
  auto source = std::make_shared<const SourceText>(SourceText{path, argument});
  const std::size_t equals = argument.find('=');
  if (equals == std::string::npos || equals == 0) {
    throw InputError(SourceLocation{source, 1, 1, std::max(1, static_cast<int>(argument.size()))},
                     fmt::format("expected {}, found `{}`", forms, argument));
  }
  YamlNode value = parse_yaml(source, equals + 1);
  if (value.is_null() && value.text.empty()) {
    throw InputError(SourceLocation{source, 1, static_cast<int>(equals) + 1, 1}, "missing value after `=`");
  }
  return {argument.substr(0, equals), SourceLocation{source, 1, 1, static_cast<int>(equals)}, std::move(value)};
}

}  // namespace

std::vector<std::string> variant_names(const YamlNode& root) {
  const YamlNode* scenarios = root.find("scenarios");
  if (!scenarios) return {};
  require_map(*scenarios, "`scenarios`");
  std::vector<std::string> names;
  for (const YamlNode& variant : scenarios->children) {
    check_variant_name(variant.key, variant.key_where);
    require_map(variant, fmt::format("variant `{}`", variant.key));
    check_keys(variant, variant_keys(), fmt::format("variant `{}`", variant.key));
    names.push_back(variant.key);
  }
  return names;
}

void apply_variant(YamlNode& tree, const std::string& name, const std::shared_ptr<const SourceText>& file) {
  if (name == "base") return;
  const std::vector<std::string> names = variant_names(tree);
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    std::vector<std::string> known = {"base"};
    known.insert(known.end(), names.begin(), names.end());
    unknown_name(fmt::format("unknown variant `{}`", name), name, SourceLocation{file}, known,
                 names.empty() ? "the file defines no variants (`scenarios:`)"
                               : "the variants are " + quoted_list(known));
  }
  const std::vector<YamlNode> chain = lineage(*tree.find("scenarios"), name);
  for (auto variant = chain.rbegin(); variant != chain.rend(); ++variant) apply_patch(tree, *variant);
}

void apply_set(YamlNode& tree, const std::string& argument) {
  Assignment assignment =
      parse_assignment(argument, "--set", "NAME=VALUE, NAME.PARAM=VALUE or NAME={dist: ...}");
  patch_driver(tree, assignment.target, assignment.target_where, std::move(assignment.value));
}

void apply_actual(YamlNode& tree, const std::string& argument) {
  Assignment assignment = parse_assignment(argument, "--actual", "NAME=VALUE");
  assignment.value.key = assignment.target;
  assignment.value.key_where = assignment.target_where;
  set_entry(section(tree, "actuals", assignment.target_where), std::move(assignment.value));
}

}  // namespace guidance::load_detail
