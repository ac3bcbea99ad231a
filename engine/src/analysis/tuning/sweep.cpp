// `guidance sweep`: the scenario at every value of one or two driver parameters, with common random
// numbers; and the model at a point, which solve shares.
#include <algorithm>

#include <fmt/format.h>

#include "analysis/tuning/tuning_input.hpp"
#include "guidance/decimal.hpp"

namespace guidance {

namespace tuning_detail {

InputError text_error(const std::shared_ptr<const SourceText>& text, std::size_t first, std::size_t length,
                      std::string message, std::string hint) {
  return InputError(SourceLocation{text, 1, static_cast<int>(first) + 1, static_cast<int>(std::max<std::size_t>(1, length))},
                    std::move(message), std::move(hint));
}

void unknown_variable(const Model& model, const std::string& name, const SourceLocation& where,
                      const std::string& fallback_hint) {
  std::vector<std::string> names;
  for (const Variable& variable : model.variables) names.push_back(variable.name);
  const std::string suggestion = did_you_mean(name, names);
  throw InputError(where, fmt::format("unknown variable `{}`", name), suggestion.empty() ? fallback_hint : suggestion);
}

ParameterValue written(double value, bool percent) {
  ParameterValue out;
  out.text = percent ? fmt::format("{}%", value * 100.0) : fmt::format("{}", value);
  out.value = read_decimal(out.text)->value;
  out.percent = percent;
  return out;
}

Model load_point(const TuningSource& source, std::span<const Variation> vary, std::span<const ParameterValue> values) {
  std::vector<ParameterSetting> settings;
  for (std::size_t k = 0; k < vary.size(); ++k)
    settings.push_back({vary[k].driver, vary[k].parameter, values[k].value, values[k].percent});
  try {
    return with_parameters(source.scenario, settings);
  } catch (const SettingError& error) {
    // Moved to where the caller wrote the variation that asked for the setting: its name when the name
    // is at fault, otherwise its values, with the point named.
    std::string point;
    for (std::size_t k = 0; k < vary.size(); ++k)
      point += fmt::format("{}{} = {}", k == 0 ? "" : ", ", vary[k].name(), values[k].text);
    const std::string message = fmt::format("at {}: {}", point, error.message());
    if (error.setting() == SettingError::whole) throw InputError(error.where(), message, error.hint());
    const Variation& variation = vary[error.setting()];
    if (!error.about_value())
      throw InputError(variation.name_where.shifted(error.where().column - 1, error.where().length), error.message(),
                       error.hint());
    throw InputError(variation.values_where, message, error.hint());
  }
}

}  // namespace tuning_detail

Sweep run_sweep(const TuningSource& source, std::vector<Variation> vary, const RunOptions& options) {
  if (vary.empty() || vary.size() > 2) {
    throw InputError({}, fmt::format("a sweep varies one or two parameters, found {}", vary.size()),
                     "one parameter gives a table, two give a grid");
  }
  for (const Variation& variation : vary) {
    if (variation.values.empty()) {
      throw InputError(variation.values_where, fmt::format("`{}` has no values to sweep", variation.name()),
                       "give it a range START:STOP:STEP or a list of values v1,v2,...");
    }
  }
  if (vary.size() == 2 && vary[0].name() == vary[1].name()) {
    throw InputError(vary[1].name_where, fmt::format("`{}` is varied twice", vary[1].name()),
                     "vary each parameter once, with all its values");
  }
  const std::size_t inner = vary.size() == 2 ? vary[1].values.size() : 1;
  const std::size_t count = vary[0].values.size() * inner;
  if (count > max_sweep_points) {
    throw InputError({}, fmt::format("the sweep has {} points ({} x {}), more than the limit of {}", count,
                                     vary[0].values.size(), inner, max_sweep_points),
                     "use fewer values");
  }

  Sweep sweep{std::move(vary), {}};
  // Every point is loaded before any is run: a bad value fails in milliseconds, not after a long run.
  for (std::size_t i = 0; i < count; ++i) {
    std::vector<ParameterValue> values = {sweep.vary[0].values[i / inner]};
    if (sweep.vary.size() == 2) values.push_back(sweep.vary[1].values[i % inner]);
    SweepPoint& point = sweep.points.emplace_back();
    for (const ParameterValue& value : values) point.values.push_back(value.value);
    point.model = tuning_detail::load_point(source, sweep.vary, values);
  }
  check_memory("sweep", run_report_memory(source.model, run_reports_options(count, options)), options.trials);
  std::vector<const Model*> models;
  for (const SweepPoint& point : sweep.points) models.push_back(&point.model);
  std::vector<RunReport> reports = run_reports(models, options, Charts::none);
  for (std::size_t i = 0; i < count; ++i) sweep.points[i].report = std::move(reports[i]);
  return sweep;
}

}  // namespace guidance
