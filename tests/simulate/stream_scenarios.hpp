// Scenarios that test a run seen a chunk at a time (streamed, or shared by processes) where it is
// easiest to go wrong, shared by test_stream.cpp and test_cluster.cpp.
#pragma once

#include <string>

#include "guidance/load.hpp"
#include "guidance/model.hpp"

namespace guidance::testing {

/// scenarios/NAME.yaml, compiled.
inline Model example_model(const std::string& name) {
  return build_model(load_scenario(GUIDANCE_SOURCE_DIR "/scenarios/" + name + ".yaml"));
}

/// ratio is infinite or NaN where b is 0; tied has three values; zero is -0 or +0 by a's sign, and
/// every percentile of it falls among zeros of both signs; flat is a constant with a guidance line.
inline Model hazards_model() {
  return build_model(parse_scenario(R"(
name: hazards
drivers:
  a: {dist: normal, mean: 0, sd: 1}
  b: {dist: discrete, values: [0, 1, 2], probabilities: [0.1, 0.6, 0.3]}
metrics:
  ratio: a / b
  tied: b * 2
  zero: a * 0
  flat: 3
guidance:
  ratio: [-1, 1]
  tied: [1, 3]
  zero: [0, 1]
  flat: [2, 4]
actuals:
  ratio: 0.5
)", "hazards.yaml"));
}

/// A rank correlation with a discrete driver: its achieved value needs every trial, so it keeps them.
inline Model discrete_correlation_model() {
  return build_model(parse_scenario(R"(
name: discrete correlation
drivers:
  a: {dist: normal, mean: 0, sd: 1}
  b: {dist: discrete, values: [0, 1], probabilities: [0.5, 0.5]}
correlations:
  - [a, b, 0.5]
metrics:
  total: a + b
guidance:
  total: [0, 1]
)", "discrete.yaml"));
}

}  // namespace guidance::testing
