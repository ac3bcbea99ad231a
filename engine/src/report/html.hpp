// Pieces of the HTML report shared by the run, sensitivity and compare pages: the page frame and its
// stylesheet, the facts that reproduce a run, tables, and one guidance line's charts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "guidance/report.hpp"
#include "report/charts.hpp"
#include "report/svg.hpp"

namespace guidance::html {

using svg::escape;

/// The top of a page: what it is, the scenario, and the facts that reproduce it.
struct PageHeader {
  std::string kind;  // "Monte Carlo guidance report", shown above the title
  std::string title;
  std::string description;
  std::vector<std::pair<std::string, std::string>> facts;  // label, value (plain text)
  std::string command;                                    // shown under "Reproduce" when not empty
};

/// The facts of a scenario's run: units, trials, seed, sampling, the variant (with `variant`, when it is
/// not the base), the engine's version.
std::vector<std::pair<std::string, std::string>> run_facts(const Model& model, std::uint64_t trials,
                                                           std::uint64_t seed, Sampling sampling, bool variant = true);

/// A whole document: doctype, head with the stylesheet, the header, `content` (HTML), a footer.
std::string page(const PageHeader& header, std::string_view content);

/// The header and `content` in one <div class="guidance-report"> with the stylesheet confined to it: a
/// report inside another page (a notebook's output), without the document, "Reproduce" or footer.
std::string fragment(const PageHeader& header, std::string_view content);

/// What every render_html_* returns: fragment() with options.embedded, else page() with options.command.
std::string report(PageHeader header, std::string_view content, const HtmlOptions& options);

/// A table whose cells are already HTML (escape text first); a cell that starts with "<td" is a whole
/// cell (to give it a class). Columns after the first are numbers, right-aligned. Wrapped so that a
/// narrow window scrolls the table rather than the page.
struct Table {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
  std::string css_class;  // extra class on the <table>
};
std::string table(const Table& table);

/// The guidance lines' ranges and probabilities, and all lines at once.
std::string guidance_table(const Model& model, const RunReport& report);

/// Every variable's mean and reported percentiles.
std::string percentile_table(const Model& model, const RunReport& report);

/// "eps, USD millions (EPS in USD per share)", "gross_margin, percent": a chart's axis title, naming the
/// variable, or `name` (a dimensioned metric for its elements) when given.
std::string axis_title(const Model& model, std::size_t variable, std::string_view name = {});

/// A section with a fan chart for each metric over one dimension (empty when there is none).
std::string fan_charts(const Model& model, const RunReport& report);

/// The histogram and CDF of guidance line `g`, with its P10/P50/P90, as one <section>.
std::string guidance_line_section(const Model& model, const RunReport& report, std::size_t g);

}  // namespace guidance::html
