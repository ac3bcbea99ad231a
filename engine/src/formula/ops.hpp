// What each Op computes for one trial, shared by constant folding (compile.cpp) and the block kernels
// (execute.cpp), so that a folded constant is bit for bit what the kernel would have computed.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string_view>
#include <utility>

#include "formula/instructions.hpp"
#include "formula/rounding.hpp"

namespace guidance::formula {

inline constexpr std::size_t op_count = static_cast<std::size_t>(Op::select) + 1;

/// How many operands an Op reads (a, then b, then c).
constexpr int arity(Op op) {
  switch (op) {
    case Op::copy: case Op::neg: case Op::logical_not: case Op::abs: case Op::sqrt: case Op::exp:
    case Op::log: case Op::sin: case Op::cos: case Op::floor: case Op::ceil:
      return 1;
    case Op::clamp: case Op::select:
      return 3;
    default:
      return 2;
  }
}

/// A function of the language: it takes arity(op) arguments, or more when `variadic` (min and max fold
/// extra arguments pairwise). `if(c, a, b)` is Op::select.
struct Function {
  std::string_view name;
  Op op;
  bool variadic = false;
};

inline constexpr std::array<Function, 15> functions = {{
    {"min", Op::min, true}, {"max", Op::max, true}, {"abs", Op::abs},     {"sqrt", Op::sqrt},
    {"exp", Op::exp},       {"log", Op::log},       {"pow", Op::pow},     {"sin", Op::sin},
    {"cos", Op::cos},       {"floor", Op::floor},   {"ceil", Op::ceil},   {"round", Op::round},
    {"round_to", Op::round_to}, {"clamp", Op::clamp}, {"if", Op::select},
}};

/// The function called `name`, or null.
constexpr const Function* find_function(std::string_view name) {
  for (const Function& function : functions)
    if (function.name == name) return &function;
  return nullptr;
}

// Division by zero is part of the language (x/0 is inf or nan, counted as non-finite downstream), so
// the sanitizer build's float-divide-by-zero check must not flag it here.
__attribute__((no_sanitize("float-divide-by-zero"))) inline double divide(double a, double b) {
  return a / b;
}

/// Op applied to one trial. Written with selects rather than branches so that the loops vectorise.
/// A NaN reaching a logical operator, a condition or min/max/clamp makes the result NaN (comparisons
/// follow IEEE: NaN compares false, except `!=`).
template <Op op>
inline double apply(double a, double b, double c) {
  const bool a_nan = a != a, b_nan = b != b;
  if constexpr (op == Op::copy) return a;
  else if constexpr (op == Op::neg) return -a;
  else if constexpr (op == Op::add) return a + b;
  else if constexpr (op == Op::sub) return a - b;
  else if constexpr (op == Op::mul) return a * b;
  else if constexpr (op == Op::div) return divide(a, b);
  else if constexpr (op == Op::pow) return std::pow(a, b);
  else if constexpr (op == Op::lt) return a < b ? 1.0 : 0.0;
  else if constexpr (op == Op::le) return a <= b ? 1.0 : 0.0;
  else if constexpr (op == Op::gt) return a > b ? 1.0 : 0.0;
  else if constexpr (op == Op::ge) return a >= b ? 1.0 : 0.0;
  else if constexpr (op == Op::eq) return a == b ? 1.0 : 0.0;
  else if constexpr (op == Op::ne) return a != b ? 1.0 : 0.0;
  else if constexpr (op == Op::logical_and) return a_nan ? a : b_nan ? b : ((a != 0) & (b != 0)) ? 1.0 : 0.0;
  else if constexpr (op == Op::logical_or) return a_nan ? a : b_nan ? b : ((a != 0) | (b != 0)) ? 1.0 : 0.0;
  else if constexpr (op == Op::logical_not) return a_nan ? a : a == 0 ? 1.0 : 0.0;
  // std::min/std::max would return either argument when one is NaN, depending on the order.
  else if constexpr (op == Op::min) return ((a < b) | a_nan) ? a : b;
  else if constexpr (op == Op::max) return ((a > b) | a_nan) ? a : b;
  else if constexpr (op == Op::abs) return std::fabs(a);
  else if constexpr (op == Op::sqrt) return std::sqrt(a);
  else if constexpr (op == Op::exp) return std::exp(a);
  else if constexpr (op == Op::log) return std::log(a);
  else if constexpr (op == Op::sin) return std::sin(a);
  else if constexpr (op == Op::cos) return std::cos(a);
  else if constexpr (op == Op::floor) return std::floor(a);
  else if constexpr (op == Op::ceil) return std::ceil(a);
  // Halves away from zero on the decimal digits, as reported figures are rounded (rounding.hpp).
  else if constexpr (op == Op::round) return round_digits(a, b);
  else if constexpr (op == Op::round_to) return round_to(a, b);
  // clamp(x, lo, hi) with lo > hi has no answer: NaN, so that the trial is counted as non-finite.
  // (Built from min and max, the NaN tests on their results defeat GCC's vectoriser.)
  else if constexpr (op == Op::clamp) {
    const bool no_answer = a_nan | b_nan | (c != c) | (b > c);
    const double at_least_low = a > b ? a : b;
    const double clamped = at_least_low < c ? at_least_low : c;
    return no_answer ? std::numeric_limits<double>::quiet_NaN() : clamped;
  }
  else if constexpr (op == Op::select) return a_nan ? a : a != 0 ? b : c;
}

/// {make.operator()<Op(0)>(), make.operator()<Op(1)>(), ...}: a table indexed by Op, so that folding
/// and execution dispatch through the same list instead of two hand-written switches.
template <class Make>
constexpr auto per_op(Make make) {
  return [&]<std::size_t... i>(std::index_sequence<i...>) {
    return std::array{make.template operator()<static_cast<Op>(i)>()...};
  }(std::make_index_sequence<op_count>{});
}

/// apply<op> for an Op known only at run time (constant folding).
inline double apply(Op op, double a, double b, double c) {
  static constexpr auto table = per_op([]<Op o>() { return &apply<o>; });
  return table[static_cast<std::size_t>(op)](a, b, c);
}

}  // namespace guidance::formula
