// The HTML report of `guidance compare`: P(in) of every variant side by side, each guidance line's
// distributions overlaid, and the variants' percentiles.
#include <algorithm>

#include <fmt/format.h>

#include "guidance/tuning.hpp"
#include "report/format.hpp"
#include "report/html.hpp"

namespace guidance {

namespace {

using html::escape;

/// Guidance line `name` in one variant, or null when the variant has no such line.
const GuidanceProbability* find_line(const VariantReport& variant, const std::string& name, const GuidanceRange** range) {
  for (std::size_t g = 0; g < variant.model.guidance.size(); ++g)
    if (variant.model.guidance[g].name == name) {
      if (range) *range = &variant.model.guidance[g];
      return &variant.report.guidance[g];
    }
  return nullptr;
}

/// Every guidance line's name, in the order the variants first list them.
std::vector<std::string> line_names(const std::vector<VariantReport>& variants) {
  std::vector<std::string> names;
  for (const VariantReport& variant : variants)
    for (const GuidanceRange& line : variant.model.guidance)
      if (std::find(names.begin(), names.end(), line.name) == names.end()) names.push_back(line.name);
  return names;
}

std::string probability_table(const std::vector<VariantReport>& variants, const std::vector<std::string>& names) {
  html::Table table{{"Guidance line", "Range"}, {}, {}};
  for (const VariantReport& variant : variants) table.headers.push_back(variant.variant);
  std::vector<std::string> notes;
  for (const std::string& name : names) {
    std::vector<std::string> row = {escape(name), ""};
    for (const VariantReport& variant : variants) {
      const GuidanceRange* range = nullptr;
      const GuidanceProbability* line = find_line(variant, name, &range);
      if (!line) {
        row.push_back("-");
        continue;
      }
      const std::string text = format_range(*range);
      if (row[1].empty()) row[1] = escape(text);
      else if (escape(text) != row[1]) notes.push_back(fmt::format("in {}, {} is {}", variant.variant, name, text));
      row.push_back(fmt::format("<td{}>{}</td>", line->p_in < 0.5 ? " class=\"unlikely\"" : "",
                                escape(format_probability(line->p_in))));
    }
    table.rows.push_back(std::move(row));
  }
  if (names.size() > 1) {
    std::vector<std::string> row = {"<td><strong>All at once</strong></td>", ""};
    for (const VariantReport& variant : variants)
      row.push_back(fmt::format("<td><strong>{}</strong></td>", escape(format_probability(variant.report.joint_p_in))));
    table.rows.push_back(std::move(row));
  }
  std::string out = html::table(table);
  for (const std::string& note : notes) out += fmt::format("<p class=\"note\">{}.</p>\n", escape(note));
  return out;
}

std::string overlay_section(const std::vector<VariantReport>& variants, const std::string& name) {
  charts::OverlayChart chart;
  std::string legend = "<ul class=\"legend\">\n";
  const VariantReport* first = nullptr;
  const GuidanceRange* first_range = nullptr;
  for (std::size_t i = 0; i < variants.size(); ++i) {
    const GuidanceRange* range = nullptr;
    const GuidanceProbability* line = find_line(variants[i], name, &range);
    if (!line) continue;
    if (!first) first = &variants[i], first_range = range;
    // The colour follows the variant's place in the comparison, whatever the line.
    legend += fmt::format("<li><span class=\"swatch s{}\"></span>{} <span class=\"muted\">P(in) {}</span></li>\n",
                          i % charts::series_colours, escape(variants[i].variant), escape(format_probability(line->p_in)));
    if (line->histogram.counts.empty()) continue;
    chart.series.push_back({variants[i].variant, i, &line->histogram, &line->cdf});
  }
  legend += "</ul>\n";
  std::string out = fmt::format("<section class=\"line\">\n<div class=\"line-head\"><h3>{}</h3><span class=\"range\">"
                                "guidance {}</span></div>\n",
                                escape(name), escape(format_range(*first_range)));
  out += legend;
  if (chart.series.empty()) return out + "<p class=\"note\">No variant has a distribution to chart.</p>\n</section>\n";

  const std::size_t variable = first_range->variable;
  chart.title = fmt::format("Distribution of {} by variant", name);
  chart.axis_title = html::axis_title(first->model, variable);
  chart.format = variable_format(first->model.variables[variable], first->report.variables[variable]);
  chart.range_low = first_range->low;
  chart.range_high = first_range->high;
  out += "<figure>\n" + charts::overlay_density_svg(chart) +
         "<figcaption>Each variant's distribution (the same trials in each), the guidance range shaded.</figcaption>"
         "\n</figure>\n";
  chart.title = fmt::format("Cumulative distribution of {} by variant", name);
  out += "<figure>\n" + charts::overlay_cdf_svg(chart) +
         "<figcaption>The share of trials at or below each value, per variant.</figcaption>\n</figure>\n";
  return out + "</section>\n";
}

/// P10, P50 and P90 of every metric and every guided driver, a column per variant.
std::string percentile_table(const std::vector<VariantReport>& variants) {
  const VariantReport& first = variants.front();
  html::Table table{{"Variable", ""}, {}, {}};
  for (const VariantReport& variant : variants) table.headers.push_back(variant.variant);
  for (std::size_t v = 0; v < first.model.variables.size(); ++v) {
    const Variable& variable = first.model.variables[v];
    const bool guided = std::any_of(first.model.guidance.begin(), first.model.guidance.end(),
                                    [&](const GuidanceRange& line) { return line.variable == v; });
    if (variable.kind != VariableKind::metric && !guided) continue;
    const ValueFormat format = variable_format(variable, first.report.variables[v]);
    for (const std::size_t p : {2, 4, 6}) {
      std::vector<std::string> row = {p == 2 ? escape(variable.name) : "", fmt::format("P{:g}", reported_percentiles[p])};
      for (const VariantReport& variant : variants)
        row.push_back(escape(format_with(variant.report.variables[v].percentiles[p], format)));
      table.rows.push_back(std::move(row));
    }
  }
  return html::table(table);
}

}  // namespace

std::string render_html_compare(const std::vector<VariantReport>& variants, const HtmlOptions& options) {
  if (variants.empty()) return html::report({"Variant comparison", "No variants", "", {}, {}}, "", options);
  const VariantReport& first = variants.front();
  const std::vector<std::string> names = line_names(variants);

  std::string content;
  for (const VariantReport& variant : variants)
    if (&variant != &first && !variant.model.description.empty() && variant.model.description != first.model.description)
      content += fmt::format("<p class=\"note\"><strong>{}</strong>: {}</p>\n", escape(variant.variant),
                             escape(variant.model.description));
  if (!names.empty()) {
    content += "<section>\n<h2>Guidance by variant</h2>\n<p class=\"note\">P(in) of each guidance line in each "
               "variant. Every variant runs the same trials (common random numbers), so a difference is the "
               "drivers', not noise.</p>\n" +
               probability_table(variants, names) + "</section>\n";
    content += "<section>\n<h2>Distributions</h2>\n";
    for (const std::string& name : names) content += overlay_section(variants, name);
    content += "</section>\n";
  }
  content += "<section>\n<h2>Percentiles</h2>\n" + percentile_table(variants) + "</section>\n";

  std::vector<std::pair<std::string, std::string>> facts;
  std::string list;
  for (const VariantReport& variant : variants) list += (list.empty() ? "" : ", ") + variant.variant;
  facts.emplace_back("Variants", list);
  for (auto& fact : html::run_facts(first.model, first.report.trials, first.report.seed, first.report.sampling,
                                    /*variant=*/false))
    facts.push_back(std::move(fact));
  return html::report({"Variant comparison", first.model.name, first.model.description, std::move(facts), {}}, content,
                      options);
}

}  // namespace guidance
