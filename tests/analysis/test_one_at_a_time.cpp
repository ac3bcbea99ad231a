// Tornado and spider: one driver at a time, the others at their medians, against exact values.
#include <catch2/catch.hpp>

#include <boost/math/distributions/normal.hpp>

#include "analysis/sensitivity_testing.hpp"
#include "guidance/sensitivity.hpp"

using namespace guidance;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using guidance::test::index_of;
using guidance::test::input_of;
using guidance::test::model_of;

namespace {

// y = 2a - 5b + c + 0 * unused: a ~ N(10, 2), b ~ U(0, 1), c = 3 (a constant), unused ~ N(0, 1).
const std::string mixed_yaml = R"(
name: linear
drivers:
  a: {dist: normal, mean: 10, sd: 2}
  b: {dist: uniform, min: 0, max: 1}
  c: 3
  unused: {dist: normal, mean: 0, sd: 1}
metrics:
  y: 2 * a - 5 * b + c
  constant: c * 2
)";

double normal_quantile(double p) { return boost::math::quantile(boost::math::normal_distribution<double>(), p); }

}  // namespace

TEST_CASE("the tornado moves each driver to the ends of its range, the others at their medians") {
  const Model model = model_of(mixed_yaml);
  const auto [low, high] = GENERATE(std::pair{0.10, 0.90}, std::pair{0.25, 0.75}, std::pair{0.05, 0.95});
  CAPTURE(low, high);
  const Tornado result = tornado(model, sensitivity_inputs(model), index_of(model, "y"), low, high);

  CHECK_THAT(result.base, WithinRel(2 * 10 - 5 * 0.5 + 3, 1e-14));
  REQUIRE(result.bars.size() == 3);  // the constant c is not an input
  // Sorted by swing: a (2 x 2 x (z_high - z_low)), b (5 x (high - low)), then unused (0).
  const TornadoBar& a = result.bars[0];
  CHECK(a.input == input_of(model, "a"));
  CHECK_THAT(a.low_input[0], WithinRel(10 + 2 * normal_quantile(low), 1e-14));
  CHECK_THAT(a.high_input[0], WithinRel(10 + 2 * normal_quantile(high), 1e-14));
  CHECK_THAT(a.output_low, WithinRel(2 * a.low_input[0] - 2.5 + 3, 1e-14));
  CHECK_THAT(a.output_high, WithinRel(2 * a.high_input[0] - 2.5 + 3, 1e-14));
  CHECK_THAT(a.swing, WithinRel(4 * (normal_quantile(high) - normal_quantile(low)), 1e-12));

  const TornadoBar& b = result.bars[1];
  CHECK(b.input == input_of(model, "b"));
  CHECK_THAT(b.low_input[0], WithinRel(low, 1e-14));
  CHECK_THAT(b.output_low, WithinRel(20 - 5 * low + 3, 1e-14));
  CHECK_THAT(b.output_high, WithinRel(20 - 5 * high + 3, 1e-14));  // a higher b lowers y
  CHECK_THAT(b.swing, WithinRel(5 * (high - low), 1e-12));

  const TornadoBar& unused = result.bars[2];
  CHECK(unused.input == input_of(model, "unused"));
  CHECK(unused.swing == 0.0);
  CHECK(unused.output_low == result.base);
  CHECK(result.design.evaluations == 7);
  CHECK(result.design.nonfinite == 0);
}

TEST_CASE("the spider walks each driver through its range in even steps") {
  const Model model = model_of(mixed_yaml);
  const Spider result = spider(model, sensitivity_inputs(model), index_of(model, "y"), 0.10, 0.90, 9);
  REQUIRE(result.lines.size() == 3);
  const SpiderLine& b = result.lines[1];
  CHECK(b.input == input_of(model, "b"));
  REQUIRE(b.points.size() == 9);
  for (std::size_t k = 0; k < 9; ++k) {
    const double p = 0.10 + 0.10 * static_cast<double>(k);
    CAPTURE(k);
    CHECK_THAT(b.points[k].probability, WithinAbs(p, 1e-15));
    CHECK_THAT(b.points[k].input[0], WithinAbs(p, 1e-15));
    CHECK_THAT(b.points[k].output, WithinAbs(20 - 5 * p + 3, 1e-12));
  }
  CHECK(result.lines[0].points.back().probability == 0.90);
  for (const SpiderPoint& point : result.lines[2].points) CHECK(point.output == 20 - 2.5 + 3);
  CHECK(result.design.evaluations == 1 + 3 * 9);
}

TEST_CASE("a metric that is not finite at some points is counted, not hidden") {
  // At b's median the denominator is 0.
  const Model model = model_of(R"(
name: pole
drivers:
  a: {dist: normal, mean: 1, sd: 1}
  b: {dist: uniform, min: 0, max: 1}
metrics:
  y: a / (b - 0.5)
)");
  const Tornado result = tornado(model, sensitivity_inputs(model), index_of(model, "y"), 0.1, 0.9);
  CHECK(std::isinf(result.base));
  // The base and both of a's points have b at its median.
  CHECK(result.design.nonfinite == 3);
  CHECK(std::isnan(result.bars.back().swing));  // NaN swings sort last
  CHECK(result.bars.front().input == input_of(model, "b"));
  // The spider counts its base too: b's median point, and a's nine points, which all have b there.
  const Spider lines = spider(model, sensitivity_inputs(model), index_of(model, "y"), 0.1, 0.9, 9);
  CHECK(lines.design.evaluations == 1 + 2 * 9);
  CHECK(lines.design.nonfinite == 1 + 1 + 9);
}

TEST_CASE("a metric that no driver moves has no sensitivity") {
  const Model model = model_of(mixed_yaml);
  const auto constant = index_of(model, "constant");
  CHECK_THROWS_WITH(tornado(model, sensitivity_inputs(model), constant, 0.1, 0.9),
                    "`constant` is the same in every trial (6): no driver moves it");
  const Model fixed = model_of("name: fixed\ndrivers:\n  a: 1\n  b: 2\nmetrics:\n  y: a + b\n");
  CHECK_THROWS_WITH(tornado(fixed, sensitivity_inputs(fixed), index_of(fixed, "y"), 0.1, 0.9),
                    "`y` is the same in every trial (3): no driver moves it");
  CHECK_THROWS_AS(tornado(model, sensitivity_inputs(model), index_of(model, "y"), 0.9, 0.1), std::invalid_argument);
}
