// Regional sensitivity: the drivers' medians among the trials that miss a guidance range.
#include <catch2/catch.hpp>

#include <boost/math/distributions/normal.hpp>

#include "analysis/sensitivity_testing.hpp"
#include "guidance/sensitivity.hpp"

using namespace guidance;
using Catch::Matchers::WithinAbs;
using guidance::test::index_of;
using guidance::test::input_of;
using guidance::test::model_of;

namespace {

// y = 2a with a standard normal; b is not in the formula.
const std::string scenario = R"(
name: regional
drivers:
  a: {dist: normal, mean: 0, sd: 1}
  b: {dist: normal, mean: 10, sd: 3}
metrics:
  y: 2 * a
  z: b
guidance:
  y: [-2, 1]
  z: [4, null]
)";

const boost::math::normal_distribution<double> standard;

}  // namespace

TEST_CASE("a miss below (and above) the range shifts the driver that causes it by the truncated-normal median") {
  const Model model = model_of(scenario);
  constexpr std::uint64_t n = 200'000;
  const SimulationResult trials = simulate(model, {.trials = n, .seed = 4});
  const Regional result = regional(model, sensitivity_inputs(model), trials, index_of(model, "y"));
  REQUIRE(result.misses.size() == 2);

  // Below: y < -2 <=> a < -1, so a's median there is Phi^-1(Phi(-1) / 2). Above: a > 1/2, median
  // Phi^-1(1 - (1 - Phi(1/2)) / 2).
  struct Expected {
    MissSide side;
    double probability;
    double median;
  };
  const Expected expected[] = {
      {MissSide::below, cdf(standard, -1.0), quantile(standard, cdf(standard, -1.0) / 2)},
      {MissSide::above, 1 - cdf(standard, 0.5), quantile(standard, 1 - (1 - cdf(standard, 0.5)) / 2)}};
  for (std::size_t k = 0; k < 2; ++k) {
    const RegionalMiss& miss = result.misses[k];
    const Expected& want = expected[k];
    CAPTURE(k);
    CHECK(miss.guidance == 0);
    CHECK(miss.side == want.side);
    CHECK(miss.probability == static_cast<double>(miss.trials) / n);
    // Binomial standard error of the probability; 4.5 standard errors.
    CHECK_THAT(miss.probability,
               WithinAbs(want.probability, 4.5 * std::sqrt(want.probability * (1 - want.probability) / n)));
    REQUIRE(miss.inputs.size() == 2);
    CHECK(miss.inputs[0].input == input_of(model, "a"));
    // The sample median's standard error, sqrt(1/4 / m) / f(median) with the truncated density
    // f = phi / P(side); 4.5 standard errors. For b (unrelated, sd 1 in its units): 1.2533 / sqrt(m).
    const double m = static_cast<double>(miss.trials);
    const double density = pdf(standard, want.median) / want.probability;
    CHECK_THAT(miss.inputs[0].shift_sd, WithinAbs(want.median, 4.5 * 0.5 / std::sqrt(m) / density));
    CHECK(miss.inputs[1].input == input_of(model, "b"));
    CHECK_THAT(miss.inputs[1].shift_sd, WithinAbs(0.0, 4.5 * 1.2533 / std::sqrt(m)));
  }
}

TEST_CASE("an open guidance line has one side, and a metric without guidance has none") {
  const Model model = model_of(scenario);
  const SimulationResult trials = simulate(model, {.trials = 20'000, .seed = 4});
  const Regional z = regional(model, sensitivity_inputs(model), trials, index_of(model, "z"));
  REQUIRE(z.misses.size() == 1);
  CHECK(z.misses[0].side == MissSide::below);
  CHECK(z.misses[0].guidance == 1);
  CHECK(regional(model, sensitivity_inputs(model), trials, index_of(model, "a")).misses.empty());
}
