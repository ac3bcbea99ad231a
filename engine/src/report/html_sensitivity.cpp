// The HTML report of `guidance sensitivity`: the tornado as a chart, every other method as a table.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "guidance/sensitivity.hpp"
#include "report/format.hpp"
#include "report/html.hpp"

namespace guidance {

namespace {

using html::escape;

const std::string& name_of(const Model& model, std::size_t variable) { return model.variables[variable].name; }
std::string percentile_label(double probability) { return fmt::format("P{:g}", probability * 100.0); }
std::string index_text(double value) { return std::isfinite(value) ? fmt::format("{:.3f}", value) : "n/a"; }
std::string index_interval(Interval ci) { return fmt::format("{} to {}", index_text(ci.low), index_text(ci.high)); }
std::string share_interval(Interval ci) {
  return fmt::format("{} to {}", format_probability(ci.low), format_probability(ci.high));
}

std::string section(std::string_view title, std::string_view lede, std::string_view body) {
  return fmt::format("<section>\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n{}</section>\n", escape(title), lede, body);
}

std::string tornado_section(const Model& model, const SensitivityReport& report) {
  const Tornado& tornado = *report.tornado;
  const Variable& metric = model.variables[report.metric];
  double magnitude = std::abs(tornado.base);
  for (const TornadoBar& bar : tornado.bars)
    for (const double output : {bar.output_low, bar.output_high})
      if (std::isfinite(output)) magnitude = std::max(magnitude, std::abs(output));

  charts::TornadoChart chart;
  chart.title = fmt::format("Tornado chart of {}", metric.name);
  chart.axis_title = html::axis_title(model, report.metric);
  chart.format = value_format(metric, magnitude);
  chart.base = {"base", tornado.base};
  chart.low_legend = fmt::format("driver at its {}", percentile_label(report.range_low));
  chart.high_legend = fmt::format("driver at its {}", percentile_label(report.range_high));

  html::Table table{{"Driver", "Input " + percentile_label(report.range_low), "Input " + percentile_label(report.range_high),
                     metric.name + " at low", metric.name + " at high", "Swing"},
                    {}, {}};
  for (const TornadoBar& bar : tornado.bars) {
    const SensitivityInput& driver = report.inputs[bar.input];
    // A group of several elements shows where they were, not each one's value.
    const auto end = [&](const std::vector<double>& values, double probability) {
      if (values.size() > 1) return fmt::format("{} elements at {}", values.size(), percentile_label(probability));
      const ValueFormat input = value_format(model.variables[driver.variables.front()],
                                             std::max(std::abs(bar.low_input.front()), std::abs(bar.high_input.front())));
      return format_with(values.front(), input);
    };
    const std::string low = end(bar.low_input, report.range_low), high = end(bar.high_input, report.range_high);
    chart.rows.push_back({driver.name,
                          driver.variables.size() > 1
                              ? fmt::format("{} elements, {} to {}", driver.variables.size(),
                                            percentile_label(report.range_low), percentile_label(report.range_high))
                              : fmt::format("{} to {}", low, high),
                          bar.output_low, bar.output_high});
    table.rows.push_back({escape(driver.name), escape(low), escape(high), escape(format_with(bar.output_low, chart.format)),
                          escape(format_with(bar.output_high, chart.format)), escape(format_with(bar.swing, chart.format))});
  }
  const std::string lede = fmt::format(
      "{} with one driver at a time at its {} and {}, every other driver at its median (the base case, {}); the "
      "widest bar is the driver that moves {} most.",
      escape(metric.name), percentile_label(report.range_low), percentile_label(report.range_high),
      escape(format_with(tornado.base, chart.format)), escape(metric.name));
  return section("Tornado", lede, "<figure>\n" + charts::tornado_svg(chart) + "</figure>\n" + html::table(table));
}

std::string spider_section(const Model& model, const SensitivityReport& report) {
  const Spider& spider = *report.spider;
  const Variable& metric = model.variables[report.metric];
  double magnitude = 0.0;
  for (const SpiderLine& line : spider.lines)
    for (const SpiderPoint& point : line.points)
      if (std::isfinite(point.output)) magnitude = std::max(magnitude, std::abs(point.output));
  const ValueFormat format = value_format(metric, magnitude);
  html::Table table{{"Driver at"}, {}, {}};
  for (const SpiderLine& line : spider.lines) table.headers.push_back(report.inputs[line.input].name);
  const std::size_t points = spider.lines.empty() ? 0 : spider.lines.front().points.size();
  for (std::size_t k = 0; k < points; ++k) {
    std::vector<std::string>& row = table.rows.emplace_back();
    row.push_back(escape(percentile_label(spider.lines.front().points[k].probability)));
    for (const SpiderLine& line : spider.lines) row.push_back(escape(format_with(line.points[k].output, format)));
  }
  return section("Spider",
                 fmt::format("{} as each driver walks from its {} to its {}, every other driver at its median.",
                             escape(metric.name), percentile_label(report.range_low), percentile_label(report.range_high)),
                 html::table(table));
}

std::string correlation_section(const Model& model, const SensitivityReport& report) {
  std::vector<RankCorrelation> rows = report.correlation->inputs;
  sort_largest_first(rows, [](const RankCorrelation& row) { return std::abs(row.spearman); });
  html::Table table{{"Driver", "Spearman", "Contribution"}, {}, {}};
  for (const RankCorrelation& row : rows)
    table.rows.push_back({escape(report.inputs[row.input].name), format_signed(row.spearman, 3),
                          escape(format_probability(row.contribution))});
  return section("Rank correlation",
                 fmt::format("Spearman rank correlation of each driver with {} over {} trials, and its share of the "
                             "sum of squared rank correlations.",
                             escape(name_of(model, report.metric)),
                             format_with(static_cast<double>(report.trials), {false, 0})),
                 html::table(table));
}

std::string sobol_section(const Model& model, const SensitivityReport& report) {
  const SobolIndices& sobol = *report.sobol;
  std::vector<SobolIndex> rows = sobol.inputs;
  std::ranges::stable_sort(rows, [](const SobolIndex& a, const SobolIndex& b) { return a.total > b.total; });
  html::Table table{{"Driver", "First order", "95% interval", "Total", "95% interval"}, {}, {}};
  for (const SobolIndex& row : rows)
    table.rows.push_back({escape(report.inputs[row.input].name), index_text(row.first), index_interval(row.first_ci),
                          index_text(row.total), index_interval(row.total_ci)});
  return section("Sobol indices",
                 fmt::format("First-order and total Sobol indices of {} ({} base trials, {} evaluations), with 95% "
                             "bootstrap intervals{}.",
                             escape(name_of(model, report.metric)),
                             format_with(static_cast<double>(report.trials), {false, 0}),
                             format_with(static_cast<double>(sobol.design.evaluations), {false, 0}),
                             sobol.correlations_ignored ? "; computed as if the drivers were independent" : ""),
                 html::table(table));
}

std::string shapley_section(const Model& model, const SensitivityReport& report) {
  const ShapleyEffects& shapley = *report.shapley;
  std::vector<ShapleyEffect> rows = shapley.inputs;
  std::ranges::stable_sort(rows, [](const ShapleyEffect& a, const ShapleyEffect& b) { return a.effect > b.effect; });
  html::Table table{{"Driver", "Share of variance", "95% interval"}, {}, {}};
  for (const ShapleyEffect& row : rows)
    table.rows.push_back({escape(report.inputs[row.input].name), escape(format_probability(row.effect)),
                          escape(share_interval(row.ci))});
  return section("Shapley effects",
                 fmt::format("Each driver's share of the variance of {}, correlations included ({} base trials{}, {} "
                             "evaluations), with 95% bootstrap intervals.",
                             escape(name_of(model, report.metric)),
                             format_with(static_cast<double>(report.trials), {false, 0}),
                             shapley.permutations == 0
                                 ? ""
                                 : fmt::format(" in {} random permutations",
                                               format_with(static_cast<double>(shapley.permutations), {false, 0})),
                             format_with(static_cast<double>(shapley.design.evaluations), {false, 0})),
                 html::table(table));
}

std::string regional_section(const Model& model, const SensitivityReport& report) {
  const Regional& regional = *report.regional;
  const std::string& metric = name_of(model, report.metric);
  std::string body;
  if (regional.misses.empty())
    body = fmt::format("<p>{} has no guidance line: there is no range to miss.</p>\n", escape(metric));
  for (const RegionalMiss& miss : regional.misses) {
    const GuidanceRange& line = model.guidance[miss.guidance];
    const bool below = miss.side == MissSide::below;
    const std::string title = fmt::format("{} {} {}", metric, below ? "below" : "above",
                                          format_bound(below ? line.low : line.high, line.percent));
    if (miss.trials == 0) {
      body += fmt::format("<h3>{}: no trial</h3>\n", escape(title));
      continue;
    }
    body += fmt::format("<h3>{}: {} of trials</h3>\n", escape(title), escape(format_probability(miss.probability)));
    html::Table table{{"Driver", "Median shift"}, {}, {}};
    for (const RegionalShift& shift : miss.inputs)
      table.rows.push_back({escape(report.inputs[shift.input].name), fmt::format("{:+.2f} sd", shift.shift_sd)});
    body += html::table(table);
  }
  return section("Regional analysis",
                 fmt::format("In the trials where {} missed a guidance range, how far each driver's median moved from "
                             "its own median, in standard deviations.",
                             escape(metric)),
                 body);
}

}  // namespace

std::string render_html_sensitivity(const Model& model, const SensitivityReport& report, const HtmlOptions& options) {
  std::string content;
  if (!report.correlated.empty() && (report.tornado || report.spider)) {
    std::string names;
    for (const std::size_t input : report.correlated) names += (names.empty() ? "" : ", ") + report.inputs[input].name;
    content += fmt::format("<p class=\"note\">{} are correlated; the tornado and the spider move one driver at a time "
                           "and ignore the correlations (Shapley effects allow for them).</p>\n",
                           escape(names));
  }
  for (const std::string& skipped : sensitivity_skipped(report))
    content += fmt::format("<p class=\"note\">{}</p>\n", escape(skipped));
  for (const std::string& warning : sensitivity_warnings(model, report))
    content += fmt::format("<p class=\"warning\">{}</p>\n", escape(warning));
  if (report.tornado) content += tornado_section(model, report);
  if (report.spider) content += spider_section(model, report);
  if (report.correlation) content += correlation_section(model, report);
  if (report.sobol) content += sobol_section(model, report);
  if (report.shapley) content += shapley_section(model, report);
  if (report.regional) content += regional_section(model, report);

  std::vector<std::pair<std::string, std::string>> facts = {{"Metric", name_of(model, report.metric)}};
  for (auto& fact : html::run_facts(model, report.trials, report.seed, Sampling::monte_carlo))
    facts.push_back(std::move(fact));
  return html::report({"Sensitivity report", model.name, model.description, std::move(facts), {}}, content, options);
}

}  // namespace guidance
