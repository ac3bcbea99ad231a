// Helpers shared by the loader's tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <variant>

#include <catch2/catch.hpp>

#include "guidance/load.hpp"

namespace load_test {

/// A file under tests/data/scenarios/.
inline std::string data_path(const std::string& relative) {
  return std::string(GUIDANCE_SOURCE_DIR) + "/tests/data/scenarios/" + relative;
}

inline std::string read_data(const std::string& relative) {
  std::ifstream file(data_path(relative), std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

/// The rendered error of loading `text` as "x.yaml", or "loaded" when it loads.
inline std::string error_of(std::string text, const guidance::LoadOptions& options = {}) {
  try {
    guidance::parse_scenario(std::move(text), "x.yaml", options);
    return "loaded";
  } catch (const guidance::InputError& error) {
    return error.render();
  }
}

/// The same for a data file, named by its path relative to tests/data/scenarios/ in messages.
inline std::string error_of_file(const std::string& relative, const guidance::LoadOptions& options = {}) {
  try {
    guidance::parse_scenario(read_data(relative), relative, options);
    return "loaded";
  } catch (const guidance::InputError& error) {
    return error.render();
  }
}

/// The scenario's driver of that name; fails the test when there is none.
inline const guidance::Driver& driver(const guidance::Scenario& scenario, const std::string& name) {
  for (const guidance::Driver& d : scenario.drivers)
    if (d.name == name) return d;
  FAIL("no driver " << name);
  throw;
}

/// Its distribution's shape, which must be a Shape.
template <typename Shape>
const Shape& shape(const guidance::Scenario& scenario, const std::string& name) {
  const guidance::Driver& d = driver(scenario, name);
  REQUIRE(d.distribution);
  REQUIRE(std::holds_alternative<Shape>(d.distribution->shape));
  return std::get<Shape>(d.distribution->shape);
}

/// One catalogue entry: what is wrong, the input, and the exact rendered message.
struct Case {
  std::string what;
  std::string input;
  std::string expected;
};

}  // namespace load_test
