// Dimensioned drivers: elements read per element, their correlations (`ar1`, `correlation`, and
// between drivers element by element), and `given:` values with the conditional draws they imply,
// checked against the closed form of the conditional normal.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include <fmt/format.h>

#include "guidance/load.hpp"
#include "guidance/simulate.hpp"
#include "load/load_support.hpp"
#include "model/eigen_view.hpp"

using namespace guidance;
using load_test::error_of;

namespace {

const std::string header = R"(name: dims
dimensions:
  quarter: [Q1, Q2, Q3, Q4]
  segment: [routing, switching, security]
)";

Model model_of(const std::string& text) { return build_model(parse_scenario(header + text, "x.yaml")); }

/// The rendered error of building `text` (after the header) into a model, or "built".
std::string build_error_of(const std::string& text) {
  try {
    model_of(text);
    return "built";
  } catch (const InputError& error) {
    return error.render();
  }
}

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
    return static_cast<std::size_t>(std::find(copula.drivers.begin(), copula.drivers.end(), v) - copula.drivers.begin());
  };
  // ar1 along quarter (declared first), independent across segments.
  CHECK(copula.gaussian(at("revenue[routing,Q1]"), at("revenue[routing,Q2]")) == 0.6);
  CHECK(copula.gaussian(at("revenue[routing,Q1]"), at("revenue[routing,Q4]")) == std::pow(0.6, 3));
  CHECK(copula.gaussian(at("revenue[routing,Q1]"), at("revenue[switching,Q1]")) == 0.0);
  CHECK(copula.gaussian(at("margin[Q1]"), at("margin[Q4]")) == 0.5);
  // Between drivers, element by element on the shared dimension: a rank correlation.
  CHECK(copula.spearman(at("margin[Q2]"), at("opex[Q2]")) == 0.3);
  CHECK(copula.spearman(at("margin[Q2]"), at("opex[Q3]")) == 0.0);
  CHECK(copula.repairs.empty());
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
  CHECK(model.copula.shift[0] == Approx(mean3).margin(1e-12));
  CHECK(model.copula.shift[1] == Approx(mean4).margin(1e-12));
  const Eigen::MatrixXd lower = eigen_view(model.copula.cholesky);
  const Eigen::MatrixXd covariance = lower * lower.transpose();
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

TEST_CASE("a dimensioned model gives, bit for bit, the numbers of the same model written out by hand",
          "[dimensions]") {
  const Model dimensioned = model_of(R"(drivers:
  revenue: {over: [segment, quarter], dist: normal, mean: {routing: [560, 575, 590, 600], switching: 240, security: 265}, sd: 12}
  gross_margin: {over: quarter, dist: normal, mean: ["63%", "63.5%", "64%", "64%"], sd: "0.4%"}
  opex: {over: quarter, dist: triangular, min: 535, mode: 546, max: 560}
  tax_rate: "32%"
correlations:
  - [revenue, gross_margin, 0.2]
given:
  opex: {Q1: 541}
metrics:
  total_revenue: sum(revenue, segment)
  operating_income: total_revenue * gross_margin - opex
  fy_income: sum(operating_income * (1 - tax_rate))
  growth: total_revenue / lag(total_revenue, 1, 1000) - 1
  h2_revenue: sum(total_revenue[Q3:Q4])
)");
  // The same model with a driver per element (r_<segment>_<quarter>) and each metric element written
  // out; its draws are given the dimensioned model's streams, so the two differ only in how they were
  // written.
  std::string text = "drivers:\n";
  const std::vector<std::string> quarters = {"Q1", "Q2", "Q3", "Q4"}, segments = {"routing", "switching", "security"};
  const std::vector<std::string> routing = {"560", "575", "590", "600"}, margins = {"63%", "63.5%", "64%", "64%"};
  for (const std::string& s : segments)
    for (std::size_t q = 0; q < 4; ++q)
      text += fmt::format("  r_{}_{}: {{dist: normal, mean: {}, sd: 12}}\n", s, quarters[q],
                          s == "routing" ? routing[q] : s == "switching" ? "240" : "265");
  for (std::size_t q = 0; q < 4; ++q)
    text += fmt::format("  gm_{}: {{dist: normal, mean: \"{}\", sd: \"0.4%\"}}\n", quarters[q], margins[q]);
  text += "  opex_Q1: 541\n";
  for (std::size_t q = 1; q < 4; ++q)
    text += fmt::format("  opex_{}: {{dist: triangular, min: 535, mode: 546, max: 560}}\n", quarters[q]);
  text += "  tax_rate: \"32%\"\ncorrelations:\n";
  for (const std::string& s : segments)
    for (const std::string& q : quarters) text += fmt::format("  - [r_{}_{}, gm_{}, 0.2]\n", s, q, q);
  text += "metrics:\n";
  for (const std::string& q : quarters)
    text += fmt::format("  tr_{0}: r_routing_{0} + r_switching_{0} + r_security_{0}\n", q);
  for (const std::string& q : quarters) text += fmt::format("  oi_{0}: tr_{0} * gm_{0} - opex_{0}\n", q);
  text += "  fy_income: oi_Q1 * (1 - tax_rate) + oi_Q2 * (1 - tax_rate) + oi_Q3 * (1 - tax_rate) + oi_Q4 * (1 - tax_rate)\n";
  text += "  growth_Q1: tr_Q1 / 1000 - 1\n";
  for (std::size_t q = 1; q < 4; ++q) text += fmt::format("  growth_{}: tr_{} / tr_{} - 1\n", quarters[q], quarters[q], quarters[q - 1]);
  text += "  h2_revenue: tr_Q3 + tr_Q4\n";
  Model by_hand = build_model(parse_scenario("name: by hand\n" + text, "x.yaml"));
  REQUIRE(by_hand.variables.size() == dimensioned.variables.size());
  by_hand.streams = dimensioned.streams;

  const RunOptions options{.trials = 5000, .seed = 17};
  const SimulationResult a = simulate(dimensioned, options), b = simulate(by_hand, options);
  for (std::size_t v = 0; v < dimensioned.variables.size(); ++v) {
    CAPTURE(dimensioned.variables[v].name, by_hand.variables[v].name);
    REQUIRE(dimensioned.variables[v].stochastic == by_hand.variables[v].stochastic);
    if (!dimensioned.variables[v].stochastic) {
      CHECK(dimensioned.variables[v].constant_value == by_hand.variables[v].constant_value);
      continue;
    }
    const auto x = a.column(v), y = b.column(v);
    CHECK(std::equal(x.begin(), x.end(), y.begin(), y.end()));
  }
}

TEST_CASE("metrics computed from given values only are given; guidance names elements", "[dimensions]") {
  const Model model = model_of(R"(drivers:
  revenue: {over: quarter, dist: normal, mean: 1000, sd: 10}
given:
  revenue: [990, 1010, null, null]
metrics:
  doubled: 2 * revenue
  fy: sum(revenue)
guidance:
  doubled[ Q3 ]: [1900, 2100]
)");
  CHECK(model.variables[index_of(model, "doubled[Q1]")].given);
  CHECK(!model.variables[index_of(model, "doubled[Q1]")].stochastic);
  CHECK(model.variables[index_of(model, "doubled[Q1]")].constant_value == 1980.0);
  CHECK(model.variables[index_of(model, "doubled[Q3]")].stochastic);
  CHECK(!model.variables[index_of(model, "fy")].given);
  REQUIRE(model.guidance.size() == 1);
  CHECK(model.guidance[0].name == "doubled[Q3]");
  CHECK(model.guidance[0].variable == index_of(model, "doubled[Q3]"));

  const std::string drivers = "drivers:\n  revenue: {over: quarter, dist: normal, mean: 1000, sd: 10}\nmetrics:\n  doubled: 2 * revenue\n";
  CHECK(build_error_of(drivers + "guidance:\n  doubled: [1900, 2100]\n") ==
        "x.yaml:10:3: error: `doubled` has 4 elements ([quarter]); name one of them\n"
        "      doubled: [1900, 2100]\n"
        "      ^~~~~~~\n"
        "hint: e.g. `doubled[Q4]`\n");
  CHECK(build_error_of(drivers + "guidance:\n  doubled[Q5]: [1900, 2100]\n") ==
        "x.yaml:10:3: error: `doubled` has no element `[Q5]`\n"
        "      doubled[Q5]: [1900, 2100]\n"
        "      ^~~~~~~~~~~\n"
        "hint: did you mean `doubled[Q1]`?\n");
  CHECK(error_of(header + drivers + "guidance:\n  revenue: [1900, 2100]\n") ==
        "x.yaml:10:3: error: `revenue` has 4 elements; name one of them\n"
        "      revenue: [1900, 2100]\n"
        "      ^~~~~~~\n"
        "hint: e.g. `revenue[Q1]`\n");
}

TEST_CASE("given values that name a metric, miscount elements, or lie beyond double precision are refused",
          "[dimensions][errors]") {
  const std::string drivers =
      "drivers:\n  revenue: {over: quarter, dist: normal, mean: 500, sd: 10, ar1: 0.5}\nmetrics:\n  fy: sum(revenue)\n";
  CHECK(error_of(header + drivers + "given:\n  fy: 2000\n") ==
        "x.yaml:10:3: error: `fy` is a metric; `given` fixes drivers\n"
        "      fy: 2000\n"
        "      ^~\n"
        "hint: give the drivers it is computed from; a metric computed from given values only shows as given\n");
  CHECK(error_of(header + drivers + "given:\n  revenue: [500, null, null, null, 5]\n") ==
        "x.yaml:10:12: error: `given` of `revenue` lists 5 values, but `quarter` has 4 elements (Q1, Q2, Q3, Q4)\n"
        "      revenue: [500, null, null, null, 5]\n"
        "               ^~~~~~~~~~~~~~~~~~~~~~~~~~\n"
        "hint: give one value per element in the dimension's order, one value for all, or a mapping by element name\n");
  // 1 is 49.9 standard deviations below the mean: its CDF underflows to 0, so its normal is -inf.
  CHECK(build_error_of(drivers + "given:\n  revenue: {Q1: 1}\n") ==
        "x.yaml:10:17: error: the given value of `revenue[Q1]` lies so far out in its distribution (or at its end) "
        "that the copula's normal there is infinite\n"
        "      revenue: {Q1: 1}\n"
        "                    ^\n"
        "hint: a correlated driver's given value must be one its distribution could plausibly draw: check the "
        "value, or widen the driver\n");
}

namespace {

const std::string segments_model = R"(drivers:
  revenue: {over: [segment, quarter], dist: normal, mean: {routing: [560, 575, 590, 600], switching: 240, security: 265}, sd: 12, ar1: 0.5}
  opex: {over: quarter, dist: triangular, min: 535, mode: 546, max: 560}
given:
  revenue: {routing: {Q1: 555}}
metrics:
  fy_revenue: sum(revenue)
  fy_income: fy_revenue * 0.6 - sum(opex)
)";

Model model_with(const std::string& text, const LoadOptions& options) {
  return build_model(parse_scenario(header + text, "x.yaml", options));
}

/// Every variable of two models drawn alike, bit for bit, over a 500-trial run.
void check_same_draws(const Model& a, const Model& b) {
  REQUIRE(a.variables.size() == b.variables.size());
  const RunOptions options{.trials = 500, .seed = 3};
  const SimulationResult x = simulate(a, options), y = simulate(b, options);
  for (std::size_t v = 0; v < a.variables.size(); ++v) {
    CAPTURE(a.variables[v].name);
    REQUIRE(a.variables[v].stochastic == b.variables[v].stochastic);
    if (!a.variables[v].stochastic) continue;
    const auto p = x.column(v), q = y.column(v);
    CHECK(std::equal(p.begin(), p.end(), q.begin(), q.end()));
  }
}

}  // namespace

TEST_CASE("overrides, variants and typed settings change some elements of a dimensioned driver", "[dimensions]") {
  // routing's mean 600 in every quarter, written in the file
  std::string written = segments_model;
  written.replace(written.find("[560, 575, 590, 600]"), 20, "600");
  const Model expected = model_of(written);
  const std::string subscript = GENERATE(as<std::string>{}, "routing", "routing,Q1,", " routing ");
  if (subscript == "routing,Q1,") {
    LoadOptions options;
    options.overrides = {"revenue[" + subscript + "].mean=600"};
    CHECK(error_of(header + segments_model, options) ==
          "set:1:9: error: `revenue` has 2 dimensions, but `[routing,Q1,]` names 3 elements\n"
          "    revenue[routing,Q1,].mean=600\n"
          "            ^~~~~~~~~~~\n"
          "hint: name at most one element of each dimension: revenue[segment,quarter]\n");
    return;
  }
  SECTION("--set") {
    LoadOptions options;
    options.overrides = {"revenue[" + subscript + "].mean=600"};
    check_same_draws(model_with(segments_model, options), expected);
  }
  SECTION("a variant") {
    LoadOptions options;
    options.variant = "high";
    check_same_draws(model_with(segments_model + "scenarios:\n  high:\n    drivers:\n      revenue[" + subscript +
                                    "].mean: 600\n",
                                options),
                     expected);
  }
  SECTION("with_parameters, the given element staying given") {
    const ParameterSetting setting{"revenue[routing]", "mean", 600, false};
    const Model typed = with_parameters(parse_scenario(header + segments_model, "x.yaml"), std::span(&setting, 1));
    CHECK(typed.variables[index_of(typed, "revenue[routing,Q1]")].given);
    check_same_draws(typed, expected);
  }
}

TEST_CASE("one element set by name, in any order of its dimensions, equals the same value written", "[dimensions]") {
  std::string written = segments_model;
  written.replace(written.find("security: 265"), 13, "security: [265, 265, 280, 265]");
  const Model expected = model_of(written);
  for (const std::string& target : {"revenue[security,Q3]", "revenue[Q3,security]", "revenue[Q3, security]"}) {
    CAPTURE(target);
    LoadOptions options;
    options.overrides = {target + ".mean=280"};
    check_same_draws(model_with(segments_model, options), expected);
  }
  // every element of a dimensioned driver, by its name alone
  const ParameterSetting setting{"opex", "max", 570, false};
  std::string wider = segments_model;
  wider.replace(wider.find("max: 560"), 8, "max: 570");
  check_same_draws(with_parameters(parse_scenario(header + segments_model, "x.yaml"), std::span(&setting, 1)),
                   model_of(wider));
}

TEST_CASE("changes to elements that cannot be made are refused at the argument", "[dimensions][errors]") {
  const auto set = [](const std::string& argument) {
    LoadOptions options;
    options.overrides = {argument};
    return error_of(header + segments_model, options);
  };
  CHECK(set("revenue[Q5].sd=1") ==
        "set:1:9: error: `revenue` has no element `Q5`\n"
        "    revenue[Q5].sd=1\n"
        "            ^~\n"
        "hint: did you mean `Q1`?\n");
  CHECK(set("revenue[Q1,Q2].sd=1") ==
        "set:1:12: error: `[Q1,Q2]` names two elements of `quarter`\n"
        "    revenue[Q1,Q2].sd=1\n"
        "               ^~\n"
        "hint: name at most one element of each dimension: revenue[segment,quarter]\n");
  CHECK(set("revenue[Q1].p90=600") ==
        "set:1:13: error: `revenue` has no parameter `p90`; its elements take the parameters it has (`dist`, `mean` and `sd`)\n"
        "    revenue[Q1].p90=600\n"
        "                ^~~\n"
        "hint: to use `p90`, change it for the whole driver: revenue.p90\n");
  CHECK(set("revenue[Q1].ar1=0.2") ==
        "set:1:13: error: `ar1` belongs to `revenue` as a whole, not to its elements\n"
        "    revenue[Q1].ar1=0.2\n"
        "                ^~~\n"
        "hint: change it without naming elements: revenue.ar1\n");
  CHECK(set("revenue[Q1]=600") ==
        "set:1:9: error: an element of `revenue` cannot be replaced whole: its elements share one distribution\n"
        "    revenue[Q1]=600\n"
        "            ^~\n"
        "hint: change one of its parameters (revenue[Q1].PARAM=VALUE), or fix a reported value with `given`\n");
  CHECK(set("revenue[Q1].sd=null") ==
        "set:1:13: error: `sd` cannot be removed from some elements of `revenue` only\n"
        "    revenue[Q1].sd=null\n"
        "                ^~\n"
        "hint: remove it for the whole driver: revenue.sd=null\n");
  CHECK(set("revenue[Q1.sd=1") ==
        "set:1:8: error: expected `[ELEMENTS]` after `revenue`, found `[Q1`\n"
        "    revenue[Q1.sd=1\n"
        "           ^~~\n"
        "hint: name elements and a parameter: revenue[Q4].PARAM or revenue[routing,Q4].PARAM\n");
  CHECK(set("revenue[Q1].sd=-1") ==
        "set:1:16: error: sd must be > 0, found -1\n"
        "    revenue[Q1].sd=-1\n"
        "                   ^~\n"
        "hint: the standard deviation must be positive\n");
  LoadOptions options;
  options.overrides = {"opex[Q2].mode=550"};
  CHECK(error_of("name: s\ndrivers:\n  opex: {dist: triangular, min: 535, mode: 546, max: 560}\n", options) ==
        "set:1:6: error: `opex` has no dimensions, so no elements to name\n"
        "    opex[Q2].mode=550\n"
        "         ^~\n"
        "hint: change the driver as a whole: opex.mode\n");
}

TEST_CASE("a typed change keeps a given element given, and refuses one its new distribution cannot produce",
          "[dimensions][errors]") {
  const Scenario scenario =
      parse_scenario(header + "drivers:\n  x: {over: quarter, dist: uniform, min: 0, max: 10}\ngiven:\n  x: {Q1: 8}\n",
                     "x.yaml");
  const ParameterSetting wider{"x", "max", 20, false};
  const Model model = with_parameters(scenario, std::span(&wider, 1));
  const std::size_t q1 = index_of(model, "x[Q1]");
  CHECK(model.variables[q1].given);
  CHECK_FALSE(model.variables[q1].stochastic);
  CHECK(model.variables[q1].constant_value == 8.0);
  const ParameterSetting narrower{"x[Q1]", "max", 5, false};
  try {
    with_parameters(scenario, std::span(&narrower, 1));
    FAIL("accepted");
  } catch (const InputError& error) {
    CHECK(error.render() ==
          "x.yaml:8:11: error: the given value 8 of `x[Q1]` is outside its distribution (uniform min=0 max=5)\n"
          "      x: {Q1: 8}\n"
          "              ^\n"
          "hint: a reported value the distribution cannot produce: check the value, or widen the driver\n");
  }
}
