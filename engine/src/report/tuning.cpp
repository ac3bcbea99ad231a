// Tables and JSON of the guidance analytics (compare, sweep, solve, propose): rendering only.
#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>

#include <fmt/format.h>

#include "guidance/report.hpp"
#include "guidance/tuning.hpp"
#include "report/format.hpp"

namespace guidance {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view common_numbers = "the same trials in each (common random numbers)";

/// Left-aligned label columns, then right-aligned data columns. Data columns that do not fit the page
/// go to another block below, which repeats the labels.
struct TextTable {
  struct Row {
    std::vector<std::string> labels;
    std::vector<std::string> cells;  // empty: the labels alone (a section title), or a blank line
  };
  std::vector<std::string> label_headers;
  std::vector<std::string> headers;
  std::vector<Row> rows;
};

std::string render_text_table(const TextTable& table) {
  std::vector<std::size_t> label_widths(table.label_headers.size());
  for (std::size_t i = 0; i < label_widths.size(); ++i) label_widths[i] = display_columns(table.label_headers[i]);
  std::vector<std::size_t> widths(table.headers.size());
  for (std::size_t j = 0; j < widths.size(); ++j) widths[j] = display_columns(table.headers[j]) + 2;
  for (const TextTable::Row& row : table.rows) {
    if (row.cells.empty()) continue;
    for (std::size_t i = 0; i < row.labels.size(); ++i) label_widths[i] = std::max(label_widths[i], display_columns(row.labels[i]));
    for (std::size_t j = 0; j < row.cells.size(); ++j) widths[j] = std::max(widths[j], display_columns(row.cells[j]) + 2);
  }
  std::size_t prefix = 0;
  for (const std::size_t width : label_widths) prefix += 2 + width;

  std::string out;
  const auto line = [&](const std::vector<std::string>& labels, const std::vector<std::string>& cells, std::size_t first,
                        std::size_t last) {
    std::string text;
    for (std::size_t i = 0; i < label_widths.size(); ++i)
      text += fmt::format("  {:<{}}", i < labels.size() ? labels[i] : "", label_widths[i]);
    for (std::size_t j = first; j < last && j < cells.size(); ++j) text += fmt::format("{:>{}}", cells[j], widths[j]);
    text.erase(text.find_last_not_of(' ') + 1);
    out += text + "\n";
  };
  for (std::size_t first = 0; first < widths.size();) {
    std::size_t last = first + 1, used = prefix + widths[first];
    while (last < widths.size() && used + widths[last] <= page_width) used += widths[last++];
    if (first > 0) out += "\n";
    line(table.label_headers, table.headers, first, last);
    for (const TextTable::Row& row : table.rows) {
      if (!row.cells.empty()) line(row.labels, row.cells, first, last);
      else out += row.labels.empty() ? "\n" : row.labels[0] + "\n";
    }
    first = last;
  }
  return out;
}

/// The variables whose percentiles a table shows: the chosen ones, else (with `guided`) each variable
/// with a guidance line, or every metric when there are none.
std::vector<std::size_t> shown_variables(const Model& model, const TuningTable& table, bool guided) {
  std::vector<std::size_t> shown;
  const auto add = [&](std::size_t v) {
    if (std::find(shown.begin(), shown.end(), v) == shown.end()) shown.push_back(v);
  };
  for (const std::string& name : table.variables) add(static_cast<std::size_t>(model.find(name)));
  if (!table.variables.empty() || !guided) return shown;
  for (const GuidanceRange& line : model.guidance) add(line.variable);
  if (shown.empty())
    for (std::size_t v = 0; v < model.variables.size(); ++v)
      if (model.variables[v].kind == VariableKind::metric) add(v);
  return shown;
}

/// One format for a variable across several runs, so that its column (or row) lines up.
ValueFormat common_format(const Model& model, std::size_t variable, const std::vector<const RunReport*>& reports) {
  double magnitude = 0.0;
  for (const RunReport* report : reports) {
    const Summary& summary = report->variables[variable];
    for (const double x : {summary.percentiles[4], summary.mean})
      if (std::isfinite(x)) magnitude = std::max(magnitude, std::abs(x));
  }
  return value_format(model.variables[variable], magnitude);
}

std::string percentile_name(std::size_t index) { return fmt::format("P{:g}", reported_percentiles[index]); }

bool is_header_key(const std::string& key) {
  return key == "scenario" || key == "variant" || key == "units" || key == "trials" || key == "seed" || key == "sampling";
}

/// The keys of the run JSON that describe the run (with `header`: scenario, variant, units, trials,
/// seed, sampling) or its results (the others).
Json run_json_part(const Model& model, const RunReport& report, bool header) {
  const Json run = run_json(model, report);
  Json out = Json::object();
  for (const auto& [key, value] : run.items())
    if (is_header_key(key) == header) out[key] = value;
  return out;
}


// ---- sweep ---------------------------------------------------------------------------------------

/// One quantity a sweep shows at every point: a P(in), the joint P(in), or a percentile.
struct Quantity {
  bool probability = false;
  std::string title;
  std::string header;
  std::function<std::string(const SweepPoint&)> cell;
};

std::vector<Quantity> sweep_quantities(const Sweep& sweep, const TuningTable& table) {
  const Model& model = sweep.points.front().model;
  std::vector<Quantity> quantities;
  for (std::size_t g = 0; g < model.guidance.size(); ++g)
    quantities.push_back({true, fmt::format("P(in) {} {}", model.guidance[g].name, format_range(model.guidance[g])),
                          model.guidance[g].name,
                          [g](const SweepPoint& point) { return format_probability(point.report.guidance[g].p_in); }});
  if (model.guidance.size() > 1)
    quantities.push_back({true, "P(in) every guidance line at once", "all at once",
                          [](const SweepPoint& point) { return format_probability(point.report.joint_p_in); }});
  std::vector<const RunReport*> reports;
  for (const SweepPoint& point : sweep.points) reports.push_back(&point.report);
  for (const std::size_t v : shown_variables(model, table, false)) {
    if (model.variables[v].indicator) {
      const std::string name = fmt::format("P({})", model.variables[v].name);
      quantities.push_back({false, name, name, [v](const SweepPoint& point) {
                              const IndicatorProbability* indicator = find_indicator(point.report, v);
                              return indicator ? format_probability(indicator->p) : "constant";
                            }});
      continue;
    }
    const ValueFormat format = common_format(model, v, reports);
    for (const std::size_t p : table.percentiles)
      quantities.push_back({false, fmt::format("{} {}", percentile_name(p), model.variables[v].name),
                            fmt::format("{} {}", model.variables[v].name, percentile_name(p)),
                            [v, p, format](const SweepPoint& point) {
                              return format_with(point.report.variables[v].percentiles[p], format);
                            }});
  }
  return quantities;
}

std::string render_sweep_table(const Sweep& sweep, const std::vector<Quantity>& quantities) {
  const Variation& vary = sweep.vary[0];
  TextTable probabilities{{vary.name()}, {}, {}}, percentiles{{vary.name()}, {}, {}};
  for (const Quantity& quantity : quantities)
    (quantity.probability ? probabilities : percentiles).headers.push_back(quantity.header);
  for (const SweepPoint& point : sweep.points) {
    TextTable::Row probability_row{{format_bound(point.values[0], vary.percent)}, {}}, percentile_row = probability_row;
    for (const Quantity& quantity : quantities)
      (quantity.probability ? probability_row : percentile_row).cells.push_back(quantity.cell(point));
    probabilities.rows.push_back(std::move(probability_row));
    percentiles.rows.push_back(std::move(percentile_row));
  }
  std::string out;
  if (!probabilities.headers.empty()) out += "P(in) of each guidance line\n" + render_text_table(probabilities);
  if (!percentiles.headers.empty()) out += (out.empty() ? "" : "\n") + std::string("percentiles\n") + render_text_table(percentiles);
  return out;
}

std::string render_sweep_grids(const Sweep& sweep, const std::vector<Quantity>& quantities) {
  const Variation &rows = sweep.vary[0], &columns = sweep.vary[1];
  const std::size_t width = columns.values.size();
  std::string out;
  for (const Quantity& quantity : quantities) {
    TextTable grid{{fmt::format("{} \\ {}", rows.name(), columns.name())}, {}, {}};
    for (std::size_t j = 0; j < width; ++j) grid.headers.push_back(format_bound(sweep.points[j].values[1], columns.percent));
    for (std::size_t i = 0; i < sweep.points.size() / width; ++i) {
      TextTable::Row& row = grid.rows.emplace_back();
      row.labels = {format_bound(sweep.points[i * width].values[0], rows.percent)};
      for (std::size_t j = 0; j < width; ++j) row.cells.push_back(quantity.cell(sweep.points[i * width + j]));
    }
    out += (out.empty() ? "" : "\n") + quantity.title + "\n" + render_text_table(grid);
  }
  return out;
}

// ---- solve ---------------------------------------------------------------------------------------

bool is_probability(const Target& target) {
  return target.statistic == Target::Statistic::at_least || target.statistic == Target::Statistic::at_most ||
         target.statistic == Target::Statistic::in_guidance;
}

std::string_view statistic_key(Target::Statistic statistic) {
  switch (statistic) {
    case Target::Statistic::at_least: return "at_least";
    case Target::Statistic::at_most: return "at_most";
    case Target::Statistic::in_guidance: return "in_guidance";
    case Target::Statistic::percentile: return "percentile";
    case Target::Statistic::mean: return "mean";
  }
  return "";
}

/// The parameter with as many decimals as the final bracket resolves (two significant digits of its
/// width), so that the answer shows its precision and no more.
std::string format_parameter(double value, const Interval& bracket, bool percent) {
  const double width = (bracket.high - bracket.low) * (percent ? 100.0 : 1.0);
  if (!(width > 0)) return format_bound(value, percent);
  const int decimals = std::clamp(1 - static_cast<int>(std::floor(std::log10(width))), 0, 10);
  return format_with(value, {percent, decimals});
}

// ---- propose -------------------------------------------------------------------------------------

std::string rank_range(const LineRank& line) {
  if (std::isinf(line.low) && std::isinf(line.high)) return "every value";
  if (std::isinf(line.low)) return "up to " + format_rank(line.high_rank);
  if (std::isinf(line.high)) return "from " + format_rank(line.low_rank);
  return fmt::format("{} to {}", format_rank(line.low_rank), format_rank(line.high_rank));
}

Json line_rank_json(const Model& model, const LineRank& line) {
  return Json{{"name", line.name},
              {"low", json_number(line.low)},
              {"high", json_number(line.high)},
              {"text", format_range(model.guidance[line.guidance])},
              {"low_rank", json_number(line.low_rank)},
              {"high_rank", json_number(line.high_rank)},
              {"p_in", line.p_in},
              {"p_in_ci", json_interval(line.p_in_ci)}};
}

/// The decimals format_bound writes `value` with (10 significant digits): 2 for 0.04, 0 for 1100;
/// nothing for a number it writes in scientific notation.
std::optional<int> written_decimals(double value) {
  const std::string text = fmt::format("{:.10g}", value);
  if (text.find_first_of("en") != std::string::npos) return std::nullopt;
  const std::size_t point = text.find('.');
  return point == std::string::npos ? 0 : static_cast<int>(text.size() - point - 1);
}

/// `value` x `scale` as format_bound writes it, with at least as many decimals as `step` x `scale`
/// (0.80 to the cent, not 0.8).
std::string figure_to_step(double value, double scale, std::optional<double> step) {
  const std::optional<int> own = written_decimals(value * scale);
  const std::optional<int> steps = step ? written_decimals(*step * scale) : 0;
  if (!own || !steps) return format_bound(value * scale, false);
  return format_with(value * scale, {.decimals = std::max(*own, *steps)});
}

/// The range in an outlook's words: "0.80 ± 0.04", "72.5% ± 50bp" (a margin under a point in basis
/// points, else in points), "1,100 to 1,130", "$1,100M to $1,130M" (a currency metric); each reads back
/// as a guidance line.
std::string publish_words(const PublishedRange& published, const Variable& variable) {
  const bool percent = variable.percent;
  const Display& display = variable.display;
  const double scale = percent ? 100.0 : 1.0;
  const std::string unit(percent ? "%" : display.currency.empty() ? "" : scale_suffix(display.scale_exponent));
  const auto with_currency = [&](std::string text) {
    return text.insert(text.starts_with('-') ? 1 : 0, display.currency);
  };
  const auto figure = [&](double value) { return with_currency(figure_to_step(value, scale, published.step)) + unit; };
  if (!published.center) return fmt::format("{} to {}", figure(published.range.low), figure(published.range.high));
  const bool basis_points = percent && published.half_width < 0.01;
  const double margin_scale = !percent ? 1.0 : basis_points ? 1e4 : 100.0;
  const std::string margin_unit = !percent ? unit : basis_points ? "bp" : "pt";
  return fmt::format("{} ± {}{}", figure(*published.center),
                     with_currency(figure_to_step(published.half_width, margin_scale, published.step)), margin_unit);
}

}  // namespace

// ---- compare -------------------------------------------------------------------------------------

std::string render_compare(std::span<const VariantReport> variants, const TuningTable& table) {
  const VariantReport& first = variants.front();
  std::string out = format_run_header(first.model, first.report, false);
  out += fmt::format("{} variant{}, {}\n", variants.size(), variants.size() == 1 ? "" : "s", common_numbers);
  for (const VariantReport& variant : variants)
    if (&variant != &first && !variant.model.description.empty() && variant.model.description != first.model.description)
      out += fmt::format("{}: {}\n", variant.variant, variant.model.description);
  out += "\n";

  TextTable grid{{"", ""}, {}, {}};
  std::vector<const RunReport*> reports;
  for (const VariantReport& variant : variants) {
    grid.headers.push_back(variant.variant);
    reports.push_back(&variant.report);
  }
  for (const std::size_t v : shown_variables(first.model, table, true)) {
    if (first.model.variables[v].indicator) {  // its probability, not percentiles of 0 and 1
      TextTable::Row& row = grid.rows.emplace_back();
      row.labels = {first.model.variables[v].name, "P"};
      for (const VariantReport& variant : variants) {
        const IndicatorProbability* indicator = find_indicator(variant.report, v);
        row.cells.push_back(indicator ? format_probability(indicator->p) : "constant");
      }
      continue;
    }
    const ValueFormat format = common_format(first.model, v, reports);
    for (const std::size_t p : table.percentiles) {
      TextTable::Row& row = grid.rows.emplace_back();
      row.labels = {p == table.percentiles.front() ? first.model.variables[v].name : "", percentile_name(p)};
      for (const VariantReport& variant : variants)
        row.cells.push_back(format_with(variant.report.variables[v].percentiles[p], format));
    }
  }

  // Guidance lines by name: a variant may change a range, or remove a line.
  std::vector<std::string> names;
  std::size_t most_lines = 0;
  for (const VariantReport& variant : variants) {
    most_lines = std::max(most_lines, variant.model.guidance.size());
    for (const GuidanceRange& line : variant.model.guidance)
      if (std::find(names.begin(), names.end(), line.name) == names.end()) names.push_back(line.name);
  }
  std::vector<std::string> notes;
  if (!names.empty()) {
    if (!grid.rows.empty()) grid.rows.push_back({});
    grid.rows.push_back({{"P(in)"}, {}});
    for (const std::string& name : names) {
      TextTable::Row& row = grid.rows.emplace_back();
      std::string range;
      for (const VariantReport& variant : variants) {
        const auto line = std::find_if(variant.model.guidance.begin(), variant.model.guidance.end(),
                                       [&](const GuidanceRange& g) { return g.name == name; });
        if (line == variant.model.guidance.end()) {
          row.cells.push_back("-");
          continue;
        }
        const std::string this_range = format_range(*line);
        if (range.empty()) range = this_range;
        else if (this_range != range) notes.push_back(fmt::format("in {}, {} is {}", variant.variant, name, this_range));
        row.cells.push_back(format_probability(variant.report.guidance[static_cast<std::size_t>(line - variant.model.guidance.begin())].p_in));
      }
      row.labels = {name, range};
    }
    if (most_lines > 1) {
      TextTable::Row& row = grid.rows.emplace_back();
      row.labels = {"all at once", ""};
      for (const VariantReport& variant : variants) row.cells.push_back(format_probability(variant.report.joint_p_in));
    }
  }
  out += render_text_table(grid);
  for (const std::string& note : notes) out += "note: " + note + "\n";
  return out;
}

nlohmann::ordered_json compare_json(std::span<const VariantReport> variants) {
  Json runs = Json::object();
  for (const VariantReport& variant : variants) runs[variant.variant] = run_json(variant.model, variant.report);
  return Json{{"variants", runs}};
}

// ---- sweep ---------------------------------------------------------------------------------------

std::string render_sweep(const Sweep& sweep, const TuningTable& table) {
  const SweepPoint& first = sweep.points.front();
  std::string out = format_run_header(first.model, first.report);
  for (const Variation& vary : sweep.vary)
    out += fmt::format("{} from {} to {} ({} value{})\n", vary.name(), format_bound(vary.values.front().value, vary.percent),
                       format_bound(vary.values.back().value, vary.percent), vary.values.size(),
                       vary.values.size() == 1 ? "" : "s");
  out += fmt::format("{} point{}, {}\n\n", sweep.points.size(), sweep.points.size() == 1 ? "" : "s", common_numbers);
  const std::vector<Quantity> quantities = sweep_quantities(sweep, table);
  if (quantities.empty()) return out + "no guidance lines: choose the variables whose percentiles to show\n";
  return out + (sweep.vary.size() == 1 ? render_sweep_table(sweep, quantities) : render_sweep_grids(sweep, quantities));
}

nlohmann::ordered_json sweep_json(const Sweep& sweep) {
  const SweepPoint& first = sweep.points.front();
  Json out = run_json_part(first.model, first.report, true);
  Json vary = Json::array();
  for (const Variation& variation : sweep.vary) {
    Json values = Json::array();
    for (const ParameterValue& value : variation.values) values.push_back(value.value);
    vary.push_back({{"name", variation.name()}, {"values", values}});
  }
  out["vary"] = vary;
  Json points = Json::array();
  for (const SweepPoint& point : sweep.points) {
    Json values = Json::object();
    for (std::size_t k = 0; k < sweep.vary.size(); ++k) values[sweep.vary[k].name()] = point.values[k];
    Json entry{{"values", values}};
    entry.update(run_json_part(point.model, point.report, false));
    points.push_back(entry);
  }
  out["points"] = points;
  return out;
}

// ---- solve ---------------------------------------------------------------------------------------

std::string render_solution(const Solution& solution) {
  const Model& model = solution.model;
  const Target& target = solution.target;
  const auto metric = static_cast<std::size_t>(model.find(target.metric));
  const ValueFormat metric_format = value_format(model.variables[metric], std::abs(solution.achieved));
  const auto statistic = [&](double x) {
    return is_probability(target) ? format_probability(x) : format_with(x, metric_format);
  };
  const bool reach = target.aim == Target::Aim::reach;
  std::string out = format_run_header(model, solution.report);
  out += fmt::format("\n{} {}\n", reach ? "solve" : target.aim == Target::Aim::maximize ? "maximize" : "minimize",
                     target.text);
  out += fmt::format("  {} = {}", solution.vary, format_parameter(solution.value, solution.bracket, solution.percent));
  if (solution.current) out += fmt::format("  (the scenario has {})", format_bound(*solution.current, solution.percent));
  out += fmt::format("\n  achieved    {}, 95% interval [{}, {}]\n", statistic(solution.achieved),
                     statistic(solution.achieved_ci.low), statistic(solution.achieved_ci.high));
  out += fmt::format("  bracket     {} to {} after {} {} steps, from {} to {}\n",
                     format_parameter(solution.bracket.low, solution.bracket, solution.percent),
                     format_parameter(solution.bracket.high, solution.bracket, solution.percent), solution.iterations,
                     reach ? "bisection" : "golden-section",
                     format_bound(solution.searched.low, solution.percent),
                     format_bound(solution.searched.high, solution.percent));
  out += fmt::format("  runs        {}, {}\n", solution.steps.size(), common_numbers);
  if (solution.asked) {
    out += fmt::format("note: the bracket {} to {} was clipped to {} to {}: {}\n", format_bound(solution.asked->low, solution.percent),
                       format_bound(solution.asked->high, solution.percent), format_bound(solution.searched.low, solution.percent),
                       format_bound(solution.searched.high, solution.percent), solution.natural.reason);
  }
  if (solution.step_limit) {
    out += fmt::format("note: the search stopped at its limit of {} {} steps before the statistic at the "
                       "bracket's ends agreed: give a narrower bracket\n",
                       solution.iterations, reach ? "bisection" : "golden-section");
  } else if (reach && (target.goal < solution.achieved_ci.low || target.goal > solution.achieved_ci.high)) {
    out += fmt::format("note: the goal is not inside the achieved interval: the statistic jumps across it between "
                       "the ends of the bracket (a discrete driver?), so no value of {} gives it more closely\n",
                       solution.vary);
  }
  if (model.guidance.empty()) return out;
  TextTable lines{{"guidance", "range"}, {"P(in)"}, {}};
  for (std::size_t g = 0; g < model.guidance.size(); ++g)
    lines.rows.push_back({{model.guidance[g].name, format_range(model.guidance[g])},
                          {format_probability(solution.report.guidance[g].p_in)}});
  if (model.guidance.size() > 1)
    lines.rows.push_back({{"all at once", ""}, {format_probability(solution.report.joint_p_in)}});
  return out + "\nat the solution\n" + render_text_table(lines);
}

nlohmann::ordered_json solution_json(const Solution& solution) {
  const Target& target = solution.target;
  Json target_json{{"text", target.text}, {"statistic", statistic_key(target.statistic)}, {"metric", target.metric}};
  if (target.statistic == Target::Statistic::at_least || target.statistic == Target::Statistic::at_most)
    target_json["threshold"] = target.threshold;
  if (target.statistic == Target::Statistic::percentile) target_json["percentile"] = target.percentile;
  if (target.aim == Target::Aim::reach) target_json["goal"] = target.goal;
  else target_json["aim"] = target.aim == Target::Aim::maximize ? "maximize" : "minimize";

  Json steps = Json::array();
  for (const SolveStep& step : solution.steps) steps.push_back({{"value", step.value}, {"achieved", step.achieved}});
  Json out = run_json_part(solution.model, solution.report, true);
  out["target"] = target_json;
  out["vary"] = solution.vary;
  out["value"] = solution.value;
  out["achieved"] = solution.achieved;
  out["achieved_ci"] = json_interval(solution.achieved_ci);
  out["bracket"] = json_interval(solution.bracket);
  out["iterations"] = solution.iterations;
  out["step_limit"] = solution.step_limit;
  out["searched"] = json_interval(solution.searched);
  if (solution.asked) out["asked"] = json_interval(*solution.asked);
  out["current"] = solution.current ? json_number(*solution.current) : Json(nullptr);
  out["steps"] = steps;
  out["run"] = run_json_part(solution.model, solution.report, false);
  return out;
}

// ---- propose -------------------------------------------------------------------------------------

std::string render_proposal(const Model& model, const RunReport& report, const Proposal& proposal) {
  const auto variable = static_cast<std::size_t>(model.find(proposal.metric));
  const Summary& summary = report.variables[variable];
  const ValueFormat format = variable_format(model.variables[variable], summary);
  const auto range = [&](const Interval& interval) { return format_ends(interval.low, interval.high, format); };
  std::string out = format_run_header(model, report);
  out += fmt::format("\nranges for {} that hold it with probability {}\n", proposal.metric,
                     format_probability(proposal.confidence));
  TextTable ranges{{"", "range"}, {"P(in)", "percentile ranks"}, {}};
  ranges.rows.push_back({{"narrowest", range(proposal.narrowest)},
                         {format_probability(proposal.narrowest_p_in),
                          fmt::format("{} to {}", format_rank(proposal.narrowest_ranks.low), format_rank(proposal.narrowest_ranks.high))}});
  ranges.rows.push_back({{"central", range(proposal.central)},
                         {format_probability(proposal.central_p_in),
                          fmt::format("{} to {}", format_rank(proposal.central_ranks.low), format_rank(proposal.central_ranks.high))}});
  if (proposal.publish) {
    const PublishedRange& published = *proposal.publish;
    ranges.rows.push_back({{"to publish", publish_words(published, model.variables[variable])},
                           {format_probability(published.p_in),
                            fmt::format("{} to {}", format_rank(published.ranks.low), format_rank(published.ranks.high))}});
  }
  for (std::size_t g = 0; proposal.guidance && g < model.guidance.size(); ++g) {
    if (model.guidance[g].name != proposal.guidance->name) continue;
    ranges.rows.push_back({{"published", format_range(model.guidance[g])},
                           {format_probability(proposal.guidance->p_in), rank_range(*proposal.guidance)}});
    break;
  }
  out += render_text_table(ranges);

  if (!proposal.lines.empty()) {
    out += "\nevery guidance line, where its bounds fall among the trials\n";
    TextTable lines{{"guidance", "range"}, {"P(in)", "percentile ranks"}, {}};
    for (std::size_t g = 0; g < proposal.lines.size(); ++g)
      lines.rows.push_back({{proposal.lines[g].name, format_range(model.guidance[g])},
                            {format_probability(proposal.lines[g].p_in), rank_range(proposal.lines[g])}});
    out += render_text_table(lines);
  }
  return out;
}

nlohmann::ordered_json proposal_json(const Model& model, const RunReport& report, const Proposal& proposal) {
  Json out = run_json_part(model, report, true);
  out["metric"] = proposal.metric;
  out["confidence"] = proposal.confidence;
  out["narrowest"] = json_interval(proposal.narrowest);
  out["central"] = json_interval(proposal.central);
  out["guidance"] = proposal.guidance ? line_rank_json(model, *proposal.guidance) : Json(nullptr);
  out["narrowest_p_in"] = proposal.narrowest_p_in;
  out["central_p_in"] = proposal.central_p_in;
  out["narrowest_ranks"] = json_interval(proposal.narrowest_ranks);
  out["central_ranks"] = json_interval(proposal.central_ranks);
  Json lines = Json::array();
  for (const LineRank& line : proposal.lines) lines.push_back(line_rank_json(model, line));
  out["lines"] = lines;
  if (proposal.publish) {
    const PublishedRange& published = *proposal.publish;
    const Variable& metric = model.variables[static_cast<std::size_t>(model.find(proposal.metric))];
    out["publish"] = Json{{"words", publish_words(published, metric)},
                          {"range", json_interval(published.range)},
                          {"center", published.center ? json_number(*published.center) : Json(nullptr)},
                          {"half_width", published.center ? json_number(published.half_width) : Json(nullptr)},
                          {"step", published.step ? json_number(*published.step) : Json(nullptr)},
                          {"p_in", published.p_in},
                          {"ranks", json_interval(published.ranks)}};
  } else {
    out["publish"] = nullptr;
  }
  return out;
}

}  // namespace guidance
