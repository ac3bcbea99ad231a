// Shared by the formula tests: compile a few definitions, run them over columns of trials, and show a
// program as text.
#pragma once

#include <algorithm>
#include <cstring>
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "formula/ops.hpp"
#include "guidance/formula.hpp"

namespace formula_test {

using guidance::formula::Definition;
using guidance::formula::Input;
using guidance::formula::Program;

/// Definitions from (name, formula) pairs, written into a scenario-like source text
///   metrics:
///     name: "formula"
/// with `where` and `name_where` pointing into it, so that rendered errors show the caret line.
struct Metrics {
  std::shared_ptr<guidance::SourceText> source = std::make_shared<guidance::SourceText>();
  std::vector<Definition> definitions;

  using Metric = std::pair<std::string, std::string>;

  Metrics(std::initializer_list<Metric> metrics) : Metrics(std::vector<Metric>(metrics)) {}

  explicit Metrics(const std::vector<Metric>& metrics) {
    source->path = "scenario.yaml";
    source->text = "metrics:\n";
    int line = 1;
    for (const auto& [name, formula] : metrics) {
      ++line;
      source->text += fmt::format("  {}: \"{}\"\n", name, formula);
      const int formula_column = 3 + static_cast<int>(name.size()) + 3;
      definitions.push_back(Definition{name, formula, {source, line, formula_column, 1},
                                       {source, line, 3, static_cast<int>(name.size())}});
    }
  }
};

/// Drivers over dimensions, as the loader gives them to the compiler: each element an Input named
/// `revenue[routing,Q1]`, and an ArrayRange per dimensioned driver.
struct Drivers {
  std::vector<guidance::Dimension> dimensions;
  std::vector<Input> inputs;
  std::vector<guidance::ArrayRange> arrays;

  /// A driver over `over` (dimension indices; none for a scalar), every element of each, with an
  /// optional constant value for all its elements.
  Drivers& add(const std::string& name, std::vector<std::size_t> over, std::optional<double> constant = {}) {
    guidance::Shape shape;
    for (const std::size_t d : over) shape.push_back({d, 0, dimensions[d].elements.size()});
    if (!shape.empty()) arrays.push_back({name, shape, inputs.size()});
    for (std::size_t e = 0; e < guidance::element_count(shape); ++e)
      inputs.push_back({guidance::element_name(name, shape, e, dimensions), constant});
    return *this;
  }
};

/// The rendered InputError that compiling throws, or "" when it compiles.
inline std::string compile_error(std::span<const Input> inputs, std::span<const Definition> definitions,
                                 std::span<const guidance::Dimension> dimensions = {},
                                 std::span<const guidance::ArrayRange> arrays = {}) {
  try {
    guidance::formula::compile(inputs, definitions, dimensions, arrays);
  } catch (const guidance::InputError& error) {
    return error.render();
  }
  return "";
}

/// Column storage for every register of a program, and the pointers execute() takes.
struct Registers {
  std::vector<std::vector<double>> columns;
  std::vector<double*> pointers;

  Registers(const Program& program, std::size_t n) : columns(program.register_count, std::vector<double>(n)) {
    for (auto& column : columns) pointers.push_back(column.data());
  }
};

/// Runs `program` over the trials in `inputs` (one column per input; constant inputs may be empty),
/// `block` trials at a time, and returns every register's column over all trials.
inline std::vector<std::vector<double>> run(const Program& program, const std::vector<std::vector<double>>& inputs,
                                            std::size_t trials, std::size_t block) {
  std::vector<std::vector<double>> result(program.register_count, std::vector<double>(trials));
  Registers registers(program, block);
  for (std::size_t start = 0; start < trials; start += block) {
    const std::size_t n = std::min(block, trials - start);
    for (std::size_t i = 0; i < inputs.size(); ++i)
      if (!inputs[i].empty()) std::copy_n(inputs[i].begin() + start, n, registers.columns[i].begin());
    guidance::formula::execute(program, registers.pointers, n);
    for (std::size_t r = 0; r < program.register_count; ++r)
      std::copy_n(registers.columns[r].begin(), n, result[r].begin() + start);
  }
  return result;
}

/// The value of definition `j` in a one-trial run where input i has value `values[i]`: from the code
/// when it has any, else the folded constant.
inline double value_of(const Program& program, std::size_t j, const std::vector<double>& values) {
  if (program.constants[j]) return *program.constants[j];
  std::vector<std::vector<double>> inputs;
  for (const double value : values) inputs.push_back({value});
  return run(program, inputs, 1, 1)[program.input_count + j][0];
}

/// The same double, bit for bit (so NaN equals NaN, and 0 differs from -0).
inline bool identical(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

/// The same bits, or both NaN: which NaN comes out of an operation on two NaNs depends on the order of
/// its operands in the machine code (x86 keeps the first), which the compiler may swap, and no output
/// shows a NaN's sign or payload.
inline bool same_value(double a, double b) { return identical(a, b) || (a != a && b != b); }

/// One line per instruction, e.g. "r5 = mul r0, 0.68".
inline std::string listing(const Program& program) {
  // In the order of the Op enum.
  static constexpr std::array<std::string_view, guidance::formula::op_count> names = {
      "copy", "neg", "add", "sub", "mul", "div", "pow", "lt", "le", "gt", "ge", "eq", "ne", "and", "or",
      "not", "min", "max", "abs", "sqrt", "exp", "log", "sin", "cos", "floor", "ceil", "round", "round_to",
      "clamp", "select"};
  auto operand = [](const guidance::formula::Operand& o) {
    // A NaN's sign is not part of the language (0 / 0 folds to -nan on x86, lag's NaN is +nan).
    if (o.reg < 0 && o.value != o.value) return std::string("nan");
    return o.reg >= 0 ? fmt::format("r{}", o.reg) : fmt::format("{}", o.value);
  };
  std::string text;
  for (const auto& instruction : program.code) {
    text += fmt::format("r{} = {}", instruction.out, names[static_cast<std::size_t>(instruction.op)]);
    const guidance::formula::Operand* operands[] = {&instruction.a, &instruction.b, &instruction.c};
    for (int k = 0; k < guidance::formula::arity(instruction.op); ++k)
      text += fmt::format("{}{}", k == 0 ? " " : ", ", operand(*operands[k]));
    text += "\n";
  }
  return text;
}

}  // namespace formula_test
