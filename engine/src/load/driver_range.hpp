// A driver's `range:`, the file's reading of a published range:
//
//   ranges: p10-p90                                     # file-wide (the default)
//   drivers:
//     revenue: {dist: normal, range: "16000 ± 2%"}      # = {dist: normal, p10: 15680, p90: 16320}
//     other_income: {dist: uniform, range: "80 to 120", reads_as: min-max}   # = {min: 80, max: 120}
//
// The range stands for the parameters its reading names, exactly: the same doubles, so the same run.
#pragma once

#include <optional>
#include <string>

#include "load/range_text.hpp"
#include "load/yaml_tree.hpp"

namespace guidance::load_detail {

/// What the whole file says about ranges: its `units:` and its `ranges:` reading.
struct RangeContext {
  FigureUnits units;
  RangeReading reading;
};

/// The parameters a driver's `range:` stands for: its ends as `min` and `max`, or two percentiles.
struct DriverRange {
  const YamlNode* node = nullptr;  // the `range` entry
  bool ends = false;
  double low_probability = 0.0, high_probability = 0.0;  // when !ends
  double low = 0.0, high = 0.0;
  bool percent = false;
};

/// The driver's `range:` under its reading (`reads_as:`, else the file's), or nothing when it has none.
/// A reading the kind cannot take is refused: percentiles for triangular and pert (which take their
/// ends), ends for normal and lognormal (which have none), any range for discrete. Throws InputError.
std::optional<DriverRange> read_driver_range(const YamlNode& map, const std::string& kind, const RangeContext& context);

}  // namespace guidance::load_detail
