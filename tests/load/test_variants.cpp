// Named variants (`scenarios:`), `--set` overrides and `--actual` figures: patches to the file, checked
// exactly like the file, with errors pointing at the variant's line or into the argument.
#include <catch2/catch.hpp>

#include "guidance/load.hpp"
#include "load/load_support.hpp"

using namespace guidance;
using Catch::Matchers::WithinRel;
using load_test::Case;
using load_test::driver;
using load_test::error_of;
using load_test::shape;

namespace {

Scenario load_variants(const LoadOptions& options) {
  return parse_scenario(load_test::read_data("good/variants.yaml"), "variants.yaml", options);
}

LoadOptions variant(const std::string& name) {
  LoadOptions options;
  options.variant = name;
  return options;
}

/// Overrides and actuals labelled as the command line labels them (its flags).
LoadOptions set(std::vector<std::string> overrides, std::vector<std::string> actuals = {}) {
  LoadOptions options;
  options.overrides = std::move(overrides);
  options.actuals = std::move(actuals);
  options.labels = {"--set", "--actual", "--given"};
  return options;
}

std::vector<std::string> guidance_names(const Scenario& scenario) {
  std::vector<std::string> names;
  for (const GuidanceLine& line : scenario.guidance) names.push_back(line.name);
  return names;
}

}  // namespace

TEST_CASE("the base is the file itself, and the variants are listed") {
  const Scenario base = load_variants({});
  CHECK(base.variant == "base");
  CHECK(*base.variant_names == std::vector<std::string>{"bear", "deep_bear"});
  CHECK(base.description == "base case");
  CHECK_THAT(shape<Normal>(base, "revenue").mean, WithinRel(1115.0, 1e-12));
}

TEST_CASE("a variant replaces drivers whole or one parameter at a time") {
  const Scenario bear = load_variants(variant("bear"));
  CHECK(bear.variant == "bear");
  CHECK(*bear.variant_names == std::vector<std::string>{"bear", "deep_bear"});
  CHECK(bear.description == "weaker demand");
  // {p10: 1080, p90: 1110} without `dist` keeps the normal.
  CHECK_THAT(shape<Normal>(bear, "revenue").mean, WithinRel(1095.0, 1e-12));
  // opex.max: 570 changes one parameter.
  const Triangular& opex = shape<Triangular>(bear, "opex");
  CHECK((opex.min == 535 && opex.mode == 546 && opex.max == 570));
  // {mean: 540, sd: 3} keeps `dist` and `truncate`.
  CHECK(shape<Normal>(bear, "shares").mean == 540);
  CHECK(driver(bear, "shares").distribution->truncate_low == 0.0);
  // Guidance lines are replaced or removed one by one.
  CHECK(guidance_names(bear) == std::vector<std::string>{"eps"});
  CHECK((bear.guidance[0].low == 0.15 && bear.guidance[0].high == 0.20));
  // A driver keeps its declaration in the file.
  CHECK(driver(bear, "revenue").where.line == 5);
}

TEST_CASE("a variant extends another, which applies first") {
  const Scenario deep = load_variants(variant("deep_bear"));
  CHECK(deep.description == "weaker demand");                       // from bear
  CHECK(shape<Triangular>(load_variants(variant("bear")), "opex").max == 570);
  CHECK(shape<Uniform>(deep, "opex").max == 580);                    // replaced with a new `dist`
  CHECK(driver(deep, "tax_rate").constant == 0.35);
  CHECK(driver(deep, "tax_rate").percent);
  CHECK(deep.correlations.empty());                                   // the list is replaced whole
  CHECK(deep.simulation.trials == 1000u);
  CHECK(deep.simulation.sampling == Sampling::latin_hypercube);
  CHECK(guidance_names(deep) == std::vector<std::string>{"eps"});
}

TEST_CASE("option --set changes a constant, a parameter or a whole driver, in order, after the variant") {
  LoadOptions options = set({"tax_rate=30%", "opex.mode=550", "revenue={dist: lognormal, median: 1115, p90: 1140}",
                             "shares={mean: 530, sd: 1}", "opex.mode=548"},
                            {"eps=0.21", "revenue=1118"});
  options.variant = "bear";
  const Scenario s = load_variants(options);
  CHECK(s.variant == "bear");
  CHECK(driver(s, "tax_rate").constant == 0.30);
  CHECK(driver(s, "tax_rate").percent);
  CHECK(shape<Triangular>(s, "opex").mode == 548);  // the last --set wins
  CHECK(shape<Triangular>(s, "opex").max == 570);   // the variant's change stays
  CHECK_THAT(shape<LogNormal>(s, "revenue").mu, WithinRel(std::log(1115.0), 1e-12));
  CHECK(shape<Normal>(s, "shares").mean == 530);
  CHECK(driver(s, "shares").distribution->truncate_low == 0.0);
  REQUIRE(s.actuals.size() == 2);
  CHECK((s.actuals[0].name == "eps" && s.actuals[0].value == 0.21));
  CHECK(s.actuals[1].where.path() == "--actual");
}

TEST_CASE("option --set NAME.PARAM=null removes a parameter") {
  const Scenario s = load_variants(set({"shares.truncate=null"}));
  CHECK_FALSE(driver(s, "shares").distribution->truncated());
}

TEST_CASE("option --actual replaces a figure from the file") {
  const Scenario s =
      parse_scenario(load_test::read_data("good/every_distribution.yaml"), "e.yaml", set({}, {"total=100"}));
  REQUIRE(s.actuals.size() == 2);
  CHECK((s.actuals[0].name == "total" && s.actuals[0].value == 100));
}

namespace {

const std::string file =
    "name: t\n"
    "drivers:\n"
    "  revenue: {dist: normal, p10: 1100, p90: 1130}\n"
    "  tax: 30%\n"
    "metrics: {eps: revenue * tax}\n"
    "guidance: {eps: [1, 2]}\n";

}  // namespace

TEST_CASE("a variant replaces a metric's formula, located at the variant's text") {
  const std::string text = file + "scenarios:\n  bear: {metrics: {eps: revenue * 0.41}}\n";
  LoadOptions options;
  options.variant = "bear";
  const Scenario bear = parse_scenario(text, "x.yaml", options);
  REQUIRE(bear.metrics.size() == 1);
  CHECK(bear.metrics[0].formula == "revenue * 0.41");
  CHECK((bear.metrics[0].formula_where.line == 8 && bear.metrics[0].formula_where.column == 25));
  CHECK(parse_scenario(text, "x.yaml").metrics[0].formula == "revenue * tax");
}

TEST_CASE("bad variants are refused where they are written") {
  static const std::vector<Case> cases = {
      {"a cycle through three variants", load_test::read_data("bad/variant_cycle.yaml"),
       "x.yaml:10:14: error: variant `bear` extends itself: bear -> worse -> worst -> bear\n"
       "        extends: bear\n"
       "                 ^~~~\n"
       "hint: `bear` extends `worse` on line 6, `worse` extends `worst` on line 8, `worst` extends `bear` on line 10\n"},
      {"a variant extending itself", file + "scenarios:\n  bear: {extends: bear}\n",
       "x.yaml:8:19: error: variant `bear` extends itself: bear -> bear\n"
       "      bear: {extends: bear}\n"
       "                      ^~~~\n"
       "hint: `bear` extends `bear` on line 8\n"},
      {"extending an unknown variant", file + "scenarios:\n  bear: {extends: bul}\n  bull: {}\n",
       "x.yaml:8:19: error: unknown variant `bul` in `extends`\n"
       "      bear: {extends: bul}\n"
       "                      ^~~\n"
       "hint: did you mean `bull`?\n"},
      {"a variant named base", file + "scenarios:\n  base: {}\n",
       "x.yaml:8:3: error: `base` is the file itself\n"
       "      base: {}\n"
       "      ^~~~\n"
       "hint: choose another name for this variant\n"},
      {"a variant name with a space", file + "scenarios:\n  bear case: {}\n",
       "x.yaml:8:3: error: `bear case` is not a valid variant name\n"
       "      bear case: {}\n"
       "      ^~~~~~~~~\n"
       "hint: use letters, digits, `_` and `-` (the name is typed on the command line)\n"},
      // The variant's value is at fault, though the error names the other percentile of the pair.
      {"a changed parameter out of order with one from the file", file + "scenarios:\n  bear: {drivers: {revenue.p10: 1135}}\n",
       "x.yaml:8:33: error: percentiles out of order: p10 = 1135 is above p90 = 1130\n"
       "      bear: {drivers: {revenue.p10: 1135}}\n"
       "                                    ^~~~\n"
       "hint: a higher percentile needs a higher value\n"},
      {"a changed kind that keeps the file's parameters", file + "scenarios:\n  flat: {drivers: {revenue.dist: triangular}}\n",
       "x.yaml:8:34: error: `dist: triangular` keeps `p10` from line 3, which a triangular distribution does not take\n"
       "      flat: {drivers: {revenue.dist: triangular}}\n"
       "                                     ^~~~~~~~~~\n"
       "hint: a change of `dist` keeps the driver's other parameters: replace the whole driver instead, e.g. "
       "`revenue: {dist: triangular, ...}`\n"},
      {"a variant that is not a mapping", file + "scenarios:\n  bear:\n",
       "x.yaml:8:3: error: expected a mapping for variant `bear`, found nothing\n"
       "      bear:\n"
       "      ^~~~\n"},
      {"an unknown key in a variant", file + "scenarios:\n  bear: {actuals: {eps: 1}}\n",
       "x.yaml:8:10: error: unknown key `actuals` in variant `bear`\n"
       "      bear: {actuals: {eps: 1}}\n"
       "             ^~~~~~~\n"
       "hint: expected one of `extends`, `description`, `drivers`, `metrics`, `correlations`, `guidance`, "
       "`simulation` or `given`\n"},
      {"a variant changing an unknown metric", file + "scenarios:\n  bear: {metrics: {epss: revenue}}\n",
       "x.yaml:8:20: error: unknown metric `epss`\n"
       "      bear: {metrics: {epss: revenue}}\n"
       "                       ^~~~\n"
       "hint: did you mean `eps`?\n"},
      {"a variant changing a driver as a metric", file + "scenarios:\n  bear: {metrics: {tax: 0.3}}\n",
       "x.yaml:8:20: error: `tax` is a driver; a variant changes it under `drivers:`\n"
       "      bear: {metrics: {tax: 0.3}}\n"
       "                       ^~~\n"
       "hint: write `drivers: {tax: ...}` in the variant\n"},
      {"an unknown driver", file + "scenarios:\n  bear: {drivers: {revnue: 1}}\n",
       "x.yaml:8:20: error: unknown driver `revnue`\n"
       "      bear: {drivers: {revnue: 1}}\n"
       "                       ^~~~~~\n"
       "hint: did you mean `revenue`?\n"},
      {"a metric as a driver", file + "scenarios:\n  bear: {drivers: {eps: 1}}\n",
       "x.yaml:8:20: error: `eps` is a metric; only drivers can be changed\n"
       "      bear: {drivers: {eps: 1}}\n"
       "                       ^~~\n"
       "hint: a metric is a formula over the drivers\n"},
      {"a parameter of a constant", file + "scenarios:\n  bear: {drivers: {tax.mean: 1}}\n",
       "x.yaml:8:20: error: `tax` is a constant, not a distribution\n"
       "      bear: {drivers: {tax.mean: 1}}\n"
       "                       ^~~\n"
       "hint: replace the whole driver instead: `tax: VALUE`\n"},
      {"a parameter that mixes parameterisations", file + "scenarios:\n  bear: {drivers: {revenue.sd: 5}}\n",
       "x.yaml:8:28: error: `sd` cannot be combined with `p10` and `p90`\n"
       "      bear: {drivers: {revenue.sd: 5}}\n"
       "                               ^~\n"
       "hint: normal takes `mean` and `sd`, or two percentiles such as `p10` and `p90`\n"},
      {"a bad value in a replaced driver", file + "scenarios:\n  bear:\n    drivers:\n      revenue: {p10: 1130, p90: 1100}\n",
       "x.yaml:10:33: error: percentiles out of order: p10 = 1130 is above p90 = 1100\n"
       "          revenue: {p10: 1130, p90: 1100}\n"
       "                                    ^~~~\n"
       "hint: a higher percentile needs a higher value\n"},
      {"removing guidance that is not there", file + "scenarios:\n  bear: {guidance: {epss: null}}\n",
       "x.yaml:8:21: error: no guidance on `epss` to remove\n"
       "      bear: {guidance: {epss: null}}\n"
       "                        ^~~~\n"
       "hint: did you mean `eps`?\n"},
      {"guidance out of order in a variant", file + "scenarios:\n  bear: {guidance: {eps: [2, 1]}}\n",
       "x.yaml:8:26: error: the guidance on `eps` has low 2 above high 1\n"
       "      bear: {guidance: {eps: [2, 1]}}\n"
       "                             ^~~~~~\n"
       "hint: write [low, high]\n"},
  };
  const Case& c = GENERATE(from_range(cases));
  INFO(c.what);
  CHECK(error_of(c.input) == c.expected);
}

TEST_CASE("every variant is checked, whichever is selected") {
  CHECK(error_of(file + "scenarios:\n  bear: {simulation: {trials: 0}}\n") ==
        "x.yaml:8:31: error: expected a whole number from 1 to 10000000000, found `0`\n"
        "      bear: {simulation: {trials: 0}}\n"
        "                                  ^\n");
  // A variant's formula is compiled when the file is loaded, not only when that variant is run.
  CHECK(error_of(file + "scenarios:\n  bear: {metrics: {eps: revenue * * tax}}\n") ==
        "x.yaml:8:35: error: unexpected `*`\n"
        "      bear: {metrics: {eps: revenue * * tax}}\n"
        "                                      ^\n"
        "hint: expected a number, a name or `(`\n");
  CHECK(error_of(file + "scenarios:\n  bear: {metrics: {eps: revenue * taxs}}\n") ==
        "x.yaml:8:35: error: unknown name `taxs`\n"
        "      bear: {metrics: {eps: revenue * taxs}}\n"
        "                                      ^~~~\n"
        "hint: did you mean `tax`?\n");
}

TEST_CASE("an unknown variant on the command line names the file's variants") {
  CHECK(error_of(file + "scenarios:\n  bear: {}\n  bull: {}\n", variant("bul")) ==
        "x.yaml: error: unknown variant `bul`\n"
        "hint: did you mean `bull`?\n");
  CHECK(error_of(file + "scenarios:\n  bear: {}\n", variant("upside")) ==
        "x.yaml: error: unknown variant `upside`\n"
        "hint: the variants are `base` and `bear`\n");
  CHECK(error_of(file, variant("bear")) ==
        "x.yaml: error: unknown variant `bear`\n"
        "hint: the file defines no variants (`scenarios:`)\n");
}

TEST_CASE("bad --set and --actual arguments are refused with the argument quoted") {
  static const std::vector<Case> cases = {
      {"no `=`", "--set revenue",
       "--set:1:1: error: expected NAME=VALUE, NAME.PARAM=VALUE or NAME={dist: ...}, found `revenue`\n"
       "    revenue\n"
       "    ^~~~~~~\n"},
      {"no value", "--set revenue=",
       "--set:1:8: error: missing value after `=`\n"
       "    revenue=\n"
       "           ^\n"},
      {"an unknown driver", "--set revnue=5",
       "--set:1:1: error: unknown driver `revnue`\n"
       "    revnue=5\n"
       "    ^~~~~~\n"
       "hint: did you mean `revenue`?\n"},
      {"a metric", "--set eps=5",
       "--set:1:1: error: `eps` is a metric; only drivers can be changed\n"
       "    eps=5\n"
       "    ^~~\n"
       "hint: a metric is a formula over the drivers\n"},
      {"a number that is not one", "--set tax=30,5%",
       "--set:1:5: error: expected a number, found `30,5%`\n"
       "    tax=30,5%\n"
       "        ^~~~~\n"
       "hint: write 30.5%: the decimal separator is a point\n"},
      {"an unknown parameter", "--set revenue.p95=1140",
       "--set:1:9: error: `p95` cannot be combined with `p10` and `p90`\n"
       "    revenue.p95=1140\n"
       "            ^~~\n"
       "hint: normal takes `mean` and `sd`, or two percentiles such as `p10` and `p90`\n"},
      {"a bad whole driver", "--set revenue={dist: normal, mean: 1, sd: 0}",
       "--set:1:37: error: sd must be > 0, found 0\n"
       "    revenue={dist: normal, mean: 1, sd: 0}\n"
       "                                        ^\n"
       "hint: the standard deviation must be positive\n"},
      {"invalid YAML", "--set revenue={dist: normal",
       "--set:1:9: error: invalid YAML: this `{` is not closed\n"
       "    revenue={dist: normal\n"
       "            ^\n"
       "hint: close it with `}`\n"},
      {"removing a parameter the distribution needs", "--set revenue.p10=null",
       "--set:1:1: error: missing a second percentile for the normal distribution of `revenue`\n"
       "    revenue.p10=null\n"
       "    ^~~~~~~~~~~\n"
       "hint: normal takes `mean` and `sd`, or two percentiles such as `p10` and `p90`\n"},
      {"an actual for an unknown name", "--actual epss=0.2",
       "--actual:1:1: error: unknown name `epss` in `actuals`\n"
       "    epss=0.2\n"
       "    ^~~~\n"
       "hint: did you mean `eps`?\n"},
      {"an actual that is not a number", "--actual eps=0.2O",
       "--actual:1:5: error: expected a number, found `0.2O`\n"
       "    eps=0.2O\n"
       "        ^~~~\n"
       "hint: numbers are written like 1115, -2.5, 1.2e3 or \"63.5%\"\n"},
  };
  const Case& c = GENERATE(from_range(cases));
  INFO(c.what);
  const std::string flag = c.input.substr(0, c.input.find(' '));
  const std::string argument = c.input.substr(flag.size() + 1);
  CHECK(error_of(file, flag == "--set" ? set({argument}) : set({}, {argument})) == c.expected);
}

TEST_CASE("a shift and a scale move a driver whatever form its parameters take, in the file, a variant or --set") {
  const std::string text = "name: t\n"
                           "drivers:\n"
                           "  revenue: {dist: normal, range: \"16000 ± 2%\", shift: 500}\n"
                           "  margin: {dist: normal, p10: \"72%\", p90: \"73%\", scale: 2}\n"
                           "scenarios:\n"
                           "  bear: {drivers: {revenue.shift: -200, margin.scale: null}}\n";
  const Scenario base = parse_scenario(text, "x.yaml");
  const Distribution& revenue = *driver(base, "revenue").distribution;
  const Distribution written = normal_from_percentiles(0.1, 15680, 0.9, 16320);
  CHECK(std::get<Normal>(revenue.shape).mean == std::get<Normal>(written.shape).mean);
  CHECK(std::get<Normal>(revenue.shape).sd == std::get<Normal>(written.shape).sd);
  CHECK((revenue.shift == 500 && revenue.scale == 1));
  CHECK(quantile(revenue, 0.9) == quantile(written, 0.9) + 500);
  CHECK(driver(base, "margin").distribution->scale == 2);
  CHECK(driver(base, "margin").percent);

  LoadOptions options = variant("bear");
  const Scenario bear = parse_scenario(text, "x.yaml", options);
  CHECK(driver(bear, "revenue").distribution->shift == -200);
  CHECK(driver(bear, "margin").distribution->scale == 1);
  options.overrides = {"revenue.scale=1.5", "margin.shift=\"1%\""};
  const Scenario set = parse_scenario(text, "x.yaml", options);
  CHECK((driver(set, "revenue").distribution->shift == -200 && driver(set, "revenue").distribution->scale == 1.5));
  CHECK(driver(set, "margin").distribution->shift == 0.01);
}
