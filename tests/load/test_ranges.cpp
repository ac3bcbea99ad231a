// Ranges written as companies publish them (docs/scenario-format.md, "Ranges as published"): what each
// form reads as, that a driver's `range:` is exactly the parameters it stands for, and the exact
// message for each malformed form.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "guidance/load.hpp"
#include "formula/rounding.hpp"
#include "load/load_support.hpp"

using namespace guidance;
using load_test::Case;
using load_test::driver;
using load_test::error_of;

namespace {

Scenario parse(const std::string& text) { return parse_scenario(text, "x.yaml"); }

// A scenario with one driver, `x`, written as `x_text`, and optional further top-level lines.
std::string with_x(const std::string& x_text, const std::string& head = "") {
  return "name: t\n" + head + "drivers:\n  x: " + x_text + "\n";
}

// The two drivers are the same distribution, bit for bit: the same kind, the same quantiles at
// probabilities across the range and in both tails, the same mean and truncation.
void require_same(const Driver& a, const Driver& b) {
  REQUIRE(a.distribution);
  REQUIRE(b.distribution);
  CHECK(kind_name(*a.distribution) == kind_name(*b.distribution));
  for (const double u : {0x1p-53, 1e-6, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1 - 1e-6, 1 - 0x1p-53}) {
    INFO("u = " << u);
    CHECK(std::bit_cast<std::uint64_t>(quantile(*a.distribution, u)) ==
          std::bit_cast<std::uint64_t>(quantile(*b.distribution, u)));
  }
  CHECK(std::bit_cast<std::uint64_t>(mean(*a.distribution)) == std::bit_cast<std::uint64_t>(mean(*b.distribution)));
  CHECK(a.distribution->truncate_low == b.distribution->truncate_low);
  CHECK(a.distribution->truncate_high == b.distribution->truncate_high);
  CHECK(a.percent == b.percent);
}

}  // namespace

TEST_CASE("a range's text forms read as the ends they state, exactly") {
  struct Form {
    std::string text;
    double low, high;
    bool percent;
  };
  const std::string units = GENERATE(as<std::string>{}, "", "units: USD millions\n");
  const std::vector<Form> forms = {
      {"16000 ± 2%", 15680, 16320, false},
      {"16000 +- 2%", 15680, 16320, false},
      {"16000 +/- 2%", 15680, 16320, false},
      {"16,000 ± 2%", 15680, 16320, false},
      {"~2000 ± 1%", 1980, 2020, false},
      {"~ 2000 ± 1 %", 1980, 2020, false},
      {"-2000 ± 1%", -2020, -1980, false},
      {"72.5% ± 50bp", 0.72, 0.73, true},
      {"72.5% ± 50 bp", 0.72, 0.73, true},
      {"14.5% ± 1pt", 0.135, 0.155, true},
      {"0.04 ± 0.10", -0.06, 0.14, false},
      {"80 to 120", 80, 120, false},
      {"1,100 to 1,130", 1100, 1130, false},
      {"63.5% to 64.5%", 0.635, 0.645, true},
      {"-5 to -3", -5, -3, false},
      {"0.1 ± 0.2", -0.1, 0.3, false},  // the decimal 0.3, not the double sum 0.1 + 0.2
  };
  for (const Form& form : forms) {
    INFO(form.text << " with " << (units.empty() ? "no units" : units));
    const Scenario s = parse(with_x("1", units) + "guidance:\n  x: \"" + form.text + "\"\n");
    REQUIRE(s.guidance.size() == 1);
    CHECK(s.guidance[0].low == form.low);
    CHECK(s.guidance[0].high == form.high);
    CHECK(s.guidance[0].percent == form.percent);
  }
}

TEST_CASE("currency signs and K, M, B convert to the file's units") {
  struct Form {
    std::string units, text;
    double low, high;
  };
  const std::vector<Form> forms = {
      {"USD millions", "$16.0B ± 2%", 15680, 16320},
      {"USD millions", "$1,100M to $1,130M", 1100, 1130},
      {"USD millions (EPS in USD per share)", "$0.04 ± $0.10", -0.06, 0.14},
      {"$ billions", "$16B to 16.5B", 16, 16.5},
      {"USD thousands", "$2.5M to $3M", 2500, 3000},
      {"USD", "$800K to $1.2M", 800000, 1200000},
      {"EUR millions", "€900M to €1B", 900, 1000},
      {"millions", "2B to 3B", 2000, 3000},
      {"USD Million", "-$5M to $5M", -5, 5},
  };
  for (const Form& form : forms) {
    INFO(form.text << " in " << form.units);
    const Scenario s = parse(with_x("1", "units: " + form.units + "\n") + "guidance:\n  x: \"" + form.text + "\"\n");
    CHECK(s.guidance[0].low == form.low);
    CHECK(s.guidance[0].high == form.high);
  }
}

TEST_CASE("a driver's range is the parameters its reading names, bit for bit") {
  struct Pair {
    std::string head, ranged, plain;
  };
  const std::vector<Pair> pairs = {
      {"", "{dist: normal, range: \"16000 ± 2%\"}", "{dist: normal, p10: 15680, p90: 16320}"},
      {"ranges: p10-p90\n", "{dist: normal, range: \"16000 ± 2%\"}", "{dist: normal, p10: 15680, p90: 16320}"},
      {"ranges: 80%\n", "{dist: normal, range: \"16000 ± 2%\"}", "{dist: normal, p10: 15680, p90: 16320}"},
      {"ranges: p5-p95\n", "{dist: normal, range: \"72.5% ± 50bp\"}", "{dist: normal, p5: \"72%\", p95: \"73%\"}"},
      {"", "{dist: normal, range: \"72.5% ± 50bp\", reads_as: p25-p75}",
       "{dist: normal, p25: \"72%\", p75: \"73%\"}"},
      {"", "{dist: normal, range: \"1,100 to 1,130\", truncate: [0, null]}",
       "{dist: normal, p10: 1100, p90: 1130, truncate: [0, null]}"},
      {"", "{dist: lognormal, range: \"~2000 ± 1%\"}", "{dist: lognormal, p10: 1980, p90: 2020}"},
      {"ranges: p1-p99\n", "{dist: lognormal, range: \"0.04 ± 0.01\"}", "{dist: lognormal, p1: 0.03, p99: 0.05}"},
      {"", "{dist: uniform, range: \"80 to 120\"}", "{dist: uniform, p10: 80, p90: 120}"},
      {"ranges: min-max\n", "{dist: uniform, range: \"80 to 120\"}", "{dist: uniform, min: 80, max: 120}"},
      {"", "{dist: triangular, range: \"14.5% ± 1pt\", mode: \"14.5%\", reads_as: min-max}",
       "{dist: triangular, min: \"13.5%\", mode: \"14.5%\", max: \"15.5%\"}"},
      {"ranges: min-max\n", "{dist: pert, mode: 546, range: \"535 to 560\", lambda: 3}",
       "{dist: pert, min: 535, mode: 546, max: 560, lambda: 3}"},
      {"units: USD millions\n", "{dist: normal, range: \"$16.0B ± 2%\"}", "{dist: normal, p10: 15680, p90: 16320}"},
  };
  for (const Pair& pair : pairs) {
    INFO(pair.head << pair.ranged << " against " << pair.plain);
    require_same(driver(parse(with_x(pair.ranged, pair.head)), "x"), driver(parse(with_x(pair.plain, pair.head)), "x"));
  }
}

TEST_CASE("a malformed range is refused at its text, with a hint") {
  const Case& c = GENERATE(from_range(std::vector<Case>{
      {"a margin missing after ±", "name: t\ndrivers:\n  x: {dist: normal, range: \"16000 ± \"}\n",
       "x.yaml:3:35: error: missing the margin after `±`\n"
       "      x: {dist: normal, range: \"16000 ± \"}\n"
       "                                      ^\n"
       "hint: write the margin after it: a number (\"0.04 ± 0.10\"), a percent of the figure (\"16000 ± 2%\"), or basis points or percentage points around a percent (\"72.5% ± 50bp\")\n"},
      {"a margin around a percent without a unit", "name: t\ndrivers:\n  x: {dist: normal, range: \"72.5% ± 50\"}\n",
       "x.yaml:3:38: error: the margin `50` around the percent `72.5%` needs a unit\n"
       "      x: {dist: normal, range: \"72.5% ± 50\"}\n"
       "                                        ^~\n"
       "hint: write 50bp (basis points) or 50pt (percentage points)\n"},
      {"a percent margin around a percent", "name: t\ndrivers:\n  x: {dist: normal, range: \"72.5% ± 1%\"}\n",
       "x.yaml:3:38: error: `1%` around the percent `72.5%` is ambiguous\n"
       "      x: {dist: normal, range: \"72.5% ± 1%\"}\n"
       "                                        ^~\n"
       "hint: write 1pt for percentage points (71.5% to 73.5%) or 100bp; 1% of the figure is 72.5bp\n"},
      {"ends in the wrong order", "name: t\ndrivers:\n  x: {dist: uniform, range: \"5 to 3\"}\n",
       "x.yaml:3:30: error: the range `5 to 3` ends below where it starts\n"
       "      x: {dist: uniform, range: \"5 to 3\"}\n"
       "                                 ^~~~~~\n"
       "hint: write the low end first: \"3 to 5\"\n"},
      {"an unknown suffix", "name: t\ndrivers:\n  x: {dist: normal, range: \"16000X ± 2%\"}\n",
       "x.yaml:3:34: error: unknown unit `X` after `16000`\n"
       "      x: {dist: normal, range: \"16000X ± 2%\"}\n"
       "                                     ^\n"
       "hint: after a number write %, or K, M or B (with the file's `units:`); after ± also bp or pt\n"},
      {"an unknown suffix word", "name: t\ndrivers:\n  x: {dist: normal, range: \"16 bn ± 2%\"}\n",
       "x.yaml:3:32: error: unknown unit `bn` after `16`\n"
       "      x: {dist: normal, range: \"16 bn ± 2%\"}\n"
       "                                   ^~\n"
       "hint: after a number write %, or K, M or B (with the file's `units:`); after ± also bp or pt\n"},
      {"a currency sign without units", "name: t\ndrivers:\n  x: {dist: normal, range: \"$16.0B ± 2%\"}\n",
       "x.yaml:3:29: error: the currency sign `$` needs `units:` in the file\n"
       "      x: {dist: normal, range: \"$16.0B ± 2%\"}\n"
       "                                ^\n"
       "hint: declare the units figures are in, e.g. `units: USD millions` (then \"$16.0B\" reads as 16000), or write the number in the file's units without a sign\n"},
      {"a currency sign of other units", "name: t\nunits: EUR millions\ndrivers:\n  x: {dist: normal, range: \"$16.0B ± 2%\"}\n",
       "x.yaml:4:29: error: the currency sign `$` does not match the file's units `EUR millions`\n"
       "      x: {dist: normal, range: \"$16.0B ± 2%\"}\n"
       "                                ^\n"
       "hint: write `€`, or the number without a sign\n"},
      {"a suffix without a scale", "name: t\nunits: widgets\ndrivers:\n  x: {dist: normal, range: \"16.0B ± 2%\"}\n",
       "x.yaml:4:33: error: the suffix `B` needs the scale of the file's units\n"
       "      x: {dist: normal, range: \"16.0B ± 2%\"}\n"
       "                                    ^\n"
       "hint: declare the units figures are in, e.g. `units: USD millions` (then \"16.0B\" reads as 16000), or write the number in the file's units\n"},
      {"bp around a plain figure", "name: t\ndrivers:\n  x: {dist: normal, range: \"16000 ± 50bp\"}\n",
       "x.yaml:3:38: error: bp and pt are margins around a percent, and `16000` is not a percent\n"
       "      x: {dist: normal, range: \"16000 ± 50bp\"}\n"
       "                                        ^~~~\n"
       "hint: a margin relative to the figure is a percent: \"16000 ± 2%\"\n"},
      {"bp as an end", "name: t\ndrivers:\n  x: {dist: normal, range: \"50bp to 60bp\"}\n",
       "x.yaml:3:29: error: `50bp` is a margin, not a figure\n"
       "      x: {dist: normal, range: \"50bp to 60bp\"}\n"
       "                                ^~~~\n"
       "hint: write bp or pt after ± around a percent, e.g. \"72.5% ± 50bp\"\n"},
      {"a percent and a plain end", "name: t\ndrivers:\n  x: {dist: normal, range: \"5% to 0.07\"}\n",
       "x.yaml:3:35: error: `0.07` is not a percent, and the other end of `5% to 0.07` is\n"
       "      x: {dist: normal, range: \"5% to 0.07\"}\n"
       "                                      ^~~~\n"
       "hint: write both ends as percents, e.g. \"63.5% to 64.5%\"\n"},
      {"bad thousands groups", "name: t\ndrivers:\n  x: {dist: normal, range: \"1,10 to 1,130\"}\n",
       "x.yaml:3:29: error: thousands separators group three digits, found `1,10`\n"
       "      x: {dist: normal, range: \"1,10 to 1,130\"}\n"
       "                                ^~~~\n"
       "hint: write 110 without separators, or group the digits in threes (1,100)\n"},
      {"trailing text", "name: t\ndrivers:\n  x: {dist: normal, range: \"16000 ± 2% or so\"}\n",
       "x.yaml:3:41: error: unexpected `or so` in the range `16000 ± 2% or so`\n"
       "      x: {dist: normal, range: \"16000 ± 2% or so\"}\n"
       "                                           ^~~~~\n"
       "hint: a range is written like \"16000 ± 2%\", \"72.5% ± 50bp\" or \"80 to 120\"\n"},
      {"not a range", "name: t\ndrivers:\n  x: {dist: normal, range: \"about sixteen\"}\n",
       "x.yaml:3:29: error: expected a number, found `about`\n"
       "      x: {dist: normal, range: \"about sixteen\"}\n"
       "                                ^~~~~\n"
       "hint: a range is written like \"16000 ± 2%\", \"72.5% ± 50bp\" or \"80 to 120\"\n"},
      {"a zero margin", "name: t\ndrivers:\n  x: {dist: normal, range: \"16000 ± 0\"}\n",
       "x.yaml:3:38: error: the margin must be above zero, found `0`\n"
       "      x: {dist: normal, range: \"16000 ± 0\"}\n"
       "                                        ^\n"
       "hint: a range ± 0 is a single figure: give a margin above zero\n"},
      {"a signed margin", "name: t\ndrivers:\n  x: {dist: normal, range: \"16000 ± -2%\"}\n",
       "x.yaml:3:38: error: a margin has no sign, found `-2%`\n"
       "      x: {dist: normal, range: \"16000 ± -2%\"}\n"
       "                                        ^~~\n"
       "hint: write the margin as a positive number after ±: \"16000 ± 2%\"\n"},
      {"a single figure for a driver", "name: t\ndrivers:\n  x: {dist: normal, range: \"~2000\"}\n",
       "x.yaml:3:29: error: `~2000` is a single figure, not a range\n"
       "      x: {dist: normal, range: \"~2000\"}\n"
       "                                ^~~~~\n"
       "hint: give a margin or a second end, e.g. \"2000 ± 1%\"\n"},
      {"a single figure in guidance without ~", "name: t\ndrivers:\n  x: 1\nguidance:\n  x: \"2000\"\n",
       "x.yaml:5:7: error: `2000` is a single figure, not a range\n"
       "      x: \"2000\"\n"
       "          ^~~~\n"
       "hint: write \"~2000\" for a figure stated to its last digit, or give a margin: \"2000 ± 1%\"\n"},
      {"a plain number in guidance", "name: t\ndrivers:\n  x: 1\nguidance:\n  x: 2000\n",
       "x.yaml:5:6: error: `2000` is a single figure, not a range\n"
       "      x: 2000\n"
       "         ^~~~\n"
       "hint: write \"~2000\" for a figure stated to its last digit, or give a margin: \"2000 ± 1%\"\n"},
      {"a missing high end", "name: t\ndrivers:\n  x: {dist: normal, range: \"5 to\"}\n",
       "x.yaml:3:31: error: missing the high end after `to`\n"
       "      x: {dist: normal, range: \"5 to\"}\n"
       "                                  ^~\n"
       "hint: a range is written like \"16000 ± 2%\", \"72.5% ± 50bp\" or \"80 to 120\"\n"},
      {"min-max for a normal", "name: t\nranges: min-max\ndrivers:\n  x: {dist: normal, range: \"80 to 120\"}\n",
       "x.yaml:4:28: error: a normal distribution has no ends, and the file's reading of ranges (min-max) reads the range as its ends\n"
       "      x: {dist: normal, range: \"80 to 120\"}\n"
       "                               ^~~~~~~~~~~\n"
       "hint: read the range as percentiles instead, e.g. `reads_as: p5-p95`\n"},
      {"percentiles for a triangular", "name: t\ndrivers:\n  x: {dist: triangular, range: \"80 to 120\", mode: 100}\n",
       "x.yaml:3:32: error: a triangular distribution is not given by percentiles, and the file's reading of ranges (p10-p90) reads the range between percentiles\n"
       "      x: {dist: triangular, range: \"80 to 120\", mode: 100}\n"
       "                                   ^~~~~~~~~~~\n"
       "hint: read the range as the distribution's ends: `reads_as: min-max`\n"},
      {"reads_as on a normal", "name: t\ndrivers:\n  x: {dist: normal, range: \"80 to 120\", reads_as: min-max}\n",
       "x.yaml:3:51: error: a normal distribution has no ends, and `reads_as: min-max` reads the range as its ends\n"
       "      x: {dist: normal, range: \"80 to 120\", reads_as: min-max}\n"
       "                                                      ^~~~~~~\n"
       "hint: read the range as percentiles instead, e.g. `reads_as: p5-p95`\n"},
      {"an unknown reading", "name: t\nranges: p90-p10\ndrivers:\n  x: {dist: normal, range: \"80 to 120\"}\n",
       "x.yaml:2:9: error: unknown reading of ranges `p90-p10`\n"
       "    ranges: p90-p10\n"
       "            ^~~~~~~\n"
       "hint: write p5-p95, p10-p90, p25-p75 (any pA-pB), min-max, or a central confidence such as 80%\n"},
      {"reads_as without range", "name: t\ndrivers:\n  x: {dist: normal, mean: 1, sd: 2, reads_as: p5-p95}\n",
       "x.yaml:3:37: error: `reads_as` without a `range`\n"
       "      x: {dist: normal, mean: 1, sd: 2, reads_as: p5-p95}\n"
       "                                        ^~~~~~~~\n"
       "hint: `reads_as` says how the driver's `range:` is read: give one, e.g. range: \"80 to 120\"\n"},
      {"range with percentiles", "name: t\ndrivers:\n  x: {dist: normal, range: \"80 to 120\", p10: 80}\n",
       "x.yaml:3:41: error: `p10` cannot be combined with `range`\n"
       "      x: {dist: normal, range: \"80 to 120\", p10: 80}\n"
       "                                            ^~~\n"
       "hint: normal takes `mean` and `sd`, or two percentiles such as `p10` and `p90`\n"},
      {"range on discrete", "name: t\ndrivers:\n  x: {dist: discrete, range: \"80 to 120\"}\n",
       "x.yaml:3:23: error: a discrete distribution takes no `range`\n"
       "      x: {dist: discrete, range: \"80 to 120\"}\n"
       "                          ^~~~~\n"
       "hint: give its `values` and `probabilities`\n"},
      {"a range as a list", "name: t\ndrivers:\n  x: {dist: normal, range: [80, 120]}\n",
       "x.yaml:3:28: error: expected a range as text, found a list\n"
       "      x: {dist: normal, range: [80, 120]}\n"
       "                               ^~~~~~~~~\n"
       "hint: write the range as published, e.g. range: \"16000 ± 2%\" or range: \"80 to 120\"\n"},
      {"a lognormal range below zero", "name: t\ndrivers:\n  x: {dist: lognormal, range: \"-5 to 5\"}\n",
       "x.yaml:3:31: error: p10 must be > 0 for a lognormal, found -5\n"
       "      x: {dist: lognormal, range: \"-5 to 5\"}\n"
       "                                  ^~~~~~~~~\n"
       "hint: a lognormal takes positive values only\n"},
      {"a percent with a currency", "name: t\nunits: USD millions\ndrivers:\n  x: {dist: normal, range: \"$5% to 6%\"}\n",
       "x.yaml:4:29: error: `$5%` has both a currency sign and a percent\n"
       "      x: {dist: normal, range: \"$5% to 6%\"}\n"
       "                                ^~~\n"
       "hint: write a percent without a currency sign\n"},
      {"triangular missing mode", "name: t\ndrivers:\n  x: {dist: triangular, range: \"80 to 120\", reads_as: min-max}\n",
       "x.yaml:3:6: error: missing `mode` for the triangular distribution of `x`\n"
       "      x: {dist: triangular, range: \"80 to 120\", reads_as: min-max}\n"
       "         ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
       "hint: triangular takes `min`, `mode` and `max`\n"},
      {"reported guidance without a range", "name: t\ndrivers:\n  x: 1\nguidance:\n  x: {reported_to: 0.01}\n",
       "x.yaml:5:6: error: missing `range` in the guidance on `x`\n"
       "      x: {reported_to: 0.01}\n"
       "         ^~~~~~~~~~~~~~~~~~~\n"
       "hint: write e.g. {range: \"0.04 ± 0.10\", reported_to: 0.01}\n"},
      {"reported guidance with an unknown key", "name: t\ndrivers:\n  x: 1\nguidance:\n  x: {range: \"0.04 ± 0.10\", round_to: 0.01}\n",
       "x.yaml:5:30: error: unknown key `round_to` in the guidance on `x`\n"
       "      x: {range: \"0.04 ± 0.10\", round_to: 0.01}\n"
       "                                ^~~~~~~~\n"
       "hint: expected one of `range` or `reported_to`\n"},
      {"a step of zero", "name: t\ndrivers:\n  x: 1\nguidance:\n  x: {range: \"0.04 ± 0.10\", reported_to: 0}\n",
       "x.yaml:5:43: error: expected a step above zero for `reported_to`, found 0\n"
       "      x: {range: \"0.04 ± 0.10\", reported_to: 0}\n"
       "                                             ^\n"
       "hint: the step the figure is reported to, e.g. 0.01 for cents\n"},
      {"no reported figure in range", "name: t\ndrivers:\n  x: 1\nguidance:\n  x: {range: \"0.191 to 0.199\", reported_to: 0.01}\n",
       "x.yaml:5:14: error: no figure reported to 0.01 lies in the guidance on `x`\n"
       "      x: {range: \"0.191 to 0.199\", reported_to: 0.01}\n"
       "                 ^~~~~~~~~~~~~~~~\n"
       "hint: widen the range, or report the figure to a finer step\n"},

  }));
  INFO(c.what);
  CHECK(error_of(c.input) == c.expected);
}

TEST_CASE("point guidance and reported_to judge the figure as it will be reported") {
  const auto line = [](const std::string& guidance) {
    const Scenario s = parse("name: t\ndrivers:\n  x: 1\nguidance:\n  x: " + guidance + "\n");
    REQUIRE(s.guidance.size() == 1);
    return std::pair{s.guidance[0].low, s.guidance[0].high};
  };
  const double below = -std::numeric_limits<double>::infinity(), above = -below;
  // To the stated digit: 1999.5 rounds (away from zero) to 2000, 2000.5 to 2001.
  CHECK(line("\"~2000\"") == std::pair{1999.5, std::nextafter(2000.5, below)});
  CHECK(line("\"~2,000.0\"") == std::pair{1999.95, std::nextafter(2000.05, below)});
  CHECK(line("\"~72.5%\"") == std::pair{0.7245, std::nextafter(0.7255, below)});
  CHECK(line("\"~-5\"") == std::pair{std::nextafter(-5.5, above), -4.5});  // -5.5 rounds to -6
  CHECK(line("{range: \"~2000\", reported_to: 10}") == std::pair{1995.0, std::nextafter(2005.0, below)});
  // -0.065 rounds to -0.07 (out), 0.145 to 0.15 (out).
  CHECK(line("{range: \"0.04 ± 0.10\", reported_to: 0.01}") ==
        std::pair{std::nextafter(-0.065, above), std::nextafter(0.145, below)});
  CHECK(line("{range: [0.19, null], reported_to: 0.01}") == std::pair{0.185, above});
  CHECK(line("{range: [0.191, 0.22], reported_to: 0.01}") == std::pair{0.195, std::nextafter(0.225, below)});
  CHECK(line("\"~2000 ± 25\"") == std::pair{1975.0, 2025.0});  // a margin: no rounding
}

TEST_CASE("a guidance line keeps its text as written, for the reports") {
  const auto text = [](const std::string& guidance, const std::string& head = "") {
    const Scenario s = parse("name: t\n" + head + "drivers:\n  x: 1\nguidance:\n  x: " + guidance + "\n");
    REQUIRE(s.guidance.size() == 1);
    return s.guidance[0].text;
  };
  CHECK(text("\"16000 ± 2%\"") == "16000 ± 2%");
  CHECK(text("\" ~2000 \"") == "~2000");
  CHECK(text("\"~$1.78B\"", "units: USD millions\n") == "~$1.78B");
  CHECK(text("{range: \"0.04 ± 0.10\", reported_to: 0.01}") == "0.04 ± 0.10 (reported to 0.01)");
  CHECK(text("{range: \"66.0% ± 50bp\", reported_to: \"0.1%\"}") == "66.0% ± 50bp (reported to 0.1%)");
  CHECK(text("{range: [0.19, 0.22], reported_to: 0.01}") == "0.19 to 0.22 (reported to 0.01)");
  CHECK(text("{range: [0.19, null], reported_to: 0.01}") == "at least 0.19 (reported to 0.01)");
  CHECK(text("{range: [null, \"22%\"], reported_to: \"1%\"}") == "at most 22% (reported to 1%)");
  CHECK(text("[0.19, 0.22]").empty());  // shown from its ends, which are the numbers written
}

TEST_CASE("a reported_to line holds exactly the values whose rounded figure is in range, tie by tie") {
  // Every figure from -0.08 to 0.16 in steps of 0.0001 (the halves between cents included, as the
  // doubles their digits read as), the double just above each, and random values: in the line's range
  // exactly when round_to(x, 0.01) is in [-0.06, 0.14].
  const Scenario s = parse("name: t\ndrivers:\n  x: 1\nguidance:\n  x: {range: \"0.04 ± 0.10\", reported_to: 0.01}\n");
  const GuidanceLine& g = s.guidance[0];
  std::vector<double> grid;
  for (int k = -800; k <= 1600; ++k) grid.push_back(std::stod(std::to_string(k) + "e-4"));
  for (int k = -800; k <= 1600; ++k) grid.push_back(std::nextafter(grid[static_cast<std::size_t>(k + 800)], 1.0));
  std::vector<double> xs = grid;
  std::uint64_t state = 20240611;
  for (int i = 0; i < 100000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    xs.push_back(-0.1 + 0.3 * static_cast<double>(state >> 11) * 0x1p-53);
  }
  std::size_t grid_inside = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double x = xs[i];
    const double reported = formula::round_to(x, 0.01);
    const bool by_rounding = reported >= -0.06 && reported <= 0.14;
    INFO("x = " << x);
    REQUIRE((x >= g.low && x <= g.high) == by_rounding);
    if (i < grid.size()) grid_inside += by_rounding;
  }
  // By hand: the grid's figures -0.0649 .. 0.1449 are in (k = -649 .. 1449: 2099; -0.065 rounds to
  // -0.07 and 0.145 to 0.15), and of the doubles just above them those from -0.065 to 0.1449 (2100).
  CHECK(grid_inside == 2099 + 2100);
}
