// Chart layout: linear scales, round ticks, and the marks of each chart. Sizes are SVG user units; the
// charts scale with the page (html.cpp sets their width).
#include "report/charts.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "report/svg.hpp"

namespace guidance::charts {

namespace {

using svg::Anchor;
using svg::Box;
using svg::Canvas;
using svg::Point;

constexpr double chart_width = 720;
constexpr double left_margin = 64;   // y tick labels and the y axis title
constexpr double right_margin = 20;
constexpr double bottom_margin = 52;  // x tick labels and the x axis title

/// A plot area and the linear maps from values to it.
struct Plot {
  Box area;
  double x_low = 0.0, x_high = 1.0;
  double y_low = 0.0, y_high = 1.0;

  double x(double value) const { return area.x + (value - x_low) / (x_high - x_low) * area.width; }
  double y(double value) const { return bottom() - (value - y_low) / (y_high - y_low) * area.height; }
  double right() const { return area.x + area.width; }
  double bottom() const { return area.y + area.height; }
  /// x of a value that may be infinite or off the plot: held to the plot's edges.
  double clamped_x(double value) const {
    if (std::isnan(value)) return area.x;
    if (std::isinf(value)) return value < 0 ? area.x : right();
    return std::clamp(x(value), area.x, right());
  }
  bool shows(double value) const { return std::isfinite(value) && value >= x_low && value <= x_high; }
};

struct Ticks {
  std::vector<double> values;
  double step = 1.0;
};

/// Round ticks in [low, high]: multiples of 1, 2 or 5 times a power of ten, at most about `most`.
Ticks round_ticks(double low, double high, int most) {
  Ticks ticks;
  const double raw = (high - low) / most;
  if (!(raw > 0) || !std::isfinite(raw)) return ticks;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  ticks.step = 10 * power;
  for (const double multiple : {1.0, 2.0, 5.0})
    if (multiple * power >= raw) {
      ticks.step = multiple * power;
      break;
    }
  for (double k = std::ceil(low / ticks.step); k * ticks.step <= high + ticks.step * 1e-9; ++k)
    ticks.values.push_back(k * ticks.step);
  return ticks;
}

/// A tick's label with as many decimals as the step between ticks needs ("1,100", "0.195", "63.6%").
std::string tick_label(double value, double step, ValueFormat format) {
  const double shown = format.percent ? step * 100 : step;
  const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(shown) + 1e-9)));
  return format_with(value, {format.percent, decimals});
}

/// The smallest tick at or above `value` (1 for nothing to show), so that the tallest mark stays
/// inside the plot.
double round_up(double value, int most) {
  if (!(value > 0) || !std::isfinite(value)) return 1;
  const Ticks ticks = round_ticks(0, value, most);
  return ticks.step * std::ceil(value / ticks.step);
}

void x_axis(Canvas& canvas, const Plot& plot, ValueFormat format, std::string_view title) {
  canvas.line({plot.area.x, plot.bottom()}, {plot.right(), plot.bottom()}, "axis");
  const Ticks ticks = round_ticks(plot.x_low, plot.x_high, 7);
  for (const double value : ticks.values) {
    const double x = plot.x(value);
    canvas.line({x, plot.bottom()}, {x, plot.bottom() + 5}, "axis");
    canvas.text({x, plot.bottom() + 19}, tick_label(value, ticks.step, format), "tick", Anchor::middle);
  }
  canvas.text({plot.area.x + plot.area.width / 2, plot.bottom() + 42}, title, "axis-title", Anchor::middle);
}

/// Horizontal grid lines with labels at round values written in `format`, and the y axis title.
void y_axis(Canvas& canvas, const Plot& plot, int most, std::string_view title, ValueFormat format) {
  const Ticks ticks = round_ticks(plot.y_low, plot.y_high, most);
  for (const double value : ticks.values) {
    const double y = plot.y(value);
    canvas.line({plot.area.x, y}, {plot.right(), y}, "grid");
    canvas.text({plot.area.x - 7, y + 4}, tick_label(value, ticks.step, format), "tick", Anchor::end);
  }
  canvas.vertical_text({15, plot.area.y + plot.area.height / 2}, title, "axis-title");
}

/// The y axis of shares of trials: percent labels.
void share_axis(Canvas& canvas, const Plot& plot, int most, std::string_view title) {
  y_axis(canvas, plot, most, title, {true, 0});
}

/// The guidance range as a shaded band from `top` to the plot's bottom.
void shade_range(Canvas& canvas, const Plot& plot, double low, double high, double top) {
  const double from = plot.clamped_x(low), to = plot.clamped_x(high);
  canvas.rect({from, top, to - from, plot.bottom() - top}, "range");
  for (const double bound : {low, high})
    if (std::isfinite(bound)) canvas.line({plot.x(bound), top}, {plot.x(bound), plot.bottom()}, "range-edge");
}

/// Dashed vertical lines at the markers; with `labels`, labelled at the top of the plot (staggered
/// when close).
void mark_values(Canvas& canvas, const Plot& plot, const std::vector<Marker>& markers, ValueFormat format,
                 bool labels) {
  double previous = -std::numeric_limits<double>::infinity();
  bool lowered = false;
  for (const Marker& marker : markers) {
    if (!plot.shows(marker.value)) continue;
    const double x = plot.x(marker.value);
    canvas.line({x, plot.area.y}, {x, plot.bottom()}, "marker");
    if (!labels) continue;
    lowered = x - previous < 90 && !lowered;
    previous = x;
    canvas.text({x + 4, plot.area.y + (lowered ? 28 : 13)},
                fmt::format("{} {}", marker.label, format_with(marker.value, format)), "marker-label");
  }
}

}  // namespace

std::string histogram_svg(const DistributionChart& chart) {
  const Histogram& histogram = *chart.histogram;
  const auto finite = static_cast<double>(histogram.finite);
  double tallest = 0;
  for (const std::uint64_t count : histogram.counts) tallest = std::max(tallest, static_cast<double>(count) / finite);

  constexpr double height = 300, top = 44;
  Plot plot{{left_margin, top, chart_width - left_margin - right_margin, height - top - bottom_margin},
            histogram.bins.low, histogram.bins.high(), 0, round_up(tallest * 1.04, 4)};
  Canvas canvas(chart_width, height, chart.title);
  share_axis(canvas, plot, 4, "share of trials");
  shade_range(canvas, plot, chart.range_low, chart.range_high, 6);

  const double half_bin = histogram.bins.width / 2;
  for (std::size_t k = 0; k < histogram.counts.size(); ++k) {
    const double low = histogram.bins.edge(k), high = histogram.bins.edge(k + 1);
    const double share = static_cast<double>(histogram.counts[k]) / finite;
    const bool inside = low >= chart.range_low - half_bin && high <= chart.range_high + half_bin;
    const double x0 = plot.x(low), x1 = plot.x(high);
    canvas.rect({x0 + 0.5, plot.y(share), x1 - x0 - 1, plot.bottom() - plot.y(share)}, inside ? "bar in" : "bar out",
                fmt::format("{}: {} of trials", format_ends(low, high, finer(chart.format)),
                            format_probability(share)));
  }
  mark_values(canvas, plot, chart.markers, chart.format, true);

  // P(in) on the shaded range; P(below) and P(above) beside it where there is room.
  const double from = plot.clamped_x(chart.range_low), to = plot.clamped_x(chart.range_high);
  canvas.text({(from + to) / 2, 27}, fmt::format("P(in) {}", format_probability(chart.p_in)), "p-in", Anchor::middle);
  if (std::isfinite(chart.range_low) && from - plot.area.x >= 90)
    canvas.text({(plot.area.x + from) / 2, 27}, fmt::format("below {}", format_probability(chart.p_below)), "p-side",
                Anchor::middle);
  if (std::isfinite(chart.range_high) && plot.right() - to >= 90)
    canvas.text({(to + plot.right()) / 2, 27}, fmt::format("above {}", format_probability(chart.p_above)), "p-side",
                Anchor::middle);
  x_axis(canvas, plot, chart.format, chart.axis_title);
  return std::move(canvas).finish();
}

std::string fan_svg(const FanChart& chart) {
  // The y range holds every band, fixed value and finite guidance bound, with a little room.
  double low = std::numeric_limits<double>::infinity(), high = -low;
  for (const FanPoint& point : chart.points) {
    for (const double value : {point.p5, point.p95})
      if (std::isfinite(value)) low = std::min(low, value), high = std::max(high, value);
    if (!point.guided) continue;
    for (const double bound : {point.range_low, point.range_high})
      if (std::isfinite(bound)) low = std::min(low, bound), high = std::max(high, bound);
  }
  if (!(low <= high)) low = 0, high = 1;
  const double pad = high > low ? (high - low) * 0.06 : std::max(std::abs(low) * 0.05, 1e-9);
  constexpr double height = 300, top = 16;
  const auto n = static_cast<double>(chart.points.size());
  Plot plot{{left_margin, top, chart_width - left_margin - right_margin, height - top - bottom_margin},
            -0.5, n - 0.5, low - pad, high + pad};
  Canvas canvas(chart_width, height, chart.title);
  y_axis(canvas, plot, 5, chart.axis_title, chart.format);

  // A band: its upper edge left to right, then its lower edge back (a filled outline).
  const auto band = [&](double FanPoint::*upper, double FanPoint::*lower, std::string_view css_class) {
    std::vector<Point> outline;
    for (std::size_t i = 0; i < chart.points.size(); ++i)
      outline.push_back({plot.x(static_cast<double>(i)), plot.y(chart.points[i].*upper)});
    for (std::size_t i = chart.points.size(); i-- > 0;)
      outline.push_back({plot.x(static_cast<double>(i)), plot.y(chart.points[i].*lower)});
    canvas.polyline(outline, css_class);
  };
  band(&FanPoint::p95, &FanPoint::p5, "fan-outer");
  band(&FanPoint::p75, &FanPoint::p25, "fan-inner");
  std::vector<Point> median;
  for (std::size_t i = 0; i < chart.points.size(); ++i)
    median.push_back({plot.x(static_cast<double>(i)), plot.y(chart.points[i].p50)});
  canvas.polyline(median, "fan-median");

  const double box_width = std::min(48.0, plot.area.width / n * 0.5);
  canvas.line({plot.area.x, plot.bottom()}, {plot.right(), plot.bottom()}, "axis");
  for (std::size_t i = 0; i < chart.points.size(); ++i) {
    const FanPoint& point = chart.points[i];
    const double x = plot.x(static_cast<double>(i));
    if (point.guided) {
      const double y_top = std::isfinite(point.range_high) ? plot.y(point.range_high) : plot.area.y;
      const double y_bottom = std::isfinite(point.range_low) ? plot.y(point.range_low) : plot.bottom();
      canvas.rect({x - box_width / 2, y_top, box_width, y_bottom - y_top}, "fan-range",
                  fmt::format("guidance on {}: {}", point.label, format_ends(point.range_low, point.range_high, chart.format)));
    }
    if (point.fixed) canvas.circle({x, plot.y(point.p50)}, 4.5, "fan-fixed");
    canvas.text({x, plot.bottom() + 19}, point.label, "tick", Anchor::middle);
  }
  canvas.text({plot.area.x + plot.area.width / 2, plot.bottom() + 42}, chart.dimension, "axis-title", Anchor::middle);
  return std::move(canvas).finish();
}

std::string cdf_svg(const DistributionChart& chart) {
  const Histogram& histogram = *chart.histogram;
  constexpr double height = 240, top = 16;
  Plot plot{{left_margin, top, chart_width - left_margin - right_margin, height - top - bottom_margin},
            histogram.bins.low, histogram.bins.high(), 0, 1};
  Canvas canvas(chart_width, height, chart.title);
  share_axis(canvas, plot, 4, "trials at or below");
  shade_range(canvas, plot, chart.range_low, chart.range_high, plot.area.y);
  mark_values(canvas, plot, chart.markers, chart.format, false);  // labelled on the histogram above

  std::vector<Point> points;
  for (std::size_t k = 0; k < chart.cdf->size(); ++k)
    points.push_back({plot.x(histogram.bins.edge(k)), plot.y((*chart.cdf)[k])});
  canvas.polyline(points, "cdf");

  // The CDF at the range's bounds: P(below) at the low one, 1 - P(above) at the high one.
  if (std::isfinite(chart.range_low)) {
    const Point at{plot.x(chart.range_low), plot.y(chart.p_below)};
    canvas.circle(at, 4, "cdf-dot");
    canvas.text({at.x - 8, at.y - 6}, format_probability(chart.p_below), "cdf-label", Anchor::end);
  }
  if (std::isfinite(chart.range_high)) {
    const Point at{plot.x(chart.range_high), plot.y(1 - chart.p_above)};
    canvas.circle(at, 4, "cdf-dot");
    canvas.text({at.x + 8, at.y + 16}, format_probability(1 - chart.p_above), "cdf-label");
  }
  x_axis(canvas, plot, chart.format, chart.axis_title);
  return std::move(canvas).finish();
}

std::string tornado_svg(const TornadoChart& chart) {
  constexpr double row_height = 36, top = 58, label_width = 220;
  const double height = top + row_height * static_cast<double>(chart.rows.size()) + bottom_margin;

  // The axis spans every finite output and the base (which, when not finite itself, is drawn at 0).
  const double base = std::isfinite(chart.base.value) ? chart.base.value : 0.0;
  double low = base, high = base;
  for (const TornadoRow& row : chart.rows)
    for (const double output : {row.output_low, row.output_high})
      if (std::isfinite(output)) low = std::min(low, output), high = std::max(high, output);
  double pad = (high - low) * 0.12;
  if (!(pad > 0)) pad = base != 0 ? std::abs(base) * 0.01 : 1.0;
  Plot plot{{label_width, top, chart_width - label_width - right_margin - 40, height - top - bottom_margin},
            low - pad, high + pad, 0, 1};
  Canvas canvas(chart_width, height, chart.title);

  // Legend, then the base value's line across the rows.
  canvas.rect({label_width, 10, 14, 14}, "tornado-low");
  canvas.text({label_width + 20, 22}, chart.low_legend, "legend");
  canvas.rect({label_width + 190, 10, 14, 14}, "tornado-high");
  canvas.text({label_width + 210, 22}, chart.high_legend, "legend");
  const double base_x = plot.x(base);
  canvas.line({base_x, top - 8}, {base_x, plot.bottom()}, "base");
  canvas.text({base_x, top - 12}, fmt::format("{} {}", chart.base.label, format_with(chart.base.value, chart.format)),
              "marker-label", Anchor::middle);

  for (std::size_t i = 0; i < chart.rows.size(); ++i) {
    const TornadoRow& row = chart.rows[i];
    const double middle = top + row_height * (static_cast<double>(i) + 0.5);
    canvas.text({label_width - 12, middle - 1}, row.label, "tornado-label", Anchor::end);
    canvas.text({label_width - 12, middle + 12}, row.inputs, "tornado-inputs", Anchor::end);
    if (!std::isfinite(row.output_low) || !std::isfinite(row.output_high)) {
      canvas.text({base_x + 6, middle + 4}, "not finite at an end", "tornado-inputs");
      continue;
    }
    const struct {
      double output;
      std::string_view css_class, legend;
    } ends[] = {{row.output_low, "tornado-low", chart.low_legend}, {row.output_high, "tornado-high", chart.high_legend}};
    for (const auto& end : ends) {
      const double x = plot.x(end.output);
      canvas.rect({std::min(x, base_x), middle - 11, std::abs(x - base_x), 22}, end.css_class,
                  fmt::format("{}, {}: {}", row.label, end.legend, format_with(end.output, chart.format)));
      const bool left = x < base_x;
      canvas.text({left ? x - 5 : x + 5, middle + 4}, format_with(end.output, chart.format), "bar-value",
                  left ? Anchor::end : Anchor::start);
    }
  }
  x_axis(canvas, plot, chart.format, chart.axis_title);
  return std::move(canvas).finish();
}

namespace {

/// The x extent of every series' bins.
Plot overlay_plot(const OverlayChart& chart, double height, double top, double y_high) {
  double low = std::numeric_limits<double>::infinity(), high = -low;
  for (const OverlaySeries& series : chart.series) {
    low = std::min(low, series.histogram->bins.low);
    high = std::max(high, series.histogram->bins.high());
  }
  return {{left_margin, top, chart_width - left_margin - right_margin, height - top - bottom_margin}, low, high, 0, y_high};
}

std::string series_class(std::size_t colour) {
  return fmt::format("series s{}", colour % series_colours);
}

}  // namespace

std::string overlay_density_svg(const OverlayChart& chart) {
  // Densities (share per unit of the variable), so that series with different bin widths compare.
  const auto density = [](const Histogram& histogram, std::size_t k) {
    return static_cast<double>(histogram.counts[k]) / static_cast<double>(histogram.finite) / histogram.bins.width;
  };
  double tallest = 0;
  for (const OverlaySeries& series : chart.series)
    for (std::size_t k = 0; k < series.histogram->counts.size(); ++k)
      tallest = std::max(tallest, density(*series.histogram, k));

  constexpr double height = 280, top = 16;
  const Plot plot = overlay_plot(chart, height, top, tallest > 0 ? tallest * 1.08 : 1);
  Canvas canvas(chart_width, height, chart.title);
  canvas.line({plot.area.x, plot.area.y}, {plot.area.x, plot.bottom()}, "axis");
  canvas.vertical_text({15, plot.area.y + plot.area.height / 2}, "relative frequency", "axis-title");
  shade_range(canvas, plot, chart.range_low, chart.range_high, plot.area.y);
  for (const OverlaySeries& series : chart.series) {
    const Histogram& histogram = *series.histogram;
    std::vector<Point> steps = {{plot.x(histogram.bins.low), plot.bottom()}};
    for (std::size_t k = 0; k < histogram.counts.size(); ++k) {
      const double y = plot.y(density(histogram, k));
      steps.push_back({plot.x(histogram.bins.edge(k)), y});
      steps.push_back({plot.x(histogram.bins.edge(k + 1)), y});
    }
    steps.push_back({plot.x(histogram.bins.high()), plot.bottom()});
    canvas.polyline(steps, series_class(series.colour));
  }
  x_axis(canvas, plot, chart.format, chart.axis_title);
  return std::move(canvas).finish();
}

std::string overlay_cdf_svg(const OverlayChart& chart) {
  constexpr double height = 240, top = 16;
  const Plot plot = overlay_plot(chart, height, top, 1);
  Canvas canvas(chart_width, height, chart.title);
  share_axis(canvas, plot, 4, "trials at or below");
  shade_range(canvas, plot, chart.range_low, chart.range_high, plot.area.y);
  for (const OverlaySeries& series : chart.series) {
    std::vector<Point> points;
    for (std::size_t k = 0; k < series.cdf->size(); ++k)
      points.push_back({plot.x(series.histogram->bins.edge(k)), plot.y((*series.cdf)[k])});
    canvas.polyline(points, series_class(series.colour));
  }
  x_axis(canvas, plot, chart.format, chart.axis_title);
  return std::move(canvas).finish();
}

std::string probability_lines_svg(const ProbabilityChart& chart) {
  double low = std::numeric_limits<double>::infinity(), high = -low;
  for (const ProbabilitySeries& series : chart.series)
    for (const auto& [value, p] : series.points) low = std::min(low, value), high = std::max(high, value);
  if (!(low < high)) {  // one value (or none): a unit of axis around it
    low = std::isfinite(low) ? low - 0.5 : 0.0;
    high = low + 1.0;
  }
  constexpr double height = 240, top = 16;
  const Plot plot{{left_margin, top, chart_width - left_margin - right_margin, height - top - bottom_margin}, low, high, 0, 1};
  Canvas canvas(chart_width, height, chart.title);
  share_axis(canvas, plot, 4, "P(in)");
  for (const ProbabilitySeries& series : chart.series) {
    const std::string css_class = series_class(series.colour);
    std::vector<Point> points;
    for (const auto& [value, p] : series.points) points.push_back({plot.x(value), plot.y(p)});
    canvas.polyline(points, css_class);
    for (const Point& point : points) canvas.circle(point, 3, css_class);
  }
  x_axis(canvas, plot, chart.format, chart.axis_title);
  return std::move(canvas).finish();
}

}  // namespace guidance::charts
