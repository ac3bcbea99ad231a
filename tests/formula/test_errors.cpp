// Every error the compiler reports, rendered as the user sees it: the message, the source line with a
// caret under the offending text, and the hint.
#include <catch2/catch.hpp>

#include "formula/rig.hpp"

using namespace formula_test;

namespace {

const std::vector<Input> drivers = {{"revenue"}, {"gross_margin"}, {"opex"}, {"tax_rate", 0.32}, {"shares"}};

std::string error_in(std::initializer_list<std::pair<std::string, std::string>> metrics) {
  const Metrics m = metrics;
  return compile_error(drivers, m.definitions);
}

}  // namespace

TEST_CASE("syntax errors point at the token and say what was expected") {
  CHECK(error_in({{"eps", "(revenue - opex"}}) ==
        "scenario.yaml:2:24: error: expected `)` to close `(` at column 9\n"
        "      eps: \"(revenue - opex\"\n"
        "                           ^\n");
  CHECK(error_in({{"eps", "min(revenue opex)"}}) ==
        "scenario.yaml:2:21: error: expected `)` to close `(` at column 12\n"
        "      eps: \"min(revenue opex)\"\n"
        "                        ^~~~\n");
  CHECK(error_in({{"eps", "revenue * * 2"}}) ==
        "scenario.yaml:2:19: error: unexpected `*`\n"
        "      eps: \"revenue * * 2\"\n"
        "                      ^\n"
        "hint: expected a number, a name or `(`\n");
  CHECK(error_in({{"eps", "revenue *"}}) ==
        "scenario.yaml:2:18: error: unexpected end of formula\n"
        "      eps: \"revenue *\"\n"
        "                     ^\n"
        "hint: expected a number, a name or `(`\n");
  CHECK(error_in({{"eps", "revenue)"}}) ==
        "scenario.yaml:2:16: error: unexpected `)`\n"
        "      eps: \"revenue)\"\n"
        "                   ^\n"
        "hint: there is no `(` for it to close\n");
  CHECK(error_in({{"eps", "0 < revenue < 2"}}) ==
        "scenario.yaml:2:21: error: unexpected `<`\n"
        "      eps: \"0 < revenue < 2\"\n"
        "                        ^\n"
        "hint: comparisons do not chain: write `a < b and b < c`\n");
  CHECK(error_in({{"eps", "2 revenue"}}) ==
        "scenario.yaml:2:11: error: unexpected `revenue`\n"
        "      eps: \"2 revenue\"\n"
        "              ^~~~~~~\n"
        "hint: an operator is missing before it\n");
  CHECK(error_in({{"eps", "ré + 1"}}) ==
        "scenario.yaml:2:10: error: unexpected character `é`\n"
        "      eps: \"ré + 1\"\n"
        "             ^\n"
        "hint: names are written with ASCII letters, digits and `_`\n");
  CHECK(error_in({{"eps", "revenue * 1e+"}}) ==
        "scenario.yaml:2:20: error: unexpected `e`\n"
        "      eps: \"revenue * 1e+\"\n"
        "                       ^\n"
        "hint: an exponent needs digits: write 1e3, 2.5e-2 or 1E+6\n");
  CHECK(error_in({{"eps", "revenue + not opex"}}) ==
        "scenario.yaml:2:19: error: unexpected `not`\n"
        "      eps: \"revenue + not opex\"\n"
        "                      ^~~\n"
        "hint: put `not ...` in parentheses here\n");
}

TEST_CASE("characters outside the language and numbers out of range") {
  CHECK(error_in({{"eps", "$revenue"}}) ==
        "scenario.yaml:2:9: error: unexpected character `$`\n"
        "      eps: \"$revenue\"\n"
        "            ^\n");
  CHECK(error_in({{"eps", "revenue = 1"}}) ==
        "scenario.yaml:2:17: error: unexpected character `=`\n"
        "      eps: \"revenue = 1\"\n"
        "                    ^\n"
        "hint: compare with `==`\n");
  CHECK(error_in({{"eps", "revenue% * 2"}}) ==
        "scenario.yaml:2:16: error: unexpected character `%`\n"
        "      eps: \"revenue% * 2\"\n"
        "                   ^\n"
        "hint: `%` goes right after a number, as in `5%`\n");
  // A typographic minus (U+2212, three bytes in UTF-8) pasted from a document.
  CHECK(error_in({{"eps", "revenue \u2212 opex"}}) ==
        "scenario.yaml:2:17: error: unexpected character `\u2212`\n"
        "      eps: \"revenue \u2212 opex\"\n"
        "                    ^\n"  // one column: the caret counts characters, not bytes
        "hint: formulas use the ASCII operators + - * / ^\n");
  CHECK(error_in({{"eps", "1e999 * revenue"}}) ==
        "scenario.yaml:2:9: error: number `1e999` is out of range\n"
        "      eps: \"1e999 * revenue\"\n"
        "            ^~~~~\n"
        "hint: a double holds magnitudes from about 4.9e-324 to 1.8e308\n");
}

TEST_CASE("unknown names and functions suggest what was probably meant") {
  CHECK(error_in({{"eps", "revnue * 2"}}) ==
        "scenario.yaml:2:9: error: unknown name `revnue`\n"
        "      eps: \"revnue * 2\"\n"
        "            ^~~~~~\n"
        "hint: did you mean `revenue`?\n");
  CHECK(error_in({{"margin", "gross_profit / revenue"}, {"gross_proft", "revenue * gross_margin"}}) ==
        "scenario.yaml:2:12: error: unknown name `gross_profit`\n"
        "      margin: \"gross_profit / revenue\"\n"
        "               ^~~~~~~~~~~~\n"
        "hint: did you mean `gross_proft`?\n");
  CHECK(error_in({{"eps", "dividends / shares"}}) ==
        "scenario.yaml:2:9: error: unknown name `dividends`\n"
        "      eps: \"dividends / shares\"\n"
        "            ^~~~~~~~~\n"
        "hint: a formula can use the scenario's drivers and metrics\n");
  CHECK(error_in({{"eps", "sqrt + 1"}}) ==
        "scenario.yaml:2:9: error: unknown name `sqrt`\n"
        "      eps: \"sqrt + 1\"\n"
        "            ^~~~\n"
        "hint: `sqrt` is a function: write `sqrt(...)`\n");
  CHECK(error_in({{"eps", "squrt(revenue)"}}) ==
        "scenario.yaml:2:9: error: unknown function `squrt`\n"
        "      eps: \"squrt(revenue)\"\n"
        "            ^~~~~\n"
        "hint: did you mean `sqrt`?\n");
  CHECK(error_in({{"eps", "average(revenue, opex)"}}) ==
        "scenario.yaml:2:9: error: unknown function `average`\n"
        "      eps: \"average(revenue, opex)\"\n"
        "            ^~~~~~~\n"
        "hint: the functions are min, max, abs, sqrt, exp, log, pow, sin, cos, floor, ceil, round, round_to, clamp, if, sum, mean, first, last, lag, cumsum\n");
  // Two edits in three letters are not a near miss: `avg` is neither `abs` nor `log`.
  CHECK(error_in({{"eps", "avg(revenue, opex)"}}) ==
        "scenario.yaml:2:9: error: unknown function `avg`\n"
        "      eps: \"avg(revenue, opex)\"\n"
        "            ^~~\n"
        "hint: the functions are min, max, abs, sqrt, exp, log, pow, sin, cos, floor, ceil, round, round_to, clamp, if, sum, mean, first, last, lag, cumsum\n");
  // A swap of two neighbours is one edit.
  CHECK(error_in({{"eps", "pwo(revenue, 2)"}}) ==
        "scenario.yaml:2:9: error: unknown function `pwo`\n"
        "      eps: \"pwo(revenue, 2)\"\n"
        "            ^~~\n"
        "hint: did you mean `pow`?\n");
  CHECK(error_in({{"eps", "revenue(2)"}}) ==
        "scenario.yaml:2:9: error: `revenue` is not a function\n"
        "      eps: \"revenue(2)\"\n"
        "            ^~~~~~~\n"
        "hint: to multiply, write `revenue * (...)`\n");
}

TEST_CASE("a call with the wrong number of arguments is underlined whole") {
  CHECK(error_in({{"eps", "clamp(revenue, 0)"}}) ==
        "scenario.yaml:2:9: error: `clamp` takes 3 arguments, found 2\n"
        "      eps: \"clamp(revenue, 0)\"\n"
        "            ^~~~~~~~~~~~~~~~~\n");
  CHECK(error_in({{"eps", "1 + sqrt()"}}) ==
        "scenario.yaml:2:13: error: `sqrt` takes 1 argument, found 0\n"
        "      eps: \"1 + sqrt()\"\n"
        "                ^~~~~~\n");
  CHECK(error_in({{"eps", "min(revenue)"}}) ==
        "scenario.yaml:2:9: error: `min` takes 2 or more arguments, found 1\n"
        "      eps: \"min(revenue)\"\n"
        "            ^~~~~~~~~~~~\n");
  CHECK(error_in({{"eps", "if(revenue > 1, 1, 2, 3)"}}) ==
        "scenario.yaml:2:9: error: `if` takes 3 arguments, found 4\n"
        "      eps: \"if(revenue > 1, 1, 2, 3)\"\n"
        "            ^~~~~~~~~~~~~~~~~~~~~~~~\n");
}

TEST_CASE("the first error in reading order is the one reported") {
  CHECK(error_in({{"eps", "revnue + $"}}) ==
        "scenario.yaml:2:9: error: unknown name `revnue`\n"
        "      eps: \"revnue + $\"\n"
        "            ^~~~~~\n"
        "hint: did you mean `revenue`?\n");
}

TEST_CASE("an empty formula is an error") {
  const std::string formula = GENERATE(std::string(""), std::string("   "));
  const std::string error = error_in({{"eps", formula}});
  CHECK(error == fmt::format("scenario.yaml:2:9: error: the formula of `eps` is empty\n"
                             "      eps: \"{}\"\n"
                             "            ^\n",
                             formula));
}

TEST_CASE("errors about a metric's name point at the name") {
  CHECK(error_in({{"eps", "1"}, {"margin", "2"}, {"eps", "3"}}) ==
        "scenario.yaml:4:3: error: metric `eps` is defined twice\n"
        "      eps: \"3\"\n"
        "      ^~~\n"
        "hint: the first definition is at scenario.yaml:2:3\n");
  CHECK(error_in({{"revenue", "1"}}) ==
        "scenario.yaml:2:3: error: metric `revenue` has the same name as a driver\n"
        "      revenue: \"1\"\n"
        "      ^~~~~~~\n"
        "hint: rename the metric or the driver\n");
}

TEST_CASE("a cycle is named from its first metric in file order") {
  // `report` reads the cycle but is not on it; `b` is the cycle's first metric in the file.
  CHECK(error_in({{"report", "b + 1"}, {"b", "c * 2"}, {"c", "d - revenue"}, {"d", "b / 2"}}) ==
        "scenario.yaml:3:3: error: cycle: b -> c -> d -> b\n"
        "      b: \"c * 2\"\n"
        "      ^\n"
        "hint: a metric cannot depend on itself, directly or through other metrics\n");
  CHECK(error_in({{"x", "1"}, {"growth", "growth * 1.1"}}) ==
        "scenario.yaml:3:3: error: cycle: growth -> growth\n"
        "      growth: \"growth * 1.1\"\n"
        "      ^~~~~~\n"
        "hint: a metric cannot depend on itself, directly or through other metrics\n");
}

TEST_CASE("nesting deeper than 256 levels is refused before the stack runs out") {
  const auto [opening, depth] = GENERATE(table<std::string, int>({
      {"(", 257}, {"(", 100'000}, {"-", 257}, {"-", 100'000}, {"not ", 100'000}, {"sqrt(", 100'000}}));
  std::string text;
  for (int i = 0; i < depth; ++i) text += opening;
  text += "1";
  CAPTURE(opening, depth);
  const Metrics metrics = {{"deep", text}};
  try {
    guidance::formula::compile(drivers, metrics.definitions);
    FAIL("compiled");
  } catch (const guidance::InputError& error) {
    CHECK(error.message() == "formula nests too deeply (more than 256 levels)");
    CHECK(error.hint() == "split it into smaller metrics");
    // At the 257th opening, just past the 256 accepted ones.
    CHECK(error.where().column == 10 + 256 * static_cast<int>(opening.size()));
  }
  std::string powers = "2";
  for (int i = 0; i < 100'000; ++i) powers += "^2";
  const Metrics tower = {{"tower", powers}};
  CHECK_THROWS_WITH(guidance::formula::compile(drivers, tower.definitions),
                    "formula nests too deeply (more than 256 levels)");
}
