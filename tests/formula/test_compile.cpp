// How formulas compile: numbers, precedence, constant folding, the register layout, evaluation order
// and register reuse.
#include <catch2/catch.hpp>

#include "formula/rig.hpp"

using namespace formula_test;
using guidance::formula::compile;

namespace {

// The value of a formula made only of numbers (it folds to a constant).
double constant_value(const std::string& formula) {
  const Metrics metrics = {{"m", formula}};
  const Program program = compile({}, metrics.definitions);
  REQUIRE(program.code.empty());
  REQUIRE(program.constants[0].has_value());
  return *program.constants[0];
}

// The flagship scenario's drivers and metrics (tax_rate is a constant driver).
const std::vector<Input> flagship_inputs = {{"revenue"}, {"gross_margin"}, {"opex"}, {"other_income"},
                                            {"tax_rate", 0.32}, {"diluted_shares"}};
const Metrics flagship_metrics = {
    {"gross_profit", "revenue * gross_margin"},
    {"operating_income", "gross_profit - opex"},
    {"operating_margin", "operating_income / revenue"},
    {"net_income", "(operating_income + other_income) * (1 - tax_rate)"},
    {"eps", "net_income / diluted_shares"},
};

}  // namespace

TEST_CASE("numbers: decimals, exponents and percents are read exactly") {
  const auto [text, value] = GENERATE(table<std::string, double>({
      {"42", 42},
      {"0.5", 0.5},
      {".5", 0.5},
      {"5.", 5},
      {"1e-3", 0.001},
      {"2.5E+2", 250},
      {"5%", 0.05},
      {"12.5%", 0.125},
      {"1.1%", 0.011},  // the decimal 0.011, not 1.1 / 100 (which rounds to a different double)
      {"1e2%", 1},
      {"4.9e-324", 4.9e-324},
  }));
  CAPTURE(text);
  CHECK(constant_value(text) == value);
}

TEST_CASE("precedence and associativity follow the grammar") {
  const auto [text, value] = GENERATE(table<std::string, double>({
      {"2 ^ 3 ^ 2", 512},  // right-associative
      {"-2 ^ 2", -4},      // the power binds tighter than unary minus
      {"2 ^ -1", 0.5},
      {"(-2) ^ 2", 4},
      {"1 - 2 - 3", -4},   // left-associative
      {"8 / 4 / 2", 1},
      {"2 + 3 * 4", 14},
      {"(2 + 3) * 4", 20},
      {"2 * 3 ^ 2", 18},
      {"- - 3", 3},
      {"1 + 2 < 4", 1},    // arithmetic before comparison
      {"not 1 == 2", 1},   // not (1 == 2)
      {"not 0 and 0", 0},  // (not 0) and 0
      {"1 or 0 and 0", 1}, // and binds tighter than or
      {"0 and 1 or 1", 1},
      {"50% * 4", 2},
  }));
  CAPTURE(text);
  CHECK(constant_value(text) == value);
}

TEST_CASE("a definition of constants only folds to a constant and has no code") {
  const std::vector<Input> inputs = {{"revenue"}, {"tax_rate", 0.25}};
  const Metrics metrics = {{"keep", "1 - tax_rate"}, {"scaled", "keep * 4 + max(2, 3)"}, {"sales", "revenue"}};
  const Program program = compile(inputs, metrics.definitions);
  CHECK(program.constants[0] == 0.75);
  CHECK(program.constants[1] == 6.0);
  CHECK_FALSE(program.constants[2].has_value());
  CHECK(listing(program) == "r4 = copy r0\n");  // only `sales` has code
}

TEST_CASE("the flagship metrics compile to one instruction per operation, with the tax rate folded") {
  const Program program = compile(flagship_inputs, flagship_metrics.definitions);
  // Registers: drivers 0-5, metrics 6-10, one temporary (11) for the sum inside net_income.
  CHECK(listing(program) == fmt::format("r6 = mul r0, r1\n"
                                        "r7 = sub r6, r2\n"
                                        "r8 = div r7, r0\n"
                                        "r11 = add r7, r3\n"
                                        "r9 = mul r11, {}\n"
                                        "r10 = div r9, r5\n",
                                        1 - 0.32));
  CHECK(program.register_count == 12);
  CHECK(program.code[4].b.value == 1 - 0.32);
}

TEST_CASE("register layout: inputs, then definitions in file order, then temporaries") {
  const std::vector<Input> inputs = {{"a"}, {"b", 2.0}, {"c"}};
  const Metrics metrics = {{"d", "e * 2"}, {"e", "(a + c) * (a - c)"}, {"f", "3"}};
  const Program program = compile(inputs, metrics.definitions);
  CHECK(program.input_count == 3);
  CHECK(listing(program) == "r6 = add r0, r2\n"
                            "r7 = sub r0, r2\n"
                            "r4 = mul r6, r7\n"
                            "r3 = mul r4, 2\n");
  CHECK(program.register_count == 8);
  CHECK(program.constants[2] == 3.0);
}

TEST_CASE("definitions are ordered after what they read, otherwise in file order") {
  const std::vector<Input> inputs = {{"revenue"}, {"opex"}};
  const Metrics metrics = {
      {"net", "gross - opex"},          // 0: reads 1
      {"gross", "revenue * 0.6"},       // 1
      {"ratio", "opex / revenue"},      // 2
      {"summary", "net + ratio + net"}, // 3: reads 0 and 2
      {"first", "summary * gross"},     // 4: reads 3 and 1
  };
  const Program program = compile(inputs, metrics.definitions);
  CHECK(program.order == std::vector<std::size_t>{1, 0, 2, 3, 4});
  // Direct references only, as registers (inputs 0-1, definitions from 2), ascending and unique.
  CHECK(program.depends_on == std::vector<std::vector<std::size_t>>{{1, 3}, {0}, {0, 1}, {2, 4}, {3, 5}});

  const Metrics in_order = {{"a", "revenue"}, {"b", "opex"}, {"c", "a + b"}};
  CHECK(compile(inputs, in_order.definitions).order == std::vector<std::size_t>{0, 1, 2});
}

TEST_CASE("temporaries are reused, and no instruction writes a register it reads") {
  const std::vector<Input> inputs = {{"a"}, {"b"}, {"c"}, {"d"}};
  const Metrics metrics = {{"m", "(a + b) * (c + d) + (a - b) * (c - d)"}, {"n", "sqrt(a * b + c * d)"}};
  const Program program = compile(inputs, metrics.definitions);
  // m takes four temporaries (6-9: an output is taken before its operands are freed); n reuses them.
  CHECK(listing(program) == "r6 = add r0, r1\n"
                            "r7 = add r2, r3\n"
                            "r8 = mul r6, r7\n"
                            "r7 = sub r0, r1\n"
                            "r6 = sub r2, r3\n"
                            "r9 = mul r7, r6\n"
                            "r4 = add r8, r9\n"
                            "r9 = mul r0, r1\n"
                            "r8 = mul r2, r3\n"
                            "r6 = add r9, r8\n"
                            "r5 = sqrt r6\n");
  CHECK(program.register_count == 10);
  for (const auto& instruction : program.code)
    for (const auto* operand : {&instruction.a, &instruction.b, &instruction.c}) CHECK(operand->reg != instruction.out);
}

TEST_CASE("long formulas compile without recursion and in few registers") {
  std::string sum = "x";
  for (int i = 0; i < 100'000; ++i) sum += " + x";
  const Metrics metrics = {{"m", sum}};
  const std::vector<Input> inputs = {{"x"}};
  const Program program = compile(inputs, metrics.definitions);
  CHECK(program.code.size() == 100'000);
  CHECK(program.register_count == 4);  // x, m and two temporaries taking turns
  CHECK(value_of(program, 0, {0.5}) == 50'000.5);
}

TEST_CASE("nesting up to the limit compiles") {
  const int depth = GENERATE(255, 256);
  const Metrics metrics = {{"parentheses", std::string(depth, '(') + "1" + std::string(depth, ')')},
                           {"minus", std::string(depth, '-') + "1"},
                           {"not", [&] {
                              std::string text;
                              for (int i = 0; i < depth; ++i) text += "not ";
                              return text + "1";
                            }()}};
  const Program program = compile({}, metrics.definitions);
  CHECK(program.constants[0] == 1.0);
  CHECK(program.constants[1] == (depth % 2 == 0 ? 1.0 : -1.0));
  CHECK(program.constants[2] == (depth % 2 == 0 ? 1.0 : 0.0));
}

TEST_CASE("a definition is an indicator when its formula is a comparison or logic at the top") {
  using guidance::formula::Definition, guidance::formula::Input, guidance::formula::Program;
  using guidance::SourceLocation;
  const std::vector<Input> inputs = {{"x", std::nullopt}};
  const SourceLocation where;
  const std::vector<Definition> defs = {{"a", "x < 0", where, where},       {"b", "x > 0 and x < 1", where, where},
                                        {"c", "not x", where, where},       {"d", "a", where, where},
                                        {"e", "x * 2", where, where},       {"f", "if(x < 0, 1, 0)", where, where},
                                        {"g", "(x < 0) + 0", where, where}, {"h", "1 < 2", where, where}};
  const Program program = compile(inputs, defs);
  CHECK(program.indicator == std::vector<bool>{true, true, true, true, false, false, false, true});
}
