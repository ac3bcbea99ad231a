// The Excel workbook (docs/output-format.md, "workbook"), written with libxlsxwriter: rendering only,
// every number as the report holds it, only the cell formats chosen here.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <xlsxwriter.h>

#include "guidance/report.hpp"
#include "guidance/sensitivity.hpp"
#include "guidance/tuning.hpp"
#include "report/format.hpp"
#include "report/workbook_check.hpp"

namespace guidance {

namespace {

void check(lxw_error error) {
  if (error != LXW_NO_ERROR) throw WorkbookError(lxw_strerror(error));
}

/// 2000-01-01T00:00:00Z: the workbook's creation time, so that the same report gives the same bytes.
constexpr std::time_t fixed_creation_time = 946'684'800;

constexpr std::string_view probability_format = "0.00%";
constexpr std::string_view count_format = "#,##0";
constexpr std::string_view index_format = "0.000";  // correlations and variance indices

/// Excel's number format for a variable's values, as the tables write them (format_with): the same
/// decimals, percents as percents, and a `format: currency` metric's sign and scale suffix
/// (`"$"#,##0"M"`, a trailing comma per thousand it is shown in: `"$"#,##0.00,"B"`). Other numbers
/// carry no sign: `units:` covers shares and headcounts too ("USD millions (EPS in USD per share)"), so
/// the About sheet states it instead. The cell keeps the full value; only its display changes.
std::string excel_format(const ValueFormat& format) {
  const std::string decimals = format.decimals > 0 ? "." + std::string(static_cast<std::size_t>(format.decimals), '0') : "";
  if (format.scientific) return "0" + decimals + "E+00" + (format.percent ? "%" : "");
  if (format.percent) return "0" + decimals + "%";
  if (format.currency.empty()) return "#,##0" + decimals;
  const std::string_view suffix = scale_suffix(format.scale_exponent + 3 * format.thousands);
  return fmt::format("\"{}\"#,##0{}{}{}", format.currency, decimals, std::string(static_cast<std::size_t>(format.thousands), ','),
                     suffix.empty() ? "" : fmt::format("\"{}\"", suffix));
}

/// A workbook being written: libxlsxwriter's handle and its cell formats, one per number format.
class Book {
 public:
  /// `large`: allow ZIP64, for a Trials sheet that may pass 4 GB uncompressed.
  Book(const std::string& file, const Model& model, bool large = false) : file_(file) {
    // Constant memory: each sheet's rows go to a temporary file as they are written, so a Trials sheet of a
    // million rows is not held in memory (the rows of a sheet are then written in order). The temporary
    // files go beside the workbook, on the disk the user chose for it, not to a small /tmp or $TMPDIR;
    // beside a device (/dev/null), where libxlsxwriter's own choice is better, they do not.
    std::error_code error;
    to_device_ = std::filesystem::exists(file, error) && !std::filesystem::is_regular_file(file, error);
    temporary_directory_ = std::filesystem::path(file).parent_path().string();
    if (temporary_directory_.empty()) temporary_directory_ = ".";
    lxw_workbook_options options{.constant_memory = LXW_TRUE,
                                 .tmpdir = to_device_ ? nullptr : temporary_directory_.data(),
                                 .use_zip64 = static_cast<std::uint8_t>(large ? LXW_TRUE : LXW_FALSE)};
    workbook_ = workbook_new_opt(file.c_str(), &options);
    if (workbook_ == nullptr) throw WorkbookError("out of memory");
    std::string title = model.name;
    lxw_doc_properties properties{};
    properties.title = title.data();
    properties.created = fixed_creation_time;
    check(workbook_set_properties(workbook_, &properties));
    bold_ = workbook_add_format(workbook_);
    if (bold_ == nullptr) throw WorkbookError("out of memory");
    format_set_bold(bold_);
  }
  Book(const Book&) = delete;
  Book& operator=(const Book&) = delete;
  ~Book() {
    if (workbook_ != nullptr) lxw_workbook_free(workbook_);
  }

  /// Write the file: libxlsxwriter assembles it here, so most write errors surface here, with errno
  /// still telling the system's reason when a write failed. The parts it assembles in temporary files
  /// it writes unchecked, so the workbook is read back before it counts as written (a device such as
  /// /dev/null cannot be read back).
  void close() {
    check_row_files();
    errno = 0;
    const lxw_error error = workbook_close(std::exchange(workbook_, nullptr));
    if (error != LXW_NO_ERROR) throw WorkbookError(lxw_strerror(error), errno);
    if (!to_device_) check_workbook_file(file_, sheets_);
  }

  /// A new worksheet, numbered in the workbook in the order they are added.
  lxw_worksheet* add_sheet(const char* name) {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook_, name);
    if (sheet == nullptr) throw WorkbookError(fmt::format("cannot add the sheet {}", name));
    sheets_.push_back({name, 0});
    return sheet;
  }
  /// Counts a cell given a value on the sheet added last, the one being written.
  void count_cell() { ++sheets_.back().cells; }

  lxw_format* bold() const { return bold_; }

  lxw_format* format(std::string_view number_format) {
    auto [at, added] = formats_.try_emplace(std::string(number_format), nullptr);
    if (added) {
      at->second = workbook_add_format(workbook_);
      if (at->second == nullptr) throw WorkbookError("out of memory");
      format_set_num_format(at->second, at->first.c_str());
    }
    return at->second;
  }
  lxw_format* format(const ValueFormat& value) { return format(excel_format(value)); }

  lxw_chart* chart(std::uint8_t type) {
    lxw_chart* made = workbook_add_chart(workbook_, type);
    if (made == nullptr) throw WorkbookError("out of memory");
    return made;
  }

 private:
  /// In constant memory each sheet's rows go to a temporary file that libxlsxwriter writes without
  /// checking, so a file-size limit or a full disk would cut a Trials sheet short and still give a
  /// workbook: its errors are looked for here, before the workbook is assembled from those files.
  void check_row_files() {
    lxw_worksheet* sheet = nullptr;
    LXW_FOREACH_WORKSHEET(sheet, workbook_) {
      std::FILE* rows = sheet->optimize_tmpfile;
      if (rows == nullptr) continue;
      errno = 0;
      if (std::fflush(rows) != 0 || std::ferror(rows) != 0) 
        throw WorkbookError("cannot write a temporary file", errno != 0 ? errno : EIO);
    }
  }

  std::string file_;
  bool to_device_ = false;
  std::string temporary_directory_;  // libxlsxwriter keeps the pointer until the workbook is closed
  std::vector<WrittenSheet> sheets_;
  lxw_workbook* workbook_ = nullptr;
  lxw_format* bold_ = nullptr;
  std::map<std::string, lxw_format*, std::less<>> formats_;
};

/// A sheet written row by row, left to right (what constant memory requires).
class Sheet {
 public:
  Sheet(Book& book, const char* name) : book_(book), name_(name), sheet_(book.add_sheet(name)) {}

  /// The header row, bold and frozen, and the column widths.
  Sheet& header(std::initializer_list<std::string_view> names) { return header(std::vector<std::string>(names.begin(), names.end())); }
  Sheet& header(const std::vector<std::string>& names) {
    for (const std::string& name : names) {
      check(worksheet_write_string(sheet_, row_, column_, name.c_str(), book_.bold()));
      book_.count_cell();
      check(worksheet_set_column(sheet_, column_, column_, static_cast<double>(std::max<std::size_t>(name.size() + 2, 12)), nullptr));
      ++column_;
    }
    worksheet_freeze_panes(sheet_, 1, 0);
    return next();
  }

  /// An empty text leaves the cell empty (libxlsxwriter stores no cell for it).
  Sheet& text(std::string_view value) {
    check(worksheet_write_string(sheet_, row_, column_++, std::string(value).c_str(), nullptr));
    if (!value.empty()) book_.count_cell();
    return *this;
  }
  /// A number in `format`; a NaN or an infinity (null in the JSON) leaves the cell empty.
  Sheet& number(double value, lxw_format* format) {
    if (std::isfinite(value)) {
      check(worksheet_write_number(sheet_, row_, column_, value, format));
      book_.count_cell();
    }
    ++column_;
    return *this;
  }
  Sheet& number(double value, std::string_view format) { return number(value, book_.format(format)); }
  Sheet& count(std::uint64_t value) { return number(static_cast<double>(value), count_format); }
  Sheet& probability(double value) { return number(value, probability_format); }
  Sheet& interval(const Interval& value, lxw_format* format) { return number(value.low, format).number(value.high, format); }
  Sheet& skip(lxw_col_t columns = 1) {
    column_ = static_cast<lxw_col_t>(column_ + columns);
    return *this;
  }
  Sheet& next() {
    ++row_;
    column_ = 0;
    return *this;
  }

  lxw_row_t row() const { return row_; }
  lxw_col_t column() const { return column_; }
  const char* name() const { return name_; }
  void insert(lxw_chart* chart, lxw_row_t row, lxw_col_t column) { check(worksheet_insert_chart(sheet_, row, column, chart)); }

 private:
  Book& book_;
  const char* name_;
  lxw_worksheet* sheet_ = nullptr;
  lxw_row_t row_ = 0;
  lxw_col_t column_ = 0;
};

/// A run's rows in the Summary and Guidance sheets, and what identifies them: nothing for a run, the
/// variant for compare, the varied parameters' values for a sweep (`key` writes those cells).
struct Block {
  const Model& model;
  const RunReport& report;
  std::function<void(Sheet&)> key;
};

void write_about(Book& book, const Model& model, const RunReport* report, std::string_view command,
                 std::initializer_list<std::pair<std::string_view, std::string>> more = {}) {
  Sheet sheet(book, "About");
  sheet.header({"item", "value"});
  sheet.text("scenario").text(model.name).next();
  sheet.text("variant").text(model.variant).next();
  sheet.text("units").text(model.units).next();
  if (report != nullptr) {
    sheet.text("trials").count(report->trials).next();
    sheet.text("seed").text(fmt::format("{}", report->seed)).next();  // a text: a seed above 2^53 is not a double
    sheet.text("sampling").text(sampling_key(report->sampling)).next();
  }
  for (const auto& [item, value] : more) sheet.text(item).text(value).next();
  if (!command.empty()) sheet.text("command").text(command).next();
}

std::vector<std::string> with_key(const std::vector<std::string>& key, std::initializer_list<std::string_view> names) {
  std::vector<std::string> all = key;
  all.insert(all.end(), names.begin(), names.end());
  return all;
}

/// Every variable's statistics, one row each, in its own number format; an indicator metric, as the
/// table shows it, by the probability that it is 1 and its interval instead of statistics of 0 and 1.
void write_summary(Book& book, const std::vector<std::string>& key, const std::vector<Block>& blocks) {
  Sheet sheet(book, "Summary");
  std::vector<std::string> names = with_key(key, {"variable", "kind", "mean", "mean_se", "sd", "min", "max"});
  for (const double p : reported_percentiles) names.push_back(fmt::format("p{}", p));
  names.insert(names.end(), {"count", "nonfinite", "p", "p_low", "p_high"});
  sheet.header(names);
  constexpr auto statistics = static_cast<lxw_col_t>(5 + reported_percentiles.size());  // mean to the last percentile
  for (const Block& block : blocks)
    for (std::size_t v = 0; v < block.model.variables.size(); ++v) {
      const Variable& variable = block.model.variables[v];
      const Summary& summary = block.report.variables[v];
      lxw_format* format = book.format(variable_format(variable, summary));
      if (block.key) block.key(sheet);
      sheet.text(variable.name).text(variable.kind == VariableKind::driver ? "driver" : "metric");
      const IndicatorProbability* indicator = find_indicator(block.report, v);
      if (indicator != nullptr) {
        sheet.skip(statistics).count(summary.count).count(summary.nonfinite);
        sheet.probability(indicator->p).interval(indicator->p_ci, book.format(probability_format)).next();
        continue;
      }
      for (const double value : {summary.mean, summary.mean_se, summary.sd, summary.min, summary.max})
        sheet.number(value, format);
      for (const double value : summary.percentiles) sheet.number(value, format);
      sheet.count(summary.count).count(summary.nonfinite).next();
    }
}

/// A histogram of each guidance line that has one, its range shaded: data on a Histograms sheet, the
/// charts beside the Guidance table.
void write_histograms(Book& book, const Model& model, const RunReport& report, Sheet& guidance) {
  std::vector<std::size_t> charted;  // indices into report.guidance, which follows model.guidance
  for (std::size_t g = 0; g < report.guidance.size(); ++g)
    if (!report.guidance[g].histogram.counts.empty()) charted.push_back(g);
  if (charted.empty()) return;
  Sheet data(book, "Histograms");
  data.header({"line", "from", "to", "in range", "outside"});
  const lxw_col_t chart_column = static_cast<lxw_col_t>(guidance.column() + 2);
  for (std::size_t c = 0; c < charted.size(); ++c) {
    const GuidanceProbability& line = report.guidance[charted[c]];
    const Variable& variable = model.variables[line.variable];
    lxw_format* format = book.format(finer(variable_format(variable, report.variables[line.variable])));
    const lxw_row_t first = data.row();
    const HistogramBins& bins = line.histogram.bins;
    for (std::size_t k = 0; k < bins.count; ++k) {
      const double middle = bins.low + (static_cast<double>(k) + 0.5) * bins.width;
      const bool inside = middle >= line.low && middle <= line.high;
      data.text(line.name).number(bins.edge(k), format).number(bins.edge(k + 1), format);
      if (inside) data.count(line.histogram.counts[k]).skip();
      else data.skip().count(line.histogram.counts[k]);
      data.next();
    }
    const lxw_row_t last = static_cast<lxw_row_t>(data.row() - 1);

    lxw_chart* chart = book.chart(LXW_CHART_COLUMN_STACKED);
    const std::string title = fmt::format("{}: P(in {}) {}", line.name, format_range(model.guidance[charted[c]]),
                                          format_probability(line.p_in));
    chart_title_set_name(chart, title.c_str());
    for (const auto& [column, color] : {std::pair<lxw_col_t, lxw_color_t>{3, 0x2E7D32}, {4, 0x9E9E9E}}) {
      lxw_chart_series* series = chart_add_series(chart, nullptr, nullptr);
      if (series == nullptr) throw WorkbookError("out of memory");
      chart_series_set_categories(series, data.name(), first, 1, last, 1);
      chart_series_set_values(series, data.name(), first, column, last, column);
      chart_series_set_name_range(series, data.name(), 0, column);
      lxw_chart_fill fill{.color = color, .none = 0, .transparency = 0};
      chart_series_set_fill(series, &fill);
    }
    chart_set_series_gap(chart, 0);
    chart_axis_set_name(chart->x_axis, fmt::format("{}{}", variable.name, model.units.empty() || variable.percent ? "" : " (" + model.units + ")").c_str());
    chart_axis_set_name(chart->y_axis, "trials");
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    guidance.insert(chart, static_cast<lxw_row_t>(c * 16), chart_column);
  }
}

/// Every guidance line's probabilities, then the joint probability of all lines, per block.
Sheet write_guidance(Book& book, const std::vector<std::string>& key, const std::vector<Block>& blocks) {
  Sheet sheet(book, "Guidance");
  sheet.header(with_key(key, {"line", "variable", "low", "high", "p_in", "p_in_low", "p_in_high", "p_below",
                              "p_above", "nonfinite"}));
  for (const Block& block : blocks) {
    for (const GuidanceProbability& line : block.report.guidance) {
      const Variable& variable = block.model.variables[line.variable];
      lxw_format* format = book.format(variable_format(variable, block.report.variables[line.variable]));
      if (block.key) block.key(sheet);
      sheet.text(line.name).text(variable.name).number(line.low, format).number(line.high, format);
      sheet.probability(line.p_in).interval(line.p_in_ci, book.format(probability_format));
      sheet.probability(line.p_below).probability(line.p_above).count(line.nonfinite).next();
    }
    if (block.report.guidance.empty()) continue;
    if (block.key) block.key(sheet);
    sheet.text("all lines").skip(3).probability(block.report.joint_p_in);
    sheet.interval(block.report.joint_p_in_ci, book.format(probability_format)).next();
  }
  return sheet;
}

/// One run's Summary and Guidance, with the guided metrics' histograms.
void write_run_sheets(Book& book, const Model& model, const RunReport& report) {
  const std::vector<Block> blocks = {{model, report, nullptr}};
  write_summary(book, {}, blocks);
  Sheet guidance = write_guidance(book, {}, blocks);
  write_histograms(book, model, report, guidance);
}

/// Every trial: a column per variable, a row per trial.
void write_trials(Book& book, const Model& model, const RunReport& report, const SimulationResult& result) {
  if (result.trials > max_workbook_trials)
    throw std::invalid_argument(fmt::format("a Trials sheet holds at most {} trials", max_workbook_trials));
  Sheet sheet(book, "Trials");
  std::vector<std::string> names = {"trial"};
  std::vector<lxw_format*> formats;
  for (std::size_t v = 0; v < model.variables.size(); ++v) {
    names.push_back(model.variables[v].name);
    formats.push_back(book.format(variable_format(model.variables[v], report.variables[v])));
  }
  sheet.header(names);
  for (std::uint64_t trial = 0; trial < result.trials; ++trial) {
    sheet.count(trial);
    for (std::size_t v = 0; v < model.variables.size(); ++v) {
      const std::span<const double> column = result.column(v);
      sheet.number(column.empty() ? model.variables[v].constant_value : column[trial], formats[v]);
    }
    sheet.next();
  }
}

/// A driver's or metric's inputs and outputs in the sensitivity sheets, which have no run's summary to
/// choose decimals from: percents as percents, else two to four decimals.
lxw_format* plain_format(Book& book, const Variable& variable) {
  return book.format(variable.percent ? probability_format : std::string_view("#,##0.00##"));
}

/// The tornado: one row per bar, largest swing first, its bar chart beside them, then the base.
void write_tornado(Book& book, const Model& model, const SensitivityReport& report) {
  const Tornado& tornado = *report.tornado;
  const Variable& metric = model.variables[report.metric];
  lxw_format* output = plain_format(book, metric);
  Sheet sheet(book, "Tornado");
  sheet.header({"driver", "low_input", "high_input", "output_low", "output_high", "swing", "change_low", "change_high"});
  for (const TornadoBar& bar : tornado.bars) {
    // A group of several elements leaves its inputs empty (the CSV and JSON give each element's).
    const SensitivityInput& driver = report.inputs[bar.input];
    lxw_format* input = plain_format(book, model.variables[driver.variables.front()]);
    sheet.text(driver.name);
    if (driver.variables.size() == 1)
      sheet.number(bar.low_input.front(), input).number(bar.high_input.front(), input);
    else
      sheet.skip(2);
    sheet.number(bar.output_low, output).number(bar.output_high, output).number(bar.swing, output);
    // The bars' ends from the base, as the chart draws them.
    sheet.number(bar.output_low - tornado.base, output).number(bar.output_high - tornado.base, output).next();
  }
  const lxw_row_t last = static_cast<lxw_row_t>(sheet.row() - 1);
  sheet.next().text("base").skip(2).number(tornado.base, output).next();
  if (tornado.bars.empty()) return;

  lxw_chart* chart = book.chart(LXW_CHART_BAR);
  const std::string title = fmt::format("{}: change from the base {} with each driver at P{:g} and P{:g}", metric.name,
                                        format_with(tornado.base, choose_format(metric.percent, std::abs(tornado.base))),
                                        report.range_low * 100.0, report.range_high * 100.0);
  chart_title_set_name(chart, title.c_str());
  for (const lxw_col_t column : {lxw_col_t{6}, lxw_col_t{7}}) {
    lxw_chart_series* series = chart_add_series(chart, nullptr, nullptr);
    if (series == nullptr) throw WorkbookError("out of memory");
    chart_series_set_categories(series, sheet.name(), 1, 0, last, 0);
    chart_series_set_values(series, sheet.name(), 1, column, last, column);
    chart_series_set_name_range(series, sheet.name(), 0, column);
  }
  chart_set_series_overlap(chart, 100);
  chart_set_series_gap(chart, 40);
  chart_axis_set_reverse(chart->y_axis);  // the largest swing at the top, as in the table
  chart_axis_set_label_position(chart->y_axis, LXW_CHART_AXIS_LABEL_POSITION_LOW);  // names clear of the bars
  chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
  sheet.insert(chart, 0, 9);
}

void write_sensitivity_methods(Book& book, const Model& model, const SensitivityReport& report) {
  const auto driver = [&](std::size_t input) -> const std::string& { return report.inputs[input].name; };
  lxw_format* index = book.format(index_format);
  if (report.spider) {
    lxw_format* output = plain_format(book, model.variables[report.metric]);
    Sheet sheet(book, "Spider");
    sheet.header({"driver", "percentile", "input", "output"});
    for (const SpiderLine& line : report.spider->lines) {
      const std::vector<std::size_t>& elements = report.inputs[line.input].variables;
      for (const SpiderPoint& point : line.points) {
        sheet.text(driver(line.input)).probability(point.probability);
        if (elements.size() == 1)
          sheet.number(point.input.front(), plain_format(book, model.variables[elements.front()]));
        else
          sheet.skip(1);
        sheet.number(point.output, output).next();
      }
    }
  }
  if (report.correlation) {
    Sheet sheet(book, "Correlation");
    sheet.header({"driver", "spearman", "contribution"});
    for (const RankCorrelation& row : report.correlation->inputs)
      sheet.text(driver(row.input)).number(row.spearman, index).probability(row.contribution).next();
  }
  if (report.sobol) {
    Sheet sheet(book, "Sobol");
    sheet.header({"driver", "first", "first_low", "first_high", "total", "total_low", "total_high"});
    for (const SobolIndex& row : report.sobol->inputs)
      sheet.text(driver(row.input)).number(row.first, index).interval(row.first_ci, index)
          .number(row.total, index).interval(row.total_ci, index).next();
  }
  if (report.shapley) {
    Sheet sheet(book, "Shapley");
    sheet.header({"driver", "effect", "effect_low", "effect_high"});
    for (const ShapleyEffect& row : report.shapley->inputs)
      sheet.text(driver(row.input)).number(row.effect, index).interval(row.ci, index).next();
  }
  if (report.regional) {
    Sheet sheet(book, "Regional");
    sheet.header({"line", "side", "trials", "probability", "driver", "shift_sd"});
    for (const RegionalMiss& miss : report.regional->misses) {
      const auto row = [&] {
        sheet.text(model.guidance[miss.guidance].name).text(miss.side == MissSide::below ? "below" : "above");
        sheet.count(miss.trials).probability(miss.probability);
      };
      if (miss.inputs.empty()) {
        row();
        sheet.next();
      }
      for (const RegionalShift& shift : miss.inputs) {
        row();
        sheet.text(driver(shift.input)).number(shift.shift_sd, "0.00").next();
      }
    }
  }
  Sheet sheet(book, "Methods");
  sheet.header({"method", "evaluations", "nonfinite", "skipped because"});
  for (const auto& [method, design] : sensitivity_designs(report))
    sheet.text(method_name(method)).count(design->evaluations).count(design->nonfinite).next();
  for (const SkippedMethod& skipped : report.skipped) sheet.text(method_name(skipped.method)).skip(2).text(skipped.reason).next();
}

/// propose's ranges, one row each: the narrowest and the central, the published one, then every
/// guidance line (its P(in) with its interval).
void write_proposal(Book& book, const Model& model, const RunReport& report, const Proposal& proposal) {
  const std::size_t metric = static_cast<std::size_t>(model.find(proposal.metric));
  lxw_format* format = book.format(variable_format(model.variables[metric], report.variables[metric]));
  Sheet sheet(book, "Propose");
  sheet.header({"range", "low", "high", "p_in", "p_in_low", "p_in_high", "low_rank", "high_rank", "center", "half_width"});
  sheet.text("narrowest").interval(proposal.narrowest, format).probability(proposal.narrowest_p_in).skip(2);
  sheet.interval(proposal.narrowest_ranks, book.format(probability_format)).next();
  sheet.text("central").interval(proposal.central, format).probability(proposal.central_p_in).skip(2);
  sheet.interval(proposal.central_ranks, book.format(probability_format)).next();
  if (proposal.publish) {
    const PublishedRange& published = *proposal.publish;
    sheet.text("publish").interval(published.range, format).probability(published.p_in).skip(2);
    sheet.interval(published.ranks, book.format(probability_format));
    if (published.center) sheet.number(*published.center, format).number(published.half_width, format);
    sheet.next();
  }
  for (std::size_t g = 0; g < proposal.lines.size(); ++g) {  // lines follow model.guidance
    const LineRank& line = proposal.lines[g];
    const std::size_t variable = model.guidance[g].variable;
    lxw_format* line_format = book.format(variable_format(model.variables[variable], report.variables[variable]));
    sheet.text("guidance " + line.name).number(line.low, line_format).number(line.high, line_format);
    sheet.probability(line.p_in).interval(line.p_in_ci, book.format(probability_format));
    sheet.probability(line.low_rank).probability(line.high_rank).next();
  }
}

}  // namespace

void write_run_workbook(const std::string& file, const Model& model, const RunReport& report,
                        const SimulationResult* trials, std::string_view command) {
  Book book(file, model, trials != nullptr);
  write_about(book, model, &report, command);
  write_run_sheets(book, model, report);
  if (trials != nullptr) write_trials(book, model, report, *trials);
  book.close();
}

void write_compare_workbook(const std::string& file, std::span<const VariantReport> variants, std::string_view command) {
  if (variants.empty()) throw std::invalid_argument("compare has no variants");
  Book book(file, variants.front().model);
  write_about(book, variants.front().model, &variants.front().report, command);
  std::vector<Block> blocks;
  for (const VariantReport& variant : variants)
    blocks.push_back({variant.model, variant.report, [&](Sheet& sheet) { sheet.text(variant.variant); }});
  write_summary(book, {"variant"}, blocks);
  write_guidance(book, {"variant"}, blocks);
  book.close();
}

void write_sweep_workbook(const std::string& file, const Sweep& sweep, std::string_view command) {
  if (sweep.points.empty()) throw std::invalid_argument("the sweep has no points");
  const Model& first = sweep.points.front().model;
  Book book(file, first);
  write_about(book, first, &sweep.points.front().report, command);
  std::vector<std::string> key;
  std::vector<lxw_format*> key_formats;
  for (const Variation& variation : sweep.vary) {
    key.push_back(variation.name());
    key_formats.push_back(book.format(variation.percent ? probability_format : std::string_view("General")));
  }
  const auto point_key = [&](const SweepPoint& point) {
    return [&](Sheet& sheet) {
      for (std::size_t k = 0; k < point.values.size(); ++k) sheet.number(point.values[k], key_formats[k]);
    };
  };

  // One row per point: the P(in) of each line and of all at once, the table a chart over the sweep reads.
  Sheet table(book, "Sweep");
  std::vector<std::string> names = key;
  for (const GuidanceRange& line : first.guidance) names.push_back("p_in " + line.name);
  if (!first.guidance.empty()) names.push_back("p_in all lines");
  table.header(names);
  for (const SweepPoint& point : sweep.points) {
    point_key(point)(table);
    for (const GuidanceProbability& line : point.report.guidance) table.probability(line.p_in);
    if (!point.report.guidance.empty()) table.probability(point.report.joint_p_in);
    table.next();
  }
  std::vector<Block> blocks;
  for (const SweepPoint& point : sweep.points) blocks.push_back({point.model, point.report, point_key(point)});
  write_summary(book, key, blocks);
  write_guidance(book, key, blocks);
  book.close();
}

void write_sensitivity_workbook(const std::string& file, const Model& model, const SensitivityReport& report,
                                std::string_view command) {
  Book book(file, model);
  write_about(book, model, nullptr, command,
              {{"metric", model.variables[report.metric].name},
               {"trials", fmt::format("{}", report.trials)},
               {"seed", fmt::format("{}", report.seed)},
               {"sampling", std::string(sampling_key(report.sampling))},
               {"range", fmt::format("P{:g} to P{:g}", report.range_low * 100.0, report.range_high * 100.0)}});
  if (report.tornado) write_tornado(book, model, report);
  write_sensitivity_methods(book, model, report);
  book.close();
}

void write_proposal_workbook(const std::string& file, const Model& model, const RunReport& report,
                             const Proposal& proposal, std::string_view command) {
  Book book(file, model);
  write_about(book, model, &report, command,
              {{"metric", proposal.metric}, {"confidence", format_probability(proposal.confidence)}});
  write_proposal(book, model, report, proposal);
  write_run_sheets(book, model, report);
  book.close();
}

}  // namespace guidance
