// A compact histogram for the terminal: two rows of bars (Unicode block eighths, or ASCII), then an
// axis row with the chart's ends and the guidance range marked. At most `columns` wide.
//
//                      ▁▂▃▅▅▆▇▇███▇▇▆▅▄▃▂
//          ▁▁▁▁▂▂▃▃▄▅▇▇████████████████████▆▅▄▄▃▂▂▁▁▁▁
//   0.1683 ─────────────══════════════════──────────── 0.2400
#pragma once

#include <string>

#include "guidance/histogram.hpp"
#include "report/format.hpp"

namespace guidance {

struct TerminalChartOptions {
  bool ascii = false;  // only ASCII bytes: bars of _ . o #, the axis of - and =
  bool color = false;  // bars inside the range in cyan, outside dim
  std::size_t columns = 80;
  std::size_t indent = 2;
};

/// Three lines, each ending in '\n'. Bins that do not fit are drawn several to a column. A bin
/// with any count gets at least the lowest bar, so that thin tails stay visible. Empty for a
/// histogram without bins or without a finite value inside them.
std::string terminal_histogram(const Histogram& histogram, double range_low, double range_high, ValueFormat format,
                               const TerminalChartOptions& options = {});

}  // namespace guidance
