// Loading takes time linear in the file's size (docs/reliability.md, "Resource bounds"): each shape of
// a large file is loaded at n and at 8n, and the larger must take less than 24 times as long. Linear
// work takes 8 times as long and quadratic work 64 times, so the bound fails on a quadratic with room
// to spare, and leaves room for the caches a larger file outgrows (at 4n and a bound of 8, a busy
// machine made a linear load fail). Times are the process's CPU time, which other processes on a
// busy machine hardly change, and the fastest of three; the whole test takes a few seconds.
#include <catch2/catch.hpp>

#include <algorithm>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "guidance/load.hpp"
#include "guidance/model.hpp"
#include "model/correlation.hpp"

using namespace guidance;

namespace {

using Generate = std::function<std::string(std::size_t)>;
using Load = std::function<void(const std::string& text, std::size_t n)>;  // n: the size generated

double cpu_seconds() {
  timespec now{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

double fastest_of_three(const Load& load, std::size_t n, const Generate& generate) {
  const std::string text = generate(n);
  double best = 1e300;
  for (int repeat = 0; repeat < 3; ++repeat) {
    const double start = cpu_seconds();
    load(text, n);
    best = std::min(best, cpu_seconds() - start);
  }
  return best;
}

void check_linear(const Generate& generate, std::size_t n, const Load& load) {
  const double small = fastest_of_three(load, n, generate);
  const double large = fastest_of_three(load, 8 * n, generate);
  CAPTURE(n, small, large);
  CHECK(large < 24 * small);
}

std::string header() { return "name: scaling\ndrivers:\n  d0: {dist: normal, mean: 100, sd: 5}\n"; }

// n variants, each extending the one before.
std::string variant_chain(std::size_t n) {
  std::string text = header() + "metrics:\n  m: d0 * 2\nscenarios:\n  v0: {drivers: {d0.mean: 101}}\n";
  for (std::size_t i = 1; i < n; ++i)
    text += fmt::format("  v{}: {{extends: v{}, drivers: {{d0.mean: {}}}}}\n", i, i - 1, 100 + i % 7);
  return text;
}

// n drivers, n metrics each over one driver, n guidance lines.
std::string wide(std::size_t n) {
  std::string text = header(), metrics = "metrics:\n", guidance = "guidance:\n";
  for (std::size_t i = 1; i < n; ++i) text += fmt::format("  d{}: {{dist: normal, mean: {}, sd: 1}}\n", i, i);
  for (std::size_t i = 0; i < n; ++i) {
    metrics += fmt::format("  m{}: d{} + 1\n", i, i);
    guidance += fmt::format("  m{}: [0, {}]\n", i, i + 5);
  }
  return text + metrics + guidance;
}

// n metrics, each over the one before.
std::string formula_chain(std::size_t n) {
  std::string text = header() + "metrics:\n  m0: d0 + 1\n";
  for (std::size_t i = 1; i < n; ++i) text += fmt::format("  m{}: m{} + 1\n", i, i - 1);
  return text;
}

// n correlations between 2n drivers (independent pairs: the loader's work, not the matrix's).
std::string correlations(std::size_t n) {
  std::string text = header(), pairs = "correlations:\n";
  for (std::size_t i = 1; i <= 2 * n; ++i) text += fmt::format("  d{}: {{dist: normal, mean: {}, sd: 1}}\n", i, i);
  for (std::size_t i = 1; i <= n; ++i) pairs += fmt::format("  - [d{}, d{}, 0.1]\n", 2 * i - 1, 2 * i);
  return text + pairs;
}

// n drivers in a chain, each correlated 0.7 with the next: past a few drivers not a valid matrix (a
// tridiagonal one needs rho below 1/2), so that building the model repairs it.
std::string correlation_chain(std::size_t n) {
  std::string text = "name: scaling\nsimulation: {repair_correlations: true}\ndrivers:\n", pairs = "correlations:\n";
  for (std::size_t i = 0; i < n; ++i) text += fmt::format("  d{}: {{dist: normal, mean: {}, sd: 1}}\n", i, i);
  for (std::size_t i = 1; i < n; ++i) pairs += fmt::format("  - [d{}, d{}, 0.7]\n", i - 1, i);
  return text + pairs;
}

void load(const std::string& text, std::size_t) { (void)parse_scenario(text, "scaling.yaml"); }
void compile(const std::string& text, std::size_t) { (void)build_model(parse_scenario(text, "scaling.yaml")); }

}  // namespace

TEST_CASE("a chain of variants loads in linear time: checked, selected and every one at once") {
  check_linear(variant_chain, 1000, load);
  check_linear(variant_chain, 1000, [](const std::string& text, std::size_t n) {
    LoadOptions options;
    options.variant = fmt::format("v{}", n - 1);  // the end of the chain
    (void)parse_scenario(text, "scaling.yaml", options);
  });
  check_linear(variant_chain, 1000, [](const std::string& text, std::size_t) {
    const std::vector<std::string> names = *parse_scenario(text, "scaling.yaml").variant_names;
    LoadOptions options;
    options.check_variants = false;
    (void)parse_variants(text, "scaling.yaml", options, names);  // what `compare` does
  });
}

TEST_CASE("a wide file, a long chain of formulas and many correlations load and compile in linear time") {
  check_linear(wide, 500, compile);
  check_linear(formula_chain, 2000, compile);
  check_linear(correlations, 500, load);
}

TEST_CASE("the largest correlation matrix a file may have is repaired in cubic time, and a larger one refused") {
  // Factoring and repair are cubic (64 times as long for 4 times the drivers): the bound fails on a
  // repair whose iterations also grow with the drivers. Inside the limit, so it also finishes.
  const double small = fastest_of_three(compile, max_correlated_drivers / 4, correlation_chain);
  const double large = fastest_of_three(compile, max_correlated_drivers, correlation_chain);
  CAPTURE(small, large);
  CHECK(large < 100 * small);
  try {
    compile(correlation_chain(max_correlated_drivers + 1), 0);
    FAIL("expected an InputError");
  } catch (const InputError& error) {
    CHECK(error.message() == "the correlations tie more than 200 drivers together");
  }
}
