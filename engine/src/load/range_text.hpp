// Ranges written the way companies publish them, read exactly (decimal arithmetic, one rounding):
//
//   "16000 ± 2%"       15680 to 16320 (a percent margin around a plain figure is relative)
//   "72.5% ± 50bp"     72% to 73% (bp = basis points, pt = percentage points)
//   "0.04 +- 0.10"     -0.06 to 0.14 (`±`, `+-` and `+/-` are the same)
//   "~2000 ± 1%"       1980 to 2020 (`~` marks a figure as approximate and changes nothing)
//   "1,100 to 1,130"   explicit ends; thousands separators group three digits
//   "~2000"            a point: the figure stated to its last digit (guidance only)
//   "$16.0B"           16000 when the file declares `units: USD millions` (see read_figure_units)
//
// Every malformed form is an InputError at the offending part of the text, with a hint.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "load/yaml_tree.hpp"

namespace guidance::load_detail {

/// What a file's `units:` lets figures carry: a currency sign and the K, M and B suffixes.
/// Recognised: a currency (`USD` or `$`, `EUR` or `€`, `GBP` or `£`) and/or a scale (`thousands`,
/// `millions`, `billions`, or singular), at the start of the text; anything after them is free text
/// ("USD millions (EPS in USD per share)"). `units: USD millions` reads "$16.0B" as 16000 and "$0.04" as 0.04.
struct FigureUnits {
  std::string text;                   // as declared, for messages
  std::string sign;                   // "$", "€", "£" or empty (no currency recognised)
  std::optional<int> scale_exponent;  // 0, 3, 6 or 9 (figures are in units of 10^this); empty: none stated
};
FigureUnits read_figure_units(std::string_view units);

/// A range as read. Values are the doubles nearest the exact decimal ends.
struct RangeText {
  double low = 0.0;
  double high = 0.0;
  bool percent = false;  // written with percents: shown as percents
  bool point = false;    // a single figure ("~2000"): low == high
  double step = 0.0;     // a point's last stated digit: 1 for "2000", 0.1 for "2000.0", 0.001 for "72.5%"
};

/// Read a scalar range. `points` allows a single figure ("~2000"); otherwise one is refused with a
/// hint to give a margin. Throws InputError.
RangeText read_range_text(const YamlNode& node, const FigureUnits& units, bool points);

/// The values whose figure reported to `step` lies in [low, high] (an infinite end stays open): the
/// figure is round_to(x, step) (formula/rounding.hpp: halves away from zero, on the decimal digits), so
/// the ends move out to the halves between reported figures, a half included where it rounds inward.
/// "~2000" (step 1) gives [1999.5, the double below 2000.5]; [0.19, 0.22] to the cent gives
/// [0.185, the double below 0.225]. Nothing when no reported figure lies in the range.
std::optional<std::pair<double, double>> reported_interval(double low, double high, double step);

/// How a driver's `range:` is read: between two percentiles, or as the distribution's ends.
///   "p10-p90" (any pA-pB, 0 < A < B < 100), "min-max", or a central confidence "80%" (= p10-p90).
struct RangeReading {
  std::string text = "p10-p90";
  bool ends = false;           // min-max
  double low_probability = 0.1;
  double high_probability = 0.9;
};
RangeReading read_range_reading(const YamlNode& node);

}  // namespace guidance::load_detail
