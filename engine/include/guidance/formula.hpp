// The formula language: compiled once into a flat register program, executed over blocks of trials.
//
// Grammar (docs/formula-language.md repeats it):
//   expr    := or
//   or      := and ("or" and)*
//   and     := not ("and" not)*
//   not     := "not" not | compare
//   compare := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
//   sum     := product (("+" | "-") product)*
//   product := unary (("*" | "/") unary)*
//   unary   := "-" unary | power
//   power   := postfix ("^" unary)?         right-associative: 2^3^2 = 2^9; -2^2 = -4
//   postfix := atom ("[" index ("," index)* "]")*
//   index   := label (":" label)?           an element `Q3`, or a slice `Q2:Q4`
//   label   := name | digits
//   atom    := number | name | name "(" args ")" | "(" expr ")"
//   args    := (expr ("," expr)*)?
// A number is digits with optional fraction and exponent, and an optional `%` right after it (5% = 0.05).
// Functions: min, max (2 or more args), abs, sqrt, exp, log, pow, sin, cos, clamp(x, lo, hi), if(c, a, b);
// over dimensions: sum, mean, min, max, first, last (x [, dimension]), lag(x [, k [, init]]),
// cumsum(x [, dimension]).
// Dimensioned values combine element by element, broadcasting over the dimensions one side lacks
// (docs/formula-language.md). Each element of a dimensioned metric is its own definition in the
// Program, with the scalar code a hand-written formula for that element would have.
// Comparisons and logic give 1 or 0; a non-zero value is true. Arithmetic is IEEE 754; a NaN reaching
// not/and/or, an `if` condition, min, max or clamp gives NaN; comparisons with NaN are false (`!=` true).
//
//   std::vector<Input> inputs = {{"revenue"}, {"gross_margin"}};
//   std::vector<Definition> defs = {{"gross_profit", "revenue * gross_margin", where, name_where}};
//   Program program = compile(inputs, defs);
//   execute(program, registers, 2048);   // registers[0..1] inputs, registers[2] gross_profit
//
//   // With dimensions: inputs 0..3 are revenue[Q1] .. revenue[Q4].
//   std::vector<ArrayRange> arrays = {{"revenue", {{0, 0, 4}}, 0}};
//   defs = {{"fy_revenue", "sum(revenue)", where, name_where}};
//   program = compile(inputs, defs, dimensions, arrays);  // fy_revenue: element definition 0
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "guidance/diagnostics.hpp"
#include "guidance/dimension.hpp"

namespace guidance::formula {

/// A named input: a scalar driver, or one element of a dimensioned one (`revenue[routing,Q1]`). A
/// constant input is folded into the program and needs no register column.
struct Input {
  std::string name;
  std::optional<double> constant;
};

/// A named formula (a metric). `where` locates the first character of `text` in the user's input, so
/// that an error at offset k inside the formula points at where.shifted(k, ...).
struct Definition {
  std::string name;
  std::string text;
  SourceLocation where;
  SourceLocation name_where;  // the metric's key, for errors about the name itself (cycles, clashes)
};

/// One step of the compiled program. The instruction set is formula's own
/// (engine/src/formula/instructions.hpp): a caller runs a Program with execute() and never reads it.
struct Instruction;

/// A written definition (a metric) has element_count(shapes[j]) element definitions, first[j] onwards,
/// row-major; a scalar one has one. Register layout: input i is register i; element definition k is
/// register inputs.size() + k; temporaries follow (up to register_count). An element definition that
/// folds to a constant has no instruction writing its register; its value is in `constants[k]`. No
/// instruction writes a register it also reads. Without dimensions, element definition j is written
/// definition j.
struct Program {
  std::vector<Instruction> code;
  std::size_t input_count = 0;
  std::size_t register_count = 0;
  std::vector<std::size_t> order;                 // element definitions in evaluation order
  std::vector<std::optional<double>> constants;   // per element definition: its value when folded
  std::vector<bool> indicator;  // per element definition: a comparison or logic at the top (or a name of
                                // such a definition), so 1 or 0 (NaN only from logic over NaN), whatever
                                // the data
  std::vector<std::vector<std::size_t>> depends_on;  // per element definition: inputs and element
                                                     // definitions it reads, as register indices (direct
                                                     // references only), ascending, each once;
                                                     // constant inputs included
  std::vector<Shape> shapes;        // per written definition: its shape (empty: a scalar)
  std::vector<std::size_t> first;   // per written definition: its first element definition

  // Out of line, where Instruction is complete (compile.cpp).
  Program();
  ~Program();
  Program(const Program&);
  Program(Program&&) noexcept;
  Program& operator=(const Program&);
  Program& operator=(Program&&) noexcept;
};

/// Most elements one value or all metrics together may have, and most scalar operations the metrics
/// may expand to: a product of large dimensions is refused rather than allocated.
inline constexpr std::size_t max_elements = 100'000;
inline constexpr std::size_t max_operations = 2'000'000;

/// Parse, bind, order and fold. Throws InputError pointing into the formula text for: syntax errors,
/// unknown names and functions (with "did you mean"), wrong arity, an empty formula, nesting deeper than
/// 256 levels; and at a definition's name_where for a definition with an input's name or a duplicate
/// name, and cycles (the message names the cycle: "a -> b -> a"); with dimensions, at the sub-expression
/// for values whose dimensions do not match, subscripts and slices that name no element, functions over
/// a dimension the value lacks, and values beyond max_elements (or metrics beyond max_operations, at the
/// metric's name). Messages call inputs drivers and definitions metrics; docs/formula-language.md lists
/// them. Input and array names must be distinct, and each array's elements must be inputs
/// (std::invalid_argument otherwise: the loader checks them first).
Program compile(std::span<const Input> inputs, std::span<const Definition> definitions,
                std::span<const Dimension> dimensions = {}, std::span<const ArrayRange> arrays = {});

/// Run the program over a block of n trials. registers[r] points at n doubles for every register the
/// program reads or writes, each a distinct column (inputs that are constants and folded definitions
/// may be null); registers.size() >= register_count (std::invalid_argument otherwise). IEEE semantics
/// throughout: x/0 gives inf or nan, which the statistics count as non-finite. A trial's result does
/// not depend on n.
void execute(const Program& program, std::span<double* const> registers, std::size_t n);

}  // namespace guidance::formula
