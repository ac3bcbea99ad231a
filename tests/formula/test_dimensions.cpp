// Formulas over dimensions: the issue's metrics compile to the very program of the same model written
// out element by element by hand, reductions and shifts follow the element order, and each kind of
// mismatch is an error at the sub-expression.
#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

#include "formula/rig.hpp"

using namespace formula_test;
using guidance::formula::compile;

namespace {

constexpr std::size_t quarter = 0, segment = 1;
const std::vector<std::string> quarters = {"Q1", "Q2", "Q3", "Q4"};
const std::vector<std::string> segments = {"routing", "switching", "security"};

// The drivers of the issue's example (tax_rate a constant, or drawn).
Drivers issue_drivers(std::optional<double> tax_rate) {
  Drivers drivers{{{"quarter", quarters, {}}, {"segment", segments, {}}}, {}, {}};
  drivers.add("revenue", {segment, quarter})
      .add("gross_margin", {quarter})
      .add("opex", {quarter})
      .add("tax_rate", {}, tax_rate)
      .add("diluted_shares", {quarter});
  return drivers;
}

const Metrics issue_metrics = {
    {"total_revenue", "sum(revenue, segment)"},
    {"gross_profit", "total_revenue * gross_margin"},
    {"operating_income", "gross_profit - opex"},
    {"eps", "operating_income * (1 - tax_rate) / diluted_shares"},
    {"fy_revenue", "sum(total_revenue)"},
    {"fy_eps", "sum(operating_income * (1 - tax_rate)) / mean(diluted_shares)"},
    {"growth", "total_revenue / lag(total_revenue) - 1"},
    {"h2_revenue", "sum(total_revenue[Q3:Q4])"},
};

// The same drivers as scalars named revenue_routing_Q1 ..., in the same order.
std::vector<Input> scalar_drivers(const Drivers& drivers) {
  std::vector<Input> inputs;
  for (const Input& input : drivers.inputs) {
    std::string name = input.name;
    for (char& c : name)
      if (c == '[' || c == ',') c = '_';
    if (name.back() == ']') name.pop_back();
    inputs.push_back({name, input.constant});
  }
  return inputs;
}

// The issue's metrics written out by hand, element by element, in the order of their elements.
std::vector<Metrics::Metric> by_hand() {
  std::vector<Metrics::Metric> metrics;
  auto each_quarter = [&](const std::string& name, auto formula) {
    for (std::size_t q = 0; q < 4; ++q) metrics.emplace_back(name + "_" + quarters[q], formula(q));
  };
  each_quarter("total_revenue", [](std::size_t q) {
    return fmt::format("revenue_routing_{0} + revenue_switching_{0} + revenue_security_{0}", quarters[q]);
  });
  each_quarter("gross_profit",
               [](std::size_t q) { return fmt::format("total_revenue_{0} * gross_margin_{0}", quarters[q]); });
  each_quarter("operating_income",
               [](std::size_t q) { return fmt::format("gross_profit_{0} - opex_{0}", quarters[q]); });
  each_quarter("eps", [](std::size_t q) {
    return fmt::format("operating_income_{0} * (1 - tax_rate) / diluted_shares_{0}", quarters[q]);
  });
  metrics.emplace_back("fy_revenue", "total_revenue_Q1 + total_revenue_Q2 + total_revenue_Q3 + total_revenue_Q4");
  metrics.emplace_back("fy_eps",
                       "(operating_income_Q1 * (1 - tax_rate) + operating_income_Q2 * (1 - tax_rate) + "
                       "operating_income_Q3 * (1 - tax_rate) + operating_income_Q4 * (1 - tax_rate)) / "
                       "((diluted_shares_Q1 + diluted_shares_Q2 + diluted_shares_Q3 + diluted_shares_Q4) / 4)");
  each_quarter("growth", [](std::size_t q) {
    return q == 0 ? std::string("total_revenue_Q1 / (0 / 0) - 1")  // lag(x) is NaN at the first element
                  : fmt::format("total_revenue_{} / total_revenue_{} - 1", quarters[q], quarters[q - 1]);
  });
  metrics.emplace_back("h2_revenue", "total_revenue_Q3 + total_revenue_Q4");
  return metrics;
}

// Distinct values for every input column, over `trials` trials.
std::vector<std::vector<double>> columns(const std::vector<Input>& inputs, std::size_t trials) {
  std::vector<std::vector<double>> result;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::vector<double> column;
    if (!inputs[i].constant)
      for (std::size_t t = 0; t < trials; ++t) column.push_back(100.0 + 7.3 * double(i) + std::sin(double(t * 31 + i)));
    result.push_back(std::move(column));
  }
  return result;
}

std::string error_over(const Drivers& drivers, std::initializer_list<Metrics::Metric> metrics) {
  const Metrics m = metrics;
  return compile_error(drivers.inputs, m.definitions, drivers.dimensions, drivers.arrays);
}

}  // namespace

TEST_CASE("the issue's metrics have the shapes of their formulas, their elements contiguous") {
  const Drivers drivers = issue_drivers(0.32);
  const Program program = compile(drivers.inputs, issue_metrics.definitions, drivers.dimensions, drivers.arrays);
  std::vector<std::string> shapes;
  for (const auto& shape : program.shapes) shapes.push_back(guidance::describe_shape(shape, drivers.dimensions));
  CHECK(shapes == std::vector<std::string>{"[quarter]", "[quarter]", "[quarter]", "[quarter]", "scalar", "scalar",
                                           "[quarter]", "scalar"});
  CHECK(program.first == std::vector<std::size_t>{0, 4, 8, 12, 16, 17, 18, 22});
  CHECK(program.input_count == 25);
  CHECK(program.constants.size() == 23);
  CHECK(program.order.size() == 23);
  // total_revenue[Q3] reads revenue[routing,Q3], revenue[switching,Q3], revenue[security,Q3].
  CHECK(program.depends_on[2] == std::vector<std::size_t>{2, 6, 10});
  // h2_revenue reads total_revenue[Q3] and total_revenue[Q4], registers 25 + 2 and 25 + 3.
  CHECK(program.depends_on[22] == std::vector<std::size_t>{27, 28});
}

TEST_CASE("a dimensioned model is instruction for instruction the model written out by hand") {
  const std::optional<double> tax_rate = GENERATE(std::optional<double>(0.32), std::optional<double>());
  CAPTURE(tax_rate.has_value());
  const Drivers drivers = issue_drivers(tax_rate);
  const Program dimensioned = compile(drivers.inputs, issue_metrics.definitions, drivers.dimensions, drivers.arrays);
  const std::vector<Input> scalars = scalar_drivers(drivers);
  const Metrics hand = Metrics(by_hand());
  const Program written = compile(scalars, hand.definitions);

  CHECK(listing(dimensioned) == listing(written));
  CHECK(dimensioned.register_count == written.register_count);
  CHECK(dimensioned.order == written.order);
  CHECK(dimensioned.constants == written.constants);
  CHECK(dimensioned.indicator == written.indicator);
  CHECK(dimensioned.depends_on == written.depends_on);

  const std::size_t trials = 100;
  const auto inputs = columns(drivers.inputs, trials);
  const auto a = run(dimensioned, inputs, trials, 64);
  const auto b = run(written, inputs, trials, 64);
  for (std::size_t k = 0; k < dimensioned.constants.size(); ++k)
    for (std::size_t t = 0; t < trials; ++t) {
      const std::size_t r = dimensioned.input_count + k;
      CHECK(same_value(a[r][t], b[r][t]));
    }
  // growth[Q1] is lag's NaN over total_revenue[Q1]; growth[Q2] is defined.
  CHECK(std::isnan(a[drivers.inputs.size() + 18][0]));
  CHECK(std::isfinite(a[drivers.inputs.size() + 19][0]));
}

TEST_CASE("reductions fold in element order, and over one dimension keep the others") {
  Drivers drivers{{{"quarter", quarters, {}}, {"segment", segments, {}}}, {}, {}};
  drivers.add("x", {segment, quarter});
  const Metrics metrics = {{"by_quarter", "max(x, segment)"},
                           {"by_segment", "mean(x, quarter)"},
                           {"opening", "first(x, quarter)"},
                           {"closing", "last(x)"},
                           {"smallest", "min(x)"},
                           {"running", "cumsum(x)"},
                           {"two_back", "lag(x, 2, -1)"}};
  const Program program = compile(drivers.inputs, metrics.definitions, drivers.dimensions, drivers.arrays);
  std::vector<double> x(12);
  for (std::size_t i = 0; i < 12; ++i) x[i] = double((i * 5) % 12);  // x[s, q] at 4 s + q
  std::vector<std::vector<double>> inputs;
  for (const double value : x) inputs.push_back({value});
  const auto result = run(program, inputs, 1, 1);
  auto values = [&](std::size_t j) {
    std::vector<double> v;
    const auto count = guidance::element_count(program.shapes[j]);
    for (std::size_t k = program.first[j]; k < program.first[j] + count; ++k)
      v.push_back(program.constants[k] ? *program.constants[k] : result[12 + k][0]);
    return v;
  };
  // x = routing 0 5 10 3, switching 8 1 6 11, security 4 9 2 7
  CHECK(values(0) == std::vector<double>{8, 9, 10, 11});
  CHECK(values(1) == std::vector<double>{4.5, 6.5, 5.5});
  CHECK(values(2) == std::vector<double>{0, 8, 4});
  CHECK(values(3) == std::vector<double>{7});
  CHECK(values(4) == std::vector<double>{0});
  // cumsum and lag run along quarter, the first dimension in `dimensions:`, although x lists it second.
  CHECK(values(5) == std::vector<double>{0, 5, 15, 18, 8, 9, 15, 26, 4, 13, 15, 22});
  CHECK(values(6) == std::vector<double>{-1, -1, 0, 5, -1, -1, 8, 1, -1, -1, 4, 9});
  // A reduction is the left fold a hand-written formula makes: min(min(min(x1, x2), x3), x4) ...
  const Metrics by_hand = {{"m", "min(x[Q1], x[Q2], x[Q3], x[Q4])"}};
  Drivers one{{{"quarter", quarters, {}}}, {}, {}};
  one.add("x", {quarter});
  const Metrics reduced = {{"m", "min(x)"}};
  CHECK(listing(compile(one.inputs, reduced.definitions, one.dimensions, one.arrays)) ==
        listing(compile(one.inputs, by_hand.definitions, one.dimensions, one.arrays)));
  CHECK(listing(compile(one.inputs, reduced.definitions, one.dimensions, one.arrays)) ==
        "r5 = min r0, r1\n"
        "r6 = min r5, r2\n"
        "r4 = min r6, r3\n");
}

TEST_CASE("broadcasting: scalars repeat, different dimensions make the product, subscripts pick") {
  Drivers drivers{{{"quarter", quarters, {}}, {"segment", segments, {}}, {"year", {"2013", "2014"}, {}}}, {}, {}};
  drivers.add("share", {segment}).add("total", {quarter}).add("price", {2}).add("fx", {});
  const Metrics metrics = {{"split", "total * share"},             // [quarter, segment]
                           {"back", "share * total"},              // [segment, quarter]
                           {"one", "split[Q2, switching] * fx"},   // positional
                           {"named", "split[switching][Q2]"},      // by element, one at a time
                           {"digits", "price[2014]"},
                           {"late", "split[Q3:Q4]"}};
  const Program program = compile(drivers.inputs, metrics.definitions, drivers.dimensions, drivers.arrays);
  std::vector<std::string> shapes;
  for (const auto& shape : program.shapes) shapes.push_back(guidance::describe_shape(shape, drivers.dimensions));
  CHECK(shapes == std::vector<std::string>{"[quarter, segment]", "[segment, quarter]", "scalar", "scalar", "scalar",
                                           "[quarter Q3:Q4, segment]"});
  // Inputs: share 0-2, total 3-6, price 7-8, fx 9; definitions from 10. split[Q2,switching] is 10 + 4.
  CHECK(program.depends_on[program.first[2]] == std::vector<std::size_t>{9, 14});
  CHECK(program.depends_on[program.first[3]] == std::vector<std::size_t>{14});
  CHECK(program.depends_on[program.first[4]] == std::vector<std::size_t>{8});
  // late[Q3, routing] is split[Q3, routing], element 6 of split.
  CHECK(program.depends_on[program.first[5]] == std::vector<std::size_t>{16});
}

TEST_CASE("scalar programs are unchanged by the dimensions they do not use") {
  Drivers drivers{{{"quarter", quarters, {}}}, {}, {}};
  drivers.add("revenue", {}).add("opex", {});
  const Metrics metrics = {{"margin", "(revenue - opex) / revenue"}, {"loss", "margin < 0"}};
  const Program with = compile(drivers.inputs, metrics.definitions, drivers.dimensions, drivers.arrays);
  const Program without = compile(drivers.inputs, metrics.definitions);
  CHECK(listing(with) == listing(without));
  CHECK(with.first == std::vector<std::size_t>{0, 1});
  CHECK(with.shapes == std::vector<guidance::Shape>{{}, {}});
}

TEST_CASE("mismatched dimensions are errors at the sub-expression, naming the shapes") {
  Drivers drivers{{{"quarter", quarters, {}}, {"segment", segments, {}}}, {}, {}};
  drivers.add("revenue", {segment, quarter}).add("margin", {quarter}).add("tax_rate", {}, 0.3);
  CHECK(error_over(drivers, {{"m", "1 + margin[Q1:Q2] * margin"}}) ==
        "scenario.yaml:2:11: error: cannot combine [quarter Q1:Q2] with [quarter] element by element\n"
        "      m: \"1 + margin[Q1:Q2] * margin\"\n"
        "              ^~~~~~~~~~~~~~~~~~~~~~\n"
        "hint: both sides need the same elements of quarter: slice them alike, or reduce one with sum, mean, first "
        "or last\n");
  CHECK(error_over(drivers, {{"m", "tax_rate[Q1]"}}) ==
        "scenario.yaml:2:7: error: `tax_rate` is a scalar: it has no elements to pick\n"
        "      m: \"tax_rate[Q1]\"\n"
        "          ^~~~~~~~~~~~\n"
        "hint: `[...]` picks elements of a driver or metric over dimensions\n");
  CHECK(error_over(drivers, {{"m", "margin[Q5]"}}) ==
        "scenario.yaml:2:14: error: `Q5` is not an element of `margin` [quarter]\n"
        "      m: \"margin[Q5]\"\n"
        "                 ^~\n"
        "hint: did you mean `Q1`?\n");
  CHECK(error_over(drivers, {{"m", "revenue[routng]"}}) ==
        "scenario.yaml:2:15: error: `routng` is not an element of `revenue` [segment, quarter]\n"
        "      m: \"revenue[routng]\"\n"
        "                  ^~~~~~\n"
        "hint: did you mean `routing`?\n");
  CHECK(error_over(drivers, {{"m", "revenue[FY]"}}) ==
        "scenario.yaml:2:15: error: `FY` is not an element of `revenue` [segment, quarter]\n"
        "      m: \"revenue[FY]\"\n"
        "                  ^~\n"
        "hint: its elements are routing, switching, security, Q1, Q2, Q3, Q4\n");
  CHECK(error_over(drivers, {{"m", "margin[Q2:Q3][Q4]"}}) ==
        "scenario.yaml:2:21: error: `Q4` is not an element of `margin[Q2:Q3]` [quarter Q2:Q3]\n"
        "      m: \"margin[Q2:Q3][Q4]\"\n"
        "                        ^~\n"
        "hint: Q4 lies outside the slice Q2:Q3\n");
  CHECK(error_over(drivers, {{"m", "margin[Q4:Q2]"}}) ==
        "scenario.yaml:2:14: error: the slice `Q4:Q2` runs backwards\n"
        "      m: \"margin[Q4:Q2]\"\n"
        "                 ^~~~~\n"
        "hint: write `Q2:Q4`\n");
  CHECK(error_over(drivers, {{"m", "revenue[routing, Q1, Q2]"}}) ==
        "scenario.yaml:2:7: error: `revenue` is [segment, quarter]: write one element, or one per dimension (2), "
        "found 3\n"
        "      m: \"revenue[routing, Q1, Q2]\"\n"
        "          ^~~~~~~~~~~~~~~~~~~~~~~~\n"
        "hint: as in `revenue[routing,Q1]`\n");
  CHECK(error_over(drivers, {{"m", "margin * quarter"}}) ==
        "scenario.yaml:2:16: error: `quarter` is a dimension, not a value\n"
        "      m: \"margin * quarter\"\n"
        "                   ^~~~~~~\n"
        "hint: a dimension goes last in sum, mean, min, max, first, last and cumsum, as in `sum(x, quarter)`\n");
  CHECK(error_over(drivers, {{"m", "sum(margin, segment)"}}) ==
        "scenario.yaml:2:19: error: `margin` is [quarter]: it has no dimension segment\n"
        "      m: \"sum(margin, segment)\"\n"
        "                      ^~~~~~~\n"
        "hint: sum over one of its dimensions, or leave the dimension out\n");
  CHECK(error_over(drivers, {{"m", "max(tax_rate, quarter)"}}) ==
        "scenario.yaml:2:21: error: `tax_rate` is a scalar: it has no dimension quarter\n"
        "      m: \"max(tax_rate, quarter)\"\n"
        "                        ^~~~~~~\n"
        "hint: max over one of its dimensions, or leave the dimension out\n");
  CHECK(error_over(drivers, {{"m", "1 + lag(tax_rate * 2)"}}) ==
        "scenario.yaml:2:15: error: `tax_rate * 2` is a scalar: `lag` needs a value over dimensions\n"
        "      m: \"1 + lag(tax_rate * 2)\"\n"
        "                  ^~~~~~~~~~~~\n"
        "hint: lag and cumsum run along the value's dimension that comes first in `dimensions:`\n");
  CHECK(error_over(drivers, {{"m", "mean(tax_rate)"}}) ==
        "scenario.yaml:2:12: error: `tax_rate` is a scalar: `mean` needs a value over dimensions\n"
        "      m: \"mean(tax_rate)\"\n"
        "               ^~~~~~~~\n"
        "hint: mean(x) reduces x over all its dimensions\n");
  CHECK(error_over(drivers, {{"m", "lag(margin, 1.5)"}}) ==
        "scenario.yaml:2:19: error: `lag` takes a whole number of steps from 0 to 100000, found `1.5`\n"
        "      m: \"lag(margin, 1.5)\"\n"
        "                      ^~~\n"
        "hint: write lag(x), lag(x, 2), or lag(x, 1, init) for the value before the first\n");
  CHECK(error_over(drivers, {{"m", "lag(margin, 1, revenue)"}}) ==
        "scenario.yaml:2:7: error: the init of `lag` is [segment, quarter] but its value is [quarter]\n"
        "      m: \"lag(margin, 1, revenue)\"\n"
        "          ^~~~~~~~~~~~~~~~~~~~~~~\n"
        "hint: init must be a scalar, or over dimensions of the lagged value\n");
  CHECK(error_over(drivers, {{"m", "sum(margin, tax_rate)"}}) ==
        "scenario.yaml:2:19: error: the second argument of `sum` must be a dimension, found `tax_rate`\n"
        "      m: \"sum(margin, tax_rate)\"\n"
        "                      ^~~~~~~~\n"
        "hint: `sum` adds up the elements of one value; to add values, write `margin + tax_rate`\n");
  CHECK(error_over(drivers, {{"m", "first(margin, tax_rate)"}}) ==
        "scenario.yaml:2:21: error: the second argument of `first` must be a dimension, found `tax_rate`\n"
        "      m: \"first(margin, tax_rate)\"\n"
        "                        ^~~~~~~~\n"
        "hint: the dimensions are quarter, segment\n");
  CHECK(error_over(drivers, {{"m", "sum(revenue, quartr)"}}) ==
        "scenario.yaml:2:20: error: unknown name `quartr`\n"
        "      m: \"sum(revenue, quartr)\"\n"
        "                       ^~~~~~\n"
        "hint: did you mean `quarter`?\n");
  CHECK(error_over(drivers, {{"m", "margin[Q1"}}) ==
        "scenario.yaml:2:16: error: expected `]` to close `[` at column 13\n"
        "      m: \"margin[Q1\"\n"
        "                   ^\n");
}

TEST_CASE("an element's name that two of the value's dimensions share must be given by position") {
  Drivers drivers{{{"quarter", quarters, {}}, {"fiscal_quarter", quarters, {}}}, {}, {}};
  drivers.add("x", {0, 1});
  CHECK(error_over(drivers, {{"m", "x[Q1]"}}) ==
        "scenario.yaml:2:9: error: `Q1` is an element of more than one dimension of `x` [quarter, fiscal_quarter]\n"
        "      m: \"x[Q1]\"\n"
        "            ^~\n"
        "hint: write one element per dimension, in order\n");
  const Metrics positional = {{"m", "x[Q1, Q2]"}};
  CHECK(compile(drivers.inputs, positional.definitions, drivers.dimensions, drivers.arrays).depends_on[0] ==
        std::vector<std::size_t>{1});
}

TEST_CASE("all metrics together have at most 100,000 elements") {
  std::vector<std::string> many;
  for (int i = 0; i < 60'000; ++i) many.push_back(fmt::format("e{}", i));
  Drivers drivers{{{"day", many, {}}}, {}, {}};
  drivers.add("x", {0});
  CHECK(error_over(drivers, {{"a", "x"}, {"b", "x * 2"}}) ==
        "scenario.yaml:3:3: error: the metrics up to `b` have more than 100000 elements\n"
        "      b: \"x * 2\"\n"
        "      ^\n"
        "hint: reduce dimensions in metrics that are only steps on the way\n");
}

TEST_CASE("a metric reading itself through lag is a cycle, with a hint to cumsum") {
  Drivers drivers{{{"quarter", quarters, {}}}, {}, {}};
  drivers.add("revenue", {quarter});
  CHECK(error_over(drivers, {{"total", "lag(total, 1, 0) + revenue"}}) ==
        "scenario.yaml:2:3: error: cycle: total -> total\n"
        "      total: \"lag(total, 1, 0) + revenue\"\n"
        "      ^~~~~\n"
        "hint: a metric cannot depend on itself, even through lag: for a running total, write cumsum(x)\n");
}

TEST_CASE("a product of large dimensions is refused, not allocated") {
  std::vector<std::string> many;
  for (int i = 0; i < 1000; ++i) many.push_back(fmt::format("e{}", i));
  Drivers drivers{{{"a", many, {}}, {"b", many, {}}}, {}, {}};
  drivers.add("x", {0}).add("y", {1});
  CHECK(error_over(drivers, {{"m", "sum(x * y)"}}) ==
        "scenario.yaml:2:11: error: `x * y` would have more than 100000 elements\n"
        "      m: \"sum(x * y)\"\n"
        "              ^~~~~\n"
        "hint: combining two different dimensions makes every pair of their elements: reduce one with sum, mean, "
        "first or last before combining\n");
  CHECK(error_over(drivers, {{"m", "cumsum(cumsum(x))"}}) ==
        "scenario.yaml:2:3: error: metric `m` expands to more than 2000000 operations\n"
        "      m: \"cumsum(cumsum(x))\"\n"
        "      ^\n"
        "hint: split it into smaller metrics, or reduce dimensions before combining them\n");
}
