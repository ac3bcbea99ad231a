// Dimensioned drivers: elements read per element, their correlations (`ar1`, `correlation`, and
// between drivers element by element), and `given:` values with the conditional draws they imply,
// checked against the closed form of the conditional normal.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "guidance/load.hpp"
#include "guidance/simulate.hpp"
#include "load/load_support.hpp"

using namespace guidance;
using load_test::error_of;

namespace {

const std::string header = R"(name: dims
dimensions:
  quarter: [Q1, Q2, Q3, Q4]
  segment: [routing, switching, security]
)";

Model model_of(const std::string& text) { return build_model(parse_scenario(header + text, "x.yaml")); }

std::size_t index_of(const Model& model, const std::string& name) {
  const std::ptrdiff_t v = model.find(name);
  REQUIRE(v >= 0);
  return static_cast<std::size_t>(v);
}

}  // namespace

TEST_CASE("a dimensioned driver is one driver per element, each parameter read per element", "[dimensions]") {
  const Scenario scenario = parse_scenario(header + R"(drivers:
  revenue:
    over: [segment, quarter]
    dist: normal
    mean: {routing: [560, 575, 590, 600], switching: 240, security: [260, 262, 265, 270]}
    sd: 12
  margin: {over: quarter, dist: uniform, min: ["62%", "63%", "63%", "64%"], max: "66%"}
  shares: {over: quarter, value: {Q1: 536, Q2: 537, Q3: 538, Q4: 539}}
)",
                                           "x.yaml");
  REQUIRE(scenario.drivers.size() == 12 + 4 + 4);
  REQUIRE(scenario.arrays.size() == 3);
  CHECK(scenario.arrays[0].name == "revenue");
  CHECK(scenario.arrays[1].first == 12);
  CHECK(scenario.drivers[0].name == "revenue[routing,Q1]");
  CHECK(scenario.drivers[5].name == "revenue[switching,Q2]");
  CHECK(scenario.drivers[11].name == "revenue[security,Q4]");
  CHECK(mean(*scenario.drivers[2].distribution) == 590.0);
  CHECK(mean(*scenario.drivers[6].distribution) == 240.0);
  CHECK(mean(*scenario.drivers[11].distribution) == 270.0);
  CHECK(scenario.drivers[12].name == "margin[Q1]");
  CHECK(support_min(*scenario.drivers[15].distribution) == Approx(0.64));
  CHECK(scenario.drivers[15].percent);
  CHECK(!scenario.drivers[17].distribution);
  CHECK(scenario.drivers[17].constant == 537.0);
}

TEST_CASE("a dimensioned driver's own correlations are correlations of the copula's normals", "[dimensions]") {
  const Model model = model_of(R"(drivers:
  revenue: {over: [segment, quarter], dist: normal, mean: 100, sd: 5, ar1: 0.6}
  margin: {over: quarter, dist: normal, mean: 0.6, sd: 0.01, correlation: 0.5}
  opex: {over: quarter, dist: normal, mean: 50, sd: 2}
correlations:
  - [margin, opex, 0.3]
)");
  const Copula& copula = model.copula;
  REQUIRE(copula.drivers.size() == 12 + 4 + 4);
  const auto at = [&](const std::string& name) {
    const std::size_t v = index_of(model, name);
    return static_cast<Eigen::Index>(std::find(copula.drivers.begin(), copula.drivers.end(), v) - copula.drivers.begin());
  };
  // ar1 along quarter (declared first), independent across segments.
  CHECK(copula.gaussian(at("revenue[routing,Q1]"), at("revenue[routing,Q2]")) == 0.6);
  CHECK(copula.gaussian(at("revenue[routing,Q1]"), at("revenue[routing,Q4]")) == std::pow(0.6, 3));
  CHECK(copula.gaussian(at("revenue[routing,Q1]"), at("revenue[switching,Q1]")) == 0.0);
  CHECK(copula.gaussian(at("margin[Q1]"), at("margin[Q4]")) == 0.5);
  // Between drivers, element by element on the shared dimension: a rank correlation.
  CHECK(copula.spearman(at("margin[Q2]"), at("opex[Q2]")) == 0.3);
  CHECK(copula.spearman(at("margin[Q2]"), at("opex[Q3]")) == 0.0);
  CHECK(!copula.repaired);
}

TEST_CASE("given values of an ar1 driver: the others are drawn from the closed-form conditional normal",
          "[dimensions][statistical]") {
  // A standard normal driver, so that its values are the copula's normals. AR(1) is Markov: given
  // Q1 = 1 and Q2 = 0.5, Q3 ~ 0.6 * 0.5 and Q4 ~ 0.36 * 0.5, with variances 1 - 0.6^2 and 1 - 0.6^4
  // and covariance 0.6 - 0.6 * 0.6^2.
  const Model model = model_of(R"(drivers:
  x: {over: quarter, dist: normal, mean: 0, sd: 1, ar1: 0.6}
given:
  x: [1, 0.5, null, null]
)");
  const double mean3 = 0.3, mean4 = 0.18, var3 = 0.64, var4 = 1 - std::pow(0.6, 4), cov34 = 0.6 - 0.6 * 0.36;
  REQUIRE(model.copula.drivers.size() == 2);
  CHECK(model.copula.shift(0) == Approx(mean3).margin(1e-12));
  CHECK(model.copula.shift(1) == Approx(mean4).margin(1e-12));
  const Eigen::MatrixXd covariance = model.copula.cholesky * model.copula.cholesky.transpose();
  CHECK(covariance(0, 0) == Approx(var3).margin(1e-12));
  CHECK(covariance(1, 1) == Approx(var4).margin(1e-12));
  CHECK(covariance(0, 1) == Approx(cov34).margin(1e-12));
  CHECK(model.variables[index_of(model, "x[Q1]")].given);
  CHECK(!model.variables[index_of(model, "x[Q1]")].stochastic);

  const std::uint64_t n = 200'000;
  const SimulationResult result = simulate(model, RunOptions{.trials = n, .seed = 11});
  const auto q3 = result.column(index_of(model, "x[Q3]")), q4 = result.column(index_of(model, "x[Q4]"));
  double s3 = 0, s4 = 0;
  for (std::size_t i = 0; i < n; ++i) s3 += q3[i], s4 += q4[i];
  const double m3 = s3 / n, m4 = s4 / n;
  double v3 = 0, v4 = 0, c34 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    v3 += (q3[i] - m3) * (q3[i] - m3);
    v4 += (q4[i] - m4) * (q4[i] - m4);
    c34 += (q3[i] - m3) * (q4[i] - m4);
  }
  v3 /= n - 1, v4 /= n - 1, c34 /= n - 1;
  // Four standard errors: of a mean sqrt(var / n), of a normal (co)variance sqrt((s_ii s_jj + s_ij^2) / n).
  const auto tolerance = [&](double a, double b, double ab) { return 4.0 * std::sqrt((a * b + ab * ab) / n); };
  CHECK(std::abs(m3 - mean3) < 4.0 * std::sqrt(var3 / n));
  CHECK(std::abs(m4 - mean4) < 4.0 * std::sqrt(var4 / n));
  CHECK(std::abs(v3 - var3) < tolerance(var3, var3, var3));
  CHECK(std::abs(v4 - var4) < tolerance(var4, var4, var4));
  CHECK(std::abs(c34 - cov34) < tolerance(var3, var4, cov34));
}

TEST_CASE("given values leave an independent driver's other elements as they were", "[dimensions]") {
  const std::string drivers = R"(drivers:
  opex: {over: quarter, dist: triangular, min: 535, mode: 546, max: 560}
)";
  const Model free = model_of(drivers);
  const Model given = model_of(drivers + "given:\n  opex[Q1]: 550\n");
  CHECK(given.copula.empty());
  const RunOptions options{.trials = 1000, .seed = 3};
  const SimulationResult a = simulate(free, options), b = simulate(given, options);
  const auto x = a.column(index_of(free, "opex[Q3]")), y = b.column(index_of(given, "opex[Q3]"));
  CHECK(std::equal(x.begin(), x.end(), y.begin(), y.end()));
  CHECK(given.variables[index_of(given, "opex[Q1]")].constant_value == 550.0);
}

TEST_CASE("bad dimensioned input is refused at its line and column", "[dimensions][errors]") {
  CHECK(error_of(header + "drivers:\n  x: {over: quartr, dist: normal, mean: 1, sd: 1}\n") ==
        "x.yaml:6:13: error: unknown dimension `quartr`\n"
        "      x: {over: quartr, dist: normal, mean: 1, sd: 1}\n"
        "                ^~~~~~\n"
        "hint: did you mean `quarter`?\n");
  CHECK(error_of(header + "drivers:\n  x: {over: quarter, dist: normal, mean: [1, 2, 3], sd: 1}\n") ==
        "x.yaml:6:42: error: `mean` of `x` lists 3 values, but `quarter` has 4 elements (Q1, Q2, Q3, Q4)\n"
        "      x: {over: quarter, dist: normal, mean: [1, 2, 3], sd: 1}\n"
        "                                             ^~~~~~~~~\n"
        "hint: give one value per element in the dimension's order, one value for all, or a mapping by element name\n");
  CHECK(error_of(header + "drivers:\n  x: {over: segment, dist: normal, mean: {routing: 1, switching: 2}, sd: 1}\n") ==
        "x.yaml:6:42: error: `mean` of `x` has no value for `security` of `segment`\n"
        "      x: {over: segment, dist: normal, mean: {routing: 1, switching: 2}, sd: 1}\n"
        "                                             ^~~~~~~~~~~~~~~~~~~~~~~~~~\n"
        "hint: give every element of `segment` (routing, switching, security), or one value for all\n");
  CHECK(error_of(header + "drivers:\n  x: {over: segment, dist: normal, mean: {routing: 1, swiching: 2, security: 3}, sd: 1}\n") ==
        "x.yaml:6:55: error: `segment` has no element `swiching` (in `mean` of `x`)\n"
        "      x: {over: segment, dist: normal, mean: {routing: 1, swiching: 2, security: 3}, sd: 1}\n"
        "                                                          ^~~~~~~~\n"
        "hint: did you mean `switching`?\n");
  CHECK(error_of(header + "drivers:\n  x: {over: quarter, dist: uniform, min: 0, max: 10}\ngiven:\n  x: {Q1: 12}\n") ==
        "x.yaml:8:11: error: the given value 12 of `x[Q1]` is outside its distribution (uniform min=0 max=10)\n"
        "      x: {Q1: 12}\n"
        "              ^~\n"
        "hint: a reported value the distribution cannot produce: check the value, or widen the driver\n");
  CHECK(error_of(header + "drivers:\n  x: {over: quarter, dist: normal, mean: 1, sd: 1, ar1: 1}\n") ==
        "x.yaml:6:57: error: `ar1` must lie strictly between -1 and 1, found 1\n"
        "      x: {over: quarter, dist: normal, mean: 1, sd: 1, ar1: 1}\n"
        "                                                            ^\n"
        "hint: the correlation of neighbouring elements' normals, e.g. ar1: 0.6\n");
  CHECK(error_of(header + "drivers:\n  x: {over: quarter, dist: normal, mean: 1, sd: 1, correlation: -0.5}\n") ==
        "x.yaml:6:65: error: `correlation` among 4 elements must lie from -0.3333 to 1, found -0.5\n"
        "      x: {over: quarter, dist: normal, mean: 1, sd: 1, correlation: -0.5}\n"
        "                                                                    ^~~~\n"
        "hint: below -1/(n - 1) no set of n variables can be equally correlated\n");
  CHECK(error_of(header + "drivers:\n  quarter: 1\n") ==
        "x.yaml:3:3: error: dimension `quarter` has the same name as a driver\n"
        "      quarter: [Q1, Q2, Q3, Q4]\n"
        "      ^~~~~~~\n"
        "hint: a formula must tell a dimension (sum(x, quarter)) from a value: rename one\n");
  CHECK(error_of(header + "drivers:\n  x: {over: quarter, dist: normal, mean: 1, sd: 1}\ngiven:\n  x[Q1]: 1\n  x: {Q1: 2}\n") ==
        "x.yaml:9:11: error: `x[Q1]` is given twice (first on line 8)\n"
        "      x: {Q1: 2}\n"
        "              ^\n");
  CHECK(error_of("name: d\ndimensions: {quarter: [Q1, Q1]}\ndrivers: {x: 1}\n") ==
        "x.yaml:2:28: error: `Q1` is listed twice in dimension `quarter`\n"
        "    dimensions: {quarter: [Q1, Q1]}\n"
        "                               ^~\n");
}
