#include "load/driver_range.hpp"

#include <fmt/format.h>

namespace guidance::load_detail {

std::optional<DriverRange> read_driver_range(const YamlNode& map, const std::string& kind, const RangeContext& context) {
  const YamlNode* range = map.find("range");
  const YamlNode* reads_as = map.find("reads_as");
  if (!range) {
    if (reads_as) {
      throw InputError(reads_as->key_where, "`reads_as` without a `range`",
                       "`reads_as` says how the driver's `range:` is read: give one, e.g. range: \"80 to 120\"");
    }
    return std::nullopt;
  }
  const RangeReading reading = reads_as ? read_range_reading(*reads_as) : context.reading;
  const YamlNode& at = reads_as ? *reads_as : *range;
  const std::string read = reads_as ? fmt::format("`reads_as: {}`", reading.text)
                                    : fmt::format("the file's reading of ranges ({})", reading.text);
  if (kind == "discrete") {
    throw InputError(range->key_where, "a discrete distribution takes no `range`",
                     "give its `values` and `probabilities`");
  }
  const bool bounded = kind == "uniform" || kind == "triangular" || kind == "pert";
  if (reading.ends && !bounded) {
    throw InputError(at.where, fmt::format("a {} distribution has no ends, and {} reads the range as its ends", kind, read),
                     "read the range as percentiles instead, e.g. `reads_as: p5-p95`");
  }
  if (!reading.ends && kind != "normal" && kind != "lognormal" && kind != "uniform") {
    throw InputError(at.where, fmt::format("a {} distribution is not given by percentiles, and {} reads the range "
                                           "between percentiles",
                                           kind, read),
                     "read the range as the distribution's ends: `reads_as: min-max`");
  }
  if (!range->is_scalar()) {
    throw InputError(range->where, fmt::format("expected a range as text, found {}", range->describe()),
                     "write the range as published, e.g. range: \"16000 ± 2%\" or range: \"80 to 120\"");
  }
  const RangeText text = read_range_text(*range, context.units, false);
  return DriverRange{range, reading.ends, reading.low_probability, reading.high_probability, text.low, text.high,
                     text.percent};
}

}  // namespace guidance::load_detail
