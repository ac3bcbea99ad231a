// What the fuzzers run on one input, shared with tests/regression/test_fuzz_corpus.cpp, which replays
// every checked-in corpus file through the same code in the ordinary (and sanitizer) test suite.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "guidance/formula.hpp"
#include "guidance/load.hpp"
#include "guidance/simulate.hpp"

namespace guidance::fuzz {

/// Trials of the short simulation: odd, and not a multiple of the block size, so that a partial block
/// is always exercised.
inline constexpr std::uint64_t load_trials = 37;

/// The command-line options a scenario's comment lines ask for: `#--set ARG`, `#--actual ARG` and
/// `#--scenario NAME` (YAML comments, so the file still parses the same), so that the fuzzer reaches
/// the parsers of overrides and actuals and the selection of variants too.
inline LoadOptions options_in(std::string_view text) {
  LoadOptions options;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    if (line.starts_with("#--set ")) options.overrides.emplace_back(line.substr(7));
    if (line.starts_with("#--actual ")) options.actuals.emplace_back(line.substr(10));
    if (line.starts_with("#--scenario ")) options.variant = line.substr(12);
    start = end + 1;
  }
  return options;
}

/// Load `text` as a scenario (with options_in(text)); when it loads, build the model and run and
/// analyse a few trials. An InputError is the expected answer to a bad input (it is rendered, to
/// exercise the caret line); anything else thrown escapes, and is a finding.
inline void load_one(std::string_view text) {
  try {
    const Scenario scenario = parse_scenario(std::string(text), "fuzz.yaml", options_in(text));
    const Model model = build_model(scenario);
    analyze(model, simulate(model, {.trials = load_trials, .seed = 1}));
  } catch (const InputError& error) {
    error.render();
  }
}

namespace detail {

constexpr double max_double = std::numeric_limits<double>::max();
constexpr double tiny = std::numeric_limits<double>::denorm_min();

// Driver values per trial: zeros of both signs, subnormals, the largest doubles, values at the edges
// of exp, and ordinary numbers. (Drivers are finite: distributions never give NaN.)
inline constexpr double x_values[] = {0.0, -0.0, 1.0, -1.0, 2.5, tiny, max_double, -max_double, 709.8, 1e-300, 0.5, 3.0};
inline constexpr double y_values[] = {0.0, 1.0, -0.0, 3.0, -2.5, 1e300, 0.5, tiny, -1.0, 2.0, 710.0, 1e-8};
inline constexpr double z_values[] = {1.0, 0.0, 0.0, -1.0, 1e-320, 1.0, -max_double, 4.0, 100.0, -0.5, 0.25, 7.0};
inline constexpr std::size_t block = std::size(x_values);
inline constexpr std::size_t driver_count = 3;  // x, y, z; then the constants k and zero
inline constexpr std::size_t max_definitions = 16;

inline bool same(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;  // NaN payloads may differ; NaN-ness may not
  return std::memcmp(&a, &b, sizeof a) == 0;
}

/// Register columns for `program` over trials [first, first + n) of the value tables.
struct Block {
  std::vector<std::vector<double>> columns;
  std::vector<double*> registers;

  Block(const formula::Program& program, std::size_t first, std::size_t n)
      : columns(program.register_count, std::vector<double>(n, std::numeric_limits<double>::signaling_NaN())),
        registers(program.register_count) {
    for (std::size_t i = 0; i < n; ++i) {
      columns[0][i] = x_values[first + i];
      columns[1][i] = y_values[first + i];
      columns[2][i] = z_values[first + i];
    }
    for (std::size_t r = 0; r < columns.size(); ++r) registers[r] = columns[r].data();
  }
};

}  // namespace detail

/// Compile `text`, one metric per line (m0, m1, ... up to 16) over the drivers x, y, z, the
/// constants k = 2.5 and zero = 0, and w over the dimension t = [a, b, c] (constant elements 1.5, -0
/// and 4, so that `x * w` is over t); when it compiles, execute it over a block of awkward values and
/// check the executor's promises:
///   - a trial's result does not depend on the block (each trial run alone gives the same bits);
///   - constant folding gives what the kernels give (with the drivers declared as constants, every
///     metric folds, to the executed value bit for bit, NaN to NaN).
/// Returns "" when they hold, else which one broke. Compile errors are InputError (rendered); anything
/// else thrown escapes, and is a finding.
inline std::string formula_one(std::string_view text) {
  using namespace detail;
  const auto source = std::make_shared<const SourceText>(SourceText{"fuzz", std::string(text)});
  std::vector<formula::Definition> definitions;
  int line = 1;
  for (std::size_t start = 0; start <= text.size() && definitions.size() < max_definitions; ++line) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const SourceLocation where{source, line, 1, 1};
    definitions.push_back({"m" + std::to_string(definitions.size()), std::string(text.substr(start, end - start)),
                           where, where});
    start = end + 1;
  }
  const std::vector<formula::Input> inputs = {{"x"},         {"y"},          {"z"},        {"k", 2.5},
                                              {"zero", 0.0}, {"w[a]", 1.5},  {"w[b]", -0.0}, {"w[c]", 4.0}};
  const std::vector<Dimension> dimensions = {{"t", {"a", "b", "c"}, {}}};
  const std::vector<ArrayRange> arrays = {{"w", {{0, 0, 3}}, 5}};

  formula::Program program;
  try {
    program = formula::compile(inputs, definitions, dimensions, arrays);
  } catch (const InputError& error) {
    error.render();
    return "";
  }

  Block whole(program, 0, block);
  formula::execute(program, whole.registers, block);
  const auto value = [&](const Block& b, std::size_t definition, std::size_t i) {
    const std::optional<double>& folded = program.constants[definition];
    return folded ? *folded : b.columns[program.input_count + definition][i];
  };
  for (std::size_t i = 0; i < block; ++i) {
    Block alone(program, i, 1);
    formula::execute(program, alone.registers, 1);

    std::vector<formula::Input> constant_inputs = inputs;
    for (std::size_t d = 0; d < driver_count; ++d) constant_inputs[d].constant = whole.columns[d][i];
    const formula::Program folded = formula::compile(constant_inputs, definitions, dimensions, arrays);
    if (!folded.code.empty()) return "with constant drivers, code is left after folding";

    for (std::size_t j = 0; j < program.constants.size(); ++j) {  // every element of every metric
      const std::string where = " (element " + std::to_string(j) + ", trial " + std::to_string(i) + ")";
      if (!same(value(whole, j, i), value(alone, j, 0))) return "a trial alone differs from its block" + where;
      if (!folded.constants[j] || !same(value(whole, j, i), *folded.constants[j]))
        return "the folded constant differs from the kernel's value" + where;
    }
  }
  return "";
}

}  // namespace guidance::fuzz
