// The scenario loader as a specification: what a valid file becomes, and the exact message for each
// kind of bad input (docs/scenario-format.md lists the same errors).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "guidance/load.hpp"
#include "load/load_support.hpp"

using namespace guidance;
using Catch::Matchers::WithinRel;
using load_test::Case;
using load_test::driver;
using load_test::error_of;
using load_test::shape;

namespace {

// The text a location spans in its source.
std::string_view spanned(const SourceLocation& where) {
  return where.source->line(where.line).substr(where.column - 1, where.length);
}

}  // namespace

TEST_CASE("the issue's example loads with every value as written") {
  const Scenario s = load_scenario(load_test::data_path("good/juniper_flagship.yaml"));
  CHECK(s.name == "Juniper Networks Q4 2012 outlook (non-GAAP)");
  CHECK(s.description == "Outlook published with Q3 2012 results");
  CHECK(s.units == "USD millions");
  CHECK(s.simulation.trials == 100000u);
  CHECK(s.simulation.seed == 20121023u);
  CHECK_FALSE(s.simulation.sampling);
  CHECK_FALSE(s.simulation.repair_correlations);
  CHECK(s.variant == "base");
  CHECK(s.variant_names->empty());

  std::vector<std::string> names;
  for (const Driver& d : s.drivers) names.push_back(d.name);
  CHECK(names == std::vector<std::string>{"revenue", "gross_margin", "opex", "other_income", "tax_rate", "diluted_shares"});

  // P10..P90 = 1100..1130: mean at the midpoint, sd = 30 / (z(0.9) - z(0.1)).
  CHECK_THAT(shape<Normal>(s, "revenue").mean, WithinRel(1115.0, 1e-12));
  CHECK_THAT(shape<Normal>(s, "revenue").sd, WithinRel(30.0 / (2 * 1.2815515655446004), 1e-12));
  CHECK(shape<Normal>(s, "gross_margin").mean == 0.64);
  CHECK(shape<Normal>(s, "gross_margin").sd == 0.004);
  CHECK(driver(s, "gross_margin").percent);
  CHECK_FALSE(driver(s, "revenue").percent);
  const Triangular& opex = shape<Triangular>(s, "opex");
  CHECK((opex.min == 535 && opex.mode == 546 && opex.max == 560));
  CHECK((shape<Uniform>(s, "other_income").min == -2 && shape<Uniform>(s, "other_income").max == 8));
  CHECK_FALSE(driver(s, "tax_rate").distribution);
  CHECK(driver(s, "tax_rate").constant == 0.32);
  CHECK(driver(s, "tax_rate").percent);
  const Distribution& shares = *driver(s, "diluted_shares").distribution;
  CHECK(shares.truncate_low == 0.0);
  CHECK(shares.truncate_high == std::numeric_limits<double>::infinity());
  CHECK(spanned(driver(s, "opex").where) == "opex");

  REQUIRE(s.correlations.size() == 2);
  CHECK((s.correlations[1].first == "revenue" && s.correlations[1].second == "opex" && s.correlations[1].rho == 0.4));
  CHECK(spanned(s.correlations[1].where) == "[revenue, opex, 0.4]");
  CHECK(spanned(s.correlations[1].rho_where) == "0.4");

  REQUIRE(s.metrics.size() == 5);
  for (const Metric& m : s.metrics) {
    INFO(m.name);
    CHECK(spanned(m.where) == m.name);
    CHECK(spanned(m.formula_where) == m.formula);  // formula errors are located by offset from here
  }
  CHECK(s.metrics[3].formula == "(operating_income + other_income) * (1 - tax_rate)");
  CHECK((s.metrics[3].formula_where.line == 20 && s.metrics[3].formula_where.column == 15));

  REQUIRE(s.guidance.size() == 4);
  CHECK((s.guidance[1].name == "gross_margin" && s.guidance[1].low == 0.635 && s.guidance[1].high == 0.645));
  CHECK(s.guidance[1].percent);
  CHECK((s.guidance[3].name == "eps" && s.guidance[3].low == 0.19 && s.guidance[3].high == 0.22));
  CHECK_FALSE(s.guidance[3].percent);
  CHECK(s.actuals.empty());
}

TEST_CASE("every distribution loads in every parameterisation") {
  const Scenario s = load_scenario(load_test::data_path("good/every_distribution.yaml"));
  CHECK(s.simulation.seed == std::numeric_limits<std::uint64_t>::max());
  CHECK(s.simulation.sampling == Sampling::sobol);
  CHECK(s.simulation.repair_correlations == true);

  CHECK_THAT(shape<Normal>(s, "normal_percentiles").mean, WithinRel(100.0, 1e-12));
  CHECK_THAT(shape<LogNormal>(s, "lognormal_median").mu, WithinRel(std::log(1.2e6), 1e-12));
  CHECK_THAT(mean(*driver(s, "lognormal_mean_sd").distribution), WithinRel(14.5, 1e-9));
  CHECK_THAT(shape<Uniform>(s, "uniform_percentiles").min, WithinRel(0.5, 1e-12));
  CHECK_THAT(shape<Uniform>(s, "uniform_percentiles").max, WithinRel(2.5, 1e-12));
  CHECK(shape<Triangular>(s, "triangular").mode == 6.8);
  CHECK(shape<Pert>(s, "pert").lambda == 4.0);
  CHECK(shape<Pert>(s, "pert").max == 0.06);
  CHECK(driver(s, "pert").percent);
  CHECK(shape<Pert>(s, "pert_lambda").lambda == 2.5);
  CHECK(shape<Discrete>(s, "discrete").probabilities == std::vector<double>{0.25, 0.5, 0.25});
  CHECK_FALSE(driver(s, "discrete").percent);  // percent probabilities do not make the values percents
  CHECK(driver(s, "truncated_above").distribution->truncate_high == 1.5);
  CHECK(driver(s, "constant").constant == 9.5e6);
  REQUIRE(s.actuals.size() == 2);
  CHECK((s.actuals[0].name == "total" && s.actuals[0].value == 112.5));
}

TEST_CASE("a byte-order mark and CRLF line ends do not move locations") {
  const Scenario s = load_scenario(load_test::data_path("good/bom_crlf.yaml"));
  CHECK(s.name == "BOM and CRLF");
  REQUIRE(s.metrics.size() == 1);
  CHECK((s.metrics[0].formula_where.line == 5 && s.metrics[0].formula_where.column == 7));
  CHECK(spanned(s.metrics[0].formula_where) == "revenue * 2");
}

namespace {

// A valid start for cases about later sections: drivers on lines 3-5.
const std::string head =
    "name: t\n"
    "drivers:\n"
    "  revenue: {dist: normal, mean: 100, sd: 5}\n"
    "  opex: {dist: uniform, min: 1, max: 2}\n"
    "  tax: 30%\n";

// A driver on line 3, after `name: t` and `drivers:`.
std::string with_driver(const std::string& line) { return "name: t\ndrivers:\n  " + line + "\n"; }

const std::vector<Case>& catalogue() {
  static const std::vector<Case> cases = {
      // ---- the file as a whole ------------------------------------------------------------------
      {"an empty file", "",
       "x.yaml: error: the file is empty\n"
       "hint: a scenario needs at least `name:` and `drivers:` (see docs/scenario-format.md)\n"},
      {"only comments", "# nothing yet\n",
       "x.yaml: error: the file is empty\n"
       "hint: a scenario needs at least `name:` and `drivers:` (see docs/scenario-format.md)\n"},
      {"not YAML", "name: t\ndrivers: {revenue: [1, 2}\n",
       "x.yaml:2:25: error: invalid YAML: illegal flow end\n"
       "    drivers: {revenue: [1, 2}\n"
       "                            ^\n"
       "hint: a `]` or `}` has no opening bracket\n"},
      {"a control character written as an escape (it would reach the terminal)", "name: \"a\\x1b[31mRED\"\ndrivers: {a: 1}\n",
       "x.yaml:1:7: error: control character U+001B in text\n"
       "    name: \"a\\x1b[31mRED\"\n"
       "          ^~~~~~~~~~~~~~\n"
       "hint: write printable text only: tabs and line ends are the only control characters allowed\n"},
      {"a block scalar's line end is shown, not printed", "name: t\ndrivers:\n  a: |\n    1\n",
       "x.yaml:3:6: error: expected a number, found `1\\n`\n"
       "      a: |\n"
       "         ^\n"
       "hint: numbers are written like 1115, -2.5, 1.2e3 or \"63.5%\"\n"},
      {"a thousands separator inside braces", with_driver("a: {dist: normal, mean: 1,000, sd: 5}"),
       "x.yaml:3:29: error: unknown parameter `000` for a normal distribution\n"
       "      a: {dist: normal, mean: 1,000, sd: 5}\n"
       "                                ^~~\n"
       "hint: a comma ends a value inside { }: write numbers without thousands separators (1000, not 1,000)\n"},
      {"an unclosed bracket", "name: [t\n",
       "x.yaml:1:7: error: invalid YAML: this `[` is not closed\n"
       "    name: [t\n"
       "          ^\n"
       "hint: close it with `]`\n"},
      {"an unclosed quote (yaml-cpp would take the rest of the file)", "name: \"t\ndrivers: {a: 1}\n",
       "x.yaml:1:7: error: invalid YAML: this `\"` is not closed\n"
       "    name: \"t\n"
       "          ^\n"
       "hint: a quoted value needs its closing quote\n"},
      {"a list, not a mapping", "- revenue\n- opex\n",
       "x.yaml:1:1: error: a scenario must be a mapping of keys, found a list\n"
       "    - revenue\n"
       "    ^\n"
       "hint: a scenario starts with lines such as `name: ...` and `drivers:`\n"},
      {"plain text, not a mapping", "revenue is 100\n",
       "x.yaml:1:1: error: a scenario must be a mapping of keys, found `revenue is 100`\n"
       "    revenue is 100\n"
       "    ^~~~~~~~~~~~~~\n"
       "hint: a scenario starts with lines such as `name: ...` and `drivers:`\n"},
      {"an unknown top-level key", "name: t\ndrivrs: {a: 1}\n",
       "x.yaml:2:1: error: unknown key `drivrs`\n"
       "    drivrs: {a: 1}\n"
       "    ^~~~~~\n"
       "hint: did you mean `drivers`?\n"},
      {"an unknown key with no near miss", "name: t\nsources: [10-Q]\ndrivers: {a: 1}\n",
       "x.yaml:2:1: error: unknown key `sources`\n"
       "    sources: [10-Q]\n"
       "    ^~~~~~~\n"
       "hint: expected one of `name`, `description`, `units`, `ranges`, `simulation`, `dimensions`, `drivers`, "
       "`correlations`, `given`, `metrics`, `guidance`, `actuals` or `scenarios`\n"},
      {"a duplicate key", "name: t\ndrivers: {a: 1}\nname: u\n",
       "x.yaml:3:1: error: duplicate key `name`\n"
       "    name: u\n"
       "    ^~~~\n"
       "hint: `name` is already defined on line 1; YAML would keep only one of them\n"},
      {"no name", "drivers: {a: 1}\n",
       "x.yaml: error: missing `name`\n"
       "hint: give the scenario a name: `name: ...`\n"},
      {"an empty name", "name: \"\"\ndrivers: {a: 1}\n",
       "x.yaml:1:7: error: `name` is empty\n"
       "    name: \"\"\n"
       "          ^~\n"},
      {"a name that is not text", "name: [a, b]\ndrivers: {a: 1}\n",
       "x.yaml:1:7: error: expected text, found a list\n"
       "    name: [a, b]\n"
       "          ^~~~~~\n"},
      {"no drivers", "name: t\n",
       "x.yaml: error: missing `drivers`\n"
       "hint: list the uncertain inputs, e.g. drivers: {revenue: {dist: normal, mean: 100, sd: 5}}\n"},
      {"empty drivers", "name: t\ndrivers: {}\n",
       "x.yaml:2:1: error: `drivers` is empty\n"
       "    drivers: {}\n"
       "    ^~~~~~~\n"
       "hint: a scenario needs a driver\n"},
      {"drivers with nothing under them", "name: t\ndrivers:\n",
       "x.yaml:2:1: error: expected a mapping for `drivers`, found nothing\n"
       "    drivers:\n"
       "    ^~~~~~~\n"},

      // ---- drivers ------------------------------------------------------------------------------
      {"a name with a space", with_driver("gross margin: 1"),
       "x.yaml:3:3: error: `gross margin` is not a valid name\n"
       "      gross margin: 1\n"
       "      ^~~~~~~~~~~~\n"
       "hint: a name starts with a letter or `_` and has only letters, digits and `_` (formulas use it)\n"},
      {"a reserved name", with_driver("not: 1"),
       "x.yaml:3:3: error: `not` is reserved in formulas\n"
       "      not: 1\n"
       "      ^~~\n"
       "hint: choose another name\n"},
      {"a driver without a value", with_driver("revenue:"),
       "x.yaml:3:3: error: driver `revenue` has no value\n"
       "      revenue:\n"
       "      ^~~~~~~\n"
       "hint: give a number (a constant) or a distribution, e.g. {dist: normal, mean: 100, sd: 5}\n"},
      {"a driver as a list", with_driver("revenue: [1, 2]"),
       "x.yaml:3:12: error: expected a number or a distribution for driver `revenue`, found a list\n"
       "      revenue: [1, 2]\n"
       "               ^~~~~~\n"
       "hint: write a distribution as a mapping, e.g. {dist: normal, mean: 100, sd: 5}\n"},
      {"no `dist`", with_driver("revenue: {mean: 1, sd: 3}"),
       "x.yaml:3:12: error: missing `dist` for driver `revenue`\n"
       "      revenue: {mean: 1, sd: 3}\n"
       "               ^~~~~~~~~~~~~~~~\n"
       "hint: write the kind of distribution, e.g. {dist: normal, mean: 100, sd: 5}; kinds: `normal`, `lognormal`, "
       "`uniform`, `triangular`, `pert` and `discrete`\n"},
      {"an unknown distribution", with_driver("revenue: {dist: normel, mean: 1, sd: 2}"),
       "x.yaml:3:19: error: unknown distribution `normel`\n"
       "      revenue: {dist: normel, mean: 1, sd: 2}\n"
       "                      ^~~~~~\n"
       "hint: did you mean `normal`?\n"},
      {"an unknown parameter", with_driver("revenue: {dist: normal, mean: 1, sdd: 2}"),
       "x.yaml:3:36: error: unknown parameter `sdd` for a normal distribution\n"
       "      revenue: {dist: normal, mean: 1, sdd: 2}\n"
       "                                       ^~~\n"
       "hint: did you mean `sd`?\n"},
      {"a percentile key out of range", with_driver("revenue: {dist: normal, p0: 1, p90: 3}"),
       "x.yaml:3:27: error: unknown parameter `p0` for a normal distribution\n"
       "      revenue: {dist: normal, p0: 1, p90: 3}\n"
       "                              ^~\n"
       "hint: percentiles are written p1 to p99, e.g. p10 and p90\n"},
      {"a percentile for a distribution without them", with_driver("revenue: {dist: triangular, p10: 1, p90: 3}"),
       "x.yaml:3:31: error: unknown parameter `p10` for a triangular distribution\n"
       "      revenue: {dist: triangular, p10: 1, p90: 3}\n"
       "                                  ^~~\n"
       "hint: triangular takes `min`, `mode` and `max`\n"},
      {"a missing parameter", with_driver("revenue: {dist: normal, mean: 1}"),
       "x.yaml:3:12: error: missing `sd` for the normal distribution of `revenue`\n"
       "      revenue: {dist: normal, mean: 1}\n"
       "               ^~~~~~~~~~~~~~~~~~~~~~~\n"
       "hint: normal takes `mean` and `sd`, or two percentiles such as `p10` and `p90`\n"},
      {"no parameters", with_driver("revenue: {dist: normal}"),
       "x.yaml:3:12: error: missing `mean` and `sd`, or two percentiles for the normal distribution of `revenue`\n"
       "      revenue: {dist: normal}\n"
       "               ^~~~~~~~~~~~~~\n"
       "hint: normal takes `mean` and `sd`, or two percentiles such as `p10` and `p90`\n"},
      {"mixed parameterisations", with_driver("revenue: {dist: normal, mean: 1, p10: 2}"),
       "x.yaml:3:36: error: `p10` cannot be combined with `mean`\n"
       "      revenue: {dist: normal, mean: 1, p10: 2}\n"
       "                                       ^~~\n"
       "hint: normal takes `mean` and `sd`, or two percentiles such as `p10` and `p90`\n"},
      {"three percentiles", with_driver("revenue: {dist: normal, p10: 1, p90: 3, p50: 2}"),
       "x.yaml:3:43: error: `p50` cannot be combined with `p10` and `p90`\n"
       "      revenue: {dist: normal, p10: 1, p90: 3, p50: 2}\n"
       "                                              ^~~\n"
       "hint: normal takes `mean` and `sd`, or two percentiles such as `p10` and `p90`\n"},
      {"a lognormal median alone", with_driver("units: {dist: lognormal, median: 5}"),
       "x.yaml:3:10: error: missing a percentile for the lognormal distribution of `units`\n"
       "      units: {dist: lognormal, median: 5}\n"
       "             ^~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
       "hint: lognormal takes `mean` and `sd` (of the value itself), or `median` and one percentile, or two "
       "percentiles such as `p10` and `p90`\n"},
      {"a lognormal percentile alone", with_driver("units: {dist: lognormal, p90: 5}"),
       "x.yaml:3:10: error: missing `median`, or a second percentile for the lognormal distribution of `units`\n"
       "      units: {dist: lognormal, p90: 5}\n"
       "             ^~~~~~~~~~~~~~~~~~~~~~~~~\n"
       "hint: lognormal takes `mean` and `sd` (of the value itself), or `median` and one percentile, or two "
       "percentiles such as `p10` and `p90`\n"},
      {"sd <= 0", with_driver("gross_margin: {dist: normal, mean: \"64%\", sd: -0.4}"),
       "x.yaml:3:49: error: sd must be > 0, found -0.4\n"
       "      gross_margin: {dist: normal, mean: \"64%\", sd: -0.4}\n"
       "                                                    ^~~~\n"
       "hint: the standard deviation must be positive\n"},
      {"parameters whose draws overflow", with_driver("x: {dist: uniform, min: -1e308, max: 1e308}"),
       "x.yaml:3:6: error: the uniform distribution of `x` gives infinite draws: its quantile at 1.1e-16 is inf\n"
       "      x: {dist: uniform, min: -1e308, max: 1e308}\n"
       "         ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
       "hint: its parameters are too large to compute with (doubles end near 1.8e308): check the exponents\n"},
      {"parameters whose draws are not numbers", with_driver("x: {dist: lognormal, mean: 1e-300, sd: 1e300}"),
       "x.yaml:3:6: error: the lognormal distribution of `x` gives undefined draws: its quantile at 0.5 is not a number\n"
       "      x: {dist: lognormal, mean: 1e-300, sd: 1e300}\n"
       "         ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
       "hint: its parameters are too large to compute with (doubles end near 1.8e308): check the exponents\n"},
      {"a PERT weight whose draws are not numbers", with_driver("x: {dist: pert, min: 1, mode: 2, max: 3, lambda: 1e300}"),
       "x.yaml:3:6: error: the pert distribution of `x` gives undefined draws: its quantile at 1.1e-16 is not a number\n"
       "      x: {dist: pert, min: 1, mode: 2, max: 3, lambda: 1e300}\n"
       "         ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
       "hint: its parameters are too large to compute with (doubles end near 1.8e308): check the exponents\n"},
      {"a negative scale", with_driver("x: {dist: normal, mean: 100, sd: 5, scale: -1}"),
       "x.yaml:3:46: error: scale must be > 0, found -1\n"
       "      x: {dist: normal, mean: 100, sd: 5, scale: -1}\n"
       "                                                 ^~\n"
       "hint: scale multiplies the values; a negative one would mirror the distribution (its low tail becoming "
       "the high one): negate the driver in the formulas instead\n"},
      {"a move whose draws overflow", with_driver("x: {dist: normal, mean: 100, sd: 5, scale: 1e307, shift: 1e308}"),
       "x.yaml:3:6: error: the normal distribution of `x` gives infinite draws: its quantile at 1.1e-16 is inf\n"
       "      x: {dist: normal, mean: 100, sd: 5, scale: 1e307, shift: 1e308}\n"
       "         ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
       "hint: its parameters are too large to compute with (doubles end near 1.8e308): check the exponents\n"},
      {"a value written as a percent is shown as one", with_driver("gross_margin: {dist: normal, mean: \"64%\", sd: \"-0.4%\"}"),
       "x.yaml:3:49: error: sd must be > 0, found -0.4%\n"
       "      gross_margin: {dist: normal, mean: \"64%\", sd: \"-0.4%\"}\n"
       "                                                    ^~~~~~~\n"
       "hint: the standard deviation must be positive\n"},
      {"percentiles written as percents, out of order",
       with_driver("gross_margin: {dist: normal, p10: \"64.5%\", p90: \"63.5%\"}"),
       "x.yaml:3:51: error: percentiles out of order: p10 = 64.5% is above p90 = 63.5%\n"
       "      gross_margin: {dist: normal, p10: \"64.5%\", p90: \"63.5%\"}\n"
       "                                                      ^~~~~~~\n"
       "hint: a higher percentile needs a higher value\n"},
      {"the mode outside a range written in percents",
       with_driver("gross_margin: {dist: triangular, min: \"60%\", mode: \"70%\", max: \"65%\"}"),
       "x.yaml:3:54: error: mode must be in [min, max] = [60%, 65%], found 70%\n"
       "      gross_margin: {dist: triangular, min: \"60%\", mode: \"70%\", max: \"65%\"}\n"
       "                                                         ^~~~~\n"},
      {"min >= max", with_driver("other: {dist: uniform, min: 8, max: -2}"),
       "x.yaml:3:39: error: max must be > min = 8, found -2\n"
       "      other: {dist: uniform, min: 8, max: -2}\n"
       "                                          ^~\n"},
      {"the mode outside [min, max]", with_driver("opex: {dist: triangular, min: 535, mode: 530, max: 560}"),
       "x.yaml:3:44: error: mode must be in [min, max] = [535, 560], found 530\n"
       "      opex: {dist: triangular, min: 535, mode: 530, max: 560}\n"
       "                                               ^~~\n"},
      {"percentiles out of order", with_driver("revenue: {dist: normal, p10: 1130, p90: 1100}"),
       "x.yaml:3:43: error: percentiles out of order: p10 = 1130 is above p90 = 1100\n"
       "      revenue: {dist: normal, p10: 1130, p90: 1100}\n"
       "                                              ^~~~\n"
       "hint: a higher percentile needs a higher value\n"},
      {"a lognormal with a non-positive value", with_driver("units: {dist: lognormal, p10: -1, p90: 1100}"),
       "x.yaml:3:33: error: p10 must be > 0 for a lognormal, found -1\n"
       "      units: {dist: lognormal, p10: -1, p90: 1100}\n"
       "                                    ^~\n"
       "hint: a lognormal takes positive values only\n"},
      {"a negative probability", with_driver("d: {dist: discrete, values: [1, 2], probabilities: [-0.5, 1.5]}"),
       "x.yaml:3:54: error: probabilities must be >= 0, found -0.5\n"
       "      d: {dist: discrete, values: [1, 2], probabilities: [-0.5, 1.5]}\n"
       "                                                         ^~~~~~~~~~~\n"},
      {"probabilities not summing to 1", with_driver("d: {dist: discrete, values: [1, 2], probabilities: [0.5, 0.6]}"),
       "x.yaml:3:54: error: probabilities must sum to 1, found a sum of 1.1\n"
       "      d: {dist: discrete, values: [1, 2], probabilities: [0.5, 0.6]}\n"
       "                                                         ^~~~~~~~~~\n"},
      {"discrete values that are not a list", with_driver("d: {dist: discrete, values: 1, probabilities: [1]}"),
       "x.yaml:3:31: error: expected a list for `values`, found `1`\n"
       "      d: {dist: discrete, values: 1, probabilities: [1]}\n"
       "                                  ^\n"},
      {"pert with lambda <= 0", with_driver("p: {dist: pert, min: 1, mode: 2, max: 3, lambda: 0}"),
       "x.yaml:3:52: error: lambda must be > 0, found 0\n"
       "      p: {dist: pert, min: 1, mode: 2, max: 3, lambda: 0}\n"
       "                                                       ^\n"
       "hint: lambda weights the mode; the usual value is 4\n"},
      {"truncate that is not a range", with_driver("shares: {dist: normal, mean: 536, sd: 2, truncate: 0}"),
       "x.yaml:3:54: error: expected [low, high] for `truncate`, found `0`\n"
       "      shares: {dist: normal, mean: 536, sd: 2, truncate: 0}\n"
       "                                                         ^\n"
       "hint: write null for an open end, e.g. truncate: [0, null]\n"},
      {"truncate with zero probability", with_driver("shares: {dist: normal, mean: 536, sd: 2, truncate: [1000, null]}"),
       "x.yaml:3:54: error: truncate range [1000, inf] has zero probability under normal mean=536 sd=2\n"
       "      shares: {dist: normal, mean: 536, sd: 2, truncate: [1000, null]}\n"
       "                                                         ^~~~~~~~~~~~\n"},
      {"a truncation of a driver written in percent is shown in percent",
       with_driver("gross_margin: {dist: normal, mean: \"64%\", sd: \"0.4%\", truncate: [\"90%\", null]}"),
       "x.yaml:3:67: error: truncate range [90%, inf] has zero probability under normal mean=64% sd=0.4%\n"
       "      gross_margin: {dist: normal, mean: \"64%\", sd: \"0.4%\", truncate: [\"90%\", null]}\n"
       "                                                                      ^~~~~~~~~~~~~\n"},
      {"a truncated discrete distribution",
       with_driver("d: {dist: discrete, values: [1, 2], probabilities: [0.5, 0.5], truncate: [0, 1]}"),
       "x.yaml:3:76: error: a discrete distribution cannot be truncated\n"
       "      d: {dist: discrete, values: [1, 2], probabilities: [0.5, 0.5], truncate: [0, 1]}\n"
       "                                                                               ^~~~~~\n"
       "hint: leave out the values outside the range instead\n"},

      // ---- numbers ------------------------------------------------------------------------------
      {"NaN", with_driver("revenue: .nan"),
       "x.yaml:3:12: error: expected a finite number, found `.nan`\n"
       "      revenue: .nan\n"
       "               ^~~~\n"
       "hint: NaN and infinities are not allowed\n"},
      {"an infinity", with_driver("revenue: -.inf"),
       "x.yaml:3:12: error: expected a finite number, found `-.inf`\n"
       "      revenue: -.inf\n"
       "               ^~~~~\n"
       "hint: NaN and infinities are not allowed\n"},
      {"a thousands separator", with_driver("revenue: 1,115"),
       "x.yaml:3:12: error: expected a number, found `1,115`\n"
       "      revenue: 1,115\n"
       "               ^~~~~\n"
       "hint: write 1115: thousands separators are not allowed\n"},
      {"a decimal comma", with_driver("tax: \"32,5%\""),
       "x.yaml:3:8: error: expected a number, found `32,5%`\n"
       "      tax: \"32,5%\"\n"
       "           ^~~~~~~\n"
       "hint: write 32.5%: the decimal separator is a point\n"},
      {"a YAML 1.1 boolean", with_driver("revenue: yes"),
       "x.yaml:3:12: error: expected a number, found `yes`\n"
       "      revenue: yes\n"
       "               ^~~\n"
       "hint: `yes` is not a number (YAML 1.1 reads it as a boolean)\n"},
      {"a leading zero (YAML 1.1 octal)", with_driver("revenue: 010"),
       "x.yaml:3:12: error: expected a number, found `010`\n"
       "      revenue: 010\n"
       "               ^~~\n"
       "hint: a leading zero is ambiguous (YAML 1.1 reads 010 as the octal number 8): write 10\n"},
      {"hexadecimal", with_driver("revenue: 0x1F"),
       "x.yaml:3:12: error: expected a number, found `0x1F`\n"
       "      revenue: 0x1F\n"
       "               ^~~~\n"
       "hint: write numbers in decimal\n"},
      {"a currency sign", with_driver("revenue: $1100"),
       "x.yaml:3:12: error: expected a number, found `$1100`\n"
       "      revenue: $1100\n"
       "               ^~~~~\n"
       "hint: write the number without a currency sign\n"},
      {"too large for a double", with_driver("revenue: 1e400"),
       "x.yaml:3:12: error: expected a number in range, found `1e400`\n"
       "      revenue: 1e400\n"
       "               ^~~~~\n"
       "hint: the number is too large or too small for a double\n"},
      {"words", with_driver("revenue: about 1100"),
       "x.yaml:3:12: error: expected a number, found `about 1100`\n"
       "      revenue: about 1100\n"
       "               ^~~~~~~~~~\n"
       "hint: numbers are written like 1115, -2.5, 1.2e3 or \"63.5%\"\n"},

      // ---- metrics ------------------------------------------------------------------------------
      {"a metric with a driver's name", head + "metrics:\n  revenue: opex * 2\n",
       "x.yaml:7:3: error: metric `revenue` has the same name as a driver\n"
       "      revenue: opex * 2\n"
       "      ^~~~~~~\n"
       "hint: driver `revenue` is defined on line 3\n"},
      {"a metric without a formula", head + "metrics:\n  margin:\n",
       "x.yaml:7:3: error: metric `margin` has no formula\n"
       "      margin:\n"
       "      ^~~~~~\n"},
      {"an empty formula", head + "metrics:\n  margin: \"\"\n",
       "x.yaml:7:11: error: metric `margin` has an empty formula\n"
       "      margin: \"\"\n"
       "              ^~\n"},
      {"a formula as a list", head + "metrics:\n  margin: [revenue, opex]\n",
       "x.yaml:7:11: error: expected a formula for metric `margin`, found a list\n"
       "      margin: [revenue, opex]\n"
       "              ^~~~~~~~~~~~~~~\n"
       "hint: write the formula as text on one line, e.g. revenue * gross_margin\n"},
      {"an unknown format", head + "metrics:\n  margin: {formula: opex / revenue, format: percnt}\n",
       "x.yaml:7:45: error: unknown format `percnt` for metric `margin`\n"
       "      margin: {formula: opex / revenue, format: percnt}\n"
       "                                                ^~~~~~\n"
       "hint: did you mean `percent`?\n"},
      {"an unknown format with no near name", head + "metrics:\n  margin: {formula: opex / revenue, format: dollars}\n",
       "x.yaml:7:45: error: unknown format `dollars` for metric `margin`\n"
       "      margin: {formula: opex / revenue, format: dollars}\n"
       "                                                ^~~~~~~\n"
       "hint: a metric is shown as a `number` (the default), a `percent` or `currency`\n"},
      {"currency without units", head + "metrics:\n  margin: {formula: opex / revenue, format: currency}\n",
       "x.yaml:7:45: error: `format: currency` for metric `margin` needs a currency in the file's `units:`\n"
       "      margin: {formula: opex / revenue, format: currency}\n"
       "                                                ^~~~~~~~\n"
       "hint: declare the units, e.g. `units: USD millions`\n"},
      {"currency with units that name none", "units: widgets\n" + head + "metrics:\n  m: {formula: opex, format: currency}\n",
       "x.yaml:8:30: error: `format: currency` for metric `m` needs a currency in the file's `units:`\n"
       "      m: {formula: opex, format: currency}\n"
       "                                 ^~~~~~~~\n"
       "hint: `units: widgets` names no currency; start it with one, e.g. `units: USD millions`\n"},
      {"negative digits", head + "metrics:\n  margin: {formula: opex / revenue, digits: -1}\n",
       "x.yaml:7:45: error: `digits` must be a whole number from 0 to 12, found `-1`\n"
       "      margin: {formula: opex / revenue, digits: -1}\n"
       "                                                ^~\n"
       "hint: the decimals to show, e.g. `digits: 2` for 0.80\n"},
      {"too many digits", head + "metrics:\n  margin: {formula: opex / revenue, digits: 40}\n",
       "x.yaml:7:45: error: `digits` must be a whole number from 0 to 12, found `40`\n"
       "      margin: {formula: opex / revenue, digits: 40}\n"
       "                                                ^~\n"
       "hint: the decimals to show, e.g. `digits: 2` for 0.80\n"},
      {"a format without a formula", head + "metrics:\n  margin: {format: percent}\n",
       "x.yaml:7:11: error: missing `formula` for metric `margin`\n"
       "      margin: {format: percent}\n"
       "              ^~~~~~~~~~~~~~~~~\n"
       "hint: e.g. {formula: operating_income / revenue, format: percent}\n"},
      {"a formula given as a list inside the mapping", head + "metrics:\n  margin: {formula: [opex]}\n",
       "x.yaml:7:21: error: expected a formula for metric `margin`, found a list\n"
       "      margin: {formula: [opex]}\n"
       "                        ^~~~~~\n"
       "hint: write the formula as text on one line, e.g. revenue * gross_margin\n"},
      {"a formula as a block scalar", head + "metrics:\n  margin: |\n    revenue - opex\n",
       "x.yaml:7:11: error: write the formula on one line\n"
       "      margin: |\n"
       "              ^\n"
       "hint: errors in a formula are shown in place, so the formula must be exactly the text in the file\n"},
      {"a formula over two lines", head + "metrics:\n  margin: revenue -\n    opex\n",
       "x.yaml:7:11: error: write the formula on one line\n"
       "      margin: revenue -\n"
       "              ^~~~~~~~~\n"
       "hint: errors in a formula are shown in place, so the formula must be exactly the text in the file\n"},
      {"a formula with an escape", head + "metrics:\n  margin: \"revenue \\x2d opex\"\n",
       "x.yaml:7:11: error: write the formula on one line, without escape sequences\n"
       "      margin: \"revenue \\x2d opex\"\n"
       "              ^~~~~~~~~~~~~~~~~~~\n"
       "hint: errors in a formula are shown in place, so the formula must be exactly the text in the file\n"},

      // ---- correlations -------------------------------------------------------------------------
      {"correlations not a list", head + "correlations: {revenue: opex}\n",
       "x.yaml:6:15: error: expected a list for `correlations`, found a mapping\n"
       "    correlations: {revenue: opex}\n"
       "                  ^~~~~~~~~~~~~~~\n"},
      {"an entry without rho", head + "correlations:\n  - [revenue, opex]\n",
       "x.yaml:7:5: error: expected [driver, driver, rho], found a list of 2\n"
       "      - [revenue, opex]\n"
       "        ^~~~~~~~~~~~~~~\n"
       "hint: write one correlation per line, e.g. - [revenue, opex, 0.4]\n"},
      {"an unknown driver", head + "correlations:\n  - [revenu, opex, 0.3]\n",
       "x.yaml:7:6: error: unknown driver `revenu`\n"
       "      - [revenu, opex, 0.3]\n"
       "         ^~~~~~\n"
       "hint: did you mean `revenue`?\n"},
      {"a metric", head + "metrics: {margin: revenue - opex}\ncorrelations:\n  - [margin, opex, 0.3]\n",
       "x.yaml:8:6: error: `margin` is a metric; correlations are between drivers\n"
       "      - [margin, opex, 0.3]\n"
       "         ^~~~~~\n"
       "hint: correlate the drivers it is computed from\n"},
      {"a constant driver", head + "correlations:\n  - [revenue, tax, 0.3]\n",
       "x.yaml:7:15: error: `tax` is a constant; only uncertain drivers can be correlated\n"
       "      - [revenue, tax, 0.3]\n"
       "                  ^~~\n"},
      {"a driver correlated with itself", head + "correlations:\n  - [revenue, revenue, 0.3]\n",
       "x.yaml:7:15: error: `revenue` is correlated with itself\n"
       "      - [revenue, revenue, 0.3]\n"
       "                  ^~~~~~~\n"},
      {"|rho| > 1", head + "correlations:\n  - [revenue, opex, -1.2]\n",
       "x.yaml:7:21: error: a correlation must be between -1 and 1, found -1.2\n"
       "      - [revenue, opex, -1.2]\n"
       "                        ^~~~\n"},
      {"a duplicate pair, in either order", head + "correlations:\n  - [revenue, opex, 0.3]\n  - [opex, revenue, 0.2]\n",
       "x.yaml:8:5: error: `opex` and `revenue` are already correlated on line 7\n"
       "      - [opex, revenue, 0.2]\n"
       "        ^~~~~~~~~~~~~~~~~~~~\n"
       "hint: give each pair once\n"},

      // ---- guidance and actuals -----------------------------------------------------------------
      {"guidance on an unknown name", head + "guidance:\n  revenu: [1100, 1130]\n",
       "x.yaml:7:3: error: unknown name `revenu` in `guidance`\n"
       "      revenu: [1100, 1130]\n"
       "      ^~~~~~\n"
       "hint: did you mean `revenue`?\n"},
      {"guidance with low > high", head + "guidance:\n  tax: [\"35%\", \"30%\"]\n",
       "x.yaml:7:8: error: the guidance on `tax` has low 35% above high 30%\n"
       "      tax: [\"35%\", \"30%\"]\n"
       "           ^~~~~~~~~~~~~~\n"
       "hint: write [low, high]\n"},
      {"guidance with no bounds", head + "guidance:\n  revenue: [null, null]\n",
       "x.yaml:7:12: error: the guidance on `revenue` has no bounds\n"
       "      revenue: [null, null]\n"
       "               ^~~~~~~~~~~~\n"
       "hint: give at least one end, e.g. [0.19, null]\n"},
      {"guidance that is not a range", head + "guidance:\n  revenue: 1100\n",
       "x.yaml:7:12: error: `1100` is a single figure, not a range\n"
       "      revenue: 1100\n"
       "               ^~~~\n"
       "hint: write \"~1100\" for a figure stated to its last digit, or give a margin: \"1100 ± 1%\"\n"},
      {"guidance that is not a range", head + "guidance:\n  revenue: [1, 2, 3]\n",
       "x.yaml:7:12: error: expected [low, high] for the guidance on `revenue`, found a list\n"
       "      revenue: [1, 2, 3]\n"
       "               ^~~~~~~~~\n"
       "hint: write null for an open end, e.g. [0.19, null], or the range as published, e.g. \"0.04 ± 0.10\"\n"},
      {"guidance with an infinite end", head + "guidance:\n  revenue: [1100, .inf]\n",
       "x.yaml:7:19: error: expected a finite number, found `.inf`\n"
       "      revenue: [1100, .inf]\n"
       "                      ^~~~\n"
       "hint: NaN and infinities are not allowed; write null for an open end\n"},
      {"an actual for an unknown name", head + "actuals:\n  revnue: 1118\n",
       "x.yaml:7:3: error: unknown name `revnue` in `actuals`\n"
       "      revnue: 1118\n"
       "      ^~~~~~\n"
       "hint: did you mean `revenue`?\n"},

      // ---- simulation ---------------------------------------------------------------------------
      {"an unknown simulation key", head + "simulation: {trails: 1000}\n",
       "x.yaml:6:14: error: unknown key `trails` in `simulation`\n"
       "    simulation: {trails: 1000}\n"
       "                 ^~~~~~\n"
       "hint: did you mean `trials`?\n"},
      {"zero trials", head + "simulation: {trials: 0}\n",
       "x.yaml:6:22: error: expected a whole number from 1 to 10000000000, found `0`\n"
       "    simulation: {trials: 0}\n"
       "                         ^\n"},
      {"trials in exponent form", head + "simulation: {trials: 1e6}\n",
       "x.yaml:6:22: error: expected a whole number from 1 to 10000000000, found `1e6`\n"
       "    simulation: {trials: 1e6}\n"
       "                         ^~~\n"
       "hint: write 1000000\n"},
      {"a negative seed", head + "simulation: {seed: -1}\n",
       "x.yaml:6:20: error: expected a whole number from 0 to 18446744073709551615, found `-1`\n"
       "    simulation: {seed: -1}\n"
       "                       ^~\n"},
      {"a seed above 2^64 - 1", head + "simulation: {seed: 18446744073709551616}\n",
       "x.yaml:6:20: error: expected a whole number from 0 to 18446744073709551615, found `18446744073709551616`\n"
       "    simulation: {seed: 18446744073709551616}\n"
       "                       ^~~~~~~~~~~~~~~~~~~~\n"},
      {"an unknown sampling", head + "simulation: {sampling: lsh}\n",
       "x.yaml:6:24: error: unknown sampling `lsh`\n"
       "    simulation: {sampling: lsh}\n"
       "                           ^~~\n"
       "hint: did you mean `lhs`?\n"},
      {"a YAML 1.1 boolean for a flag", head + "simulation: {repair_correlations: on}\n",
       "x.yaml:6:35: error: expected true or false, found `on`\n"
       "    simulation: {repair_correlations: on}\n"
       "                                      ^~\n"
       "hint: YAML 1.1 spellings such as yes, on and True are refused: write true or false\n"},
  };
  return cases;
}

}  // namespace

TEST_CASE("a bad scenario is refused with a located message") {
  const Case& c = GENERATE(from_range(catalogue()));
  INFO(c.what);
  CHECK(error_of(c.input) == c.expected);
}

TEST_CASE("a metric written with `format: percent` is shown as percents, also when a variant changes its formula") {
  const std::string text = head +
                           "metrics:\n"
                           "  margin: {formula: opex / revenue, format: percent}\n"
                           "  ratio: {formula: opex / revenue, format: number}\n"
                           "  plain: opex / revenue\n"
                           "scenarios:\n"
                           "  bear: {metrics: {margin: opex / revenue - 0.01}}\n";
  const Scenario base = parse_scenario(text, "x.yaml");
  REQUIRE(base.metrics.size() == 3);
  CHECK(base.metrics[0].formula == "opex / revenue");
  CHECK((base.metrics[0].formula_where.line == 7 && base.metrics[0].formula_where.column == 21));
  CHECK(base.metrics[0].percent);
  CHECK_FALSE(base.metrics[1].percent);
  CHECK_FALSE(base.metrics[2].percent);
  LoadOptions bear;
  bear.variant = "bear";
  const Scenario changed = parse_scenario(text, "x.yaml", bear);
  CHECK(changed.metrics[0].formula == "opex / revenue - 0.01");
  CHECK(changed.metrics[0].percent);
}

TEST_CASE("`format: currency` takes the file's sign and scale, `digits` the decimals, and a variant keeps both") {
  const std::string text = "units: EUR thousands\n" + head +
                           "metrics:\n"
                           "  cost: {formula: opex * 1000, format: currency, digits: 1}\n"
                           "  share: {formula: opex / revenue, format: percent, digits: 0}\n"
                           "  plain: opex\n"
                           "scenarios:\n"
                           "  bear: {metrics: {cost: opex * 1100}}\n";
  for (const std::string variant : {"base", "bear"}) {
    LoadOptions options;
    options.variant = variant;
    const Scenario s = parse_scenario(text, "x.yaml", options);
    REQUIRE(s.metrics.size() == 3);
    CHECK(s.metrics[0].display.currency == "€");
    CHECK(s.metrics[0].display.scale_exponent == 3);
    CHECK(s.metrics[0].display.digits == 1);
    CHECK_FALSE(s.metrics[0].percent);
    CHECK(s.metrics[1].percent);
    CHECK(s.metrics[1].display.currency.empty());
    CHECK(s.metrics[1].display.digits == 0);
    CHECK(s.metrics[2].display.currency.empty());
    CHECK_FALSE(s.metrics[2].display.digits.has_value());
  }
}
