// The charts and the HTML report: SVG escaping and structure, the terminal histogram's width and
// ASCII mode, and the pages' contents (every chart there, nothing fetched, user text escaped).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "guidance/load.hpp"
#include "guidance/report.hpp"
#include "guidance/sensitivity.hpp"
#include "guidance/tuning.hpp"
#include "report/format.hpp"
#include "report/svg.hpp"
#include "report/terminal_chart.hpp"

using namespace guidance;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

const std::string flagship = GUIDANCE_SOURCE_DIR "/scenarios/juniper_q4_2012.yaml";

std::size_t count(std::string_view text, std::string_view piece) {
  std::size_t n = 0;
  for (std::size_t at = text.find(piece); at != std::string_view::npos; at = text.find(piece, at + piece.size())) ++n;
  return n;
}

/// Columns a terminal shows: one per UTF-8 code point, escape sequences excluded.
std::size_t columns(std::string_view line) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\x1b') {
      while (i < line.size() && line[i] != 'm') ++i;
      continue;
    }
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(text.substr(start, end - start));
  return lines;
}

bool all_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 128; });
}

struct Flagship {
  Model model;
  RunReport report;
};

const Flagship& flagship_run() {
  static const Flagship run = [] {
    Model model = build_model(load_scenario(flagship));
    RunReport report = analyze(model, simulate(model, {.trials = 20'000, .seed = 3}));
    return Flagship{std::move(model), std::move(report)};
  }();
  return run;
}

std::size_t histogram_bins(const RunReport& report) {
  std::size_t bins = 0;
  for (const GuidanceProbability& line : report.guidance) bins += line.histogram.counts.size();
  return bins;
}

}  // namespace

TEST_CASE("SVG text and attributes are escaped", "[svg]") {
  CHECK(svg::escape(R"(<b>R&D</b> "x" 'y')") == "&lt;b&gt;R&amp;D&lt;/b&gt; &quot;x&quot; &#39;y&#39;");
  CHECK(svg::escape("plain 1,100") == "plain 1,100");

  svg::Canvas canvas(100, 50, "a <chart>", "chart");
  canvas.rect({1, 2, 3, 4}, "bar in", "1 < x & y");
  canvas.rect({0, 0, -5, 10}, "bar out");
  canvas.text({5, 6}, "P(in) <50%", "label", svg::Anchor::middle);
  const std::string markup = std::move(canvas).finish();
  CHECK_THAT(markup, StartsWith(R"(<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 100 50" role="img" aria-label="a &lt;chart&gt;">)"));
  CHECK_THAT(markup, Contains(R"(<rect class="bar in" x="1" y="2" width="3" height="4"><title>1 &lt; x &amp; y</title></rect>)"));
  CHECK_THAT(markup, Contains(R"(<rect class="bar out" x="0" y="0" width="0" height="10"/>)"));
  CHECK_THAT(markup, Contains(R"(<text class="label" x="5" y="6" text-anchor="middle">P(in) &lt;50%</text>)"));
  CHECK(markup.ends_with("</svg>\n"));
}

TEST_CASE("SVG numbers are rounded to hundredths without trailing zeros", "[svg]") {
  struct Case {
    double value;
    std::string text;
  };
  const Case c = GENERATE(Case{12.0, "12"}, Case{12.5, "12.5"}, Case{-0.25, "-0.25"}, Case{3.14159, "3.14"},
                          Case{-0.001, "0"}, Case{100.0, "100"}, Case{0.0, "0"});
  CHECK(svg::number(c.value) == c.text);
}

TEST_CASE("the terminal histogram fits 80 columns, marks the range, and is pure ASCII with ascii", "[terminal]") {
  const std::size_t bins = GENERATE(10, 40, 52, 200);
  Histogram histogram;
  histogram.bins = {0.0, 1.0, bins};
  for (std::size_t k = 0; k < bins; ++k) {
    const double x = (static_cast<double>(k) + 0.5) / static_cast<double>(bins) - 0.5;
    histogram.counts.push_back(static_cast<std::uint64_t>(1000 * std::exp(-x * x * 20)));
  }
  histogram.finite = 0;
  for (const std::uint64_t c : histogram.counts) histogram.finite += c;
  // The range is the middle half: bins [bins / 4, 3 bins / 4).
  const double low = static_cast<double>(bins / 4), high = static_cast<double>(3 * bins / 4);
  CAPTURE(bins);

  const std::string unicode = terminal_histogram(histogram, low, high, {false, 1});
  const std::vector<std::string> lines = lines_of(unicode);
  REQUIRE(lines.size() == 3);
  for (const std::string& line : lines) CHECK(columns(line) <= 80);
  CHECK_THAT(lines[1], Contains("█"));
  CHECK_THAT(lines[2], StartsWith("  0.0 ─"));
  CHECK(lines[2].ends_with(fmt::format("─ {}.0", bins)));
  CHECK(unicode.find('\x1b') == std::string::npos);

  const std::string ascii = terminal_histogram(histogram, low, high, {false, 1}, {.ascii = true});
  CHECK(all_ascii(ascii));
  const std::vector<std::string> ascii_lines = lines_of(ascii);
  REQUIRE(ascii_lines.size() == 3);
  for (const std::string& line : ascii_lines) CHECK(line.size() <= 80);
  CHECK_THAT(ascii_lines[1], Contains("#"));
  // Every column inside the range is '=', every other '-'; with several bins to a column, a column
  // is inside only when all of its bins are.
  const std::size_t marks = count(ascii_lines[2], "=");
  if (bins <= 60) CHECK(marks == bins / 2);
  else CHECK(marks > 0);
  CHECK(count(ascii_lines[2], "-") + marks == columns(ascii_lines[1]) - 6);  // after "  0.0 "

  const std::string coloured = terminal_histogram(histogram, low, high, {false, 1}, {.color = true});
  CHECK_THAT(coloured, Contains("\x1b[36m"));
}

TEST_CASE("a histogram without bins or finite values draws nothing", "[terminal]") {
  CHECK(terminal_histogram(Histogram{}, 0, 1, {false, 2}).empty());
  Histogram empty;
  empty.bins = {0, 1, 4};
  empty.counts = {0, 0, 0, 0};
  empty.above = 3;
  empty.finite = 3;
  CHECK(terminal_histogram(empty, 0, 1, {false, 2}).empty());
}

TEST_CASE("numbers keep about four significant digits and ten characters at any magnitude", "[table]") {
  const auto shown = [](double value, double magnitude) { return format_with(value, choose_format(false, magnitude)); };
  CHECK(shown(1115.04, 1115.04) == "1,115.0");
  CHECK(shown(0.20418, 0.20418) == "0.2042");
  CHECK(shown(0.0123456, 0.0123456) == "0.01235");
  CHECK(shown(0.000295, 0.000295) == "0.000295");
  CHECK(shown(1.23e-5, 1.23e-5) == "1.230e-05");
  CHECK(shown(0.0, 1.23e-5) == "0");
  CHECK(shown(1'224'767.0, 1'224'767.0) == "1,224,767");
  CHECK(shown(51'000'529.0, 51'000'529.0) == "51.00M");
  CHECK(shown(938'469'623.0, 51'000'529.0) == "938.47M");
  CHECK(shown(-12'300'000'000.0, 12'300'000'000.0) == "-12.30B");
  CHECK(shown(4.5e14, 4.5e14) == "450.0T");
  CHECK(shown(1e20, 1e20) == "1.000e+20");
  CHECK(format_with(0.6401, choose_format(true, 0.64)) == "64.01%");
  CHECK(format_with(2e5, choose_format(true, 2e5)) == "2.000e+07%");
}

TEST_CASE("thousands are grouped in the integer part, and columns count code points", "[table]") {
  CHECK(group_thousands("0") == "0");
  CHECK(group_thousands("999") == "999");
  CHECK(group_thousands("1000") == "1,000");
  CHECK(group_thousands("10000000") == "10,000,000");
  CHECK(group_thousands("-123456.789") == "-123,456.789");
  CHECK(group_thousands("-100") == "-100");
  CHECK(display_columns("P(in) 80%") == 9);
  CHECK(display_columns("\u2581\u2588 \u2550") == 4);  // block and box-drawing characters: three bytes each
}

TEST_CASE("a metric's currency and digits shape its numbers", "[table]") {
  Variable money{"op", VariableKind::metric};
  money.display = {"$", 6, std::nullopt};
  CHECK(format_with(1100.0, value_format(money, 1100.0)) == "$1,100.0M");
  CHECK(format_with(-5.0, value_format(money, 5.0)) == "-$5.000M");
  CHECK(format_with(16e6, value_format(money, 16e6)) == "$16.00T");  // 16 million millions
  CHECK(format_with(16e9, value_format(money, 16e9)) == "$16,000.00T");  // no suffix beyond T
  money.display.digits = 0;
  CHECK(format_with(1100.4, value_format(money, 1100.4)) == "$1,100M");
  money.display = {"€", 0, 2};
  CHECK(format_with(0.8, value_format(money, 0.8)) == "€0.80");
  Variable share{"margin", VariableKind::metric, true};
  share.display.digits = 1;
  CHECK(format_with(0.14873, value_format(share, 0.14873)) == "14.9%");
  CHECK(format_variable_value(0.14873, share) == "14.9%");
}

TEST_CASE("two different ends of a range never read as the same figure", "[table]") {
  Variable money{"rev", VariableKind::metric};
  money.display = {"$", 6, 0};
  const ValueFormat whole = value_format(money, 1100.0);
  CHECK(format_ends(1099.6, 1100.4, whole) == "$1,099.6M to $1,100.4M");  // both "$1,100M" at digits: 0
  CHECK(format_ends(1099.5, 1101.0, whole) == "$1,100M to $1,101M");      // already apart: unchanged
  CHECK(format_ends(1100.0, 1100.0, whole) == "$1,100M to $1,100M");      // the same end, shown once each
  CHECK(format_ends(1.0997e303, 1.1003e303, choose_format(false, 1.1e303)) == "1.0997e+303 to 1.1003e+303");
  CHECK(format_ends(0.99999, 1.00001, choose_format(true, 1.0)) == "99.999% to 100.001%");
  CHECK(format_ends(1.0, std::nextafter(1.0, 2.0), choose_format(false, 1.0)) ==
        "1.0000000000000000 to 1.0000000000000002");
}

TEST_CASE("an indicator metric is shown as its probability, not percentiles of 0 and 1", "[table]") {
  Model model = build_model(load_scenario(GUIDANCE_SOURCE_DIR "/scenarios/cost_model.yaml"));
  const auto loss = static_cast<std::size_t>(model.find("loss_making"));
  CHECK(model.variables[loss].indicator);
  CHECK_FALSE(model.variables[static_cast<std::size_t>(model.find("operating_profit"))].indicator);
  const SimulationResult result = simulate(model, {.trials = 20'000, .seed = 3});
  const RunReport report = analyze(model, result);
  REQUIRE(report.indicators.size() == 1);
  const IndicatorProbability& p = report.indicators[0];
  CHECK(p.variable == loss);
  const std::span<const double> column = result.column(loss);
  CHECK(p.ones == static_cast<std::uint64_t>(std::count(column.begin(), column.end(), 1.0)));
  CHECK(p.p == static_cast<double>(p.ones) / 20'000.0);
  CHECK(format_indicator({loss, 246, 0.0123, {}}) == "P = 1.2%");
  CHECK(format_indicator({loss, 2, 0.0001, {}}) == "P <0.1%");
  const std::string table = render_table(model, report);
  // In the mean's column, where the other rows' numbers are; no percentiles after it.
  const auto line_of = [&](const std::string& name) {
    const std::size_t at = table.find("  " + name + " ");
    REQUIRE(at != std::string::npos);
    return table.substr(at, table.find('\n', at) - at);
  };
  const std::string loss_line = line_of("loss_making"), cost_line = line_of("unit_cost");
  const std::string shown = format_indicator(p);
  CHECK(loss_line.substr(loss_line.find(shown)) ==
        fmt::format("{}  95% interval [{}, {}]", shown, format_probability(p.p_ci.low), format_probability(p.p_ci.high)));
  const std::size_t mean_end = cost_line.find_first_not_of(' ', cost_line.find("unit_cost") + 9);
  CHECK(loss_line.find(shown) + shown.size() == cost_line.find(' ', mean_end));
}

TEST_CASE("an indicator that folds to a constant is a probability known exactly", "[table]") {
  // It was shown as a number ("0.0000 (constant)") while every other indicator is a probability.
  const auto path = std::filesystem::temp_directory_path() / "guidance_constant_indicator.yaml";
  std::ofstream(path) << "name: c\ndrivers:\n  a: {dist: normal, mean: 0, sd: 1}\n"
                         "metrics:\n  never: 1 > 2\n  always: 0 / 0 != 1\n  up: a > 0\n";
  const Model model = build_model(load_scenario(path.string()));
  std::filesystem::remove(path);
  const RunReport report = analyze(model, simulate(model, {.trials = 1'000, .seed = 3}));
  REQUIRE(report.indicators.size() == 3);
  const IndicatorProbability& never = report.indicators[0];
  const IndicatorProbability& always = report.indicators[1];
  CHECK((never.ones == 0 && never.p == 0.0 && never.p_ci.low == 0.0 && never.p_ci.high == 0.0));
  CHECK((always.ones == 1'000 && always.p == 1.0 && always.p_ci.low == 1.0 && always.p_ci.high == 1.0));
  const std::string table = render_table(model, report);
  CHECK_THAT(table, Contains("  never        P = 0.0%  (constant)\n"));
  CHECK_THAT(table, Contains("  always     P = 100.0%  (constant)\n"));
}

TEST_CASE("run's table keeps a space between numbers whatever their width", "[table]") {
  const Model model = build_model(load_scenario(GUIDANCE_SOURCE_DIR "/scenarios/cost_model.yaml"));
  const RunReport report = analyze(model, simulate(model, {.trials = 20'000, .seed = 3}));
  for (const bool show_error : {false, true}) {
    const std::string table = render_table(model, report, {.show_error = show_error});
    std::size_t rows = 0;
    for (const std::string& line : lines_of(table.substr(0, table.find("\n  guidance ")))) {
      CAPTURE(line);
      CHECK(columns(line) <= 80);
      // The rows of the two metrics in the tens of millions split into a name and six numbers in
      // millions: none ran into another (they did, as "51,000,52938,469,623...", before).
      if (!line.starts_with("  revenue ") && !line.starts_with("  operating_profit ")) continue;
      ++rows;
      std::istringstream words(line);
      std::vector<std::string> cells;
      for (std::string word; words >> word;) cells.push_back(word);
      REQUIRE(cells.size() == 7);
      for (std::size_t c = 1; c < cells.size(); ++c) CHECK(cells[c].ends_with('M'));
    }
    CHECK(rows == 2);
  }
}

TEST_CASE("run's table shows a histogram per metric with a guidance line, within 80 columns", "[table]") {
  const Flagship& run = flagship_run();
  const std::string plain = render_table(run.model, run.report);
  CHECK(plain.find("█") == std::string::npos);

  const std::string table = render_table(run.model, run.report, {.histograms = true});
  const std::string charts = table.substr(table.find("all at once"));
  for (const std::string& line : lines_of(charts)) {
    CAPTURE(line);
    CHECK(columns(line) <= 80);
  }
  // operating_margin and eps are metrics: charted; revenue and gross_margin are drivers: not.
  CHECK_THAT(table, Contains("\n  operating_margin  14% to 16%  P(in) "));
  CHECK_THAT(table, Contains("\n  eps  0.19 to 0.22  P(in) "));
  CHECK(count(charts, "P(in) ") == 2);
  CHECK(count(table, "═") > 20);

  const std::string ascii = render_table(run.model, run.report, {.histograms = true, .ascii = true});
  CHECK(all_ascii(ascii));
  CHECK(count(ascii, "=") > 20);
  CHECK(lines_of(ascii).size() == lines_of(table).size());
}

TEST_CASE("a metric too near the largest double for a chart says so in the chart's place", "[table]") {
  // Values up to about 1.5e308: no bins fit (chart_bins), and the table says why instead of nothing.
  const Model model = build_model(parse_scenario("name: huge\n"
                                                 "drivers:\n  x: {dist: uniform, min: -1.5, max: 1.5}\n"
                                                 "metrics:\n  big: x * 1e308\n  small: x\n"
                                                 "guidance:\n  big: [0, null]\n  small: [0, null]\n",
                                                 "huge.yaml"));
  const RunReport report = analyze(model, simulate(model, {.trials = 1'000, .seed = 3}), Charts::metrics);
  const std::string table = render_table(model, report, {.histograms = true});
  CHECK_THAT(table, Contains("\n  big  at least 0  P(in) 49.5%\n"
                             "  no chart: values too near the largest double (1.8e308) to divide into bins\n"));
  CHECK(count(table, "no chart") == 1);  // `small` is drawn
}

TEST_CASE("the HTML run report is one self-contained page with every chart", "[html]") {
  const Flagship& run = flagship_run();
  const std::string page = render_html_run(run.model, run.report, {"guidance run scenarios/juniper_q4_2012.yaml"});
  CHECK_THAT(page, StartsWith("<!DOCTYPE html>\n<html lang=\"en\">"));
  CHECK(page.ends_with("</html>\n"));
  // Nothing to fetch or run: no scripts, links, imports or URLs but the SVG namespace.
  for (const std::string forbidden : {"<script", "<link", "<img", "<iframe", "@import", "url(", "src=", "href="})
    CHECK(page.find(forbidden) == std::string::npos);
  CHECK(count(page, "http") == count(page, "xmlns=\"http://www.w3.org/2000/svg\""));

  // What reproduces the run.
  for (const std::string fact : {"Juniper Networks Q4 2012 outlook (non-GAAP)", "Outlook published with Q3 2012",
                                 "USD millions (EPS in USD per share)", "<dd>20,000</dd>", "<dd>3</dd>",
                                 "<dd>Monte Carlo</dd>", "<dt>Engine</dt><dd>guidance 0.",
                                 "<pre>guidance run scenarios/juniper_q4_2012.yaml</pre>"})
    CHECK_THAT(page, Contains(fact));

  // Per guidance line a histogram and a CDF; a bar per bin; P(in), P10/P50/P90 on each histogram.
  REQUIRE(run.report.guidance.size() == 4);
  CHECK(count(page, "<svg ") == 8);
  CHECK(count(page, "<rect class=\"bar in\"") + count(page, "<rect class=\"bar out\"") == histogram_bins(run.report));
  CHECK(count(page, "<rect class=\"bar in\"") > 4 * 10);
  CHECK(count(page, "<polyline class=\"cdf\"") == 4);
  CHECK(count(page, "class=\"p-in\"") == 4);
  for (const std::string marker : {"P10 ", "P50 ", "P90 "})  // labelled on the histograms
    CHECK(count(page, "text-anchor=\"start\">" + marker) == 4);
  for (const GuidanceProbability& line : run.report.guidance)
    CHECK_THAT(page, Contains(fmt::format(">P(in) {}</text>", format_probability(line.p_in))));

  // The tables: percents as in the terminal, and the joint probability.
  CHECK_THAT(page, Contains("<td>gross_margin</td><td>64.0"));
  CHECK_THAT(page, Contains("All 4 lines at once: "));
  CHECK_THAT(page, Contains("<th>P99</th>"));
}

TEST_CASE("the HTML run report's fragment is the page's header and sections, styled only inside it", "[html]") {
  const Flagship& run = flagship_run();
  const std::string page = render_html_run(run.model, run.report);
  const std::string fragment = render_html_run(run.model, run.report, {.embedded = true});
  CHECK_THAT(fragment, StartsWith("<div class=\"guidance-report\">\n<style>"));
  CHECK(fragment.ends_with("</div>\n</div>\n"));
  for (const std::string document : {"<!DOCTYPE", "<html", "<head>", "<body", "<footer", "<script"})
    CHECK(fragment.find(document) == std::string::npos);
  // The same header and sections as the page.
  const auto between = [](const std::string& text, std::string_view from, std::string_view to) {
    const std::size_t start = text.find(from);
    return text.substr(start, text.find(to, start) - start);
  };
  CHECK(between(fragment, "<header>", "</main>") == between(page, "<header>", "</main>"));
  CHECK(count(fragment, "<svg ") == 8);

  // Every rule of the stylesheet confined to the report: each selector starts with the scope, the
  // document's own rules apply to the scope itself, the print rules are left out.
  const std::string style = between(fragment, "<style>", "</style>").substr(7);
  CHECK_THAT(style, Contains("\n.guidance-report { margin: 0; color: var(--ink);"));  // body's
  CHECK_THAT(style, Contains(".guidance-report .chart .bar.in { fill: var(--inside); }"));
  CHECK_THAT(style, Contains(".guidance-report .chart .s0, .guidance-report .legend .s0 {"));
  CHECK_THAT(style, Contains("@media (max-width: 600px) {\n.guidance-report .page { padding"));
  CHECK(style.find("@page") == std::string::npos);
  CHECK(style.find("/*") == std::string::npos);
  std::size_t rules = 0;
  for (const std::string& line : lines_of(style)) {
    // A rule's further lines start with spaces.
    if (line.empty() || line.starts_with(" ") || line.starts_with("@media") || line == "}") continue;
    CAPTURE(line);
    CHECK_THAT(line, StartsWith(".guidance-report"));
    ++rules;
  }
  CHECK(rules > 60);
}

TEST_CASE("the user's text is escaped everywhere in the HTML", "[html]") {
  const Model model = build_model(parse_scenario(R"(
name: "<script>alert(1)</script> R&D"
description: "margins \"up\" & <b>down</b>"
units: "<i>USD</i>"
drivers:
  a: {dist: normal, mean: 10, sd: 1}
metrics:
  b: a * 2
guidance:
  b: [18, 22]
)",
                                                 "hostile.yaml"));
  const RunReport report = analyze(model, simulate(model, {.trials = 2000, .seed = 1}));
  const std::string page = render_html_run(model, report, {"guidance run 'a b.yaml' --set 'x=<y>'"});
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("<b>down") == std::string::npos);
  CHECK(page.find("<i>") == std::string::npos);
  CHECK_THAT(page, Contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt; R&amp;D</h1>"));
  CHECK_THAT(page, Contains("margins &quot;up&quot; &amp; &lt;b&gt;down&lt;/b&gt;"));
  CHECK_THAT(page, Contains(">b, &lt;i&gt;USD&lt;/i&gt;</text>"));  // the x axis title
  CHECK_THAT(page, Contains("--set &#39;x=&lt;y&gt;&#39;"));
}

TEST_CASE("the HTML compare report overlays every variant's distribution", "[html]") {
  std::vector<VariantReport> variants;
  for (const auto& [name, overrides] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"base", {}}, {"weak", {"revenue.p10=1080", "revenue.p90=1110"}}}) {
    LoadOptions options;
    options.overrides = overrides;
    Model model = build_model(load_scenario(flagship, options));
    RunReport report = analyze(model, simulate(model, {.trials = 10'000, .seed = 2}));
    variants.push_back({name, std::move(model), std::move(report)});
  }
  const std::string page = render_html_compare(variants, {"guidance compare scenarios/juniper_q4_2012.yaml"});
  CHECK_THAT(page, StartsWith("<!DOCTYPE html>"));
  CHECK(page.find("<script") == std::string::npos);
  // Per guidance line a density overlay and a CDF overlay, one outline per variant in its colour.
  CHECK(count(page, "<svg ") == 8);
  CHECK(count(page, "<polyline class=\"series s0\"") == 8);
  CHECK(count(page, "<polyline class=\"series s1\"") == 8);
  CHECK(count(page, "<span class=\"swatch s1\"></span>weak") == 4);
  CHECK_THAT(page, Contains("<dd>base, weak</dd>"));
  CHECK_THAT(page, Contains("<th>weak</th>"));
}

TEST_CASE("the HTML sweep report charts each line's P(in) against the parameter, a curve per second value", "[html]") {
  const TuningSource source = open_scenario(flagship, {});
  // revenue.p90=1120:1140:10 and revenue.p10=1060,1080, as typed values.
  const Variation p90{"revenue", "p90", {{"1120", 1120}, {"1130", 1130}, {"1140", 1140}}};
  const Variation p10{"revenue", "p10", {{"1060", 1060}, {"1080", 1080}}};
  const Sweep sweep = run_sweep(source, {p90, p10}, {.trials = 2'000, .seed = 5});
  const std::string page = render_html_sweep(sweep, {"guidance sweep scenarios/juniper_q4_2012.yaml"});
  CHECK_THAT(page, StartsWith("<!DOCTYPE html>"));
  CHECK(page.find("<script") == std::string::npos);
  // A chart per guidance line and one of all lines at once; in each a curve per revenue.p10, a dot per point.
  CHECK(count(page, "<svg ") == 4 + 1);
  CHECK(count(page, "<polyline class=\"series s0\"") == 5);
  CHECK(count(page, "<polyline class=\"series s1\"") == 5);
  CHECK(count(page, "<circle class=\"series s1\"") == 5 * 3);
  CHECK_THAT(page, Contains("<span class=\"swatch s1\"></span>revenue.p10 = 1,080</li>"));
  CHECK_THAT(page, Contains("<dd>revenue.p90, revenue.p10</dd>"));
  // The table: a row per point, the parameters then each line's P(in) and all lines'.
  CHECK_THAT(page, Contains("<th>revenue.p90</th><th>revenue.p10</th><th>P(in) revenue</th>"));
  CHECK_THAT(page, Contains(fmt::format("<tr><td>1,130</td><td>1,080</td><td>{}</td>",
                                        format_probability(sweep.points[3].report.guidance[0].p_in))));
  CHECK(count(page, "<tr><td>") == 6);
  CHECK_THAT(render_html_sweep(sweep, {.embedded = true}), StartsWith("<div class=\"guidance-report\">"));
}

TEST_CASE("the HTML sensitivity report draws the tornado and tabulates the other methods", "[html]") {
  const Flagship& run = flagship_run();
  SensitivityReport report;
  report.metric = static_cast<std::size_t>(run.model.find("eps"));
  report.trials = 1000;
  report.seed = 4;
  report.range_low = 0.1;
  report.range_high = 0.9;
  report.inputs = sensitivity_inputs(run.model);
  Tornado tornado;
  tornado.base = 0.205;
  tornado.bars = {{0, {1100}, {1130}, 0.195, 0.215, 0.02}, {2, {535}, {560}, 0.21, 0.2, 0.01},
                  {3, {-10}, {-1}, 0.2, std::nan(""), std::nan("")}};
  report.tornado = tornado;
  RankCorrelations correlation;
  correlation.inputs = {{0, 0.8, 0.7}, {2, -0.4, 0.3}};
  report.correlation = correlation;

  const std::string page = render_html_sensitivity(run.model, report, {});
  CHECK(count(page, "<svg ") == 1);
  // Two finite bars (low and high end each); the third driver's output is not finite: a note instead.
  CHECK(count(page, "<rect class=\"tornado-low\" x") == 1 + 2);  // the legend's swatch and two bars
  CHECK(count(page, "<rect class=\"tornado-high\" x") == 1 + 2);
  CHECK_THAT(page, Contains(">not finite at an end</text>"));
  CHECK_THAT(page, Contains(">base 0.2050</text>"));
  CHECK_THAT(page, Contains("<h2>Rank correlation</h2>"));
  CHECK_THAT(page, Contains("<td>revenue</td><td>+0.800</td><td>70.0%</td>"));
  CHECK_THAT(page, Contains("<dd>eps</dd>"));
}
