// The formula VM's instruction set: what compile() writes into Program::code and execute() runs, one
// loop over the block per instruction. Private to formula/ (guidance/formula.hpp only declares
// Instruction); tests and benchmarks read it to see what a formula compiled to.
#pragma once

#include <cstdint>

#include "guidance/formula.hpp"

namespace guidance::formula {

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

}  // namespace guidance::formula
