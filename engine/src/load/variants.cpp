#include "load/variants.hpp"

#include <algorithm>
#include <exception>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "load/dimensions.hpp"
#include "load/values.hpp"

namespace guidance::load_detail {

namespace {

const std::vector<std::string>& variant_keys() {
  static const std::vector<std::string> keys = {"extends",      "description", "drivers",    "metrics",
                                                "correlations", "guidance",    "simulation", "given"};
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

// A map's entries by key, so that patching k entries of a map of n costs k + n rather than k * n.
class Entries {
 public:
  explicit Entries(YamlNode& map) : map_(map) {
    for (std::size_t i = 0; i < map.children.size(); ++i) position_.emplace(map.children[i].key, i);
  }
  YamlNode* find(const std::string& key) {
    const auto found = position_.find(key);
    return found == position_.end() ? nullptr : &map_.children[found->second];
  }
  // As set_entry().
  void set(YamlNode entry) {
    if (YamlNode* existing = find(entry.key)) {
      *existing = std::move(entry);
    } else {
      position_.emplace(entry.key, map_.children.size());
      map_.children.push_back(std::move(entry));
    }
  }

 private:
  YamlNode& map_;
  std::unordered_map<std::string, std::size_t> position_;
};

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

// `target` is NAME (the whole driver) or NAME.PARAM (one parameter; a null value removes it), or
// NAME[ELEMENTS].PARAM (a parameter of some elements of a dimensioned driver); `drivers` indexes the
// tree's `drivers:`.
void patch_driver(YamlNode& tree, Entries& drivers, const std::string& target, const SourceLocation& where,
                  YamlNode value) {
  const std::size_t dot = target.find('.');  // element labels have no dots
  const std::string_view driver_part = std::string_view(target).substr(0, dot);
  const std::size_t open = driver_part.find('[');
  const std::string name(driver_part.substr(0, open));
  YamlNode* driver = drivers.find(name);
  if (!driver) {
    const YamlNode* metrics = tree.find("metrics");
    not_a_driver(name, where.shifted(0, static_cast<int>(name.size())), metrics && metrics->find(name),
                 tree.find("drivers")->keys());
  }
  const std::string parameter = dot == std::string::npos ? "" : target.substr(dot + 1);
  const std::optional<ElementTarget> element = split_subscript(driver_part);
  if (element && !element->subscript) {
    patch_driver_entry(*driver, parameter, where, std::move(value));
    return;
  }
  if (!element) {
    const std::string_view brackets = driver_part.substr(open);
    throw InputError(where.shifted(static_cast<int>(open), static_cast<int>(brackets.size())),
                     fmt::format("expected `[ELEMENTS]` after `{}`, found `{}`", name, brackets),
                     fmt::format("name elements and a parameter: {}[Q4].PARAM or {}[routing,Q4].PARAM", name, name));
  }
  const std::size_t length = element->subscript->size();
  patch_elements(*driver, tree.find("dimensions"), *element->subscript,
                 where.shifted(static_cast<int>(open + 1), static_cast<int>(std::max<std::size_t>(1, length))),
                 parameter, where.shifted(static_cast<int>(driver_part.size() + 1), static_cast<int>(parameter.size())),
                 std::move(value));
  driver->where = where;  // errors about the driver as a whole now point at its latest change
}

// A metric's formula replaced; it is then checked as the file's are, and its errors point at the variant.
// `metrics` indexes the tree's `metrics:`.
void replace_metric(YamlNode& tree, Entries& metrics, const YamlNode& metric) {
  YamlNode* existing = metrics.find(metric.key);
  if (!existing) {
    const YamlNode* drivers = tree.find("drivers");
    if (drivers && drivers->find(metric.key)) {
      throw InputError(metric.key_where, fmt::format("`{}` is a driver; a variant changes it under `drivers:`", metric.key),
                       fmt::format("write `drivers: {{{}: ...}}` in the variant", metric.key));
    }
    const YamlNode* file_metrics = tree.find("metrics");
    unknown_name(fmt::format("unknown metric `{}`", metric.key), metric.key, metric.key_where,
                 file_metrics ? file_metrics->keys() : std::vector<std::string>(),
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

// The lines of a variant's `guidance:`: a null removes the line, a range adds or replaces it. Each
// key comes once (duplicate keys are refused), so the removals can be made together at the end.
void patch_guidance(YamlNode& tree, const YamlNode& lines) {
  Entries guidance(section(tree, "guidance", lines.key_where));
  std::unordered_set<std::string> removed;
  for (const YamlNode& line : lines.children) {
    if (!line.is_null()) {
      guidance.set(line);
    } else if (guidance.find(line.key)) {
      removed.insert(line.key);
    } else {
      unknown_name(fmt::format("no guidance on `{}` to remove", line.key), line.key, line.key_where,
                   tree.find("guidance")->keys());
    }
  }
  std::erase_if(tree.find("guidance")->children, [&](const YamlNode& line) { return removed.contains(line.key); });
}

void apply_patch(YamlNode& tree, const YamlNode& variant) {
  for (const YamlNode& entry : variant.children) {
    if (entry.key == "extends") continue;
    const std::string what = fmt::format("`{}` in variant `{}`", entry.key, variant.key);
    if (entry.key == "drivers") {
      require_map(entry, what);
      Entries drivers(*tree.find("drivers"));  // the file itself was read first: a mapping
      for (const YamlNode& driver : entry.children) patch_driver(tree, drivers, driver.key, driver.key_where, driver);
    } else if (entry.key == "metrics") {
      require_map(entry, what);
      Entries metrics(section(tree, "metrics", entry.key_where));
      for (const YamlNode& metric : entry.children) replace_metric(tree, metrics, metric);
    } else if (entry.key == "guidance") {
      require_map(entry, what);
      patch_guidance(tree, entry);
    } else if (entry.key == "simulation" || entry.key == "given") {
      require_map(entry, what);  // given values are added to the file's, or replace them by name
      for (const YamlNode& setting : entry.children) set_entry(section(tree, entry.key, entry.key_where), setting);
    } else {
      set_entry(tree, entry);  // description, correlations: replaced whole
    }
  }
}

// The variants by name, for following `extends` in constant time.
using VariantIndex = std::unordered_map<std::string_view, const YamlNode*>;

VariantIndex index_variants(const YamlNode& scenarios) {
  VariantIndex index;
  for (const YamlNode& variant : scenarios.children) index.emplace(variant.key, &variant);
  return index;
}

// The variant `name` extends: null for base. Throws when it names no variant.
const YamlNode* parent_of(const YamlNode& variant, const VariantIndex& index, const YamlNode& scenarios) {
  const YamlNode* extends = variant.find("extends");
  if (!extends) return nullptr;
  const std::string parent = read_text(*extends);
  if (parent == "base") return nullptr;
  const auto found = index.find(parent);
  if (found == index.end()) {
    std::vector<std::string> known = {"base"};
    for (const YamlNode& other : scenarios.children) known.push_back(other.key);
    unknown_name(fmt::format("unknown variant `{}` in `extends`", parent), parent, extends->where, known,
                 "the variants are " + quoted_list(known));
  }
  return found->second;
}

// Follow the chain of `extends` from `start`: throws at an unknown variant or a cycle.
void check_lineage(const YamlNode& scenarios, const VariantIndex& index, const YamlNode& start) {
  std::vector<const YamlNode*> chain;
  std::unordered_map<const YamlNode*, std::size_t> position;  // in `chain`
  for (const YamlNode* variant = &start; variant; variant = parent_of(*variant, index, scenarios)) {
    const auto repeat = position.find(variant);
    if (repeat != position.end()) {
      std::string path, lines;
      for (std::size_t i = repeat->second; i < chain.size(); ++i) {
        const YamlNode& extends = *chain[i]->find("extends");
        path += chain[i]->key + " -> ";
        lines += fmt::format("{}`{}` extends `{}` on line {}", i == repeat->second ? "" : ", ", chain[i]->key,
                             extends.text, extends.where.line);
      }
      throw InputError(chain.back()->find("extends")->where,
                       fmt::format("variant `{}` extends itself: {}{}", variant->key, path, variant->key), lines);
    }
    position.emplace(variant, chain.size());
    chain.push_back(variant);
  }
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

void not_a_driver(const std::string& name, const SourceLocation& where, bool metric, std::span<const std::string> drivers) {
  if (metric) {
    throw InputError(where, fmt::format("`{}` is a metric; only drivers can be changed", name),
                     "a metric is a formula over the drivers");
  }
  unknown_name(fmt::format("unknown driver `{}`", name), name, where, drivers,
               "variants and overrides change the drivers under `drivers:`");
}

void patch_driver_entry(YamlNode& driver, const std::string& parameter, const SourceLocation& where, YamlNode value) {
  if (parameter.empty()) {
    replace_driver(driver, std::move(value));
    return;
  }
  const std::string& name = driver.key;
  const SourceLocation name_where = where.shifted(0, static_cast<int>(name.size()));
  const SourceLocation parameter_where =
      where.shifted(static_cast<int>(name.size() + 1), static_cast<int>(parameter.size()));
  if (!driver.is_map()) {
    throw InputError(name_where, fmt::format("`{}` is a constant, not a distribution", name),
                     fmt::format("replace the whole driver instead: `{}: VALUE`", name));
  }
  if (value.is_null()) {
    if (!driver.find(parameter)) {
      unknown_name(fmt::format("driver `{}` has no parameter `{}` to remove", name, parameter), parameter,
                   parameter_where, driver.keys());
    }
    remove_entry(driver, parameter);
  } else {
    value.key = parameter;
    value.key_where = parameter_where;
    value.changed = true;
    set_entry(driver, std::move(value));
  }
  driver.where = where;  // errors about the driver as a whole now point at its latest change
}

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

void unknown_variant(std::span<const std::string> names, const std::string& name,
                     const std::shared_ptr<const SourceText>& file) {
  std::vector<std::string> known = {"base"};
  known.insert(known.end(), names.begin(), names.end());
  unknown_name(fmt::format("unknown variant `{}`", name), name, SourceLocation{file}, known,
               names.empty() ? "the file defines no variants (`scenarios:`)" : "the variants are " + quoted_list(known));
}

void walk_variants(const YamlNode& root, const std::vector<bool>& wanted,
                   const std::function<void(std::size_t, const YamlNode&)>& visit) {
  YamlNode base = root;
  remove_entry(base, "scenarios");  // each variant's tree is a copy: without the variants, it is the base's size
  const YamlNode* scenarios = root.find("scenarios");
  if (!scenarios) return;
  const std::size_t n = scenarios->children.size();  // also base's index below
  const std::vector<YamlNode>& variants = scenarios->children;
  const VariantIndex index = index_variants(*scenarios);

  // Each wanted variant's parent, and the first one in file order whose chain of `extends` is broken.
  enum class Chain : char { unknown, walking, sound, broken };
  std::vector<Chain> chain(n, Chain::unknown);
  std::vector<std::size_t> parent(n, n);
  std::size_t first_failure = n;
  std::exception_ptr failure;
  for (std::size_t i = 0; i < n && first_failure == n; ++i) {
    if (!wanted[i]) continue;
    std::vector<std::size_t> walked;
    std::size_t v = i;
    bool broken = false;
    while (v < n && chain[v] == Chain::unknown) {
      chain[v] = Chain::walking;
      walked.push_back(v);
      try {
        const YamlNode* up = parent_of(variants[v], index, *scenarios);
        parent[v] = up ? static_cast<std::size_t>(up - variants.data()) : n;
      } catch (const InputError&) {
        broken = true;
        break;
      }
      v = parent[v];
    }
    broken = broken || (v < n && chain[v] != Chain::sound);  // a cycle, or a broken chain joined
    for (const std::size_t w : walked) chain[w] = broken ? Chain::broken : Chain::sound;
    if (broken) {
      first_failure = i;
      try {
        check_lineage(*scenarios, index, variants[i]);  // throws the error a check of variant i alone meets first
      } catch (const InputError&) {
        failure = std::current_exception();
      }
    }
  }

  // The sound variants (the wanted ones and those they extend) as a tree under base; each one's
  // subtree size and first variant in file order.
  std::vector<std::vector<std::size_t>> children(n + 1);
  for (std::size_t v = 0; v < n; ++v)
    if (chain[v] == Chain::sound) children[parent[v]].push_back(v);
  std::vector<std::size_t> preorder, pending = {n};
  while (!pending.empty()) {
    const std::size_t v = pending.back();
    pending.pop_back();
    preorder.push_back(v);
    pending.insert(pending.end(), children[v].begin(), children[v].end());
  }
  std::vector<std::size_t> subtree(n + 1, 1), first_in_file(n + 1);
  for (std::size_t v = 0; v <= n; ++v) first_in_file[v] = v;
  for (auto v = preorder.rbegin(); v != preorder.rend() && *v != n; ++v) {
    subtree[parent[*v]] += subtree[*v];
    first_in_file[parent[*v]] = std::min(first_in_file[parent[*v]], first_in_file[*v]);
  }
  // The largest subtree last, where the parent's tree is moved rather than copied: at most about
  // log2(variants) trees are then held at once, whatever the shape of the chains.
  for (std::vector<std::size_t>& list : children)
    std::stable_sort(list.begin(), list.end(), [&](std::size_t a, std::size_t b) { return subtree[a] < subtree[b]; });

  const auto fail = [&](std::size_t at) {
    if (at < first_failure) {
      first_failure = at;
      failure = std::current_exception();
    }
  };
  struct Frame {
    std::size_t variant;
    std::size_t next_child;
    YamlNode tree;  // the file with this variant and the ones it extends applied
  };
  std::vector<Frame> stack;
  stack.push_back({n, 0, std::move(base)});
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next_child == children[top.variant].size()) {
      stack.pop_back();
      continue;
    }
    const std::size_t child = children[top.variant][top.next_child++];
    YamlNode tree;
    if (top.next_child == children[top.variant].size()) {
      tree = std::move(top.tree);
      stack.pop_back();
    } else {
      tree = top.tree;
    }
    try {
      apply_patch(tree, variants[child]);
    } catch (const InputError&) {
      fail(first_in_file[child]);  // every variant extending it fails the same way: skip them
      continue;
    }
    try {
      if (wanted[child]) visit(child, tree);
    } catch (const InputError&) {
      fail(child);  // one extending it may repair what it broke, so those are still visited
    }
    stack.push_back({child, 0, std::move(tree)});
  }
  if (failure) std::rethrow_exception(failure);
}

void apply_set(YamlNode& tree, const std::string& argument, const std::string& label) {
  Assignment assignment = parse_assignment(argument, label, "NAME=VALUE, NAME.PARAM=VALUE or NAME={dist: ...}");
  Entries drivers(*tree.find("drivers"));
  patch_driver(tree, drivers, assignment.target, assignment.target_where, std::move(assignment.value));
}

void apply_entry(YamlNode& tree, const std::string& section_key, const std::string& argument, const std::string& label) {
  Assignment assignment = parse_assignment(argument, label, "NAME=VALUE");
  assignment.value.key = assignment.target;
  assignment.value.key_where = assignment.target_where;
  assignment.value.changed = true;  // replaces what the file has for that name (a given element: read_given)
  set_entry(section(tree, section_key, assignment.target_where), std::move(assignment.value));
}

}  // namespace guidance::load_detail
