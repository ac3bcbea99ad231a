// with_parameters: a typed change of one driver parameter gives the model a file with that value
// written in it gives (compared with the same change made by an override and loaded again), and its
// errors say which setting is at fault and whether its name or its value.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "guidance/load.hpp"
#include "guidance/simulate.hpp"

using namespace guidance;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string scenario_path(const std::string& name) { return std::string(GUIDANCE_SOURCE_DIR "/scenarios/") + name; }

/// Every trial of every variable, and how each variable is shown, of a 500-trial run.
void check_same_model(const Model& typed, const Model& reloaded) {
  REQUIRE(typed.variables.size() == reloaded.variables.size());
  for (std::size_t v = 0; v < typed.variables.size(); ++v) {
    CAPTURE(typed.variables[v].name);
    CHECK(typed.variables[v].percent == reloaded.variables[v].percent);
    CHECK(typed.variables[v].stochastic == reloaded.variables[v].stochastic);
    CHECK(typed.variables[v].constant_value == reloaded.variables[v].constant_value);
  }
  const RunOptions options{.trials = 500, .seed = 7};
  const SimulationResult a = simulate(typed, options), b = simulate(reloaded, options);
  for (std::size_t v = 0; v < typed.variables.size(); ++v) {
    if (!typed.variables[v].stochastic) continue;
    CAPTURE(typed.variables[v].name);
    const auto x = a.column(v), y = b.column(v);
    CHECK(std::equal(x.begin(), x.end(), y.begin(), y.end()));
  }
}

struct Case {
  std::string file;
  ParameterSetting setting;
  std::string override_text;  // the same change as `--set` writes it
};

}  // namespace

TEST_CASE("with_parameters gives the model of the same value written in the file", "[parameters]") {
  const Case c = GENERATE(values<Case>({
      {"juniper_q4_2012.yaml", {"revenue", "p90", 1130, false}, "revenue.p90=1130"},
      {"juniper_q4_2012.yaml", {"gross_margin", "p10", 0.631, true}, "gross_margin.p10=63.1%"},
      {"juniper_q4_2012.yaml", {"tax_rate", "", 0.305, true}, "tax_rate=30.5%"},
      {"juniper_q4_2012.yaml", {"opex", "mode", 550, false}, "opex.mode=550"},
      {"juniper_q4_2012.yaml", {"other_income", "sd", 8, false}, "other_income.sd=8"},
      {"juniper_q4_2012.yaml", {"other_income", "", -5.7, false}, "other_income=-5.7"},
      {"juniper_q4_2012.yaml", {"revenue", "shift", 5, false}, "revenue.shift=5"},
      // drivers written as published ranges keep their `range:` reading
      {"nvidia_q4_fy2023.yaml", {"revenue", "shift", -100, false}, "revenue.shift=-100"},
      {"nvidia_q4_fy2023.yaml", {"gross_margin", "scale", 1.01, false}, "gross_margin.scale=1.01"},
      {"nvidia_q4_fy2023.yaml", {"tax_rate", "", 0.1, true}, "tax_rate=10%"},
      {"cost_model.yaml", {"units_sold", "median", 1.1e6, false}, "units_sold.median=1.1e6"},
      {"cost_model.yaml", {"scrap_rate", "lambda", 6, false}, "scrap_rate.lambda=6"},
      {"cost_model.yaml", {"fixed_costs", "", 9e6, false}, "fixed_costs=9e6"},
      // a dimensioned driver's element, all its elements, and an element already reported
      {"juniper_fy2012.yaml", {"revenue[Q4]", "p90", 1140, false}, "revenue[Q4].p90=1140"},
      {"juniper_fy2012.yaml", {"operating_margin", "p90", 0.18, true}, "operating_margin.p90=18%"},
      {"juniper_fy2012.yaml", {"revenue[Q3]", "p10", 1100, false}, "revenue[Q3].p10=1100"},
  }));
  CAPTURE(c.override_text);
  const std::string path = scenario_path(c.file);
  const Scenario scenario = load_scenario(path);
  LoadOptions options;
  options.overrides = {c.override_text};
  const Model reloaded = build_model(parse_scenario(read_file(path), path, options));
  check_same_model(with_parameters(scenario, std::span(&c.setting, 1)), reloaded);
}

TEST_CASE("with_parameters applies two settings of one driver together", "[parameters]") {
  const std::string path = scenario_path("juniper_q4_2012.yaml");
  const ParameterSetting settings[] = {{"revenue", "p10", 1090, false}, {"revenue", "p90", 1140, false}};
  LoadOptions options;
  options.overrides = {"revenue.p10=1090", "revenue.p90=1140"};
  check_same_model(with_parameters(load_scenario(path), settings),
                   build_model(parse_scenario(read_file(path), path, options)));
}

namespace {

SettingError setting_error(const Scenario& scenario, std::span<const ParameterSetting> settings) {
  try {
    with_parameters(scenario, settings);
  } catch (const SettingError& error) {
    return error;
  }
  FAIL("no SettingError");
  throw;
}

}  // namespace

TEST_CASE("with_parameters says which setting is at fault, and whether its name or its value", "[parameters]") {
  const Scenario scenario = load_scenario(scenario_path("juniper_q4_2012.yaml"));
  SECTION("an unknown driver: the name, with did you mean") {
    const ParameterSetting settings[] = {{"revenue", "p90", 1130, false}, {"revenu", "p90", 1130, false}};
    const SettingError error = setting_error(scenario, settings);
    CHECK(error.setting() == 1);
    CHECK_FALSE(error.about_value());
    CHECK(error.message() == "unknown driver `revenu`");
    CHECK(error.hint() == "did you mean `revenue`?");
    CHECK(error.where().column == 1);
    CHECK(error.where().length == 6);
  }
  SECTION("an unknown parameter: the name, at the parameter") {
    const ParameterSetting settings[] = {{"revenue", "sd", 5, false}};
    const SettingError error = setting_error(scenario, settings);
    CHECK(error.setting() == 0);
    CHECK_FALSE(error.about_value());
    CHECK(error.where().column == 9);
    CHECK(error.where().length == 2);
  }
  SECTION("a value the distribution refuses: the value") {
    const ParameterSetting settings[] = {{"other_income", "sd", -5, false}};
    const SettingError error = setting_error(scenario, settings);
    CHECK(error.setting() == 0);
    CHECK(error.about_value());
    CHECK(error.message() == "sd must be > 0, found -5");
  }
  SECTION("a constant still correlated: the scenario, in the file") {
    const ParameterSetting settings[] = {{"opex", "", 550, false}};
    const SettingError error = setting_error(scenario, settings);
    CHECK(error.setting() == SettingError::whole);
    CHECK(error.message() == "`opex` is a constant; only uncertain drivers can be correlated");
    CHECK(error.where().line == 47);
    CHECK(error.where().path() == scenario_path("juniper_q4_2012.yaml"));
  }
}
