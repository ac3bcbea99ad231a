#include <catch2/catch.hpp>

#include "guidance/diagnostics.hpp"

using guidance::InputError;
using guidance::SourceLocation;
using guidance::SourceText;

TEST_CASE("a diagnostic shows file, line, column, the source line and a caret under the span") {
  auto source = std::make_shared<const SourceText>(SourceText{"x.yaml", "a: 1\nrevenue: {sd: -2}\n"});
  const InputError error(SourceLocation{source, 2, 15, 2}, "sd must be > 0, found -2", "use a positive sd");
  CHECK(error.render() ==
        "x.yaml:2:15: error: sd must be > 0, found -2\n"
        "    revenue: {sd: -2}\n"
        "                  ^~\n"
        "hint: use a positive sd\n");
}

TEST_CASE("a diagnostic without a location names only the input") {
  auto source = std::make_shared<const SourceText>(SourceText{"x.yaml", ""});
  CHECK(InputError(SourceLocation{source}, "the file is empty").render() == "x.yaml: error: the file is empty\n");
  CHECK(InputError(SourceLocation{}, "bad flag").render() == "error: bad flag\n");
}

TEST_CASE("closest_name suggests near misses only") {
  const std::vector<std::string> names = {"gross_margin", "revenue", "opex"};
  CHECK(guidance::closest_name("gros_margin", names) == "gross_margin");
  CHECK(guidance::closest_name("revenu", names) == "revenue");
  CHECK(guidance::closest_name("dividends", names).empty());
  CHECK(guidance::did_you_mean("opx", names) == "did you mean `opex`?");
}

TEST_CASE("SourceText::line handles CRLF and out-of-range lines") {
  const SourceText text{"f", "one\r\ntwo"};
  CHECK(text.line(1) == "one");
  CHECK(text.line(2) == "two");
  CHECK(text.line(3).empty());
  CHECK(text.line(0).empty());
}
