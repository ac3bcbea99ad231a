// Number formatting, and the ordering of ranked rows, shared by the table, CSV and HTML renderers.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "guidance/model.hpp"
#include "guidance/report.hpp"
#include "guidance/simulate.hpp"

namespace guidance {

/// Terminal tables and wrapped text fit this many columns.
constexpr std::size_t page_width = 80;

/// How one variable's numbers are written: percents with two decimals, or a fixed number of decimals
/// chosen from the variable's magnitude so that a column lines up; from ten million up in millions,
/// billions or trillions ("51.00M"), and beyond those or below 0.0001 in scientific notation
/// ("1.230e-05"; zero as "0"), so that no number is wider than about ten characters or rounds to zero.
struct ValueFormat {
  bool percent = false;
  int decimals = 2;
  int thousands = 0;        // the values are written in units of 1000^thousands, with a suffix: 2 M, 3 B, 4 T
  bool scientific = false;  // "{:.{decimals}e}"
  std::string currency = {};  // written before the number ("$1,100M", "-$5M"); empty: none
  int scale_exponent = 0;     // with a currency, the values are in units of 10^this: 6 writes "M"
};

/// The format for numbers of about `magnitude` (e.g. the largest |P50| or |mean| of a variable).
ValueFormat choose_format(bool percent, double magnitude);

/// choose_format for a variable's numbers, with its metric's currency and digits (Display).
ValueFormat value_format(const Variable& variable, double magnitude);

/// The same format with one more decimal: for bin edges and widths.
ValueFormat finer(ValueFormat format);

/// "Monte Carlo", "Latin hypercube", "Sobol (scrambled)".
std::string_view sampling_name(Sampling sampling);

/// The format of a variable's numbers in tables and charts: from the larger of |P50| and |mean|.
ValueFormat variable_format(const Variable& variable, const Summary& summary);

/// "1,115.0", "63.50%", "0.2053", "$1,100M", "n/a" for NaN, "inf", "-inf".
std::string format_with(double value, ValueFormat format);

/// "low to high" in `format`, with as many more decimals as it takes for two different ends not to
/// read as the same figure ("$1,100.0M to $1,100.0M" is "$1,099.97M to $1,100.03M").
std::string format_ends(double low, double high, ValueFormat format);

/// The suffix of a currency's figures in units of 10^exponent: "", "K", "M", "B", "T" (0 to 12).
std::string_view scale_suffix(int exponent);

/// One number of a variable in the variable's own format: an actual, a constant.
std::string format_variable_value(double value, const Variable& variable);

/// "+0.123" with `decimals` decimals and a sign, "n/a" when not finite (an undefined correlation).
std::string format_signed(double value, int decimals);

/// A probability as a percent with one decimal: "80.1%" (and "<0.1%" / ">99.9%" near the ends, so
/// that a rare event never reads as impossible); "n/a" for NaN (an undefined share).
std::string format_probability(double p);

/// ANSI styling for terminal tables; plain text when colour is off.
class Painter {
 public:
  explicit Painter(bool color) : color_(color) {}
  std::string bold(std::string_view text) const { return wrap("1", text); }
  std::string dim(std::string_view text) const { return wrap("2", text); }
  std::string warn(std::string_view text) const { return wrap("33", text); }
  std::string bad(std::string_view text) const { return wrap("31", text); }

 private:
  std::string wrap(std::string_view code, std::string_view text) const;
  bool color_;
};

/// A number for a CSV cell: shortest round-trip form, empty for NaN (spreadsheets read an empty cell
/// as missing), "inf" and "-inf".
std::string csv_cell(double value);

/// Text for a CSV cell, quoted when it holds a comma, a quote or a newline (RFC 4180): an element's
/// name `revenue[routing,Q3]`, a scenario's name.
std::string csv_field(std::string_view text);

/// A guidance bound as the user would write it: up to 10 significant digits, "1,100", "63.5%".
std::string format_bound(double value, bool percent);

/// The range as the file writes it ("16000 ± 2%", "~$1.78B", "0.04 ± 0.10 (reported to 0.01)"), or
/// from its ends for a [low, high] line: "1,100 to 1,130", "at least 14%", "at most 0.22".
std::string format_range(const GuidanceRange& line);

/// The probability of an indicator metric (Variable::indicator) in `report`; null for any other.
const IndicatorProbability* find_indicator(const RunReport& report, std::size_t variable);

/// "P = 12.3%", or "P <0.1%" where format_probability writes a bound.
std::string format_indicator(const IndicatorProbability& indicator);

/// A percentile rank in [0, 1] as the model's percentile: "P68"; "<P1" and ">P99" for ranks that
/// round to 0 or 100 without being exactly that, so that "outside every trial" is never implied;
/// "n/a" for NaN (a variable finite in no trial).
std::string format_rank(double rank);

/// Where a reported figure fell: "the model's P88"; beyond every trial, how far: "above every trial,
/// 5.2 sd above the mean" (the distance left out when there is no sd, as for a constant); "no rank:
/// not a finite number in any trial".
std::string format_actual_rank(const ActualRank& actual);

/// The lines that open a table: the scenario's name, its description, "100,000 trials, seed 1,
/// Monte Carlo sampling; values in USD millions", and (with `variant`) the variant when it is not the
/// base.
std::string format_run_header(const Model& model, const RunReport& report, bool variant = true);

/// A number for JSON: non-finite numbers have no JSON form and are written as null.
nlohmann::ordered_json json_number(double value);

/// An interval as a JSON pair [low, high], non-finite ends as null.
nlohmann::ordered_json json_interval(const Interval& interval);

/// Sorts rows by size(row), largest first, ties in their order; undefined sizes (NaN) go last, since
/// compared as they are they would break the sort's ordering.
template <class Row, class Size>
void sort_largest_first(std::vector<Row>& rows, Size size) {
  const auto key = [&](const Row& row) {
    const double value = size(row);
    return std::isnan(value) ? -std::numeric_limits<double>::infinity() : value;
  };
  std::ranges::stable_sort(rows, [&](const Row& a, const Row& b) { return key(a) > key(b); });
}

}  // namespace guidance
