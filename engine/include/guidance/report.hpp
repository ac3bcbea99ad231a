// Rendering of results: rendering only, no statistics. The run's table, JSON, CSV, samples, HTML report
// and workbook, and the tables and JSON of compare, sweep, solve, propose and sensitivity.
//
//   const RunReport report = run_report(model, {.trials = 100'000});     // simulate.hpp
//   std::cout << render_table(model, report, {.histograms = true});
//   const std::string json = run_json(model, report).dump(2);           // with <nlohmann/json.hpp>
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Declares nlohmann::ordered_json only, so that a file which renders no JSON does not compile all of
// nlohmann/json.hpp; one that uses the *_json functions' value includes <nlohmann/json.hpp> itself.
#include <nlohmann/json_fwd.hpp>

#include "guidance/model.hpp"
#include "guidance/simulate.hpp"

namespace guidance {

struct TableOptions {
  bool color = false;      // ANSI colour (only when stdout is a terminal and NO_COLOR is unset)
  bool variables = true;   // the table of drivers and metrics (`check` shows only the guidance)
  bool histograms = false; // after the guidance table, a compact histogram of each metric with a
                           // guidance line (docs/output-format.md, "report")
  bool ascii = false;      // histograms in ASCII instead of Unicode block characters
  bool show_error = false; // under each variable, the 95% half-width of its mean and percentiles
};

/// What `guidance validate` prints for a good file: drivers with their distributions and implied
/// mean, P10 and P90; metrics in evaluation order; correlations; guidance lines.
std::string render_summary(const Scenario& scenario, const Model& model);

/// The people's view: variables with mean and P5/P10/P50/P90/P95, then guidance probabilities.
std::string render_table(const Model& model, const RunReport& report, const TableOptions& options = {});

/// The documented JSON (docs/output-format.md).
nlohmann::ordered_json run_json(const Model& model, const RunReport& report);

/// One row per variable with every statistic.
std::string render_csv(const Model& model, const RunReport& report);

/// The raw trials: a header row, then a row per trial with a column per driver and metric.
void write_samples_csv(std::ostream& out, const Model& model, const SimulationResult& result);
/// write_samples_csv in parts, for trials that come a chunk at a time (stream_trials): the header
/// row, then the rows of `result`'s trials, numbered from `first`.
void write_samples_header(std::ostream& out, const Model& model);
void write_samples_rows(std::ostream& out, const Model& model, const SimulationResult& result, std::uint64_t first);

// ---- compare, sweep, solve and propose (tuning.hpp): tables of at most 80 columns, and the JSON ---

struct VariantReport;  // tuning.hpp
struct Sweep;
struct Solution;
struct Proposal;

/// The percentiles the tables show, for which variables.
struct TuningTable {
  std::vector<std::string> variables;  // empty: every variable with a guidance line
  std::vector<std::size_t> percentiles = {2, 4, 6};  // indices into reported_percentiles: P10, P50, P90
};

std::string render_compare(std::span<const VariantReport> variants, const TuningTable& table);
/// {"variants": {NAME: run_json}}.
nlohmann::ordered_json compare_json(std::span<const VariantReport> variants);

std::string render_sweep(const Sweep& sweep, const TuningTable& table);
/// {"vary": [{"name", "values"}], "points": [{"values": {NAME.PARAM: v}, "variables", "guidance", ...}]}.
nlohmann::ordered_json sweep_json(const Sweep& sweep);

std::string render_solution(const Solution& solution);
/// {"target", "vary", "value", "achieved", "achieved_ci", "bracket", "iterations", ...}.
nlohmann::ordered_json solution_json(const Solution& solution);

std::string render_proposal(const Model& model, const RunReport& report, const Proposal& proposal);
/// {"metric", "confidence", "narrowest": [lo, hi], "central": [lo, hi], "guidance": {...} | null, ...,
/// "publish": {"words", "range", "center", "half_width", "step", "p_in", "ranks"} | null}.
nlohmann::ordered_json proposal_json(const Model& model, const RunReport& report, const Proposal& proposal);

// ---- sensitivity (sensitivity.hpp) ----------------------------------------------------------------

struct SensitivityReport;  // sensitivity.hpp
struct DesignCount;
enum class SensitivityMethod;

/// A tornado of horizontal bars (Unicode blocks, 80 columns), then one table per method.
std::string render_sensitivity_table(const Model& model, const SensitivityReport& report, bool color = false);

/// The documented JSON (docs/output-format.md, "sensitivity"): only the requested methods' keys.
nlohmann::ordered_json sensitivity_json(const Model& model, const SensitivityReport& report);

/// One row per input and statistic: method,driver,statistic,value,ci_low,ci_high (a group's inputs
/// one row per element, under the element's name).
std::string render_sensitivity_csv(const Model& model, const SensitivityReport& report);

/// Each requested method's design (its cost and non-finite outputs), in report order.
std::vector<std::pair<SensitivityMethod, const DesignCount*>> sensitivity_designs(const SensitivityReport& report);

/// One sentence per skipped method (SensitivityReport::skipped): "sobol skipped: REASON; HINT".
std::vector<std::string> sensitivity_skipped(const SensitivityReport& report);

/// One sentence per design with non-finite outputs (what was left out), for tables and stderr.
std::vector<std::string> sensitivity_warnings(const Model& model, const SensitivityReport& report);

// ---- the HTML report (docs/output-format.md, "report") --------------------------------------------
// One self-contained page: inline CSS and SVG, no script, nothing fetched. The charts are drawn from
// the reports' own numbers (GuidanceProbability::histogram and cdf, percentiles, probabilities).

struct HtmlOptions {
  std::string command;  // the command line that made the report, shown so that it can be rerun
  /// The header and sections without the document around them, in one <div class="guidance-report">
  /// whose stylesheet applies only inside it (no "Reproduce", no footer): for another page to embed (a
  /// Jupyter notebook shows a Python result so).
  bool embedded = false;
};

/// The run: how to reproduce it, the guidance table and joint probability, per guidance line a
/// histogram (range shaded, P(in), P10/P50/P90) and the CDF, and every variable's percentiles.
std::string render_html_run(const Model& model, const RunReport& report, const HtmlOptions& options = {});

/// A sensitivity analysis: the tornado chart and a table per other method.
std::string render_html_sensitivity(const Model& model, const SensitivityReport& report,
                                    const HtmlOptions& options = {});

/// Variants compared: per guidance line their distributions and CDFs overlaid, P(in) side by side,
/// and the percentiles of each variant.
std::string render_html_compare(const std::vector<VariantReport>& variants, const HtmlOptions& options = {});

/// A sweep: per guidance line (and all lines at once) its P(in) against the first varied parameter,
/// a curve per value of the second; and a table of every point.
std::string render_html_sweep(const Sweep& sweep, const HtmlOptions& options = {});

// ---- the Excel workbook (docs/output-format.md, "workbook") ----------------------------------------
// Written with libxlsxwriter to a file it names (it cannot write to a stream). Numbers keep their full
// precision; cell formats show each value as the tables do (percents as percents, the tables' decimals,
// a `format: currency` metric with its sign and scale; the file's `units:` are on the About sheet).
// The same report gives the same bytes: the workbook's creation time is fixed. `command`, the command
// line that made the workbook, is recorded on the About sheet so that it can be rerun (no row when empty).

/// libxlsxwriter could not write the workbook: what() is its reason ("Zip generic error ZIP_ERRNO while
/// creating the xlsx file."), `system_error` the errno behind it (ENOSPC, EFBIG) or 0, and `hint` what
/// the user can do when that is known without the errno (or empty).
struct WorkbookError : std::runtime_error {
  WorkbookError(const std::string& reason, int system_error_ = 0, std::string hint_ = {})
      : std::runtime_error(reason), system_error(system_error_), hint(std::move(hint_)) {}
  int system_error = 0;
  std::string hint;
};

/// The most trials a Trials sheet holds: Excel's 1,048,576 rows, less the header.
inline constexpr std::uint64_t max_workbook_trials = 1'048'575;

/// The run: About, Summary, Guidance (with a histogram chart of each guidance line that has one), and
/// with `trials` a Trials sheet (at most max_workbook_trials; std::invalid_argument beyond).
void write_run_workbook(const std::string& file, const Model& model, const RunReport& report,
                        const SimulationResult* trials = nullptr, std::string_view command = {});

/// Variants compared: About, and Summary and Guidance with a variant column.
void write_compare_workbook(const std::string& file, std::span<const VariantReport> variants,
                            std::string_view command = {});

/// A sweep: About, Sweep (one row per point: each line's P(in)), and Summary and Guidance with a column
/// per varied parameter.
void write_sweep_workbook(const std::string& file, const Sweep& sweep, std::string_view command = {});

/// A sensitivity analysis: About, a sheet per method that ran (the tornado with its bar chart) and
/// Methods (each design's cost, and the methods skipped).
void write_sensitivity_workbook(const std::string& file, const Model& model, const SensitivityReport& report,
                                std::string_view command = {});

/// propose: About, Propose (the ranges and where each guidance line sits), Summary and Guidance as run's.
void write_proposal_workbook(const std::string& file, const Model& model, const RunReport& report,
                             const Proposal& proposal, std::string_view command = {});

/// "1234567.5" -> "1,234,567.5" (the integer part of a plain decimal string).
std::string group_thousands(std::string text);

/// Terminal columns of UTF-8 text: one per code point (fmt pads by code points too; every character
/// the reports and the progress bar draw is one column wide).
std::size_t display_columns(std::string_view text);

}  // namespace guidance
