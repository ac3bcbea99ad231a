// The people's view of a run: aligned, 80 columns, percents where the user wrote percents.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "guidance/report.hpp"
#include "report/format.hpp"
#include "report/terminal_chart.hpp"

namespace guidance {

namespace {

constexpr std::size_t number_width = 10;
constexpr std::size_t max_variable_name_width = 18;
// The columns of the variables table: the mean, then these percentiles (indices into
// reported_percentiles: P5, P10, P50, P90, P95).
constexpr std::array<std::size_t, 5> table_percentiles = {1, 2, 4, 6, 7};

std::string name_cell(std::string_view name, std::size_t width) {
  // A name longer than the column gets a line of its own, so that the numbers still line up.
  if (name.size() > width) return fmt::format("  {}\n  {:<{}}", name, "", width);
  return fmt::format("  {:<{}}", name, width);
}

/// The dimensioned driver or metric variable v is an element of, or null.
const ArrayRange* array_of(const Model& model, std::size_t v) {
  for (const ArrayRange& array : model.arrays)
    if (v >= array.first && v < array.first + element_count(array.shape)) return &array;
  return nullptr;
}

/// A row's label: a variable's name, or an element's labels ("routing,Q3") indented under its array's
/// name, which heads the array's rows.
std::string row_label(const Model& model, std::size_t v) {
  const std::string& name = model.variables[v].name;
  const ArrayRange* array = array_of(model, v);
  if (!array) return name;
  return "  " + name.substr(array->name.size() + 1, name.size() - array->name.size() - 2);
}

/// A variable's numbers as the table writes them: the mean, then its table_percentiles (none for a
/// constant).
std::vector<std::string> value_cells(const Variable& variable, const Summary& summary, const ValueFormat& format) {
  std::vector<std::string> cells{format_with(summary.mean, format)};
  if (variable.stochastic)
    for (const std::size_t p : table_percentiles) cells.push_back(format_with(summary.percentiles[p], format));
  return cells;
}

/// TableOptions::show_error: under a variable's row, the 95% half-width of each number: 1.96 standard errors for
/// the mean, the larger side of the order-statistic interval for a percentile.
std::vector<std::string> error_cells(const Summary& summary, const ValueFormat& format) {
  std::vector<std::string> cells{"±" + format_with(1.96 * summary.mean_se, format)};
  for (const std::size_t p : table_percentiles) {
    const double value = summary.percentiles[p];
    const Interval ci = summary.percentile_ci[p];
    cells.push_back("±" + format_with(std::max(value - ci.low, ci.high - value), format));
  }
  return cells;
}

void render_variables(std::string& out, const Model& model, const RunReport& report, std::size_t name_width,
                      bool show_error, const Painter& paint) {
  struct Row {
    std::vector<std::string> values, errors;  // errors: show_error, stochastic variables only
  };
  std::vector<Row> rows(model.variables.size());
  // Every number keeps a space before it, however wide: the columns widen rather than run together.
  std::size_t width = number_width;
  for (std::size_t v = 0; v < model.variables.size(); ++v) {
    const ValueFormat format = variable_format(model.variables[v], report.variables[v]);
    if (const IndicatorProbability* indicator = find_indicator(report, v)) {
      rows[v].values = {format_indicator(*indicator)};
    } else {
      rows[v].values = value_cells(model.variables[v], report.variables[v], format);
      if (show_error && model.variables[v].stochastic) rows[v].errors = error_cells(report.variables[v], format);
    }
    for (const std::vector<std::string>* cells : {&rows[v].values, &rows[v].errors})
      for (const std::string& cell : *cells) width = std::max(width, display_columns(cell) + 1);
  }
  const auto row = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (const std::string& cell : cells) text += fmt::format("{:>{}}", cell, width);
    return text;
  };

  std::vector<std::string> titles{"mean"};
  for (const std::size_t p : table_percentiles) titles.push_back(fmt::format("P{}", reported_percentiles[p]));
  out += paint.bold(fmt::format("  {:<{}}", "", name_width) + row(titles)) + "\n";

  for (const VariableKind kind : {VariableKind::driver, VariableKind::metric}) {
    out += paint.dim(kind == VariableKind::driver ? "drivers" : "metrics") + "\n";
    for (std::size_t v = 0; v < model.variables.size(); ++v) {
      const Variable& variable = model.variables[v];
      if (variable.kind != kind) continue;
      if (const ArrayRange* array = array_of(model, v); array && array->first == v)
        out += fmt::format("  {}\n", array->name);
      out += name_cell(row_label(model, v), name_width) + row(rows[v].values);
      if (!variable.stochastic) {
        out += paint.dim(variable.given ? "  (given)" : "  (constant)") + "\n";
        continue;
      }
      if (const IndicatorProbability* indicator = find_indicator(report, v)) {  // a probability, not percentiles
        out += fmt::format("  95% interval [{}, {}]\n", format_probability(indicator->p_ci.low),
                           format_probability(indicator->p_ci.high));
        continue;
      }
      out += "\n";
      if (!rows[v].errors.empty())
        out += paint.dim(fmt::format("  {:<{}}", "", name_width) + row(rows[v].errors)) + "\n";
    }
  }
  if (show_error)
    out += paint.dim(fmt::format("  ±: 95% half-widths (mean: 1.96 standard errors; percentiles: order statistics){}",
                                 report.sampling == Sampling::monte_carlo
                                     ? ""
                                     : "\n  iid formulas, only approximate under this sampling: repeat with other seeds")) +
           "\n";
}

/// Never silently: the rank correlations asked for beside those used after repair.
void render_repaired_correlations(std::string& out, const Model& model, const Painter& paint) {
  const std::vector<CorrelationPair>& pairs = model.copula.repairs;
  if (pairs.empty()) return;
  out += "\n" + paint.warn("correlations repaired (nearest valid matrix, Higham 2002): rank correlation") + "\n";
  out += paint.bold(fmt::format("  {:<36}{:>10}{:>10}", "pair", "requested", "used")) + "\n";
  for (const CorrelationPair& pair : pairs)
    out += fmt::format("  {:<36}{:>10.3f}{:>10.3f}\n", pair.a + " ~ " + pair.b, pair.requested, pair.used);
}

/// Never silently weaker than asked: a discrete driver's ties cap the rank correlation it can reach.
void render_discrete_correlations(std::string& out, const Model& model, const RunReport& report, const Painter& paint) {
  if (report.discrete_correlations.empty()) return;
  out += "\n" + paint.warn("rank correlations with a discrete driver, capped by its ties") + "\n";
  out += paint.bold(fmt::format("  {:<36}{:>10}{:>10}", "pair", "requested", "achieved")) + "\n";
  for (const AchievedCorrelation& pair : report.discrete_correlations)
    out += fmt::format("  {:<36}{:>10.3f}{:>10.3f}\n", model.variables[pair.a].name + " ~ " + model.variables[pair.b].name,
                       pair.requested, pair.achieved);
}

/// A precision run: how many trials and why it stopped.
void render_precision(std::string& out, const RunReport& report, const Painter& paint) {
  if (!report.precision) return;
  const PrecisionStop& stop = *report.precision;
  out += "\n" + paint.dim(fmt::format("stopped after {} round{} at {} trials: {}\n  largest 95% half-width {:.3g} "
                                      "({}), goal {:.3g}",
                                      stop.rounds, stop.rounds == 1 ? "" : "s",
                                      format_with(static_cast<double>(report.trials), {false, 0}),
                                      stop.reached ? "precision reached" : "max trials", stop.largest, stop.largest_at,
                                      stop.half_width)) +
         "\n";
}

void render_guidance(std::string& out, const Model& model, const RunReport& report, std::size_t name_width,
                     const Painter& paint) {
  std::size_t range_width = 8;
  for (const GuidanceRange& line : model.guidance) range_width = std::max(range_width, display_columns(format_range(line)));
  out += paint.bold(fmt::format("  {:<{}}  {:<{}}{:>9}  {:<17}{:>7}{:>7}", "guidance", name_width, "range",
                                range_width, "P(in)", "95% interval", "below", "above")) +
         "\n";
  bool any_unlikely = false;
  for (std::size_t g = 0; g < report.guidance.size(); ++g) {
    const GuidanceProbability& probability = report.guidance[g];
    const bool unlikely = probability.p_in < 0.5;
    any_unlikely |= unlikely;
    const std::string p_in = fmt::format("{:>8}{}", format_probability(probability.p_in), unlikely ? "*" : " ");
    out += name_cell(probability.name, name_width);
    out += fmt::format("  {:<{}}{}  {:<17}{:>7}{:>7}\n", format_range(model.guidance[g]), range_width,
                       unlikely ? paint.bad(p_in) : p_in,
                       fmt::format("[{}, {}]", format_probability(probability.p_in_ci.low),
                                   format_probability(probability.p_in_ci.high)),
                       format_probability(probability.p_below), format_probability(probability.p_above));
  }
  if (report.guidance.size() > 1) {
    const bool unlikely = report.joint_p_in < 0.5;
    const std::string p_in = fmt::format("{:>8}{}", format_probability(report.joint_p_in), unlikely ? "*" : " ");
    out += fmt::format("  {:<{}}  {:<{}}{}  [{}, {}]\n", "all at once", name_width, "", range_width,
                       unlikely ? paint.bad(p_in) : p_in, format_probability(report.joint_p_in_ci.low),
                       format_probability(report.joint_p_in_ci.high));
  }
  if (any_unlikely || report.joint_p_in < 0.5) out += paint.dim("  * less likely than not (P(in) < 50%)") + "\n";
}

/// A compact histogram of each metric with a guidance line (drivers' are the distributions the user
/// wrote), under a line with its name, range and P(in).
void render_histograms(std::string& out, const Model& model, const RunReport& report, const TableOptions& options,
                       const Painter& paint) {
  for (std::size_t g = 0; g < report.guidance.size(); ++g) {
    const GuidanceProbability& probability = report.guidance[g];
    const Variable& variable = model.variables[probability.variable];
    if (variable.kind != VariableKind::metric) continue;
    const ValueFormat format = variable_format(variable, report.variables[probability.variable]);
    const std::string chart = terminal_histogram(probability.histogram, probability.low, probability.high, format,
                                                 {.ascii = options.ascii, .color = options.color});
    // analyze() draws no chart for values within a factor of 4 of the largest double (chart_bins).
    const bool too_large = chart.empty() && variable.stochastic && report.variables[probability.variable].count > 0;
    if (chart.empty() && !too_large) continue;
    out += fmt::format("\n  {}  {}  P(in) {}\n", paint.bold(probability.name), format_range(model.guidance[g]),
                       format_probability(probability.p_in));
    out += too_large ? "  no chart: values too near the largest double (1.8e308) to divide into bins\n"
                     : chart;
  }
}

}  // namespace

std::string render_table(const Model& model, const RunReport& report, const TableOptions& options) {
  const Painter paint(options.color);
  std::string out = format_run_header(model, report);
  out += "\n";

  std::size_t name_width = 10;
  for (std::size_t v = 0; v < model.variables.size(); ++v) name_width = std::max(name_width, row_label(model, v).size());
  name_width = std::min(name_width, max_variable_name_width);

  if (options.variables) render_variables(out, model, report, name_width, options.show_error, paint);
  if (!model.guidance.empty()) {
    if (options.variables) out += "\n";
    render_guidance(out, model, report, name_width, paint);
    if (options.histograms) render_histograms(out, model, report, options, paint);
  }
  render_repaired_correlations(out, model, paint);
  render_discrete_correlations(out, model, report, paint);
  render_precision(out, report, paint);
  for (const ActualRank& actual : report.actuals) {
    const auto v = static_cast<std::size_t>(model.find(actual.name));
    out += fmt::format("\nactual {} = {}: {}", actual.name, format_variable_value(actual.value, model.variables[v]),
                       format_actual_rank(actual));
  }
  if (!report.actuals.empty()) out += "\n";
  for (std::size_t v = 0; v < model.variables.size(); ++v) {
    const std::uint64_t nonfinite = report.variables[v].nonfinite;
    if (nonfinite == 0) continue;
    out += paint.warn(fmt::format("\nwarning: {} is not a finite number in {} of {} trials (a division by zero?); "
                                  "those trials are left out of its statistics and counted outside its guidance",
                                  model.variables[v].name, nonfinite, report.trials)) +
           "\n";
  }
  return out;
}

}  // namespace guidance
