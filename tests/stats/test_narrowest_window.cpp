// The narrowest window found by passes (stats/narrowest_window.hpp) against sorting: the same doubles,
// whatever the budget of a pass (a small one forces histograms of histograms), the column's shape
// (ties, signed zeros, non-finite values, one value) and the parts the values arrive in.
#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "stats/narrowest_window.hpp"
#include "stats/order_statistics.hpp"
#include "stats_testing.hpp"

using namespace guidance;
using stats_detail::Extent;
using stats_detail::NarrowestWindowSelection;
using stats_detail::WindowBudget;

namespace {

/// Sorting's answer: the finite values in ascending order, -0 below +0, and the first window of least
/// width among the n - k + 1.
std::pair<double, double> sorted_window(std::span<const double> values, std::uint64_t k) {
  std::vector<double> sorted = testing::sorted_finite(values);
  std::ranges::sort(sorted, {}, stats_detail::ordered_key);
  std::size_t best = 0;
  for (std::size_t i = 1; i + k <= sorted.size(); ++i)
    if (sorted[i + k - 1] - sorted[i] < sorted[best + k - 1] - sorted[best]) best = i;
  return {sorted[best], sorted[best + k - 1]};
}

struct Found {
  std::pair<double, double> window;
  int passes = 0;
};

/// The selection's answer, the values visited in parts of `part` values.
Found by_passes(std::span<const double> values, std::uint64_t k, WindowBudget budget, std::size_t part) {
  Extent extent;
  for (const double x : values) {
    if (!std::isfinite(x)) continue;
    ++extent.count;
    extent.min = std::min(extent.min, x);
    extent.max = std::max(extent.max, x);
  }
  NarrowestWindowSelection selection(extent, k, budget);
  while (!selection.done()) {
    selection.begin_pass();
    for (std::size_t first = 0; first < values.size(); first += part)
      selection.visit(values.subspan(first, std::min(part, values.size() - first)));
    selection.end_pass();
  }
  return {selection.result(), selection.passes()};
}

void check_same_bits(std::pair<double, double> found, std::pair<double, double> sorted) {
  CHECK(std::bit_cast<std::uint64_t>(found.first) == std::bit_cast<std::uint64_t>(sorted.first));
  CHECK(std::bit_cast<std::uint64_t>(found.second) == std::bit_cast<std::uint64_t>(sorted.second));
}

std::vector<double> shaped_column(const std::string& shape, std::size_t n, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::normal_distribution<double> normal;
  std::vector<double> values(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double u = testing::unit(engine);
    if (shape == "normal") values[i] = normal(engine);
    if (shape == "uniform") values[i] = u;
    if (shape == "skewed") values[i] = std::exp(2 * normal(engine));  // many binades, a long tail
    if (shape == "ties") values[i] = std::floor(u * 7) * 0.5;
    if (shape == "zeros") values[i] = u < 0.3 ? -0.0 : u < 0.6 ? 0.0 : u < 0.8 ? -1.0 : 1.0;
    if (shape == "nonfinite") values[i] = u < 0.1 ? std::numeric_limits<double>::quiet_NaN() : u < 0.15 ? HUGE_VAL : normal(engine);
    if (shape == "constant") values[i] = 2.5;
  }
  return values;
}

}  // namespace

TEST_CASE("the narrowest window by passes equals sorting's, bit for bit") {
  const std::string shape = GENERATE("normal", "uniform", "skewed", "ties", "zeros", "nonfinite", "constant");
  const std::size_t n = GENERATE(1, 2, 7, 1'000, 30'001);
  const std::vector<double> values = shaped_column(shape, n, 20121023 + n);
  const std::uint64_t finite = testing::sorted_finite(values).size();
  if (finite == 0) return;
  const double share = GENERATE(0.01, 0.5, 0.8, 0.999, 1.0);
  const std::uint64_t k = std::clamp<std::uint64_t>(static_cast<std::uint64_t>(std::ceil(share * static_cast<double>(finite))), 1, finite);
  CAPTURE(shape, n, k);
  const std::pair<double, double> sorted = sorted_window(values, k);
  check_same_bits(by_passes(values, k, {}, 65'536).window, sorted);
  // A budget of a few values and bins: every piece is histogrammed, most of them many times over.
  const Found small = by_passes(values, k, {.gathered = 16, .bins = 64}, 977);
  check_same_bits(small.window, sorted);
  if (n == 30'001 && shape == "normal" && share <= 0.8) CHECK(small.passes > 3);
}

TEST_CASE("the narrowest window of one value is that value, and among equal widths the first") {
  const std::vector<double> values = {5.0, 1.0, 2.0, 3.0, 4.0};
  CHECK(by_passes(values, 1, {}, 2).window == std::pair(1.0, 1.0));
  CHECK(by_passes(values, 2, {.gathered = 1, .bins = 16}, 2).window == std::pair(1.0, 2.0));
  CHECK(by_passes(values, 5, {}, 5).window == std::pair(1.0, 5.0));
  const std::vector<double> zeros = {0.0, -0.0, 0.0, -0.0};
  check_same_bits(by_passes(zeros, 2, {.gathered = 1, .bins = 16}, 1).window, {-0.0, -0.0});
  check_same_bits(by_passes(zeros, 3, {.gathered = 1, .bins = 16}, 3).window, {-0.0, 0.0});
}
