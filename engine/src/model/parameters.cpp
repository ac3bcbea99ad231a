// Typed changes to a loaded scenario: one driver parameter set to a number, the driver re-derived by
// the loader's rules from its entry as loaded (load/driver.hpp), the model compiled again. A sweep
// point or solve iterate costs a driver's reading and a compilation, not a parse of the file.
#include <algorithm>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "guidance/model.hpp"
#include "load/dimensions.hpp"
#include "load/driver.hpp"
#include "load/read_scenario.hpp"
#include "load/variants.hpp"

namespace guidance {

namespace {

using load_detail::YamlNode;

/// Where one setting's errors are located: its name "DRIVER.PARAMETER", and a stand-in for its value.
/// Which of the two texts an error points into says what is at fault.
struct StandIn {
  std::shared_ptr<const SourceText> name, value;
};

SettingError classified(const InputError& error, std::span<const StandIn> stand_ins) {
  for (std::size_t k = 0; k < stand_ins.size(); ++k) {
    if (error.where().source == stand_ins[k].name) return SettingError(error, k, false);
    if (error.where().source == stand_ins[k].value) return SettingError(error, k, true);
  }
  return SettingError(error, SettingError::whole, true);
}

/// The drivers `name` sets: a driver or one element (`revenue[Q4]`), every element of a dimensioned
/// driver (`revenue`), or the elements a subscript selects (`revenue[routing]`).
std::vector<std::size_t> find_drivers(const Scenario& scenario, const std::string& name, const SourceLocation& where) {
  const auto found = std::ranges::find(scenario.drivers, name, &Driver::name);
  if (found != scenario.drivers.end()) return {static_cast<std::size_t>(found - scenario.drivers.begin())};
  const std::string base = name.substr(0, name.find('['));
  const std::optional<ElementTarget> element = split_subscript(name);
  const ArrayRange* array = load_detail::find_array(scenario, base);
  if (array && element) {
    std::vector<std::size_t> elements;
    if (!element->subscript) {
      for (std::size_t i = 0; i < element_count(array->shape); ++i) elements.push_back(array->first + i);
      return elements;
    }
    const std::size_t length = element->subscript->size();
    for (const std::size_t i : load_detail::select_elements(
             array->shape, scenario.dimensions, *element->subscript,
             where.shifted(static_cast<int>(base.size() + 1), static_cast<int>(std::max<std::size_t>(1, length))), base))
      elements.push_back(array->first + i);
    return elements;
  }
  std::vector<std::string> names;
  for (const ArrayRange& each : scenario.arrays) names.push_back(each.name);
  for (const Driver& driver : scenario.drivers) names.push_back(driver.name);
  const bool metric = std::ranges::find(scenario.metrics, base, &Metric::name) != scenario.metrics.end();
  load_detail::not_a_driver(base, where.shifted(0, static_cast<int>(base.size())), metric, names);
}

/// The value as a scalar node the loader reads as is; its text only shows it.
YamlNode typed_value(const ParameterSetting& setting, const SourceLocation& where) {
  YamlNode node;
  node.kind = YamlNode::Kind::scalar;
  node.text = where.source->text;
  node.where = where;
  node.typed = YamlNode::Typed{setting.value, setting.percent};
  return node;
}

}  // namespace

Model with_parameters(Scenario scenario, std::span<const ParameterSetting> settings) {
  std::vector<StandIn> stand_ins;
  for (const ParameterSetting& setting : settings) {
    const std::string shown = setting.percent ? fmt::format("{}%", setting.value * 100) : fmt::format("{}", setting.value);
    stand_ins.push_back({std::make_shared<const SourceText>(SourceText{"", setting.name()}),
                         std::make_shared<const SourceText>(SourceText{"", shown})});
  }
  // Every setting is applied to its driver's entry first and the drivers are read after, in file
  // order: the errors come in the order a file with these values written in it gives them.
  std::map<std::size_t, YamlNode> entries;
  for (std::size_t k = 0; k < settings.size(); ++k) {
    const SourceLocation name_where{stand_ins[k].name, 1, 1, static_cast<int>(std::max<std::size_t>(1, settings[k].name().size()))};
    const SourceLocation value_where{stand_ins[k].value, 1, 1, static_cast<int>(stand_ins[k].value->text.size())};
    try {
      for (const std::size_t d : find_drivers(scenario, settings[k].driver, name_where)) {
        YamlNode& entry = entries.try_emplace(d, scenario.drivers[d].written->entry).first->second;
        load_detail::patch_driver_entry(entry, settings[k].parameter, name_where, typed_value(settings[k], value_where));
      }
    } catch (const InputError& error) {
      throw classified(error, stand_ins);
    }
  }
  try {
    for (const auto& [d, entry] : entries) {
      Driver& driver = scenario.drivers[d];
      const std::optional<double> given = driver.given;
      const SourceLocation given_where = driver.given_where;
      driver = load_detail::read_driver(entry, driver.written->context);
      if (given && driver.distribution) {  // a reported value stays reported, and must still be possible
        driver.given = given;
        driver.given_where = given_where;
        load_detail::check_given(driver, fmt::format("{}", *given));
      }
    }
    for (const Correlation& correlation : scenario.correlations) {
      // A pair, not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
      for (const auto& end : {std::pair{&correlation.first, &correlation.first_where},
                              std::pair{&correlation.second, &correlation.second_where}}) {
        const std::string& name = *end.first;
        const auto driver = std::find_if(scenario.drivers.begin(), scenario.drivers.end(),
                                         [&](const Driver& d) { return d.name == name; });
        if (!driver->distribution) load_detail::constant_correlated(name, *end.second);
      }
    }
    return build_model(scenario);
  } catch (const InputError& error) {
    throw classified(error, stand_ins);
  }
}

}  // namespace guidance
