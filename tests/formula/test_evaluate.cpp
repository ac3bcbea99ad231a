// What formulas compute: every operator and function, IEEE special values, and independence from the
// block size. Each case runs twice, once with x, y, z as columns (the kernels) and once with them as
// constants (constant folding), and both must give the expected value.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>

#include "formula/rig.hpp"
#include "simd/cpu_features.hpp"
#include "special_values.hpp"

using namespace formula_test;
using Catch::Matchers::WithinRel;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

struct Case {
  std::string formula;
  double x, y, z;
  double expected;
};

// The value of `formula` with x, y, z as columns and as constants; the constant program must have
// folded to no code.
std::pair<double, double> evaluate(const Case& c) {
  const Metrics metrics = {{"m", c.formula}};
  const std::vector<Input> columns = {{"x"}, {"y"}, {"z"}};
  const std::vector<Input> constants = {{"x", c.x}, {"y", c.y}, {"z", c.z}};
  const Program run_time = guidance::formula::compile(columns, metrics.definitions);
  const Program folded = guidance::formula::compile(constants, metrics.definitions);
  CHECK(folded.code.empty());
  return {value_of(run_time, 0, {c.x, c.y, c.z}), value_of(folded, 0, {c.x, c.y, c.z})};
}

}  // namespace

TEST_CASE("every operator and function gives the hand-computed value, folded or not") {
  const Case c = GENERATE(values<Case>({
      {"x + y", 2, 3.5, 0, 5.5},
      {"x - y", 2, 3.5, 0, -1.5},
      {"x * y", 2, 3.5, 0, 7},
      {"x / y", 7, 2, 0, 3.5},
      {"x ^ y", 2, 10, 0, 1024},
      {"x ^ y", 4, 0.5, 0, 2},
      {"pow(x, y)", 2, -2, 0, 0.25},
      {"-x", 2, 0, 0, -2},
      {"x < y", 1, 2, 0, 1},
      {"x < y", 2, 2, 0, 0},
      {"x <= y", 2, 2, 0, 1},
      {"x <= y", 3, 2, 0, 0},
      {"x > y", 3, 2, 0, 1},
      {"x > y", 2, 2, 0, 0},
      {"x >= y", 2, 2, 0, 1},
      {"x >= y", 1, 2, 0, 0},
      {"x == y", 2, 2, 0, 1},
      {"x == y", 2, 3, 0, 0},
      {"x != y", 2, 3, 0, 1},
      {"x != y", 2, 2, 0, 0},
      {"x and y", 1, 2, 0, 1},
      {"x and y", -0.5, 3, 0, 1},
      {"x and y", 0, 2, 0, 0},
      {"x and y", 2, 0, 0, 0},
      {"x or y", 0, 0, 0, 0},
      {"x or y", 0, -3, 0, 1},
      {"x or y", 5, 0, 0, 1},
      {"not x", 0, 0, 0, 1},
      {"not x", 3, 0, 0, 0},
      {"not x", -2, 0, 0, 0},
      {"min(x, y)", 2, 3.5, 0, 2},
      {"min(x, y, z)", 2, 3.5, -1.25, -1.25},
      {"max(x, y)", 2, 3.5, 0, 3.5},
      {"max(z, x, y)", 2, 3.5, -1.25, 3.5},
      {"abs(x)", -2.5, 0, 0, 2.5},
      {"abs(x)", 2.5, 0, 0, 2.5},
      {"sqrt(x)", 2.25, 0, 0, 1.5},
      {"sqrt(x)", 2, 0, 0, 1.4142135623730951},
      {"exp(x)", 0, 0, 0, 1},
      {"exp(x)", 1, 0, 0, 2.718281828459045},
      {"log(x)", 1, 0, 0, 0},
      {"log(x)", 10, 0, 0, 2.302585092994046},
      {"sin(x)", 1, 0, 0, 0.8414709848078965},
      {"cos(x)", 1, 0, 0, 0.5403023058681398},
      {"clamp(x, y, z)", 5, 0, 1, 1},
      {"clamp(x, y, z)", -3, 0, 1, 0},
      {"clamp(x, y, z)", 0.25, 0, 1, 0.25},
      {"clamp(x, y, z)", 2, 2, 2, 2},
      {"if(x, y, z)", 1, 2, 3, 2},
      {"if(x, y, z)", -1, 2, 3, 2},
      {"if(x, y, z)", 0, 2, 3, 3},
      {"x * 5%", 3, 0, 0, 0.15},
  }));
  CAPTURE(c.formula, c.x, c.y, c.z);
  const auto [run_time, folded] = evaluate(c);
  CHECK_THAT(run_time, WithinRel(c.expected, 1e-15));
  CHECK(identical(folded, run_time));
}

TEST_CASE("non-finite values propagate as IEEE 754 says, and NaN poisons logic, min, max and clamp") {
  const Case c = GENERATE(values<Case>({
      {"x / y", 1, 0, 0, inf},
      {"x / y", -1, 0, 0, -inf},
      {"x / y", 1, -0.0, 0, -inf},
      {"x / y", 0, 0, 0, NaN},
      {"x * y", inf, 0, 0, NaN},
      {"x - y", inf, inf, 0, NaN},
      {"x + y", NaN, 1, 0, NaN},
      {"log(x)", -1, 0, 0, NaN},
      {"log(x)", 0, 0, 0, -inf},
      {"sqrt(x)", -1, 0, 0, NaN},
      {"exp(x)", 1000, 0, 0, inf},
      {"x ^ y", -8, 1.0 / 3, 0, NaN},
      {"x ^ y", 0, -1, 0, inf},
      {"abs(x)", -inf, 0, 0, inf},
      {"min(x, y)", NaN, 1, 0, NaN},
      {"min(x, y)", 1, NaN, 0, NaN},
      {"max(x, y)", NaN, 1, 0, NaN},
      {"max(x, y)", 1, NaN, 0, NaN},
      {"min(x, y)", -inf, 1, 0, -inf},
      {"x < y", NaN, 1, 0, 0},
      {"x == y", NaN, NaN, 0, 0},
      {"x != y", NaN, NaN, 0, 1},
      {"not x", NaN, 0, 0, NaN},
      {"x and y", NaN, 0, 0, NaN},
      {"x and y", 0, NaN, 0, NaN},
      {"x or y", 1, NaN, 0, NaN},
      {"if(x, y, z)", NaN, 1, 2, NaN},
      {"if(x, y, z)", 1, 2, NaN, 2},  // the branch not taken does not leak its NaN
      {"clamp(x, y, z)", NaN, 0, 1, NaN},
      {"clamp(x, y, z)", 0.5, NaN, 1, NaN},
      {"clamp(x, y, z)", 0.5, 0, NaN, NaN},
      {"clamp(x, y, z)", 5, 1, 0, NaN},  // lo > hi
      {"clamp(x, y, z)", inf, 0, 1, 1},
  }));
  CAPTURE(c.formula, c.x, c.y, c.z);
  const auto [run_time, folded] = evaluate(c);
  if (std::isnan(c.expected)) {
    CHECK(std::isnan(run_time));
    CHECK(std::isnan(folded));
  } else {
    CHECK(identical(run_time, c.expected));
    CHECK(identical(folded, c.expected));
  }
}

TEST_CASE("round, round_to, floor and ceil round as reported figures are, folded or not") {
  // Halves away from zero, on the digits the double prints as: the doubles nearest 1.005, 0.215 and
  // 2.675 lie just below the half, and round as their digits say. The result is the double the
  // rounded digits would be written as, so round(0.2249, 2) == 0.22 exactly.
  const double below_0215 = std::nextafter(0.215, 0.0);  // prints as 0.21499999999999997
  const Case c = GENERATE_COPY(values<Case>({
      {"round(x, 2)", 0.125, 0, 0, 0.13},
      {"round(x, 2)", -0.125, 0, 0, -0.13},
      {"round(x, 2)", 1.005, 0, 0, 1.01},
      {"round(x, 2)", 0.215, 0, 0, 0.22},
      {"round(x, 2)", below_0215, 0, 0, 0.21},
      {"round(x, 2)", 2.675, 0, 0, 2.68},
      {"round(x, 2)", 0.2249, 0, 0, 0.22},
      {"round(x, 2)", 123456789.125, 0, 0, 123456789.13},
      {"round(x, 0)", 2.5, 0, 0, 3},
      {"round(x, 0)", -2.5, 0, 0, -3},
      {"round(x, y)", 1250, -2, 0, 1300},
      {"round(x, y)", 1249.99, -2, 0, 1200},
      {"round(x, 2)", 1e20, 0, 0, 1e20},
      {"round(x, 2)", 0.004, 0, 0, 0},
      {"round(x, 2)", -0.004, 0, 0, 0},  // +0, not -0 (checked bit for bit)
      {"round_to(x, 0.005)", 0.0125, 0, 0, 0.015},
      {"round_to(x, 0.005)", 0.0124, 0, 0, 0.01},
      {"round_to(x, 0.25)", 1.125, 0, 0, 1.25},
      {"round_to(x, 10)", 1995, 0, 0, 2000},
      {"round_to(x, y)", 0.5, 1.0 / 3, 0, 2.0 / 3},  // no decimal step: binary rounding
      {"floor(x)", -2.5, 0, 0, -3},
      {"floor(x)", 2.7, 0, 0, 2},
      {"ceil(x)", -2.5, 0, 0, -2},
      {"ceil(x)", 2.1, 0, 0, 3},
      {"round(x, 2)", inf, 0, 0, inf},
  }));
  CAPTURE(c.formula, c.x, c.y);
  const auto [run_time, folded] = evaluate(c);
  CHECK(identical(run_time, c.expected));
  CHECK(identical(folded, run_time));
}

TEST_CASE("rounding without an answer is NaN, counted as non-finite downstream") {
  const Case c = GENERATE(values<Case>({
      {"round(x, y)", 1, 2.5, 0, NaN},   // digits must be whole
      {"round(x, y)", 1, 23, 0, NaN},    // from -22 to 22
      {"round(x, y)", NaN, 2, 0, NaN},
      {"round_to(x, y)", 1, 0, 0, NaN},  // the step must be positive and finite
      {"round_to(x, y)", 1, -0.5, 0, NaN},
      {"round_to(x, y)", 1, inf, 0, NaN},
      {"floor(x)", NaN, 0, 0, NaN},
  }));
  CAPTURE(c.formula, c.x, c.y);
  const auto [run_time, folded] = evaluate(c);
  CHECK(std::isnan(run_time));
  CHECK(std::isnan(folded));
}

TEST_CASE("blocks of 1, 7 and 2048 trials, with and without the vector builds, give identical results") {
  // Inputs drawn with a fixed seed, with zeros, infinities and NaNs mixed in to exercise every branch.
  const std::size_t trials = 2 * 2048 + 5;
  std::mt19937_64 generator(20240611);
  std::uniform_real_distribution<double> uniform(-3.0, 3.0);
  const std::vector<double> specials = {0.0, -0.0, inf, -inf, NaN, 1.0};
  std::vector<std::vector<double>> inputs(3, std::vector<double>(trials));
  for (auto& column : inputs)
    for (std::size_t i = 0; i < trials; ++i)
      column[i] = i % 17 == 3 ? specials[(i / 17) % specials.size()] : uniform(generator);

  const Metrics metrics = {
      {"arithmetic", "(x + y) * z - x / y ^ 2 + -z"},
      {"comparisons", "(x < y) + (x <= z) * 2 + (y > z) * 4 + (x >= 0) * 8 + (y == z) * 16 + (x != y) * 32"},
      {"logic", "x and y or not z"},
      {"functions", "min(x, y, 1) + max(x, -1) + abs(z) + sqrt(abs(y)) + exp(x) + log(abs(z)) + sin(x) * cos(y)"},
      {"rounding", "round(x, 2) + round_to(y, 0.005) * 3 + floor(z) - ceil(x * 7)"},
      {"selection", "if(x > 0, clamp(y, -1, z), pow(z, 2)) + clamp(x, 0, 1)"},
      {"chained", "arithmetic * 2 + functions / 3"},
  };
  const std::vector<Input> names = {{"x"}, {"y"}, {"z"}};
  const Program program = guidance::formula::compile(names, metrics.definitions);
  using guidance::detail::VectorBuilds;
  using guidance::test::VectorBuildsScope;
  const auto one_at_a_time = [&] {
    const VectorBuildsScope scope(VectorBuilds::baseline);  // every kernel's baseline build
    return run(program, inputs, trials, 1);
  }();
  const std::size_t block = GENERATE(7, 2048);
  const VectorBuilds builds = GENERATE(VectorBuilds::all, VectorBuilds::avx2, VectorBuilds::baseline);
  CAPTURE(block, builds);
  const auto result = [&] {
    const VectorBuildsScope scope(builds);
    return run(program, inputs, trials, block);
  }();
  for (std::size_t j = 0; j < metrics.definitions.size(); ++j) {
    CAPTURE(metrics.definitions[j].name);
    const std::vector<double>& expected = one_at_a_time[program.input_count + j];
    const std::vector<double>& actual = result[program.input_count + j];
    std::size_t differences = 0;
    for (std::size_t i = 0; i < trials; ++i) differences += !same_value(actual[i], expected[i]);
    CHECK(differences == 0);
    // Not a comparison of two columns of NaN: most trials have ordinary values.
    CHECK(std::count_if(actual.begin(), actual.end(), [](double v) { return std::isfinite(v); }) > trials / 4);
  }
}
