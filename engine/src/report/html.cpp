// The HTML report of a run, and the page frame, stylesheet and tables every report page shares.
// Rendering only: every number comes from the RunReport (its histograms included).
#include "report/html.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/format.hpp"

namespace guidance::html {

namespace {

// One stylesheet for screen and print. Charts are SVG scaled to the column's width (at most 900 px);
// in a narrow window their text is set larger in chart units, so that it stays readable.
constexpr std::string_view stylesheet = R"css(
:root { --ink: #1a202c; --muted: #4a5568; --faint: #718096; --rule: #e2e8f0; --panel: #f7fafc;
        --accent: #2b6cb0; --inside: #3182ce; --outside: #a0aec0; --warn: #c05621; --bad: #c53030; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.45;
       font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
.page { max-width: 960px; margin: 0 auto; padding: 28px 24px 40px; }
.kind { margin: 0; color: var(--accent); font-size: 12px; font-weight: 700; letter-spacing: .08em; text-transform: uppercase; }
h1 { margin: 4px 0 6px; font-size: 28px; line-height: 1.2; }
h2 { margin: 36px 0 12px; padding-bottom: 6px; font-size: 20px; border-bottom: 2px solid var(--ink); }
h3 { margin: 0; font-size: 17px; }
.description { margin: 0 0 14px; color: var(--muted); font-size: 16px; }
.facts { display: flex; flex-wrap: wrap; gap: 6px 24px; margin: 0; padding: 12px 16px; background: var(--panel);
         border: 1px solid var(--rule); border-radius: 6px; }
.facts div { min-width: 0; }
.facts dt { color: var(--faint); font-size: 11px; font-weight: 600; letter-spacing: .04em; text-transform: uppercase; }
.facts dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin-top: 22px; }
.tile { padding: 12px 14px; border: 1px solid var(--rule); border-top: 4px solid var(--inside); border-radius: 6px; }
.tile.joint { border-top-color: var(--ink); background: var(--panel); }
.tile-name { font-size: 14px; font-weight: 700; overflow-wrap: break-word; }
.tile-value { font-size: 30px; font-weight: 700; line-height: 1.15; font-variant-numeric: tabular-nums; }
.tile-sub { color: var(--muted); font-size: 13px; }
.unlikely .tile-value, td.unlikely { color: var(--bad); }
.table-wrap { overflow-x: auto; margin: 8px 0; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: 14px; }
th, td { padding: 6px 10px; text-align: right; white-space: nowrap; border-bottom: 1px solid var(--rule); }
th:first-child, td:first-child { text-align: left; }
th { color: var(--muted); font-size: 12px; font-weight: 700; letter-spacing: .03em; border-bottom: 2px solid var(--ink); }
tr.group td { padding-top: 14px; color: var(--faint); font-size: 12px; font-weight: 700; text-transform: uppercase;
              letter-spacing: .05em; }
tr.total td { font-weight: 700; border-top: 2px solid var(--ink); }
td.text { text-align: left; }
table.dense { font-size: 13px; }
table.dense th, table.dense td { padding: 5px 6px; }
.muted { color: var(--faint); }
.line { margin: 18px 0 28px; padding: 16px 18px 10px; border: 1px solid var(--rule); border-radius: 8px;
        break-inside: avoid; page-break-inside: avoid; }
.line-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 18px; margin-bottom: 6px; }
.line-head .range { color: var(--muted); }
.line-head .p { margin-left: auto; font-size: 15px; }
.line-head .p strong { font-size: 20px; }
figure { margin: 8px 0 0; }
figcaption { color: var(--muted); font-size: 13px; margin: 2px 0 0 8px; }
svg.chart { display: block; width: 100%; max-width: 900px; height: auto; overflow: visible; }
.chart text { font-size: 13px; fill: #2d3748; }
.chart .tick { font-size: 12px; fill: var(--muted); }
.chart .axis-title { font-size: 13px; fill: var(--muted); }
.chart .axis { stroke: var(--muted); stroke-width: 1; }
.chart .grid { stroke: var(--rule); stroke-width: 1; }
.chart .range { fill: var(--inside); fill-opacity: .11; }
.chart .range-edge { stroke: var(--accent); stroke-width: 1.5; stroke-dasharray: 5 3; }
.chart .bar.in { fill: var(--inside); }
.chart .bar.out { fill: var(--outside); }
.chart .marker { stroke: var(--ink); stroke-width: 1.2; stroke-dasharray: 4 4; }
.chart .marker-label, .chart .cdf-label, .chart .bar-value { paint-order: stroke; stroke: #fff; stroke-width: 4px;
        stroke-linejoin: round; }
.chart .marker-label { font-size: 12px; font-weight: 600; }
.chart .p-in { font-size: 16px; font-weight: 700; fill: #1a365d; }
.chart .p-side { font-size: 13px; fill: var(--muted); }
.chart .cdf { fill: none; stroke: #2c5282; stroke-width: 2.5; stroke-linejoin: round; }
.chart .cdf-dot { fill: #fff; stroke: #2c5282; stroke-width: 2; }
.chart .fan-outer { fill: #bee3f8; stroke: none; }
.chart .fan-inner { fill: #63b3ed; stroke: none; }
.chart .fan-median { fill: none; stroke: #2c5282; stroke-width: 2.5; stroke-linejoin: round; }
.chart .fan-fixed { fill: #2c5282; stroke: #fff; stroke-width: 1.5; }
.chart .fan-range { fill: none; stroke: #dd6b20; stroke-width: 2.5; }
.chart .cdf-label { font-size: 13px; font-weight: 700; }
.chart .tornado-low { fill: #dd6b20; }
.chart .tornado-high { fill: var(--inside); }
.chart .base { stroke: var(--ink); stroke-width: 1.5; }
.chart .tornado-label { font-weight: 700; }
.chart .tornado-inputs { font-size: 11px; fill: var(--faint); }
.chart .bar-value { font-size: 12px; }
.chart .legend { font-size: 13px; }
.chart .series { fill: none; stroke-width: 2.4; stroke-linejoin: round; }
.chart .s0, .legend .s0 { stroke: #3182ce; background: #3182ce; }
.chart .s1, .legend .s1 { stroke: #dd6b20; background: #dd6b20; }
.chart .s2, .legend .s2 { stroke: #38a169; background: #38a169; }
.chart .s3, .legend .s3 { stroke: #805ad5; background: #805ad5; }
.chart .s4, .legend .s4 { stroke: #d53f8c; background: #d53f8c; }
.chart .s5, .legend .s5 { stroke: #319795; background: #319795; }
.chart .s6, .legend .s6 { stroke: #b7791f; background: #b7791f; }
.chart .s7, .legend .s7 { stroke: #1a202c; background: #1a202c; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 4px 0; padding: 0; list-style: none; font-size: 14px; }
.legend .swatch { display: inline-block; width: 22px; height: 4px; margin-right: 6px; vertical-align: middle;
                  border-radius: 2px; }
.note { color: var(--muted); font-size: 13px; }
.warning { padding: 10px 14px; border-left: 4px solid var(--warn); background: #fffaf0; }
pre { margin: 6px 0; padding: 10px 12px; background: var(--panel); border: 1px solid var(--rule); border-radius: 6px;
      white-space: pre-wrap; overflow-wrap: anywhere; font-size: 13px; }
footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--rule); color: var(--faint); font-size: 12px; }
@media (max-width: 600px) {
  .page { padding: 16px 12px 28px; }
  h1 { font-size: 23px; }
  .tile-value { font-size: 24px; }
  .line { padding: 12px 8px 6px; }
  .line-head .p { margin-left: 0; }
  /* The charts shrink to about half their size: larger text (in chart units) keeps it readable. */
  .chart text { font-size: 20px; }
  .chart .tick, .chart .axis-title, .chart .p-side, .chart .cdf-label, .chart .legend, .chart .tornado-inputs,
  .chart .bar-value { font-size: 18px; }
  .chart .marker-label { font-size: 17px; }
  .chart .p-in { font-size: 22px; }
}
@media print {
  @page { margin: 14mm 12mm; }
  body { font-size: 10.5pt; }
  .page { max-width: none; padding: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .tiles, .facts, table, .line, figure { break-inside: avoid; page-break-inside: avoid; }
  .table-wrap { overflow: visible; }
  table.dense { font-size: 8pt; }
  a { color: inherit; text-decoration: none; }
}
)css";

std::string fact_list(const std::vector<std::pair<std::string, std::string>>& facts) {
  std::string out = "<dl class=\"facts\">\n";
  for (const auto& [label, value] : facts)
    out += fmt::format("<div><dt>{}</dt><dd>{}</dd></div>\n", escape(label), escape(value));
  return out + "</dl>\n";
}

/// The page's <header>: kind, title, description and facts.
std::string header_html(const PageHeader& header) {
  std::string out = fmt::format("<header>\n<p class=\"kind\">{}</p>\n<h1>{}</h1>\n", escape(header.kind),
                                escape(header.title));
  if (!header.description.empty()) out += fmt::format("<p class=\"description\">{}</p>\n", escape(header.description));
  return out + fact_list(header.facts) + "</header>\n";
}

/// `css` with every rule confined to elements inside `scope` (a selector), so that a page embedding the
/// report (a notebook) keeps its own look: the document's own rules (`:root`, `html`, `body`) apply to
/// `scope` itself, and `@page` (a whole page's margins) is dropped.
std::string scoped_css(std::string_view css, std::string_view scope) {
  std::string out;
  std::size_t at = 0;
  while (true) {
    const std::size_t open = css.find('{', at);
    if (open == std::string_view::npos) return out;
    std::string_view selectors = css.substr(at, open - at);
    // A comment before a rule is dropped with it.
    if (const std::size_t comment = selectors.rfind("*/"); comment != std::string_view::npos)
      selectors.remove_prefix(comment + 2);
    const std::size_t first = selectors.find_first_not_of(" \n");
    selectors.remove_prefix(std::min(first, selectors.size()));
    if (selectors.starts_with("@media")) {  // a block of rules: scope each of them
      const std::size_t close = css.find("\n}", open);
      out += fmt::format("{}{{\n{}}}\n", selectors, scoped_css(css.substr(open + 1, close - open - 1), scope));
      at = close + 2;
      continue;
    }
    const std::size_t close = css.find('}', open);
    const std::string_view body = css.substr(open, close + 1 - open);
    at = close + 1;
    if (selectors.starts_with("@page")) continue;
    std::vector<std::string> scoped;
    for (std::size_t start = 0; start < selectors.size();) {
      const std::size_t comma = std::min(selectors.find(',', start), selectors.size());
      std::string_view selector = selectors.substr(start, comma - start);
      start = comma + 1;
      selector.remove_prefix(std::min(selector.find_first_not_of(" \n"), selector.size()));
      while (!selector.empty() && (selector.back() == ' ' || selector.back() == '\n')) selector.remove_suffix(1);
      const bool document = selector == ":root" || selector == "html" || selector == "body";
      scoped.push_back(document ? std::string(scope) : fmt::format("{} {}", scope, selector));
    }
    out += fmt::format("{} {}\n", fmt::join(scoped, ", "), body);
  }
}

std::string probability_cell(double p) {
  return fmt::format("<td{}>{}</td>", p < 0.5 ? " class=\"unlikely\"" : "", escape(format_probability(p)));
}

std::string interval_text(Interval ci) {
  return fmt::format("{} to {}", format_probability(ci.low), format_probability(ci.high));
}

std::string tile(std::string_view name, double p, std::string_view detail, std::string_view css_class) {
  return fmt::format("<div class=\"tile {}{}\"><div class=\"tile-name\">{}</div><div class=\"tile-value\">{}</div>"
                     "<div class=\"tile-sub\">{}</div></div>\n",
                     css_class, p < 0.5 ? " unlikely" : "", escape(name), escape(format_probability(p)), escape(detail));
}

/// P(in) of each line at a glance, then all of them at once.
std::string guidance_tiles(const Model& model, const RunReport& report) {
  std::string out = "<div class=\"tiles\">\n";
  for (std::size_t g = 0; g < report.guidance.size(); ++g)
    out += tile(report.guidance[g].name, report.guidance[g].p_in, format_range(model.guidance[g]), "line-tile");
  if (report.guidance.size() > 1)
    out += tile(fmt::format("All {} at once", report.guidance.size()), report.joint_p_in,
                "every line in the same trial", "joint");
  return out + "</div>\n";
}

std::string nonfinite_warnings(const Model& model, const RunReport& report) {
  std::string out;
  for (std::size_t v = 0; v < model.variables.size(); ++v) {
    const std::uint64_t nonfinite = report.variables[v].nonfinite;
    if (nonfinite == 0) continue;
    out += fmt::format("<p class=\"warning\"><strong>{}</strong> is not a finite number in {} of {} trials (a "
                       "division by zero?); those trials are left out of its statistics and counted outside its "
                       "guidance.</p>\n",
                       escape(model.variables[v].name), nonfinite, report.trials);
  }
  return out;
}

std::string actuals_section(const Model& model, const RunReport& report) {
  if (report.actuals.empty()) return {};
  Table actuals{{"Actual", "Reported", "Where it fell"}, {}, {}};
  for (const ActualRank& actual : report.actuals) {
    const auto v = static_cast<std::size_t>(model.find(actual.name));
    actuals.rows.push_back({escape(actual.name), escape(format_variable_value(actual.value, model.variables[v])),
                            escape(format_actual_rank(actual))});
  }
  return "<section>\n<h2>Actuals</h2>\n" + table(actuals) + "</section>\n";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> run_facts(const Model& model, std::uint64_t trials,
                                                           std::uint64_t seed, Sampling sampling, bool variant) {
  std::vector<std::pair<std::string, std::string>> facts;
  if (!model.units.empty()) facts.emplace_back("Units", model.units);
  facts.emplace_back("Trials", format_with(static_cast<double>(trials), {false, 0}));
  facts.emplace_back("Seed", std::to_string(seed));
  facts.emplace_back("Sampling", std::string(sampling_name(sampling)));
  if (variant && model.variant != "base") facts.emplace_back("Scenario", model.variant);
  facts.emplace_back("Engine", "guidance " GUIDANCE_VERSION);
  return facts;
}

std::string page(const PageHeader& header, std::string_view content) {
  std::string out = fmt::format(R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="guidance {}">
<title>{} | {}</title>
<style>{}</style>
</head>
<body>
<div class="page">
)",
                                GUIDANCE_VERSION, escape(header.title), escape(header.kind), stylesheet);
  out += header_html(header);
  out += "<main>\n";
  out += content;
  if (!header.command.empty())
    out += fmt::format("<section>\n<h2>Reproduce</h2>\n<p class=\"note\">The same command, scenario file and "
                       "engine version give the same numbers on any machine and number of threads.</p>\n"
                       "<pre>{}</pre>\n</section>\n",
                       escape(header.command));
  out += "</main>\n<footer>Made by guidance " GUIDANCE_VERSION
         ". Probabilities are shares of the simulated trials; intervals are 95% (Wilson for probabilities, "
         "distribution-free for percentiles).</footer>\n</div>\n</body>\n</html>\n";
  return out;
}

std::string fragment(const PageHeader& header, std::string_view content) {
  static const std::string scoped = scoped_css(stylesheet, ".guidance-report");
  return fmt::format("<div class=\"guidance-report\">\n<style>{}</style>\n<div class=\"page\">\n{}<main>\n{}</main>\n"
                     "</div>\n</div>\n",
                     scoped, header_html(header), content);
}

std::string report(PageHeader header, std::string_view content, const HtmlOptions& options) {
  if (options.embedded) return fragment(header, content);
  header.command = options.command;
  return page(header, content);
}

std::string table(const Table& table) {
  std::string out = fmt::format("<div class=\"table-wrap\"><table{}>\n<thead><tr>",
                                table.css_class.empty() ? "" : fmt::format(" class=\"{}\"", table.css_class));
  for (const std::string& header : table.headers) out += fmt::format("<th>{}</th>", escape(header));
  out += "</tr></thead>\n<tbody>\n";
  for (const std::vector<std::string>& row : table.rows) {
    out += "<tr>";
    for (const std::string& cell : row) out += cell.starts_with("<td") ? cell : fmt::format("<td>{}</td>", cell);
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table></div>\n";
}

std::string guidance_table(const Model& model, const RunReport& report) {
  Table lines{{"Guidance line", "Range", "P(in)", "95% interval", "P(below)", "P(above)"}, {}, {}};
  for (std::size_t g = 0; g < report.guidance.size(); ++g) {
    const GuidanceProbability& p = report.guidance[g];
    lines.rows.push_back({escape(p.name), escape(format_range(model.guidance[g])), probability_cell(p.p_in),
                          escape(interval_text(p.p_in_ci)), escape(format_probability(p.p_below)),
                          escape(format_probability(p.p_above))});
  }
  std::string out = table(lines);
  if (report.guidance.size() > 1)
    out += fmt::format("<p><strong>All {} lines at once: {}</strong> (95% interval {}), the share of trials in "
                       "which every guidance line holds together; the lines are not independent, so this is not "
                       "the product of their probabilities.</p>\n",
                       report.guidance.size(), escape(format_probability(report.joint_p_in)),
                       escape(interval_text(report.joint_p_in_ci)));
  return out;
}

std::string percentile_table(const Model& model, const RunReport& report) {
  std::string out = "<div class=\"table-wrap\"><table class=\"dense\">\n<thead><tr><th>Variable</th><th>Mean</th>";
  for (const double p : reported_percentiles) out += fmt::format("<th>P{:g}</th>", p);
  out += "</tr></thead>\n<tbody>\n";
  const std::size_t columns = reported_percentiles.size() + 2;
  for (const VariableKind kind : {VariableKind::driver, VariableKind::metric}) {
    out += fmt::format("<tr class=\"group\"><td colspan=\"{}\">{}</td></tr>\n", columns,
                       kind == VariableKind::driver ? "Drivers" : "Metrics");
    for (std::size_t v = 0; v < model.variables.size(); ++v) {
      const Variable& variable = model.variables[v];
      if (variable.kind != kind) continue;
      const Summary& summary = report.variables[v];
      const ValueFormat format = variable_format(variable, summary);
      if (const IndicatorProbability* indicator = find_indicator(report, v)) {  // a probability, not percentiles
        out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"text muted\" colspan=\"{}\">95% interval {}</td></tr>\n",
                           escape(variable.name), escape(format_indicator(*indicator)), reported_percentiles.size(),
                           escape(interval_text(indicator->p_ci)));
        continue;
      }
      out += fmt::format("<tr><td>{}</td><td>{}</td>", escape(variable.name), escape(format_with(summary.mean, format)));
      if (!variable.stochastic)
        out += fmt::format("<td class=\"text muted\" colspan=\"{}\">constant</td>", reported_percentiles.size());
      else
        for (const double value : summary.percentiles) out += fmt::format("<td>{}</td>", escape(format_with(value, format)));
      out += "</tr>\n";
    }
  }
  return out + "</tbody>\n</table></div>\n";
}

std::string axis_title(const Model& model, std::size_t variable, std::string_view name) {
  const Variable& v = model.variables[variable];
  if (name.empty()) name = v.name;
  if (v.percent) return fmt::format("{}, percent", name);
  return model.units.empty() ? std::string(name) : fmt::format("{}, {}", name, model.units);
}

std::string guidance_line_section(const Model& model, const RunReport& report, std::size_t g) {
  const GuidanceProbability& probability = report.guidance[g];
  const GuidanceRange& line = model.guidance[g];
  const Variable& variable = model.variables[probability.variable];
  const Summary& summary = report.variables[probability.variable];
  const ValueFormat format = variable_format(variable, summary);

  std::string out = fmt::format(
      "<section class=\"line\" id=\"line-{}\">\n<div class=\"line-head\"><h3>{}</h3><span class=\"range\">guidance "
      "{}</span><span class=\"p\">P(in) <strong>{}</strong> <span class=\"muted\">(95% interval {})</span></span></div>\n",
      g, escape(probability.name), escape(format_range(line)), escape(format_probability(probability.p_in)),
      escape(interval_text(probability.p_in_ci)));

  const Histogram& histogram = probability.histogram;
  if (histogram.counts.empty()) {
    out += fmt::format("<p class=\"note\">{}</p>\n</section>\n",
                       variable.stochastic ? "No trial gave a finite value: there is nothing to chart."
                                           : fmt::format("A constant: {} in every trial.",
                                                         escape(format_with(variable.constant_value, format))));
    return out;
  }

  charts::DistributionChart chart;
  chart.title = fmt::format("Distribution of {}", probability.name);
  chart.axis_title = axis_title(model, probability.variable);
  chart.format = format;
  chart.histogram = &histogram;
  chart.cdf = &probability.cdf;
  chart.range_low = line.low;
  chart.range_high = line.high;
  chart.p_below = probability.p_below;
  chart.p_in = probability.p_in;
  chart.p_above = probability.p_above;
  for (const std::size_t p : {2, 4, 6})  // P10, P50, P90
    chart.markers.push_back({fmt::format("P{:g}", reported_percentiles[p]), summary.percentiles[p]});

  out += "<figure>\n" + charts::histogram_svg(chart);
  out += fmt::format("<figcaption>Histogram: the share of trials in each bar of width {}; blue bars lie inside the "
                     "guidance range, P10, P50 and P90 are dashed.</figcaption>\n</figure>\n",
                     escape(format_with(histogram.bins.width, finer(format))));
  chart.title = fmt::format("Cumulative distribution of {}", probability.name);
  out += "<figure>\n" + charts::cdf_svg(chart);
  out += "<figcaption>Cumulative distribution: the share of trials at or below each value; the dots mark the "
         "guidance range's bounds.</figcaption>\n</figure>\n";

  const double beyond = static_cast<double>(histogram.below + histogram.above) / static_cast<double>(report.trials);
  std::string note = fmt::format("P10 <strong>{}</strong> · P50 <strong>{}</strong> · P90 <strong>{}</strong> · mean "
                                 "<strong>{}</strong>. ",
                                 escape(format_with(summary.percentiles[2], format)),
                                 escape(format_with(summary.percentiles[4], format)),
                                 escape(format_with(summary.percentiles[6], format)),
                                 escape(format_with(summary.mean, format)));
  if (histogram.below + histogram.above > 0)
    note += fmt::format("The charts span {} to {}; {} of trials lie beyond them. ",
                        escape(format_with(histogram.bins.low, format)), escape(format_with(histogram.bins.high(), format)),
                        escape(format_probability(beyond)));
  if (probability.nonfinite > 0)
    note += fmt::format("{} trials gave no finite value and count as outside the range.", probability.nonfinite);
  return out + fmt::format("<p class=\"note\">{}</p>\n</section>\n", note);
}

std::string fan_charts(const Model& model, const RunReport& report) {
  // Most charts drawn for one metric: a metric over segment x quarter has one per segment.
  constexpr std::size_t max_charts = 24;
  std::string out;
  for (const ArrayRange& array : model.arrays) {
    // A driver's spread is its distribution, shown in the percentile table.
    if (model.variables[array.first].kind != VariableKind::metric) continue;
    const std::size_t along = time_axis(array.shape);
    const Dimension& dimension = model.dimensions[array.shape[along].dimension];
    std::vector<charts::FanChart> charts(element_count(array.shape) / array.shape[along].count);
    std::vector<std::string> names(charts.size());  // revenue[routing]
    // Row-major order visits each chart's elements in the order of the axis it spreads along.
    for (std::size_t i = 0; i < element_count(array.shape); ++i) {
      const std::vector<std::size_t> at = element_coordinates(array.shape, i);
      std::size_t c = 0;
      std::vector<std::string_view> others;
      for (std::size_t k = 0; k < array.shape.size(); ++k) {
        if (k == along) continue;
        c = c * array.shape[k].count + at[k];
        others.push_back(model.dimensions[array.shape[k].dimension].elements[array.shape[k].first + at[k]]);
      }
      if (c >= max_charts) continue;
      charts::FanChart& chart = charts[c];
      const std::size_t v = array.first + i;
      if (chart.points.empty()) {
        names[c] = others.empty() ? array.name : fmt::format("{}[{}]", array.name, fmt::join(others, ","));
        chart.title = fmt::format("{} over {}", names[c], dimension.name);
        chart.axis_title = axis_title(model, array.first, names[c]);
        chart.dimension = dimension.name;
        chart.format = variable_format(model.variables[array.first], report.variables[array.first]);
      }
      const Variable& variable = model.variables[v];
      const Summary& summary = report.variables[v];
      charts::FanPoint point{dimension.elements[array.shape[along].first + at[along]]};
      point.fixed = !variable.stochastic;
      const auto value = [&](std::size_t p) { return point.fixed ? variable.constant_value : summary.percentiles[p]; };
      point.p5 = value(1), point.p25 = value(3), point.p50 = value(4), point.p75 = value(5), point.p95 = value(7);
      for (const GuidanceRange& line : model.guidance)
        if (line.variable == v) point.guided = true, point.range_low = line.low, point.range_high = line.high;
      chart.points.push_back(std::move(point));
    }
    for (std::size_t c = 0; c < std::min(max_charts, charts.size()); ++c) {
      out += fmt::format("<figure>\n{}<figcaption>{} by {}: the P5 to P95 band (light), P25 to P75 (dark) and the "
                         "median; dots are values given or constant, boxes guidance ranges.</figcaption>\n</figure>\n",
                         charts::fan_svg(charts[c]), escape(names[c]), escape(dimension.name));
    }
    if (charts.size() > max_charts)
      out += fmt::format("<p class=\"note\">{} has {} charts over {}; the first {} are shown.</p>\n", escape(array.name),
                         charts.size(), escape(dimension.name), max_charts);
  }
  if (out.empty()) return out;
  return "<section>\n<h2>Over dimensions</h2>\n" + out + "</section>\n";
}

}  // namespace guidance::html

namespace guidance {

namespace {

/// The run report's sections, between its header and its footer.
std::string run_content(const Model& model, const RunReport& report) {
  using namespace html;
  std::string content;
  if (!report.guidance.empty()) {
    content += guidance_tiles(model, report);
    content += "<section>\n<h2>Guidance</h2>\n" + guidance_table(model, report) + "</section>\n";
    content += "<section>\n<h2>Distributions</h2>\n<p class=\"note\">For each guidance line, the simulated "
               "distribution of its value with the published range shaded.</p>\n";
    for (std::size_t g = 0; g < report.guidance.size(); ++g) content += guidance_line_section(model, report, g);
    content += "</section>\n";
  } else {
    content += "<p class=\"note\">The scenario has no guidance lines; add a <code>guidance:</code> section to chart "
               "the probability of each range.</p>\n";
  }
  content += fan_charts(model, report);
  content += nonfinite_warnings(model, report);
  content += "<section>\n<h2>Percentiles</h2>\n" + percentile_table(model, report) + "</section>\n";
  content += actuals_section(model, report);
  return content;
}

}  // namespace

std::string render_html_run(const Model& model, const RunReport& report, const HtmlOptions& options) {
  return html::report({"Monte Carlo guidance report", model.name, model.description,
                       html::run_facts(model, report.trials, report.seed, report.sampling), {}},
                      run_content(model, report), options);
}

}  // namespace guidance
