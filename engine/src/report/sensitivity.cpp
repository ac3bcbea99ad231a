// Rendering of sensitivity reports: a terminal tornado and one table per method, JSON, CSV.
// Rendering only: every number comes from the SensitivityReport.
#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "guidance/report.hpp"
#include "guidance/sensitivity.hpp"
#include "report/format.hpp"

namespace guidance {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t min_name_width = 8;
constexpr std::size_t max_name_width = 24;  // room for an element's name, `revenue[routing,Q3]`

// Unicode block elements for the bars; each is one column wide.
constexpr std::string_view full_block = "█";
constexpr std::string_view light_shade = "░";
constexpr std::string_view base_mark = "│";
constexpr std::string_view ellipsis = "…";

const std::string& name_of(const Model& model, std::size_t variable) { return model.variables[variable].name; }

/// Whether an input's values are shown per element under the elements' names: a dimensioned driver's
/// group (even of one element), not a scalar driver or an element on its own.
bool per_element(const Model& model, const SensitivityInput& input) {
  return input.variables.size() > 1 || name_of(model, input.variables.front()) != input.name;
}

std::string percent_label(double probability) { return fmt::format("{:g}", probability * 100.0); }

/// "a", "a and b", "a, b and c": the inputs named by `indices`.
std::string join_names(const SensitivityReport& report, const std::vector<std::size_t>& indices) {
  std::string out;
  for (std::size_t k = 0; k < indices.size(); ++k) {
    if (k > 0) out += k + 1 == indices.size() ? " and " : ", ";
    out += report.inputs[indices[k]].name;
  }
  return out;
}

/// `text` wrapped at spaces to the page width; continuation lines are indented by two.
std::string wrap(std::string_view text) {
  std::string out, line;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = std::min(text.find(' ', start), text.size());
    const std::string_view word = text.substr(start, end - start);
    if (!line.empty() && display_columns(line) + 1 + display_columns(word) > page_width) {
      out += line + "\n";
      line = "  ";
    } else if (!line.empty()) {
      line += ' ';
    }
    line += word;
    start = end + 1;
  }
  return out + line + "\n";
}

/// A name in at most `width` columns: cut with an ellipsis when longer.
std::string cut_name(std::string_view name, std::size_t width) {
  if (name.size() <= width) return std::string(name);
  return std::string(name.substr(0, width - 1)) + std::string(ellipsis);
}

/// A name in exactly `width` columns, left-aligned.
std::string fit_name(std::string_view name, std::size_t width) {
  return fmt::format("{:<{}}", cut_name(name, width), width);
}

/// The width of a column of the inputs' names (and, with `elements`, their elements' names).
std::size_t name_width(const Model& model, std::span<const SensitivityInput> inputs, bool elements = false) {
  std::size_t width = min_name_width;
  for (const SensitivityInput& input : inputs) {
    width = std::max(width, input.name.size());
    if (elements && input.variables.size() > 1)
      for (const std::size_t v : input.variables) width = std::max(width, name_of(model, v).size());
  }
  return std::min(width, max_name_width);
}

/// The rows sorted by `size` (sort_largest_first) and the width of their inputs' names.
template <class Row, class Size>
std::pair<std::vector<Row>, std::size_t> ranked_rows(const Model& model, const SensitivityReport& report,
                                                     std::vector<Row> rows, Size size) {
  sort_largest_first(rows, size);
  return {std::move(rows), name_width(model, report.inputs)};
}

/// `cells` full blocks.
std::string blocks(std::size_t cells) {
  std::string out;
  for (std::size_t k = 0; k < cells; ++k) out += full_block;
  return out;
}

/// A bar of a share in [0, 1] over `width` columns (rounded to whole columns).
std::string share_bar(double share, std::size_t width) {
  if (!std::isfinite(share) || share <= 0.0) return {};
  return blocks(static_cast<std::size_t>(std::lround(std::min(share, 1.0) * static_cast<double>(width))));
}

std::string index_text(double value) { return std::isfinite(value) ? fmt::format("{:.3f}", value) : "n/a"; }
std::string share_text(double value) { return std::isfinite(value) ? fmt::format("{:.1f}%", value * 100.0) : "n/a"; }

// ---- tornado -------------------------------------------------------------------------------------

/// The bar of one driver: columns [0, width), the metric's scale mapped onto them. The low-input side
/// is drawn light, the high-input side full; the base column is marked when no bar covers it.
std::string tornado_bar(double base, double low, double high, double scale_min, double scale_max, std::size_t width) {
  std::vector<std::string_view> cells(width, " ");
  const double span = scale_max - scale_min;
  const auto position = [&](double x) {
    return span > 0.0 ? (x - scale_min) / span * static_cast<double>(width) : static_cast<double>(width) / 2.0;
  };
  const double origin = position(base);
  const auto draw = [&](double end, std::string_view glyph) {
    if (!std::isfinite(end) || end == base) return;
    const double at = position(end);
    auto from = static_cast<std::ptrdiff_t>(std::lround(std::min(at, origin)));
    auto to = static_cast<std::ptrdiff_t>(std::lround(std::max(at, origin)));
    if (from == to) {  // a move too small for a column still shows, beside the base
      if (at < origin)
        from = std::max<std::ptrdiff_t>(0, from - 1);
      else
        to = std::min<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(width), to + 1);
    }
    for (std::ptrdiff_t k = std::max<std::ptrdiff_t>(0, from);
         k < std::min<std::ptrdiff_t>(to, static_cast<std::ptrdiff_t>(width)); ++k)
      cells[static_cast<std::size_t>(k)] = glyph;
  };
  // The longer side first, so that a driver whose two ends fall on one side shows both.
  const bool low_longer = std::abs(low - base) >= std::abs(high - base) || !std::isfinite(high);
  draw(low_longer ? low : high, low_longer ? light_shade : full_block);
  draw(low_longer ? high : low, low_longer ? full_block : light_shade);
  const auto mark = std::min(width - 1, static_cast<std::size_t>(std::max(0.0, std::floor(origin))));
  if (cells[mark] == " ") cells[mark] = base_mark;
  std::string out;
  for (const std::string_view cell : cells) out += cell;
  return out;
}

/// Labels under the bars: the scale's ends and the base, where they fit.
std::string tornado_axis(const std::string& low, const std::string& base, const std::string& high, double origin,
                         std::size_t width) {
  std::string axis(width, ' ');
  axis.replace(0, std::min(low.size(), width), low.substr(0, width));
  if (high.size() + low.size() + 1 <= width) axis.replace(width - high.size(), high.size(), high);
  const auto start = static_cast<std::ptrdiff_t>(std::lround(origin - static_cast<double>(base.size()) / 2.0));
  const bool fits = start > static_cast<std::ptrdiff_t>(low.size()) &&
                    start + static_cast<std::ptrdiff_t>(base.size()) < static_cast<std::ptrdiff_t>(width - high.size());
  if (fits) axis.replace(static_cast<std::size_t>(start), base.size(), base);
  return axis;
}

void render_tornado(std::string& out, const Model& model, const SensitivityReport& report, const Painter& style) {
  const Tornado& tornado = *report.tornado;
  const Variable& metric = model.variables[report.metric];
  const std::string low = percent_label(report.range_low), high = percent_label(report.range_high);
  out += "\n";
  out += wrap(fmt::format("{}: {} with each driver at its P{} and at its P{}, every other driver at its "
                          "median",
                          style.bold("tornado"), metric.name, low, high));

  double scale_min = tornado.base, scale_max = tornado.base;
  for (const TornadoBar& bar : tornado.bars)
    for (const double y : {bar.output_low, bar.output_high})
      if (std::isfinite(y)) scale_min = std::min(scale_min, y), scale_max = std::max(scale_max, y);
  const ValueFormat output_format =
      value_format(metric, std::max({std::abs(tornado.base), std::abs(scale_min), std::abs(scale_max)}));

  const std::size_t names = name_width(model, report.inputs, true);
  constexpr std::size_t swing_width = 10;
  const std::size_t bar_width = page_width - 2 - names - 2 - 2 - swing_width;
  const std::string pad(2 + names + 2, ' ');

  out += style.dim(fmt::format("{}{} P{}   {} P{}   {} base {}", pad, light_shade, low, full_block, high, base_mark,
                               format_with(tornado.base, output_format))) +
         "\n";
  out += style.bold(fmt::format("{}{:<{}}  {:>{}}", pad, "", bar_width, "swing", swing_width)) + "\n";
  for (const TornadoBar& bar : tornado.bars)
    out += fmt::format("  {}  {}  {:>{}}\n", fit_name(report.inputs[bar.input].name, names),
                       tornado_bar(tornado.base, bar.output_low, bar.output_high, scale_min, scale_max, bar_width),
                       format_with(bar.swing, output_format), swing_width);
  const double origin = scale_max > scale_min
                            ? (tornado.base - scale_min) / (scale_max - scale_min) * static_cast<double>(bar_width)
                            : static_cast<double>(bar_width) / 2.0;
  out += style.dim(pad + tornado_axis(format_with(scale_min, output_format), format_with(tornado.base, output_format),
                                      format_with(scale_max, output_format), origin, bar_width)) +
         "\n";

  // The numbers behind the bars.
  constexpr std::size_t number = 12;
  out += "\n";
  out += style.bold(fmt::format("  {:<{}}{:>{}}{:>{}}{:>{}}{:>{}}", "driver", names, fmt::format("input P{}", low),
                                number, fmt::format("input P{}", high), number, fmt::format("output P{}", low), number,
                                fmt::format("output P{}", high), number)) +
         "\n";
  // A group of several elements: its outputs on its own line, then each element's inputs.
  const auto inputs = [&](const TornadoBar& bar, std::size_t e) {
    const Variable& element = model.variables[report.inputs[bar.input].variables[e]];
    const ValueFormat input_format =
        value_format(element, std::max(std::abs(bar.low_input[e]), std::abs(bar.high_input[e])));
    return fmt::format("{:>{}}{:>{}}", format_with(bar.low_input[e], input_format), number,
                       format_with(bar.high_input[e], input_format), number);
  };
  for (const TornadoBar& bar : tornado.bars) {
    const SensitivityInput& input = report.inputs[bar.input];
    const bool one = input.variables.size() == 1;
    out += fmt::format("  {}{}{:>{}}{:>{}}\n", fit_name(input.name, names), one ? inputs(bar, 0) : std::string(2 * number, ' '),
                       format_with(bar.output_low, output_format), number, format_with(bar.output_high, output_format),
                       number);
    if (!one)
      for (std::size_t e = 0; e < input.variables.size(); ++e)
        out += fmt::format("  {}{}\n", fit_name(name_of(model, input.variables[e]), names), inputs(bar, e));
  }
}

// ---- spider --------------------------------------------------------------------------------------

void render_spider(std::string& out, const Model& model, const SensitivityReport& report, const Painter& style) {
  const Spider& spider = *report.spider;
  const Variable& metric = model.variables[report.metric];
  out += "\n";
  out += wrap(
      fmt::format("{}: {} as each driver walks from its P{} to its P{}, every other driver at its "
                  "median",
                  style.bold("spider"), metric.name, percent_label(report.range_low), percent_label(report.range_high)));
  double magnitude = 0.0;
  for (const SpiderLine& line : spider.lines)
    for (const SpiderPoint& point : line.points)
      if (std::isfinite(point.output)) magnitude = std::max(magnitude, std::abs(point.output));
  const ValueFormat format = value_format(metric, magnitude);

  // A column of numbers per driver. Names longer than a column alternate between two header lines, so
  // that each can reach back over its neighbour's column.
  constexpr std::size_t label = 8, column = 12;
  const std::size_t per_table = (page_width - label) / column;
  for (std::size_t first = 0; first < spider.lines.size(); first += per_table) {
    const std::size_t last = std::min(spider.lines.size(), first + per_table);
    bool two_lines = false;
    for (std::size_t i = first; i < last; ++i) two_lines |= report.inputs[spider.lines[i].input].name.size() >= column;
    std::array<std::string, 2> headers = {std::string(label, ' '), std::string(label, ' ')};
    for (std::size_t i = first; i < last; ++i) {
      std::string& header = headers[two_lines ? (i - first) % 2 : 0];
      const std::size_t right = label + (i - first + 1) * column;
      const std::string name =
          cut_name(report.inputs[spider.lines[i].input].name, two_lines ? 2 * column - 2 : column - 1);
      header += fmt::format("{:>{}}", name, right - display_columns(header));
    }
    out += style.bold(headers[0]) + "\n";
    if (two_lines) out += style.bold(headers[1]) + "\n";
    for (std::size_t k = 0; k < spider.lines[first].points.size(); ++k) {
      std::string row = fmt::format(
          "  {:<{}}", fmt::format("P{}", percent_label(spider.lines[first].points[k].probability)), label - 2);
      for (std::size_t i = first; i < last; ++i)
        row += fmt::format("{:>{}}", format_with(spider.lines[i].points[k].output, format), column);
      out += row + "\n";
    }
    if (last < spider.lines.size()) out += "\n";
  }
}

// ---- correlation, sobol, shapley ----------------------------------------------------------------

void render_correlation(std::string& out, const Model& model, const SensitivityReport& report, const Painter& style) {
  const auto [rows, names] =
      ranked_rows(model, report, report.correlation->inputs, [](const RankCorrelation& row) { return std::abs(row.spearman); });
  out += "\n";
  out += wrap(fmt::format("{}: Spearman rank correlation of each driver with {} over {} trials, and its share "
                          "of the sum of squared rank correlations",
                          style.bold("correlation"), name_of(model, report.metric),
                          format_with(static_cast<double>(report.trials), {false, 0})));
  out += style.bold(fmt::format("  {:<{}}{:>10}{:>14}", "driver", names, "Spearman", "contribution")) + "\n";
  const std::size_t bar_width = page_width - 2 - names - 24 - 2;
  for (const RankCorrelation& row : rows)
    out += fmt::format("  {}{:>10}{:>14}  {}\n", fit_name(report.inputs[row.input].name, names),
                       format_signed(row.spearman, 3), share_text(row.contribution),
                       share_bar(row.contribution, bar_width));
}

void render_sobol(std::string& out, const Model& model, const SensitivityReport& report, const Painter& style) {
  const SobolIndices& sobol = *report.sobol;
  const auto [rows, names] = ranked_rows(model, report, sobol.inputs, [](const SobolIndex& row) { return row.total; });
  out += "\n";
  out += wrap(fmt::format("{}: first-order and total Sobol indices of {} ({} base trials, {} evaluations), "
                          "with 95% bootstrap intervals",
                          style.bold("sobol"), name_of(model, report.metric),
                          format_with(static_cast<double>(report.trials), {false, 0}),
                          format_with(static_cast<double>(sobol.design.evaluations), {false, 0})));
  const auto interval = [](const Interval& ci) {
    return fmt::format("[{}, {}]", index_text(ci.low), index_text(ci.high));
  };
  out += style.bold(fmt::format("  {:<{}}{:>8}  {:<18}{:>8}  {:<18}", "driver", names, "first", "95% interval", "total",
                                "95% interval")) +
         "\n";
  for (const SobolIndex& row : rows)
    out += fmt::format("  {}{:>8}  {:<18}{:>8}  {}\n", fit_name(report.inputs[row.input].name, names),
                       index_text(row.first), interval(row.first_ci), index_text(row.total), interval(row.total_ci));
}

void render_shapley(std::string& out, const Model& model, const SensitivityReport& report, const Painter& style) {
  const ShapleyEffects& shapley = *report.shapley;
  const auto [rows, names] = ranked_rows(model, report, shapley.inputs, [](const ShapleyEffect& row) { return row.effect; });
  out += "\n";
  out += wrap(fmt::format("{}: each driver's share of the variance of {}, correlations included ({} base "
                          "trials{}, {} evaluations), with 95% bootstrap intervals",
                          style.bold("shapley"), name_of(model, report.metric),
                          format_with(static_cast<double>(report.trials), {false, 0}),
                          shapley.permutations == 0
                              ? ""
                              : fmt::format(" in {} random permutations",
                                            format_with(static_cast<double>(shapley.permutations), {false, 0})),
                          format_with(static_cast<double>(shapley.design.evaluations), {false, 0})));
  out += style.bold(fmt::format("  {:<{}}{:>8}  {:<18}", "driver", names, "share", "95% interval")) + "\n";
  const std::size_t bar_width = page_width - 2 - names - 8 - 2 - 18 - 1;
  for (const ShapleyEffect& row : rows)
    out += fmt::format("  {}{:>8}  {:<18}{}\n", fit_name(report.inputs[row.input].name, names), share_text(row.effect),
                       fmt::format("[{}, {}]", share_text(row.ci.low), share_text(row.ci.high)),
                       share_bar(row.effect, bar_width));
}

// ---- regional ------------------------------------------------------------------------------------

void render_regional(std::string& out, const Model& model, const SensitivityReport& report, const Painter& style) {
  const Regional& regional = *report.regional;
  const std::string& metric = name_of(model, report.metric);
  out += "\n";
  out += wrap(fmt::format("{}: in the trials where {} missed a guidance range, how far each driver's median "
                          "moved from its own median, in standard deviations",
                          style.bold("regional"), metric));
  if (regional.misses.empty()) {
    out += fmt::format("  {} has no guidance line: there is no range to miss\n", metric);
    return;
  }
  double largest = 0.0;
  for (const RegionalMiss& miss : regional.misses)
    for (const RegionalShift& shift : miss.inputs) largest = std::max(largest, std::abs(shift.shift_sd));
  const std::size_t names = name_width(model, report.inputs);
  const std::size_t bar_width = page_width - 4 - names - 12 - 2;
  for (const RegionalMiss& miss : regional.misses) {
    const GuidanceRange& line = model.guidance[miss.guidance];
    const bool below = miss.side == MissSide::below;
    const std::string bound = format_bound(below ? line.low : line.high, line.percent);
    if (miss.trials == 0) {
      out += fmt::format("  {} {}: no trial\n", below ? "below" : "above", bound);
      continue;
    }
    out += style.bold(fmt::format("  {} {}: {} of trials", below ? "below" : "above", bound,
                                  format_probability(miss.probability))) +
           "\n";
    for (const RegionalShift& shift : miss.inputs)
      out += fmt::format("    {}{:>12}  {}\n", fit_name(report.inputs[shift.input].name, names),
                         fmt::format("{:+.2f} sd", shift.shift_sd),
                         share_bar(largest > 0.0 ? std::abs(shift.shift_sd) / largest : 0.0, bar_width));
  }
}

// ---- notes and counts shared by the formats -----------------------------------------------------

std::vector<std::string> notes(const SensitivityReport& report) {
  std::vector<std::string> out = sensitivity_skipped(report);
  std::vector<std::size_t> groups;
  for (std::size_t i = 0; i < report.inputs.size(); ++i)
    if (report.inputs[i].variables.size() > 1) groups.push_back(i);
  if (!groups.empty() && (report.tornado || report.spider))
    out.push_back(fmt::format("the tornado and the spider move all the elements of {} together, each to its own "
                              "quantile of the same probability",
                              join_names(report, groups)));
  if (!report.correlated.empty() && (report.tornado || report.spider))
    out.push_back(
        fmt::format("{} are correlated; the tornado and the spider move one driver at a time and ignore "
                    "the correlations (shapley allows for them)",
                    join_names(report, report.correlated)));
  if (report.sobol && report.sobol->correlations_ignored)
    out.push_back(
        "the sobol indices ignore the correlations, as asked: they are those of independent drivers");
  return out;
}

// ---- JSON and CSV helpers -------------------------------------------------------------------------


/// A probability as a percentile label (10 for 0.1), rounded to 1e-9 so that the rounding of p * 100
/// does not show (0.07 * 100 is 7.000000000000001).
double percentile_of(double probability) { return std::round(probability * 100.0 * 1e9) / 1e9; }

}  // namespace

std::vector<std::pair<SensitivityMethod, const DesignCount*>> sensitivity_designs(const SensitivityReport& report) {
  std::vector<std::pair<SensitivityMethod, const DesignCount*>> out;
  if (report.tornado) out.emplace_back(SensitivityMethod::tornado, &report.tornado->design);
  if (report.spider) out.emplace_back(SensitivityMethod::spider, &report.spider->design);
  if (report.correlation) out.emplace_back(SensitivityMethod::correlation, &report.correlation->design);
  if (report.sobol) out.emplace_back(SensitivityMethod::sobol, &report.sobol->design);
  if (report.shapley) out.emplace_back(SensitivityMethod::shapley, &report.shapley->design);
  if (report.regional) out.emplace_back(SensitivityMethod::regional, &report.regional->design);
  return out;
}

std::vector<std::string> sensitivity_skipped(const SensitivityReport& report) {
  std::vector<std::string> out;
  for (const SkippedMethod& skipped : report.skipped)
    out.push_back(fmt::format("{} skipped: {}; {}", method_name(skipped.method), skipped.reason, skipped.hint));
  return out;
}

std::vector<std::string> sensitivity_warnings(const Model& model, const SensitivityReport& report) {
  std::vector<std::string> out;
  const std::string& metric = name_of(model, report.metric);
  for (const auto& [method, design] : sensitivity_designs(report)) {
    if (design->nonfinite == 0) continue;
    const std::string_view name = method_name(method);
    switch (method) {
      case SensitivityMethod::tornado:
      case SensitivityMethod::spider:
        out.push_back(fmt::format("{} is not a finite number at {} of the {} {} points (shown as inf, -inf or n/a)", metric,
                                  design->nonfinite, design->evaluations, name));
        break;
      case SensitivityMethod::correlation:
      case SensitivityMethod::regional:
        out.push_back(fmt::format("{} is not a finite number in {} of {} trials; {} leaves them out", metric,
                                  design->nonfinite, design->evaluations, name));
        break;
      case SensitivityMethod::sobol:
      case SensitivityMethod::shapley:
        out.push_back(
            fmt::format("{} is not a finite number in at least one evaluation of {} of the {} {} base "
                        "trials; {} leaves those trials out",
                        metric, design->nonfinite, report.trials, name, name));
        break;
    }
  }
  return out;
}

/// Without the spaces that padding left at the ends of lines.
std::string trim_line_ends(const std::string& text) {
  std::string out;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = std::string_view(text).substr(start, end - start);
    while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
    out += line;
    if (end < text.size()) out += '\n';
    start = end + 1;
  }
  return out;
}

std::string render_sensitivity_table(const Model& model, const SensitivityReport& report, bool color) {
  const Painter style(color);
  std::string out = style.bold(model.name) + "\n";
  // The one-at-a-time views sample nothing: trials and seed only matter to the other methods.
  const bool sampled = report.correlation || report.sobol || report.shapley || report.regional;
  // Only the correlation and regional trials follow the run's sampling; Monte Carlo, the default, goes unsaid.
  const std::string sampling = report.sampling != Sampling::monte_carlo && (report.correlation || report.regional)
                                   ? fmt::format(", {} sampling", sampling_name(report.sampling))
                                   : "";
  out += style.dim(sampled ? fmt::format("sensitivity of {}: {} trials, seed {}{}", name_of(model, report.metric),
                                         format_with(static_cast<double>(report.trials), {false, 0}), report.seed,
                                         sampling)
                           : fmt::format("sensitivity of {}", name_of(model, report.metric))) +
         "\n";
  if (model.variant != "base") out += style.dim(fmt::format("scenario: {}", model.variant)) + "\n";
  if (report.tornado) render_tornado(out, model, report, style);
  if (report.spider) render_spider(out, model, report, style);
  if (report.correlation) render_correlation(out, model, report, style);
  if (report.sobol) render_sobol(out, model, report, style);
  if (report.shapley) render_shapley(out, model, report, style);
  if (report.regional) render_regional(out, model, report, style);
  const std::vector<std::string> remarks = notes(report);
  const std::vector<std::string> warnings = sensitivity_warnings(model, report);
  if (!remarks.empty() || !warnings.empty()) out += "\n";
  for (const std::string& note : remarks) out += style.dim(wrap("note: " + note));
  for (const std::string& warning : warnings) out += style.warn(wrap("warning: " + warning));
  return trim_line_ends(out);
}

nlohmann::ordered_json sensitivity_json(const Model& model, const SensitivityReport& report) {
  Json inputs = Json::array(), correlated = Json::array(), elements = Json::object();
  for (const SensitivityInput& input : report.inputs) {
    inputs.push_back(input.name);
    if (!per_element(model, input)) continue;
    Json names = Json::array();
    for (const std::size_t v : input.variables) names.push_back(name_of(model, v));
    elements[input.name] = names;
  }
  for (const std::size_t i : report.correlated) correlated.push_back(report.inputs[i].name);
  // An input's values: a number for a scalar driver, a list in the order of `elements` for a group.
  const auto values = [&](std::size_t input, const std::vector<double>& per_element_values) {
    if (!per_element(model, report.inputs[input])) return json_number(per_element_values.front());
    Json list = Json::array();
    for (const double value : per_element_values) list.push_back(json_number(value));
    return list;
  };
  Json out{{"scenario", model.name},
           {"variant", model.variant},
           {"metric", name_of(model, report.metric)},
           {"trials", report.trials},
           {"seed", report.seed},
           {"sampling", sampling_key(report.sampling)},
           {"drivers", inputs}};
  if (!elements.empty()) out["elements"] = elements;
  out["correlated"] = correlated;
  if (report.tornado) {
    Json bars = Json::array();
    for (const TornadoBar& bar : report.tornado->bars)
      bars.push_back({{"driver", report.inputs[bar.input].name},
                      {"low_input", values(bar.input, bar.low_input)},
                      {"high_input", values(bar.input, bar.high_input)},
                      {"output_low", json_number(bar.output_low)},
                      {"output_high", json_number(bar.output_high)},
                      {"swing", json_number(bar.swing)}});
    out["tornado"] = {{"range", {percentile_of(report.range_low), percentile_of(report.range_high)}},
                      {"base", json_number(report.tornado->base)},
                      {"bars", bars}};
  }
  if (report.spider) {
    Json spider = Json::object();
    for (const SpiderLine& line : report.spider->lines) {
      Json points = Json::array();
      for (const SpiderPoint& point : line.points)
        points.push_back({{"percentile", percentile_of(point.probability)},
                          {"input", values(line.input, point.input)},
                          {"output", json_number(point.output)}});
      spider[report.inputs[line.input].name] = points;
    }
    out["spider"] = spider;
  }
  if (report.correlation) {
    Json correlation = Json::object();
    for (const RankCorrelation& row : report.correlation->inputs)
      correlation[report.inputs[row.input].name] = {{"spearman", json_number(row.spearman)},
                                                 {"contribution", json_number(row.contribution)}};
    out["correlation"] = correlation;
  }
  if (report.sobol) {
    Json sobol = Json::object();
    for (const SobolIndex& row : report.sobol->inputs)
      sobol[report.inputs[row.input].name] = {{"first", json_number(row.first)},
                                           {"first_ci", json_interval(row.first_ci)},
                                           {"total", json_number(row.total)},
                                           {"total_ci", json_interval(row.total_ci)}};
    out["sobol"] = sobol;
  }
  if (report.shapley) {
    Json shapley = Json::object();
    for (const ShapleyEffect& row : report.shapley->inputs)
      shapley[report.inputs[row.input].name] = {{"effect", json_number(row.effect)}, {"ci", json_interval(row.ci)}};
    out["shapley"] = shapley;
  }
  if (report.regional) {
    Json regional = Json::array();
    for (const RegionalMiss& miss : report.regional->misses) {
      const GuidanceRange& line = model.guidance[miss.guidance];
      const bool below = miss.side == MissSide::below;
      Json drivers = Json::array();
      for (const RegionalShift& shift : miss.inputs)
        drivers.push_back({{"driver", report.inputs[shift.input].name}, {"shift_sd", json_number(shift.shift_sd)}});
      regional.push_back({{"guidance", line.name},
                          {"side", below ? "below" : "above"},
                          {"bound", json_number(below ? line.low : line.high)},
                          {"probability", miss.probability},
                          {"trials", miss.trials},
                          {"drivers", drivers}});
    }
    out["regional"] = regional;
  }
  Json costs = Json::object();
  for (const auto& [method, design] : sensitivity_designs(report)) {
    Json entry{{"evaluations", design->evaluations}, {"nonfinite", design->nonfinite}};
    if (method == SensitivityMethod::sobol) {
      entry["variance"] = json_number(report.sobol->variance);
      entry["correlations_ignored"] = report.sobol->correlations_ignored;
    }
    if (method == SensitivityMethod::shapley) {
      entry["variance"] = json_number(report.shapley->variance);
      if (report.shapley->permutations > 0) entry["permutations"] = report.shapley->permutations;
    }
    costs[std::string(method_name(method))] = entry;
  }
  out["designs"] = costs;
  if (!report.skipped.empty()) {
    Json skipped = Json::array();
    for (const SkippedMethod& method : report.skipped)
      skipped.push_back({{"method", method_name(method.method)}, {"reason", method.reason}, {"hint", method.hint}});
    out["skipped"] = skipped;
  }
  out["notes"] = notes(report);
  return out;
}

std::string render_sensitivity_csv(const Model& model, const SensitivityReport& report) {
  std::string out = "method,driver,statistic,value,ci_low,ci_high\n";
  const auto row = [&](std::string_view method, std::string_view driver, std::string_view statistic, double value,
                       const Interval* ci = nullptr) {
    out += fmt::format("{},{},{},{},{},{}\n", method, csv_field(driver), csv_field(statistic), csv_cell(value),
                       ci ? csv_cell(ci->low) : "",
                       ci ? csv_cell(ci->high) : "");
  };
  // An input value's row names its element when the input is a group.
  const auto input_element = [&](std::size_t input, std::size_t e) -> const std::string& {
    const SensitivityInput& group = report.inputs[input];
    return per_element(model, group) ? name_of(model, group.variables[e]) : group.name;
  };
  if (report.tornado) {
    row("tornado", "", "base", report.tornado->base);
    for (const TornadoBar& bar : report.tornado->bars) {
      const std::string& driver = report.inputs[bar.input].name;
      for (std::size_t e = 0; e < bar.low_input.size(); ++e) {
        const std::string& element = input_element(bar.input, e);
        row("tornado", element, "low_input", bar.low_input[e]);
        row("tornado", element, "high_input", bar.high_input[e]);
      }
      row("tornado", driver, "output_low", bar.output_low);
      row("tornado", driver, "output_high", bar.output_high);
      row("tornado", driver, "swing", bar.swing);
    }
  }
  if (report.spider)
    for (const SpiderLine& line : report.spider->lines)
      for (const SpiderPoint& point : line.points) {
        const std::string at = percent_label(point.probability);
        for (std::size_t e = 0; e < point.input.size(); ++e)
          row("spider", input_element(line.input, e), "input_p" + at, point.input[e]);
        row("spider", report.inputs[line.input].name, "output_p" + at, point.output);
      }
  if (report.correlation)
    for (const RankCorrelation& driver : report.correlation->inputs) {
      row("correlation", report.inputs[driver.input].name, "spearman", driver.spearman);
      row("correlation", report.inputs[driver.input].name, "contribution", driver.contribution);
    }
  if (report.sobol)
    for (const SobolIndex& driver : report.sobol->inputs) {
      row("sobol", report.inputs[driver.input].name, "first", driver.first, &driver.first_ci);
      row("sobol", report.inputs[driver.input].name, "total", driver.total, &driver.total_ci);
    }
  if (report.shapley)
    for (const ShapleyEffect& driver : report.shapley->inputs)
      row("shapley", report.inputs[driver.input].name, "effect", driver.effect, &driver.ci);
  if (report.regional)
    for (const RegionalMiss& miss : report.regional->misses) {
      const std::string where =
          fmt::format("{}_{}", model.guidance[miss.guidance].name, miss.side == MissSide::below ? "below" : "above");
      row("regional", "", where + "_probability", miss.probability);
      for (const RegionalShift& shift : miss.inputs)
        row("regional", report.inputs[shift.input].name, where + "_shift_sd", shift.shift_sd);
    }
  for (const auto& [method, design] : sensitivity_designs(report)) {
    out += fmt::format("{},,evaluations,{},,\n", method_name(method), design->evaluations);
    out += fmt::format("{},,nonfinite,{},,\n", method_name(method), design->nonfinite);
  }
  return out;
}

}  // namespace guidance
