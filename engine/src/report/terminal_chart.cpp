#include "report/terminal_chart.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

namespace guidance {

namespace {

constexpr int levels_per_row = 8;
constexpr std::array<std::string_view, levels_per_row + 1> block_levels = {" ", "▁", "▂", "▃", "▄",
                                                                           "▅", "▆", "▇", "█"};
constexpr std::array<std::string_view, levels_per_row + 1> ascii_levels = {" ", "_", "_", ".", ".",
                                                                           "o", "o", "#", "#"};

/// One column of the chart: the count of one or more adjacent bins, and whether they lie in the range.
struct Bar {
  std::uint64_t count = 0;
  bool inside = true;
};

std::vector<Bar> bars_of(const Histogram& histogram, double range_low, double range_high, std::size_t most) {
  const std::size_t bins = histogram.counts.size();
  const std::size_t per_column = (bins + most - 1) / most;
  const double half_bin = histogram.bins.width / 2;
  std::vector<Bar> columns((bins + per_column - 1) / per_column);
  for (std::size_t k = 0; k < bins; ++k) {
    Bar& column = columns[k / per_column];
    column.count += histogram.counts[k];
    column.inside = column.inside && histogram.bins.edge(k) >= range_low - half_bin &&
                    histogram.bins.edge(k + 1) <= range_high + half_bin;
  }
  return columns;
}

}  // namespace

std::string terminal_histogram(const Histogram& histogram, double range_low, double range_high, ValueFormat format,
                               const TerminalChartOptions& options) {
  if (histogram.counts.empty() || histogram.finite == 0) return {};
  const std::string left = format_with(histogram.bins.low, format);
  const std::string right = format_with(histogram.bins.high(), format);
  // indent, left label, space, bars, space, right label.
  const std::size_t frame = options.indent + left.size() + right.size() + 2;
  const std::size_t room = options.columns > frame + 8 ? options.columns - frame : 8;
  const std::vector<Bar> columns = bars_of(histogram, range_low, range_high, room);

  std::uint64_t tallest = 0;
  for (const Bar& column : columns) tallest = std::max(tallest, column.count);
  if (tallest == 0) return {};  // every value beyond the chart's ends
  const auto& glyphs = options.ascii ? ascii_levels : block_levels;
  const auto paint = [&](std::string text, bool inside) {
    if (!options.color || text == " ") return text;
    return fmt::format("\x1b[{}m{}\x1b[0m", inside ? "36" : "2", text);
  };

  const std::string margin(options.indent + left.size() + 1, ' ');
  std::string top = margin, bottom = margin, axis = fmt::format("{:{}}{} ", "", options.indent, left);
  for (const Bar& column : columns) {
    // Sixteen levels over two rows; a non-empty column shows at least the lowest.
    int level = static_cast<int>(std::lround(static_cast<double>(column.count) / static_cast<double>(tallest) *
                                             2 * levels_per_row));
    if (column.count > 0) level = std::max(level, 1);
    top += paint(std::string(glyphs[static_cast<std::size_t>(std::max(0, level - levels_per_row))]), column.inside);
    bottom += paint(std::string(glyphs[static_cast<std::size_t>(std::min(level, levels_per_row))]), column.inside);
    axis += paint(std::string(options.ascii ? (column.inside ? "=" : "-") : (column.inside ? "═" : "─")),
                  column.inside);
  }
  // Trailing spaces of the top row carry nothing.
  const std::size_t end = top.find_last_not_of(' ');
  top.erase(end == std::string::npos ? 0 : end + 1);
  return fmt::format("{}\n{}\n{} {}\n", top, bottom, axis, right);
}

}  // namespace guidance
