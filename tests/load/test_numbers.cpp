// The number syntax: decimal numbers and percents, converted with correct rounding; everything YAML 1.1
// or a spreadsheet might read differently is refused.
#include <catch2/catch.hpp>

#include "load/values.hpp"
#include "load/yaml_tree.hpp"

using namespace guidance;
using namespace guidance::load_detail;

namespace {

YamlNode scalar(const std::string& text) {
  return parse_yaml(std::make_shared<const SourceText>(SourceText{"n", text}));
}

}  // namespace

TEST_CASE("numbers and percents convert exactly as their decimal text") {
  const auto& [text, value, percent] = GENERATE(table<std::string, double, bool>({
      {"1115", 1115.0, false},
      {"-2.5", -2.5, false},
      {"+5", 5.0, false},
      {".5", 0.5, false},
      {"5.", 5.0, false},
      {"0", 0.0, false},
      {"1.2e3", 1200.0, false},
      {"10e6", 10e6, false},
      {"-1E-3", -1e-3, false},
      {"\"1115\"", 1115.0, false},  // quoted numbers are numbers
      {"\"63.5%\"", 0.635, true},
      {"64%", 0.64, true},
      {"-3%", -0.03, true},
      {"0.4%", 0.004, true},
      {"1e2%", 1.0, true},
      // Zero at any exponent, however long: only a number that is not zero can be out of range.
      {"0e400", 0.0, false},
      {"0e999999999", 0.0, false},
      {"-0.000e-99999999", -0.0, false},
      // 64.1 / 100 rounds twice (to 0.6409999999999999); the loader reads "64.1%" as "0.641".
      {"64.1%", 0.641, true},
      {"57.7%", 0.577, true},
  }));
  INFO(text);
  const Number number = read_number(scalar(text));
  CHECK(number.value == value);
  CHECK(number.percent == percent);
}

TEST_CASE("text that is not plainly a number is refused with a hint") {
  const auto& [text, hint] = GENERATE(table<std::string, std::string>({
      {"1,115", "write 1115: thousands separators are not allowed"},
      {"1,115,000.5", "write 1115000.5: thousands separators are not allowed"},
      {"1,5", "write 1.5: the decimal separator is a point"},
      {"1_000", "write 1000: digit separators are not allowed"},
      // One driver made to depend on another: that is a metric.
      {"q3_revenue * 1.02",
       "a value here is a number; a formula belongs under `metrics:`, where it can use drivers and other metrics "
       "(e.g. q4_revenue: q3_revenue * growth, with growth a driver of its own)"},
      {"(opex+capex)/2",
       "a value here is a number; a formula belongs under `metrics:`, where it can use drivers and other metrics "
       "(e.g. q4_revenue: q3_revenue * growth, with growth a driver of its own)"},
      {"yes", "`yes` is not a number (YAML 1.1 reads it as a boolean)"},
      {"Off", "`Off` is not a number (YAML 1.1 reads it as a boolean)"},
      {"true", "`true` is not a number (YAML 1.1 reads it as a boolean)"},
      {"010", "a leading zero is ambiguous (YAML 1.1 reads 010 as the octal number 8): write 10"},
      {"-0755", "a leading zero is ambiguous (YAML 1.1 reads 0755 as the octal number 493): write -755"},
      {"019", "a leading zero is ambiguous: write 19"},
      {"00.5%", "a leading zero is ambiguous: write 0.5%"},
      {"0x1F", "write numbers in decimal"},
      {"0o17", "write numbers in decimal"},
      {"$5", "write the number without a currency sign"},
      {"5 %", "numbers are written like 1115, -2.5, 1.2e3 or \"63.5%\""},
      {"\"%\"", "numbers are written like 1115, -2.5, 1.2e3 or \"63.5%\""},
      {"1e", "numbers are written like 1115, -2.5, 1.2e3 or \"63.5%\""},
      {"\"\"", "numbers are written like 1115, -2.5, 1.2e3 or \"63.5%\""},
  }));
  INFO(text);
  try {
    read_number(scalar(text));
    FAIL("accepted");
  } catch (const InputError& error) {
    CHECK(error.message().starts_with("expected a number, found "));
    CHECK(error.hint() == hint);
  }
}

TEST_CASE("NaN, infinities and out-of-range numbers are refused") {
  const auto& [text, message] = GENERATE(table<std::string, std::string>({
      {".nan", "expected a finite number, found `.nan`"},
      {".NaN", "expected a finite number, found `.NaN`"},
      {"-.inf", "expected a finite number, found `-.inf`"},
      {"inf%", "expected a finite number, found `inf%`"},
      {"1e400", "expected a number in range, found `1e400`"},
      {"1e-400", "expected a number in range, found `1e-400`"},
      {"1e9999999", "expected a number in range, found `1e9999999`"},
  }));
  INFO(text);
  try {
    read_number(scalar(text));
    FAIL("accepted");
  } catch (const InputError& error) {
    CHECK(error.message() == message);
  }
}

TEST_CASE("null is an open end only where one is allowed") {
  CHECK_FALSE(read_number_or_null(scalar("null")));
  CHECK_FALSE(read_number_or_null(scalar("~")));
  CHECK(read_number_or_null(scalar("\"5%\""))->value == 0.05);
  CHECK_THROWS_WITH(read_number(scalar("null")), "expected a number, found null");
  try {
    read_number_or_null(scalar(".inf"));
    FAIL("accepted");
  } catch (const InputError& error) {
    CHECK(error.hint() == "NaN and infinities are not allowed; write null for an open end");
  }
}

TEST_CASE("whole numbers are digits within their range") {
  CHECK(read_whole_number(scalar("18446744073709551615"), 0, UINT64_MAX) == UINT64_MAX);
  CHECK(read_whole_number(scalar("0"), 0, 10) == 0);
  CHECK_THROWS_WITH(read_whole_number(scalar("+5"), 0, 10), "expected a whole number from 0 to 10, found `+5`");
  CHECK_THROWS_WITH(read_whole_number(scalar("05"), 0, 10), "expected a whole number from 0 to 10, found `05`");
  CHECK_THROWS_WITH(read_whole_number(scalar("2.5"), 0, 10), "expected a whole number from 0 to 10, found `2.5`");
  // Found by fuzz_load: a decimal that rounds to 2^64 as a double passed the range check against
  // UINT64_MAX (which also rounds to 2^64) and was cast for the hint, undefined behaviour.
  for (const char* text : {"18446744073709551610.55", "1.8446744073709551615e19", "18446744073709551616"})
    CHECK_THROWS_WITH(read_whole_number(scalar(text), 0, UINT64_MAX),
                      std::string("expected a whole number from 0 to 18446744073709551615, found `") + text + "`");
}
