// The HTML report of a sweep (docs/output-format.md, "report"): P(in) against the varied parameter,
// and every point's probabilities.
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "guidance/tuning.hpp"
#include "report/charts.hpp"
#include "report/format.hpp"
#include "report/html.hpp"

namespace guidance {

namespace {

using html::escape;

/// P(in) of guidance line `line` at a point; the joint P(in) when `line` is past the last line.
double p_in(const SweepPoint& point, std::size_t line) {
  return line < point.report.guidance.size() ? point.report.guidance[line].p_in : point.report.joint_p_in;
}

/// A chart of one line's P(in) (or all lines', see p_in) against the first variation, a curve per value
/// of the second (the points run through the first variation outermost).
std::string probability_figure(const Sweep& sweep, std::size_t line, std::string title) {
  const Variation& across = sweep.vary.front();
  const std::size_t curves = sweep.vary.size() > 1 ? sweep.vary[1].values.size() : 1;
  charts::ProbabilityChart chart{std::move(title), across.name(), {across.percent, 0}, {}};
  for (std::size_t c = 0; c < curves; ++c) {
    charts::ProbabilitySeries& series = chart.series.emplace_back();
    series.colour = c;
    for (std::size_t at = c; at < sweep.points.size(); at += curves)
      series.points.emplace_back(sweep.points[at].values[0], p_in(sweep.points[at], line));
  }
  return "<figure>\n" + charts::probability_lines_svg(chart) + "</figure>\n";
}

/// The second variation's values, each in its curve's colour.
std::string legend(const Sweep& sweep) {
  if (sweep.vary.size() < 2) return "";
  const Variation& curves = sweep.vary[1];
  std::string out = "<ul class=\"legend\">\n";
  for (std::size_t c = 0; c < curves.values.size(); ++c)
    out += fmt::format("<li><span class=\"swatch s{}\"></span>{} = {}</li>\n", c % charts::series_colours,
                       escape(curves.name()), escape(format_bound(sweep.points[c].values[1], curves.percent)));
  return out + "</ul>\n";
}

/// A row per point: the parameters' values, each line's P(in), and all lines at once.
std::string points_table(const Sweep& sweep) {
  const Model& first = sweep.points.front().model;
  html::Table table;
  for (const Variation& variation : sweep.vary) table.headers.push_back(variation.name());
  for (const GuidanceRange& line : first.guidance) table.headers.push_back("P(in) " + line.name);
  if (first.guidance.size() > 1) table.headers.emplace_back("All lines");
  for (const SweepPoint& point : sweep.points) {
    std::vector<std::string>& row = table.rows.emplace_back();
    for (std::size_t k = 0; k < sweep.vary.size(); ++k)
      row.push_back(escape(format_bound(point.values[k], sweep.vary[k].percent)));
    for (const GuidanceProbability& line : point.report.guidance) row.push_back(escape(format_probability(line.p_in)));
    if (point.report.guidance.size() > 1) row.push_back(escape(format_probability(point.report.joint_p_in)));
  }
  return html::table(table);
}

}  // namespace

std::string render_html_sweep(const Sweep& sweep, const HtmlOptions& options) {
  if (sweep.points.empty()) return html::report({"Parameter sweep", "No points", "", {}, {}}, "", options);
  const SweepPoint& first = sweep.points.front();
  std::string varied;
  for (const Variation& variation : sweep.vary) varied += (varied.empty() ? "" : ", ") + variation.name();

  std::string content;
  if (!first.model.guidance.empty()) {
    content += fmt::format("<section>\n<h2>Guidance by {}</h2>\n<p class=\"note\">P(in) of each guidance line at "
                           "each value. Every point runs the same trials (common random numbers), so the curves move "
                           "with the parameter, not with noise.</p>\n",
                           escape(sweep.vary.front().name()));
    content += legend(sweep);
    for (std::size_t line = 0; line < first.model.guidance.size(); ++line) {
      const GuidanceRange& range = first.model.guidance[line];
      content += fmt::format("<h3>{} <span class=\"range\">guidance {}</span></h3>\n", escape(range.name),
                             escape(format_range(range)));
      content += probability_figure(sweep, line, fmt::format("P(in) of {} by {}", range.name, varied));
    }
    if (first.model.guidance.size() > 1) {
      content += "<h3>All lines at once</h3>\n";
      content += probability_figure(sweep, first.model.guidance.size(), fmt::format("P(all lines in) by {}", varied));
    }
    content += "</section>\n";
  } else {
    content += "<p class=\"note\">The scenario has no guidance lines; add a <code>guidance:</code> section to chart "
               "the probability of each range.</p>\n";
  }
  content += "<section>\n<h2>Points</h2>\n" + points_table(sweep) + "</section>\n";

  std::vector<std::pair<std::string, std::string>> facts = {{"Varied", varied}};
  for (auto& fact : html::run_facts(first.model, first.report.trials, first.report.seed, first.report.sampling))
    facts.push_back(std::move(fact));
  return html::report({"Parameter sweep", first.model.name, first.model.description, std::move(facts), {}}, content,
                      options);
}

}  // namespace guidance
