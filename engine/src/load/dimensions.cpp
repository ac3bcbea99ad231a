#include "load/dimensions.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <unordered_map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "guidance/formula.hpp"
#include "load/driver.hpp"
#include "load/values.hpp"

namespace guidance::load_detail {

namespace {

// Most elements in one dimension.
constexpr std::size_t max_dimension_elements = 10'000;

std::string element_list(const Dimension& dimension) {
  constexpr std::size_t shown = 8;
  std::string out;
  for (std::size_t i = 0; i < std::min(shown, dimension.elements.size()); ++i)
    out += (i == 0 ? "" : ", ") + dimension.elements[i];
  if (dimension.elements.size() > shown) out += ", ...";
  return out;
}

std::ptrdiff_t element_index(const Dimension& dimension, std::string_view label) {
  const auto found = std::ranges::find(dimension.elements, label);
  return found == dimension.elements.end() ? -1 : found - dimension.elements.begin();
}

// Visits the value of every element in a value written per element: a scalar for every element, a
// list along the first axis, a mapping by element name, nested for the next axes. `what` names the
// value in messages ("`mean` of `revenue`"). With `partial` (given values) a mapping may leave
// elements out and a list may hold null for them; otherwise every element needs a value. With
// `lists_are_values` (`values`, `truncate`) only a mapping is read per element.
class PerElement {
 public:
  using Visit = std::function<void(std::size_t index, const YamlNode& value)>;

  PerElement(std::span<const Axis> shape, std::span<const Dimension> dimensions, std::string what, bool partial,
             bool lists_are_values)
      : shape_(shape), dimensions_(dimensions), what_(std::move(what)), partial_(partial),
        lists_are_values_(lists_are_values) {}

  void visit(const YamlNode& node, const Visit& visit) const { walk(node, 0, 0, visit); }

 private:
  void walk(const YamlNode& node, std::size_t axis, std::size_t index, const Visit& visit) const {
    if (axis == shape_.size()) {
      if (!(partial_ && node.is_null())) visit(index, node);
      return;
    }
    const Dimension& dimension = dimensions_[shape_[axis].dimension];
    const std::size_t count = shape_[axis].count;
    if (node.is_map()) {
      std::vector<bool> seen(count, false);
      for (const YamlNode& entry : node.children) {
        const std::ptrdiff_t at = element_index(dimension, entry.key);
        if (at < 0)
          unknown_name(fmt::format("`{}` has no element `{}` (in {})", dimension.name, entry.key, what_), entry.key,
                       entry.key_where, dimension.elements,
                       fmt::format("the elements of `{}` are {}", dimension.name, element_list(dimension)));
        seen[static_cast<std::size_t>(at)] = true;
        walk(entry, axis + 1, index * count + static_cast<std::size_t>(at), visit);
      }
      const auto missing = std::ranges::find(seen, false);
      if (!partial_ && missing != seen.end()) {
        throw InputError(node.where,
                         fmt::format("{} has no value for `{}` of `{}`", what_,
                                     dimension.elements[static_cast<std::size_t>(missing - seen.begin())],
                                     dimension.name),
                         fmt::format("give every element of `{}` ({}), or one value for all", dimension.name,
                                     element_list(dimension)));
      }
      return;
    }
    if (node.is_list() && !lists_are_values_) {
      if (node.children.size() != count) {
        throw InputError(node.where,
                         fmt::format("{} lists {} value{}, but `{}` has {} element{} ({})", what_, node.children.size(),
                                     node.children.size() == 1 ? "" : "s", dimension.name, count, count == 1 ? "" : "s",
                                     element_list(dimension)),
                         "give one value per element in the dimension's order, one value for all, or a mapping by "
                         "element name");
      }
      for (std::size_t i = 0; i < count; ++i) walk(node.children[i], axis + 1, index * count + i, visit);
      return;
    }
    // One value for every element of this axis and the ones after it.
    for (std::size_t i = 0; i < count; ++i) walk(node, axis + 1, index * count + i, visit);
  }

  std::span<const Axis> shape_;
  std::span<const Dimension> dimensions_;
  std::string what_;
  bool partial_;
  bool lists_are_values_;
};

// Parameters whose value is itself a list (`values: [1, 2]`): for them only a mapping is read per element.
bool lists_are_values(std::string_view parameter) {
  return parameter == "values" || parameter == "probabilities" || parameter == "truncate";
}

Shape read_over(const YamlNode& over, std::span<const Dimension> dimensions, const std::string& driver) {
  std::vector<const YamlNode*> names;
  if (over.is_list()) {
    for (const YamlNode& item : over.children) names.push_back(&item);
  } else {
    names.push_back(&over);
  }
  if (names.empty()) {
    throw InputError(over.where, fmt::format("`over` of `{}` names no dimension", driver),
                     "name one or more dimensions, e.g. `over: quarter` or `over: [segment, quarter]`");
  }
  std::vector<std::string> known;
  for (const Dimension& dimension : dimensions) known.push_back(dimension.name);
  Shape shape;
  for (const YamlNode* name : names) {
    const std::string text = read_text(*name);
    const auto found = std::ranges::find(known, text);
    if (found == known.end()) {
      unknown_name(fmt::format("unknown dimension `{}`", text), text, name->where, known,
                   known.empty() ? "declare it first, e.g. `dimensions: {quarter: [Q1, Q2, Q3, Q4]}`"
                                 : "the dimensions are " + quoted_list(known, "and"));
    }
    const auto dimension = static_cast<std::size_t>(found - known.begin());
    if (std::ranges::any_of(shape, [&](const Axis& axis) { return axis.dimension == dimension; }))
      throw InputError(name->where, fmt::format("`{}` is named twice in `over` of `{}`", text, driver));
    shape.push_back({dimension, 0, dimensions[dimension].elements.size()});
  }
  return shape;
}

// `ar1: rho` (corr(z_t, z_s) = rho^|t - s| along the first dimension, elements apart on the others
// independent) or `correlation: rho` (every pair of elements), as correlations of the normals.
void add_within(const YamlNode& entry, const ArrayRange& array, Scenario& scenario) {
  const YamlNode* ar1 = entry.find("ar1");
  const YamlNode* equal = entry.find("correlation");
  if (ar1 && equal) {
    throw InputError(equal->key_where, fmt::format("`{}` has both `ar1` and `correlation`", array.name),
                     "`ar1` correlates neighbours along the first dimension, `correlation` every pair alike: "
                     "choose one");
  }
  const YamlNode* node = ar1 ? ar1 : equal;
  if (!node) return;
  const std::size_t n = element_count(array.shape);
  const double rho = read_number(*node).value;
  if (ar1 && !(std::fabs(rho) < 1.0)) {
    throw InputError(node->where, fmt::format("`ar1` must lie strictly between -1 and 1, found {}", node->text),
                     "the correlation of neighbouring elements' normals, e.g. ar1: 0.6");
  }
  const double lowest = n > 1 ? -1.0 / static_cast<double>(n - 1) : -1.0;
  if (equal && !(rho >= lowest && rho <= 1.0)) {
    throw InputError(node->where,
                     fmt::format("`correlation` among {} elements must lie from {:.4g} to 1, found {}", n, lowest,
                                 node->text),
                     "below -1/(n - 1) no set of n variables can be equally correlated");
  }
  if (rho == 0.0) return;
  const std::size_t along = time_axis(array.shape);
  for (std::size_t i = 0; i < n; ++i) {
    const std::vector<std::size_t> a = element_coordinates(array.shape, i);
    for (std::size_t j = i + 1; j < n; ++j) {
      const std::vector<std::size_t> b = element_coordinates(array.shape, j);
      double value = rho;
      if (ar1) {
        bool same_elsewhere = true;
        for (std::size_t k = 0; k < a.size(); ++k) same_elsewhere = same_elsewhere && (k == along || a[k] == b[k]);
        if (!same_elsewhere) continue;
        value = std::pow(rho, static_cast<double>(b[along] - a[along]));
      }
      Correlation c{scenario.drivers[array.first + i].name, scenario.drivers[array.first + j].name, value, node->where,
                    entry.key_where, entry.key_where, node->where};
      c.normal = true;
      scenario.correlations.push_back(std::move(c));
    }
  }
}

}  // namespace

std::vector<Dimension> read_dimensions(const YamlNode& section) {
  require_map(section, "`dimensions`");
  std::vector<Dimension> dimensions;
  for (const YamlNode& entry : section.children) {
    check_name(entry.key, entry.key_where);
    if (!entry.is_list() || entry.children.empty()) {
      throw InputError(entry.where,
                       fmt::format("expected a list of elements for dimension `{}`, found {}", entry.key,
                                   entry.is_list() ? "an empty list" : entry.describe()),
                       "list the elements in order, e.g. quarter: [Q1, Q2, Q3, Q4]");
    }
    if (entry.children.size() > max_dimension_elements) {
      throw InputError(entry.where, fmt::format("dimension `{}` has {} elements; at most {} are supported", entry.key,
                                                entry.children.size(), max_dimension_elements));
    }
    Dimension dimension{entry.key, {}, entry.key_where};
    for (const YamlNode& item : entry.children) {
      const std::string label = item.is_scalar() ? item.text : std::string();
      if (!is_element_label(label)) {
        throw InputError(item.where, fmt::format("expected an element name in dimension `{}`, found {}", entry.key,
                                                 item.describe()),
                         "element names are letters, digits and `_`, e.g. Q1 or FY2012, so that a formula can "
                         "write them: revenue[Q1]");
      }
      if (element_index(dimension, label) >= 0)
        throw InputError(item.where, fmt::format("`{}` is listed twice in dimension `{}`", label, entry.key));
      dimension.elements.push_back(label);
    }
    dimensions.push_back(std::move(dimension));
  }
  return dimensions;
}

bool is_dimensioned(const YamlNode& entry) { return entry.is_map() && entry.find("over") != nullptr; }

void read_dimensioned_driver(const YamlNode& entry, const RangeContext& context, Scenario& scenario) {
  ArrayRange array{entry.key, read_over(*entry.find("over"), scenario.dimensions, entry.key), scenario.drivers.size(),
                    entry.key_where};
  const std::size_t n = element_count(array.shape);
  // The formula compiler's cap on a value's elements caps the drivers' too.
  if (scenario.drivers.size() + n > formula::max_elements) {
    throw InputError(entry.key_where,
                     fmt::format("driver `{}` has {} elements, more than the {} a scenario's drivers may have in all",
                                 entry.key, n, formula::max_elements),
                     "a dimension with fewer elements, or fewer dimensions in `over`");
  }
  // The entry each element is read from: the driver's entry with every parameter narrowed to the element.
  YamlNode shell = entry;
  shell.children.clear();
  std::vector<YamlNode> elements(n, shell);
  for (std::size_t i = 0; i < n; ++i) elements[i].key = element_name(entry.key, array.shape, i, scenario.dimensions);
  const YamlNode* value = entry.find("value");
  for (const YamlNode& parameter : entry.children) {
    if (parameter.key == "over" || parameter.key == "ar1" || parameter.key == "correlation") continue;
    if (parameter.key == "value" && entry.children.size() > 2) {
      throw InputError(parameter.key_where,
                       fmt::format("`value` of `{}` makes every element a constant, so it takes no other parameter",
                                   entry.key),
                       "write either `value:` (constants per element) or a distribution");
    }
    const PerElement per_element(array.shape, scenario.dimensions, fmt::format("`{}` of `{}`", parameter.key, entry.key),
                                 false, lists_are_values(parameter.key));
    per_element.visit(parameter, [&](std::size_t i, const YamlNode& element_value) {
      if (value) {  // a constant: the element's entry is the number itself
        const std::string name = std::move(elements[i].key);
        elements[i] = element_value;
        elements[i].key = name;
        elements[i].key_where = entry.key_where;
        return;
      }
      YamlNode narrowed = element_value;
      narrowed.key = parameter.key;
      narrowed.key_where = parameter.key_where;
      narrowed.changed = parameter.changed || element_value.changed;
      elements[i].children.push_back(std::move(narrowed));
    });
  }
  for (YamlNode& element : elements) scenario.drivers.push_back(read_driver(element, context));
  add_within(entry, array, scenario);
  scenario.arrays.push_back(std::move(array));
}

const ArrayRange* find_array(const Scenario& scenario, std::string_view name) {
  const auto found = std::ranges::find(scenario.arrays, name, &ArrayRange::name);
  return found == scenario.arrays.end() ? nullptr : &*found;
}

std::vector<std::pair<std::string, std::string>> element_pairs(const Scenario& scenario, const std::string& first,
                                                               const std::string& second) {
  const ArrayRange* a = find_array(scenario, first);
  const ArrayRange* b = find_array(scenario, second);
  if (!a && !b) return {{first, second}};
  const Shape none;
  const Shape& shape_a = a ? a->shape : none;
  const Shape& shape_b = b ? b->shape : none;
  const std::size_t count_a = element_count(shape_a), count_b = element_count(shape_b);
  const auto name = [&](const ArrayRange* array, const std::string& scalar, std::size_t i) {
    return array ? scenario.drivers[array->first + i].name : scalar;
  };
  std::vector<std::pair<std::string, std::string>> pairs;
  for (std::size_t i = 0; i < count_a; ++i) {
    const std::vector<std::size_t> at_a = element_coordinates(shape_a, i);
    for (std::size_t j = 0; j < count_b; ++j) {
      const std::vector<std::size_t> at_b = element_coordinates(shape_b, j);
      bool agree = true;
      for (std::size_t p = 0; p < shape_a.size(); ++p)
        for (std::size_t q = 0; q < shape_b.size(); ++q)
          if (shape_a[p].dimension == shape_b[q].dimension && at_a[p] != at_b[q]) agree = false;
      if (agree) pairs.emplace_back(name(a, first, i), name(b, second, j));
    }
  }
  return pairs;
}

void check_given(const Driver& driver, std::string_view written) {
  const Distribution& distribution = *driver.distribution;
  const double value = *driver.given;
  const bool discrete = std::holds_alternative<Discrete>(distribution.shape);
  const bool outside = value < support_min(distribution) || value > support_max(distribution) ||
                       (discrete && quantile(distribution, cdf(distribution, value)) != value);
  if (outside) {
    throw InputError(driver.given_where,
                     fmt::format("the given value {} of `{}` is outside its distribution ({} {})", written, driver.name,
                                 kind_name(distribution), describe(distribution)),
                     "a reported value the distribution cannot produce: check the value, or widen the driver");
  }
}

void read_given(const YamlNode& section, Scenario& scenario) {
  require_map(section, "`given`");
  std::unordered_map<std::string_view, std::size_t> index;
  for (std::size_t d = 0; d < scenario.drivers.size(); ++d) index.emplace(scenario.drivers[d].name, d);
  const auto give = [&](std::size_t d, const YamlNode& value) {
    Driver& driver = scenario.drivers[d];
    if (!driver.distribution) {
      throw InputError(value.where, fmt::format("`{}` is a constant; `given` fixes drivers with a distribution",
                                                driver.name),
                       "write the value in the driver itself");
    }
    // A variant's or an argument's value replaces the file's; within one source an element is given once.
    if (driver.given && !value.changed) {
      throw InputError(value.where, fmt::format("`{}` is given twice (first on line {})", driver.name,
                                                driver.given_where.line));
    }
    driver.given = read_number(value).value;
    driver.given_where = value.where;
    check_given(driver, value.text);
  };
  for (const YamlNode& entry : section.children) {
    if (const ArrayRange* array = find_array(scenario, entry.key)) {
      const PerElement per_element(array->shape, scenario.dimensions, fmt::format("`given` of `{}`", entry.key),
                                   true, false);
      const std::size_t first = array->first;
      per_element.visit(entry, [&](std::size_t i, const YamlNode& value) { give(first + i, value); });
      continue;
    }
    std::string name = entry.key;
    std::erase(name, ' ');  // `revenue[routing, Q1]` names revenue[routing,Q1]
    const auto found = index.find(name);
    if (found == index.end() && std::ranges::find(scenario.metrics, name, &Metric::name) != scenario.metrics.end()) {
      throw InputError(entry.key_where, fmt::format("`{}` is a metric; `given` fixes drivers", name),
                       "give the drivers it is computed from; a metric computed from given values only shows as given");
    }
    if (found == index.end()) {
      std::vector<std::string> names;
      for (const ArrayRange& array : scenario.arrays) names.push_back(array.name);
      for (const Driver& driver : scenario.drivers) names.push_back(driver.name);
      unknown_name(fmt::format("unknown driver `{}` in `given`", entry.key), entry.key, entry.key_where, names,
                   "name a driver, a dimensioned driver, or one element, e.g. revenue[routing,Q1]");
    }
    give(found->second, entry);
  }
}

std::vector<std::size_t> select_elements(const Shape& shape, std::span<const Dimension> dimensions,
                                         std::string_view subscript, const SourceLocation& where,
                                         std::string_view driver) {
  struct Label {
    std::string text;
    SourceLocation where;
  };
  std::vector<Label> labels;
  for (std::size_t start = 0;;) {
    const std::size_t comma = std::min(subscript.find(',', start), subscript.size());
    std::size_t first = start, last = comma;
    while (first < last && subscript[first] == ' ') ++first;
    while (last > first && subscript[last - 1] == ' ') --last;
    labels.push_back({std::string(subscript.substr(first, last - first)),
                      where.shifted(static_cast<int>(first), static_cast<int>(std::max<std::size_t>(1, last - first)))});
    if (comma == subscript.size()) break;
    start = comma + 1;
  }
  std::vector<std::string> axis_names;
  for (const Axis& axis : shape) axis_names.push_back(dimensions[axis.dimension].name);
  const std::string order = fmt::format("{}[{}]", driver, fmt::join(axis_names, ","));
  if (labels.size() > shape.size()) {
    throw InputError(where,
                     fmt::format("`{}` has {} dimension{}, but `[{}]` names {} elements", driver, shape.size(),
                                 shape.size() == 1 ? "" : "s", subscript, labels.size()),
                     fmt::format("name at most one element of each dimension: {}", order));
  }
  // The position chosen along each axis; an axis no label names keeps every element.
  std::vector<std::ptrdiff_t> chosen(shape.size(), -1);
  for (std::size_t k = 0; k < labels.size(); ++k) {
    const Label& label = labels[k];
    if (!is_element_label(label.text)) {
      throw InputError(label.where, fmt::format("expected an element name, found `{}`", label.text),
                       fmt::format("name elements of `{}` between the brackets: {}", driver, order));
    }
    std::vector<std::size_t> axes;  // the axes whose dimension has this element
    for (std::size_t a = 0; a < shape.size(); ++a)
      if (element_index(dimensions[shape[a].dimension], label.text) >= 0) axes.push_back(a);
    if (axes.size() > 1 && labels.size() == shape.size()) axes = {k};  // every axis named: in the order of `over`
    if (axes.empty()) {
      std::vector<std::string> known;
      for (const Axis& axis : shape)
        known.insert(known.end(), dimensions[axis.dimension].elements.begin(), dimensions[axis.dimension].elements.end());
      unknown_name(fmt::format("`{}` has no element `{}`", driver, label.text), label.text, label.where, known,
                   fmt::format("`{}` ranges over {}", driver, quoted_list(axis_names)));
    }
    if (axes.size() > 1) {
      throw InputError(label.where,
                       fmt::format("`{}` is an element of both `{}` and `{}`", label.text, axis_names[axes[0]],
                                   axis_names[axes[1]]),
                       fmt::format("name one element of each dimension, in this order: {}", order));
    }
    const std::size_t axis = axes.front();
    if (chosen[axis] >= 0) {
      throw InputError(label.where, fmt::format("`[{}]` names two elements of `{}`", subscript, axis_names[axis]),
                       fmt::format("name at most one element of each dimension: {}", order));
    }
    chosen[axis] = element_index(dimensions[shape[axis].dimension], label.text) - static_cast<std::ptrdiff_t>(shape[axis].first);
  }
  std::vector<std::size_t> selected;
  for (std::size_t i = 0; i < element_count(shape); ++i) {
    const std::vector<std::size_t> at = element_coordinates(shape, i);
    bool match = true;
    for (std::size_t a = 0; a < shape.size(); ++a)
      match = match && (chosen[a] < 0 || at[a] == static_cast<std::size_t>(chosen[a]));
    if (match) selected.push_back(i);
  }
  return selected;
}

void patch_elements(YamlNode& driver, const YamlNode* dimensions_section, std::string_view subscript,
                    const SourceLocation& subscript_where, const std::string& parameter,
                    const SourceLocation& parameter_where, YamlNode value) {
  const std::string& name = driver.key;
  if (!is_dimensioned(driver)) {
    throw InputError(subscript_where, fmt::format("`{}` has no dimensions, so no elements to name", name),
                     fmt::format("change the driver as a whole: {}{}{}", name, parameter.empty() ? "" : ".", parameter));
  }
  const std::vector<Dimension> dimensions = dimensions_section ? read_dimensions(*dimensions_section) : std::vector<Dimension>{};
  const Shape shape = read_over(*driver.find("over"), dimensions, name);
  const std::vector<std::size_t> selected = select_elements(shape, dimensions, subscript, subscript_where, name);
  if (parameter.empty()) {
    throw InputError(subscript_where,
                     fmt::format("an element of `{}` cannot be replaced whole: its elements share one distribution", name),
                     fmt::format("change one of its parameters ({}[{}].PARAM=VALUE), or fix a reported value with `given`",
                                 name, subscript));
  }
  const auto whole = [](std::string_view key) {
    return key == "over" || key == "ar1" || key == "correlation";
  };
  if (whole(parameter)) {
    throw InputError(parameter_where, fmt::format("`{}` belongs to `{}` as a whole, not to its elements", parameter, name),
                     fmt::format("change it without naming elements: {}.{}", name, parameter));
  }
  YamlNode* written = driver.find(parameter);
  if (!written) {
    std::vector<std::string> parameters;
    for (const YamlNode& entry : driver.children)
      if (!whole(entry.key)) parameters.push_back(entry.key);
    unknown_name(fmt::format("`{}` has no parameter `{}`; its elements take the parameters it has ({})", name,
                             parameter, quoted_list(parameters)),
                 parameter, parameter_where, parameters,
                 fmt::format("to use `{}`, change it for the whole driver: {}.{}", parameter, name, parameter));
  }
  if (value.is_null()) {
    throw InputError(parameter_where, fmt::format("`{}` cannot be removed from some elements of `{}` only", parameter, name),
                     fmt::format("remove it for the whole driver: {}.{}=null", name, parameter));
  }
  // Every element's value, the selected ones replaced, written back as a mapping by element name.
  std::vector<YamlNode> values(element_count(shape));
  const PerElement per_element(shape, dimensions, fmt::format("`{}` of `{}`", parameter, name), false,
                               lists_are_values(parameter));
  per_element.visit(*written, [&](std::size_t i, const YamlNode& element_value) { values[i] = element_value; });
  value.changed = true;
  for (const std::size_t i : selected) values[i] = value;
  const std::function<YamlNode(std::size_t, std::size_t)> nest = [&](std::size_t axis, std::size_t index) {
    if (axis == shape.size()) return values[index];
    YamlNode map;
    map.kind = YamlNode::Kind::map;
    map.where = written->where;
    const Dimension& dimension = dimensions[shape[axis].dimension];
    for (std::size_t i = 0; i < shape[axis].count; ++i) {
      YamlNode child = nest(axis + 1, index * shape[axis].count + i);
      child.key = dimension.elements[shape[axis].first + i];
      child.key_where = written->key_where;
      map.children.push_back(std::move(child));
    }
    return map;
  };
  YamlNode rewritten = nest(0, 0);
  rewritten.key = written->key;
  rewritten.key_where = written->key_where;
  *written = std::move(rewritten);
}

}  // namespace guidance::load_detail
