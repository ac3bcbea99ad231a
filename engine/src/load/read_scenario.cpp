#include "load/read_scenario.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "load/dimensions.hpp"
#include "load/driver.hpp"
#include "load/values.hpp"

namespace guidance::load_detail {

namespace {

SimulationSettings read_simulation(const YamlNode& node) {
  static const std::vector<std::string> keys = {"trials", "seed", "sampling", "repair_correlations"};
  static const std::vector<std::string> samplings = {"mc", "lhs", "sobol"};
  require_map(node, "`simulation`");
  check_keys(node, keys, "`simulation`");
  SimulationSettings settings;
  if (const YamlNode* trials = node.find("trials")) settings.trials = read_whole_number(*trials, 1, 10'000'000'000);
  if (const YamlNode* seed = node.find("seed"))
    settings.seed = read_whole_number(*seed, 0, std::numeric_limits<std::uint64_t>::max());
  if (const YamlNode* sampling = node.find("sampling")) {
    const std::string name = read_text(*sampling);
    settings.sampling = sampling_from_key(name);
    if (!settings.sampling)
      unknown_name(fmt::format("unknown sampling `{}`", name), name, sampling->where, samplings,
                   "sampling is " + quoted_list(samplings, "or"));
  }
  if (const YamlNode* repair = node.find("repair_correlations")) settings.repair_correlations = read_bool(*repair);
  return settings;
}

// `revenue` in `guidance:` or `actuals:` where revenue has elements: one of them is meant.
[[noreturn]] void whole_array(const YamlNode& entry, const std::string& name, std::size_t elements,
                              const std::string& example) {
  throw InputError(entry.key_where, fmt::format("`{}` has {} elements; name one of them", name, elements),
                   fmt::format("e.g. `{}`", example));
}

// Names already defined, for "unknown name" checks and "did you mean" hints. Looked up by hash, so
// that a file with thousands of drivers and metrics is read in time linear in its size.
class Names {
 public:
  explicit Names(const Scenario& scenario) : drivers_(scenario.drivers), scenario_(scenario) {
    for (const Driver& d : drivers_) driver_index_.emplace(d.name, &d);
  }
  /// Called once the metrics are read; `metrics` must outlive this object.
  void add_metrics(const std::vector<Metric>& metrics) {
    metrics_ = &metrics;
    for (const Metric& m : metrics) metric_index_.insert(m.name);
  }

  const Driver* driver(std::string_view name) const {
    const auto it = driver_index_.find(name);
    return it == driver_index_.end() ? nullptr : it->second;
  }
  bool metric(std::string_view name) const { return metric_index_.contains(name); }
  const Driver& driver_at(std::size_t index) const { return drivers_[index]; }
  const ArrayRange* array(std::string_view name) const { return find_array(scenario_, name); }
  std::vector<std::string> driver_names() const {
    std::vector<std::string> out;
    for (const ArrayRange& a : scenario_.arrays) out.push_back(a.name);
    for (const Driver& d : drivers_) out.push_back(d.name);
    return out;
  }
  std::vector<std::string> all() const {
    std::vector<std::string> out = driver_names();
    if (metrics_)
      for (const Metric& m : *metrics_) out.push_back(m.name);
    return out;
  }
  // A driver or a metric, named in `section` ("guidance", "actuals"): a scalar, or one element of a
  // dimensioned driver or metric (`eps[Q3]`; a metric's elements are checked once its formula is
  // compiled: check_element_names in load.hpp).
  void require_known(const YamlNode& entry, std::string_view section) const {
    const std::size_t bracket = entry.key.find('[');
    if (bracket != std::string::npos && metric(std::string_view(entry.key).substr(0, bracket))) return;
    if (const ArrayRange* a = array(entry.key)) whole_array(entry, a->name, element_count(a->shape),
                                                             drivers_[a->first].name);
    if (!driver(entry.key) && !metric(entry.key)) {
      unknown_name(fmt::format("unknown name `{}` in `{}`", entry.key, section), entry.key, entry.key_where, all(),
                   "name a driver or a metric");
    }
  }

 private:
  const std::vector<Driver>& drivers_;
  const Scenario& scenario_;
  const std::vector<Metric>* metrics_ = nullptr;
  std::unordered_map<std::string_view, const Driver*> driver_index_;
  std::unordered_set<std::string_view> metric_index_;
};

// `eps[Q3, FY]` as `eps[Q3,FY]`: the name of an element, however it was spaced.
std::string element_key(std::string_view key) {
  std::string out(key);
  if (out.find('[') != std::string::npos) std::erase(out, ' ');
  return out;
}

// A section keyed by names (guidance, actuals) with element names written as the model spells them.
std::optional<YamlNode> keyed_by_elements(const YamlNode* section) {
  if (!section) return std::nullopt;
  YamlNode out = *section;
  for (YamlNode& entry : out.children) entry.key = element_key(entry.key);
  return out;
}

// A metric's formula text, which must be the text in the file: formula errors are located by offset.
void read_formula(const YamlNode& node, const std::string& metric, Metric& out) {
  if (!node.is_scalar()) {
    throw InputError(node.where, fmt::format("expected a formula for metric `{}`, found {}", metric, node.describe()),
                     "write the formula as text on one line, e.g. revenue * gross_margin");
  }
  if (!node.verbatim) {
    throw InputError(node.where,
                     node.style == YamlNode::Style::quoted ? "write the formula on one line, without escape sequences"
                                                           : "write the formula on one line",
                     "errors in a formula are shown in place, so the formula must be exactly the text in the file");
  }
  if (node.text.empty()) throw InputError(node.where, fmt::format("metric `{}` has an empty formula", metric));
  out.formula = node.text;
  out.formula_where = node.text_where();
}

// `format: number | percent | currency` and `digits: N`: how the metric's values are shown. A currency
// is the file's: its sign, and its scale as a suffix ("$1,100M" in `units: USD millions`).
void read_display(const YamlNode& entry, const FigureUnits& units, Metric& metric) {
  if (const YamlNode* format = entry.find("format")) {
    static const std::vector<std::string> formats = {"number", "percent", "currency"};
    const std::string name = read_text(*format);
    if (std::ranges::find(formats, name) == formats.end()) {
      unknown_name(fmt::format("unknown format `{}` for metric `{}`", name, metric.name), name, format->where, formats,
                   "a metric is shown as a `number` (the default), a `percent` or `currency`");
    }
    metric.percent = name == "percent";
    if (name == "currency") {
      if (units.sign.empty()) {
        throw InputError(format->where,
                         fmt::format("`format: currency` for metric `{}` needs a currency in the file's `units:`", metric.name),
                         units.text.empty() ? "declare the units, e.g. `units: USD millions`"
                                            : fmt::format("`units: {}` names no currency; start it with one, e.g. "
                                                          "`units: USD millions`",
                                                          units.text));
      }
      metric.display.currency = units.sign;
      metric.display.scale_exponent = units.scale_exponent.value_or(0);
    }
  }
  if (const YamlNode* digits = entry.find("digits")) {
    try {
      metric.display.digits = static_cast<int>(read_whole_number(*digits, 0, 12));
    } catch (const InputError& error) {
      throw InputError(error.where(), fmt::format("`digits` must be a whole number from 0 to 12, found `{}`", digits->text),
                       error.hint().empty() ? "the decimals to show, e.g. `digits: 2` for 0.80" : error.hint());
    }
  }
}

// `NAME: formula`, or `NAME: {formula: ..., format: percent, digits: 1}`.
Metric read_metric(const YamlNode& entry, const Names& names, const FigureUnits& units) {
  check_name(entry.key, entry.key_where);
  if (const Driver* driver = names.driver(entry.key)) {
    throw InputError(entry.key_where, fmt::format("metric `{}` has the same name as a driver", entry.key),
                     fmt::format("driver `{}` is defined on line {}", entry.key, driver->where.line));
  }
  if (const ArrayRange* array = names.array(entry.key)) {
    throw InputError(entry.key_where, fmt::format("metric `{}` has the same name as a driver", entry.key),
                     fmt::format("driver `{}` is defined on line {}", entry.key, array->where.line));
  }
  if (entry.is_null()) throw InputError(entry.key_where, fmt::format("metric `{}` has no formula", entry.key));
  Metric metric;
  metric.name = entry.key;
  metric.where = entry.key_where;
  if (!entry.is_map()) {
    read_formula(entry, entry.key, metric);
    return metric;
  }
  static const std::vector<std::string> keys = {"formula", "format", "digits"};
  check_keys(entry, keys, fmt::format("metric `{}`", entry.key));
  const YamlNode* formula = entry.find("formula");
  if (!formula) {
    throw InputError(entry.where, fmt::format("missing `formula` for metric `{}`", entry.key),
                     "e.g. {formula: operating_income / revenue, format: percent}");
  }
  read_formula(*formula, entry.key, metric);
  read_display(entry, units, metric);
  return metric;
}

// A driver that may be correlated (uncertain, not a metric or a constant), or a dimensioned one whose
// elements all are: its name.
std::string correlated_driver(const YamlNode& node, const Names& names) {
  const std::string name = read_text(node);
  if (const ArrayRange* array = names.array(name)) {
    for (std::size_t i = 0; i < element_count(array->shape); ++i)
      if (!names.driver_at(array->first + i).distribution) constant_correlated(name, node.where);
    return name;
  }
  const Driver* driver = names.driver(name);
  if (!driver && names.metric(name)) {
    throw InputError(node.where, fmt::format("`{}` is a metric; correlations are between drivers", name),
                     "correlate the drivers it is computed from");
  }
  if (!driver) unknown_name(fmt::format("unknown driver `{}`", name), name, node.where, names.driver_names());
  if (!driver->distribution) constant_correlated(name, node.where);
  return name;
}

// `correlations:`, after the correlations the drivers' own `ar1:` and `correlation:` stated. A pair of
// dimensioned drivers stands for the pairs of their elements (element_pairs).
void read_correlations(const YamlNode& node, const Names& names, const Scenario& scenario,
                       std::vector<Correlation>& correlations) {
  require_list(node, "`correlations`");
  std::unordered_map<std::string, std::size_t> pairs;  // "first\nsecond" in name order -> its index
  const auto key = [](const std::string& a, const std::string& b) { return a < b ? a + '\n' + b : b + '\n' + a; };
  for (std::size_t i = 0; i < correlations.size(); ++i) pairs.emplace(key(correlations[i].first, correlations[i].second), i);
  for (const YamlNode& item : node.children) {
    if (!item.is_list() || item.children.size() < 3 || item.children.size() > 4) {
      const std::string found = item.is_list() ? fmt::format("a list of {}", item.children.size()) : item.describe();
      throw InputError(item.where, fmt::format("expected [driver, driver, rho], found {}", found),
                       "write one correlation per line, e.g. - [revenue, opex, 0.4]");
    }
    const YamlNode& first = item.children[0];
    const YamlNode& second = item.children[1];
    const YamlNode& rho = item.children[2];
    Correlation c{correlated_driver(first, names), correlated_driver(second, names), read_number(rho).value,
                  item.where, first.where, second.where, rho.where};
    if (item.children.size() == 4) {
      const YamlNode& pin = item.children[3];
      if (!pin.is_scalar() || pin.text != "pin")
        throw InputError(pin.where, fmt::format("expected `pin` after the correlation, found {}", pin.describe()),
                         "[driver, driver, rho, pin] keeps that correlation as written when the matrix is repaired");
      c.pinned = true;
    }
    if (c.first == c.second) throw InputError(second.where, fmt::format("`{}` is correlated with itself", c.first));
    if (!(std::fabs(c.rho) <= 1.0)) {
      throw InputError(rho.where, fmt::format("a correlation must be between -1 and 1, found {}", rho.text));
    }
    for (auto& [a, b] : element_pairs(scenario, c.first, c.second)) {
      Correlation element = c;
      element.first = std::move(a);
      element.second = std::move(b);
      const auto [earlier, added] = pairs.try_emplace(key(element.first, element.second), correlations.size());
      if (!added) {
        throw InputError(item.where,
                         fmt::format("`{}` and `{}` are already correlated on line {}", element.first, element.second,
                                     correlations[earlier->second].where.line),
                         "give each pair once");
      }
      correlations.push_back(std::move(element));
    }
  }
}

GuidanceLine read_reported_guidance(const YamlNode& entry, const Names& names, const RangeContext& context);

std::string trimmed(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(" \t") - first + 1));
}

// A read [low, high] line's ends as written: "0.19 to 0.22", "at least 0.19", "at most 22%".
std::string written_ends(const YamlNode& list) {
  const YamlNode& low = list.children[0];
  const YamlNode& high = list.children[1];
  if (low.is_null()) return "at most " + trimmed(high.text);
  if (high.is_null()) return "at least " + trimmed(low.text);
  return fmt::format("{} to {}", trimmed(low.text), trimmed(high.text));
}

// Judge the line on the figure as it will be reported, rounded to `step` (formula/rounding.hpp): the
// range on the unrounded value, whose ends move out to the halves between reported figures.
void report_to(GuidanceLine& line, double step, const YamlNode& at) {
  const std::optional<std::pair<double, double>> interval = reported_interval(line.low, line.high, step);
  if (!interval) {
    throw InputError(at.where, fmt::format("no figure reported to {} lies in the guidance on `{}`", step, line.name),
                     "widen the range, or report the figure to a finer step");
  }
  std::tie(line.low, line.high) = *interval;
}

// A guidance line written as published: "16000 ± 2%", "63.5% to 64.5%", or a point, "~2000", judged on
// the figure reported to its last stated digit.
// `reported_to`, when given, is the step instead of the point's own.
GuidanceLine read_guidance_text(const YamlNode& entry, const YamlNode& text, const FigureUnits& units,
                                std::optional<double> reported_to = std::nullopt) {
  const RangeText range = read_range_text(text, units, true);
  GuidanceLine line;
  line.name = entry.key;
  line.where = entry.key_where;
  line.low = range.low;
  line.high = range.high;
  line.percent = range.percent;
  line.text = trimmed(text.text);
  if (reported_to) report_to(line, *reported_to, text);
  else if (range.point) report_to(line, range.step, text);
  return line;
}

GuidanceLine read_guidance_line(const YamlNode& entry, const Names& names, const RangeContext& context) {
  names.require_known(entry, "guidance");
  if (entry.is_scalar()) return read_guidance_text(entry, entry, context.units);
  if (entry.is_map()) return read_reported_guidance(entry, names, context);
  if (!entry.is_list() || entry.children.size() != 2) {
    throw InputError(entry.where, fmt::format("expected [low, high] for the guidance on `{}`, found {}", entry.key,
                                              entry.describe()),
                     "write null for an open end, e.g. [0.19, null], or the range as published, e.g. \"0.04 ± 0.10\"");
  }
  const std::optional<Number> low = read_number_or_null(entry.children[0]);
  const std::optional<Number> high = read_number_or_null(entry.children[1]);
  if (!low && !high) {
    throw InputError(entry.where, fmt::format("the guidance on `{}` has no bounds", entry.key),
                     "give at least one end, e.g. [0.19, null]");
  }
  GuidanceLine line;
  line.name = entry.key;
  line.where = entry.key_where;
  if (low) line.low = low->value;
  if (high) line.high = high->value;
  line.percent = (low && low->percent) || (high && high->percent);
  if (line.low > line.high) {
    throw InputError(entry.where,
                     fmt::format("the guidance on `{}` has low {} above high {}", entry.key, entry.children[0].text,
                                 entry.children[1].text),
                     "write [low, high]");
  }
  return line;
}

// `{range: "0.04 ± 0.10", reported_to: 0.01}`: the range, judged on the figure rounded to the step.
GuidanceLine read_reported_guidance(const YamlNode& entry, const Names& names, const RangeContext& context) {
  static const std::vector<std::string> keys = {"range", "reported_to"};
  check_keys(entry, keys, fmt::format("the guidance on `{}`", entry.key));
  const YamlNode* range = entry.find("range");
  if (!range) {
    throw InputError(entry.where, fmt::format("missing `range` in the guidance on `{}`", entry.key),
                     "write e.g. {range: \"0.04 ± 0.10\", reported_to: 0.01}");
  }
  std::optional<double> reported_to;
  if (const YamlNode* step = entry.find("reported_to")) {
    reported_to = read_number(*step).value;
    if (!(*reported_to > 0)) {
      throw InputError(step->where, fmt::format("expected a step above zero for `reported_to`, found {}", step->text),
                       "the step the figure is reported to, e.g. 0.01 for cents");
    }
  }
  GuidanceLine line;
  if (range->is_scalar()) {
    line = read_guidance_text(entry, *range, context.units, reported_to);
  } else {
    YamlNode list = *range;  // [low, high], read as a line of its own
    list.key = entry.key;
    list.key_where = entry.key_where;
    line = read_guidance_line(list, names, context);
    if (!reported_to) return line;
    report_to(line, *reported_to, *entry.find("reported_to"));
    line.text = written_ends(list);
  }
  if (reported_to) line.text += fmt::format(" (reported to {})", trimmed(entry.find("reported_to")->text));
  return line;
}

template <typename Read>
auto read_entries(const YamlNode* section, std::string_view name, Read read) {
  std::vector<decltype(read(std::declval<const YamlNode&>()))> out;
  if (!section) return out;
  require_map(*section, fmt::format("`{}`", name));
  for (const YamlNode& entry : section->children) out.push_back(read(entry));
  return out;
}

std::string optional_text(const YamlNode* node) { return node && !node->is_null() ? read_text(*node) : std::string(); }

}  // namespace

void constant_correlated(const std::string& driver, const SourceLocation& where) {
  throw InputError(where, fmt::format("`{}` is a constant; only uncertain drivers can be correlated", driver));
}

const std::vector<std::string>& top_level_keys() {
  static const std::vector<std::string> keys = {"name",     "description", "units",    "ranges",  "simulation",
                                                "dimensions", "drivers",   "correlations", "given", "metrics",
                                                "guidance", "actuals",     "scenarios"};
  return keys;
}

Scenario read_scenario(const YamlNode& root, const std::shared_ptr<const SourceText>& source) {
  if (root.is_null() && root.text.empty()) {
    throw InputError(SourceLocation{source}, "the file is empty",
                     "a scenario needs at least `name:` and `drivers:` (see docs/scenario-format.md)");
  }
  if (!root.is_map()) {
    throw InputError(root.where, fmt::format("a scenario must be a mapping of keys, found {}", root.describe()),
                     "a scenario starts with lines such as `name: ...` and `drivers:`");
  }
  check_keys(root, top_level_keys());

  Scenario scenario;
  scenario.source = source;
  const YamlNode* name = root.find("name");
  if (!name) throw InputError(SourceLocation{source}, "missing `name`", "give the scenario a name: `name: ...`");
  scenario.name = read_text(*name);
  if (scenario.name.empty()) throw InputError(name->where, "`name` is empty");
  scenario.description = optional_text(root.find("description"));
  scenario.units = optional_text(root.find("units"));
  if (const YamlNode* simulation = root.find("simulation")) scenario.simulation = read_simulation(*simulation);

  const YamlNode* drivers = root.find("drivers");
  if (!drivers) {
    throw InputError(SourceLocation{source}, "missing `drivers`",
                     "list the uncertain inputs, e.g. drivers: {revenue: {dist: normal, mean: 100, sd: 5}}");
  }
  RangeContext context{read_figure_units(scenario.units), {}};
  if (const YamlNode* ranges = root.find("ranges")) context.reading = read_range_reading(*ranges);
  if (const YamlNode* dimensions = root.find("dimensions")) scenario.dimensions = read_dimensions(*dimensions);
  require_map(*drivers, "`drivers`");
  for (const YamlNode& entry : drivers->children) {
    check_name(entry.key, entry.key_where);
    if (is_dimensioned(entry)) read_dimensioned_driver(entry, context, scenario);
    else scenario.drivers.push_back(read_driver(entry, context));
  }
  if (scenario.drivers.empty()) throw InputError(drivers->key_where, "`drivers` is empty", "a scenario needs a driver");

  Names names(scenario);
  scenario.metrics = read_entries(root.find("metrics"), "metrics",
                                  [&](const YamlNode& entry) { return read_metric(entry, names, context.units); });
  names.add_metrics(scenario.metrics);
  for (const Dimension& dimension : scenario.dimensions) {
    if (names.driver(dimension.name) || names.array(dimension.name) || names.metric(dimension.name)) {
      throw InputError(dimension.where,
                       fmt::format("dimension `{}` has the same name as a {}", dimension.name,
                                   names.metric(dimension.name) ? "metric" : "driver"),
                       "a formula must tell a dimension (sum(x, quarter)) from a value: rename one");
    }
  }
  if (const YamlNode* correlations = root.find("correlations"))
    read_correlations(*correlations, names, scenario, scenario.correlations);
  if (const YamlNode* given = root.find("given")) read_given(*given, scenario);
  const std::optional<YamlNode> guidance = keyed_by_elements(root.find("guidance"));
  const std::optional<YamlNode> actuals = keyed_by_elements(root.find("actuals"));
  scenario.guidance = read_entries(guidance ? &*guidance : nullptr, "guidance",
                                   [&](const YamlNode& entry) { return read_guidance_line(entry, names, context); });
  scenario.actuals = read_entries(actuals ? &*actuals : nullptr, "actuals", [&](const YamlNode& entry) {
    names.require_known(entry, "actuals");
    return Actual{entry.key, read_number(entry).value, entry.key_where};
  });
  return scenario;
}

void check_element_names(const Scenario& scenario, const formula::Program& program) {
  const auto check = [&](const std::string& name, const SourceLocation& where) {
    const std::string_view base = std::string_view(name).substr(0, name.find('['));
    const auto metric = std::ranges::find(scenario.metrics, base, &Metric::name);
    if (metric == scenario.metrics.end()) return;  // a driver: read_scenario checked it
    const auto j = static_cast<std::size_t>(metric - scenario.metrics.begin());
    const Shape& shape = program.shapes[j];
    const std::size_t count = element_count(shape);
    std::vector<std::string> elements;
    for (std::size_t i = 0; i < count; ++i) elements.push_back(element_name(base, shape, i, scenario.dimensions));
    if (std::ranges::find(elements, name) != elements.end()) return;
    if (shape.empty()) {
      throw InputError(where, fmt::format("`{}` is a scalar metric, without elements", base),
                       fmt::format("name it alone: `{}`", base));
    }
    if (base == name) {
      throw InputError(where, fmt::format("`{}` has {} elements ({}); name one of them", name, count,
                                          describe_shape(shape, scenario.dimensions)),
                       fmt::format("e.g. `{}`", elements.back()));
    }
    unknown_name(fmt::format("`{}` has no element `{}`", base, name.substr(base.size())), name, where, elements,
                 fmt::format("its elements run over {}", describe_shape(shape, scenario.dimensions)));
  };
  for (const GuidanceLine& line : scenario.guidance) check(line.name, line.where);
  for (const Actual& actual : scenario.actuals) check(actual.name, actual.where);
}

}  // namespace guidance::load_detail
