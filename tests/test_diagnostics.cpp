#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <string>

#include "guidance/diagnostics.hpp"
#include "guidance/dimension.hpp"

using guidance::ElementTarget;
using guidance::InputError;
using guidance::SourceLocation;
using guidance::SourceText;
using guidance::split_subscript;

TEST_CASE("a diagnostic shows file, line, column, the source line and a caret under the span") {
  auto source = std::make_shared<const SourceText>(SourceText{"x.yaml", "a: 1\nrevenue: {sd: -2}\n"});
  const InputError error(SourceLocation{source, 2, 15, 2}, "sd must be > 0, found -2", "use a positive sd");
  CHECK(error.render() ==
        "x.yaml:2:15: error: sd must be > 0, found -2\n"
        "    revenue: {sd: -2}\n"
        "                  ^~\n"
        "hint: use a positive sd\n");
}

TEST_CASE("the caret counts characters, not bytes, and keeps tabs") {
  // "é" is two bytes and one column: the `-` is at byte column 16, the 15th character.
  auto source = std::make_shared<const SourceText>(SourceText{"x.yaml", "\tprix_é: {sd: -2}\n"});
  CHECK(InputError(SourceLocation{source, 1, 16, 2}, "sd must be > 0, found -2").render() ==
        "x.yaml:1:16: error: sd must be > 0, found -2\n"
        "    \tprix_é: {sd: -2}\n"
        "    \t             ^~\n");
  // A span over a multi-byte character marks one column per character.
  auto minus = std::make_shared<const SourceText>(SourceText{"f.yaml", "m: a \u2212 b\n"});
  CHECK(InputError(SourceLocation{minus, 1, 6, 3}, "unexpected character").render() ==
        "f.yaml:1:6: error: unexpected character\n"
        "    m: a \u2212 b\n"
        "         ^\n");
}

TEST_CASE("a long line is shown as a window around the caret") {
  const std::string head(150, 'a'), tail(150, 'b');
  auto source = std::make_shared<const SourceText>(SourceText{"x.yaml", "m: " + head + " + bad + " + tail + "\n"});
  const int column = static_cast<int>(3 + head.size() + 4);  // the `b` of `bad`
  const std::string rendered = InputError(SourceLocation{source, 1, column, 3}, "unknown name `bad`").render();
  // 30 bytes before the error, 100 bytes in all, "..." at each cut end; the caret under `bad`.
  const std::string window = std::string(27, 'a') + " + bad + " + std::string(64, 'b');
  CHECK(rendered == "x.yaml:1:" + std::to_string(column) + ": error: unknown name `bad`\n" + "    ..." + window + "...\n" +
                        "    " + std::string(3 + 30, ' ') + "^~~\n");
  // A short line, or the start of a long one, is not cut at the front.
  auto start = std::make_shared<const SourceText>(SourceText{"x.yaml", "bad: " + tail + "\n"});
  CHECK(InputError(SourceLocation{start, 1, 1, 3}, "unknown key").render() ==
        "x.yaml:1:1: error: unknown key\n    bad: " + std::string(95, 'b') + "...\n    ^~~\n");
}

TEST_CASE("a diagnostic without a location names only the input") {
  auto source = std::make_shared<const SourceText>(SourceText{"x.yaml", ""});
  CHECK(InputError(SourceLocation{source}, "the file is empty").render() == "x.yaml: error: the file is empty\n");
  CHECK(InputError(SourceLocation{}, "bad flag").render() == "error: bad flag\n");
}

TEST_CASE("printable writes control characters as escapes and keeps the rest") {
  using guidance::printable;
  CHECK(printable("revenue.yaml") == "revenue.yaml");
  CHECK(printable("a\tb é €") == "a\tb é €");  // tabs and UTF-8 text unchanged
  CHECK(printable("a\nb\rc") == "a\\nb\\rc");
  CHECK(printable("\x1b[31mred\x7f") == "\\x1b[31mred\\x7f");
  CHECK(printable(std::string("nul\0", 4)) == "nul\\x00");
  CHECK(printable("next\xc2\x85line") == "next\\u0085line");  // C1 (NEL), as UTF-8
  // Bidirectional controls would show the rest of the line reversed ("Trojan Source"); their
  // neighbours in the same UTF-8 rows (an en dash, a bullet, the word joiner) are text.
  CHECK(printable("\xe2\x80\xae" "6 \xe2\x81\xa6x\xe2\x81\xa9 \xe2\x80\x8e\xe2\x80\x8f\xe2\x80\xaa") ==
        "\\u202e6 \\u2066x\\u2069 \\u200e\\u200f\\u202a");
  CHECK(printable("1\xe2\x80\x93" "2 \xe2\x80\xa2 \xe2\x81\xa0") == "1\xe2\x80\x93" "2 \xe2\x80\xa2 \xe2\x81\xa0");
  CHECK(printable("cut\xe2\x80") == "cut\xe2\x80");
}

TEST_CASE("every part of a diagnostic is printable: a name cannot forge a line or colour the terminal") {
  auto source = std::make_shared<const SourceText>(SourceText{"x\n\x1b[31m.yaml", "a: \x1b[1mb\n"});
  CHECK(InputError(SourceLocation{source, 1, 8, 1}, "unknown `\x1b[1mb`", "write\nthis").render() ==
        "x\\n\\x1b[31m.yaml:1:8: error: unknown `\\x1b[1mb`\n"
        "    a: \\x1b[1mb\n"
        "              ^\n"
        "hint: write\\nthis\n");
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

TEST_CASE("split_subscript splits a driver's name at its brackets, or refuses brackets it cannot read") {
  const std::optional<ElementTarget> element = split_subscript("revenue[routing,Q3]");
  REQUIRE(element);
  CHECK(element->name == "revenue");
  CHECK(element->subscript == "routing,Q3");
  const std::optional<ElementTarget> scalar = split_subscript("revenue");
  REQUIRE(scalar);
  CHECK(scalar->name == "revenue");
  CHECK_FALSE(scalar->subscript);
  CHECK(split_subscript("revenue[]")->subscript == "");  // the caller refuses the empty label
  for (const char* unreadable : {"revenue[Q3", "revenue[Q3]x", "revenue[Q3]]", "revenue]["}) {
    CAPTURE(unreadable);
    CHECK_FALSE(split_subscript(unreadable));
  }
}
