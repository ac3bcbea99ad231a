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
//   power   := atom ("^" unary)?            right-associative: 2^3^2 = 2^9; -2^2 = -4
//   atom    := number | name | name "(" args ")" | "(" expr ")"
//   args    := (expr ("," expr)*)?
// A number is digits with optional fraction and exponent, and an optional `%` right after it (5% = 0.05).
// Functions: min, max (2 or more args), abs, sqrt, exp, log, pow, sin, cos, clamp(x, lo, hi), if(c, a, b).
// Comparisons and logic give 1 or 0; a non-zero value is true. Arithmetic is IEEE 754; a NaN reaching
// not/and/or, an `if` condition, min, max or clamp gives NaN; comparisons with NaN are false (`!=` true).
//
//   std::vector<Input> inputs = {{"revenue"}, {"gross_margin"}};
//   std::vector<Definition> defs = {{"gross_profit", "revenue * gross_margin", where, name_where}};
//   Program program = compile(inputs, defs);
//   execute(program, registers, 2048);   // registers[0..1] inputs, registers[2] gross_profit
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "guidance/diagnostics.hpp"

namespace guidance::formula {

/// A named input (a driver). A constant input is folded into the program and needs no register column.
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

enum class Op : std::uint8_t {
  copy, neg, add, sub, mul, div, pow,
  lt, le, gt, ge, eq, ne, logical_and, logical_or, logical_not,
  min, max, abs, sqrt, exp, log, sin, cos, floor, ceil, round, round_to, clamp,
  select  // select = if(a, b, c)
};

/// A register, or an immediate value when reg < 0.
struct Operand {
  std::int32_t reg = -1;
  double value = 0.0;
};

/// out[i] = op(a[i], b[i], c[i]) for every trial i of the block. Unused operands are immediates.
struct Instruction {
  Op op;
  std::int32_t out;
  Operand a, b, c;
};

/// Register layout: input i is register i; definition j is register inputs.size() + j; temporaries
/// follow (up to register_count). A definition that folds to a constant has no instruction writing its
/// register; its value is in `constants[j]`. No instruction writes a register it also reads.
struct Program {
  std::vector<Instruction> code;
  std::size_t input_count = 0;
  std::size_t register_count = 0;
  std::vector<std::size_t> order;                 // definition indices in evaluation order
  std::vector<std::optional<double>> constants;   // per definition: its value when folded
  std::vector<bool> indicator;  // per definition: a comparison or logic at the top (or a name of such a
                                // definition), so 1 or 0 (NaN only from logic over NaN), whatever the data
  std::vector<std::vector<std::size_t>> depends_on;  // per definition: inputs and definitions it reads,
                                                     // as register indices (direct references only),
                                                     // ascending, each once; constant inputs included
};

/// Parse, bind, order and fold. Throws InputError pointing into the formula text for: syntax errors,
/// unknown names and functions (with "did you mean"), wrong arity, an empty formula, nesting deeper than
/// 256 levels; and at a definition's name_where for a definition with an input's name or a duplicate
/// name, and cycles (the message names the cycle: "a -> b -> a"). Messages call inputs drivers and
/// definitions metrics; docs/formula-language.md lists them. Input names must be distinct
/// (std::invalid_argument otherwise: the loader checks them first).
Program compile(std::span<const Input> inputs, std::span<const Definition> definitions);

/// Run the program over a block of n trials. registers[r] points at n doubles for every register the
/// program reads or writes, each a distinct column (inputs that are constants and folded definitions
/// may be null); registers.size() >= register_count (std::invalid_argument otherwise). IEEE semantics
/// throughout: x/0 gives inf or nan, which the statistics count as non-finite. A trial's result does
/// not depend on n.
void execute(const Program& program, std::span<double* const> registers, std::size_t n);

}  // namespace guidance::formula
