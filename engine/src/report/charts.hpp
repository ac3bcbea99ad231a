// The HTML report's charts as inline SVG, drawn from numbers the engine already computed (histogram
// counts, CDF points, probabilities, percentiles): layout only, no statistics. Styled by the page's
// CSS classes (html.cpp).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "guidance/histogram.hpp"
#include "report/format.hpp"

namespace guidance::charts {

/// Colours told apart in overlays (CSS classes s0 to s7); more series repeat them.
inline constexpr std::size_t series_colours = 8;

/// A labelled value marked on a chart: a percentile ("P50") or the base case of a tornado.
struct Marker {
  std::string label;
  double value = 0.0;
};

/// One variable's distribution and its guidance range.
struct DistributionChart {
  std::string title;       // for screen readers: "Distribution of eps"
  std::string axis_title;  // under the x axis: "eps (USD per share)"
  ValueFormat format;      // how the variable's values are written
  const Histogram* histogram = nullptr;
  const std::vector<double>* cdf = nullptr;  // cumulative_shares(*histogram)
  double range_low = 0.0, range_high = 0.0;  // the guidance range (an open side infinite)
  double p_below = 0.0, p_in = 0.0, p_above = 0.0;
  std::vector<Marker> markers;  // P10, P50, P90
};

/// Bars of the share of trials per bin, coloured inside / outside the range (`rect.bar`, one per bin),
/// the range shaded with P(in) printed on it and P(below) / P(above) beside it, markers as dashed lines.
std::string histogram_svg(const DistributionChart& chart);

/// The empirical CDF over the same x axis, the range shaded, the CDF's value marked at its bounds, the
/// markers as unlabelled dashed lines.
std::string cdf_svg(const DistributionChart& chart);

/// One element of a fan chart: its percentiles, or the value it has in every trial (given or constant).
struct FanPoint {
  std::string label;  // the element: "Q3"
  double p5 = 0.0, p25 = 0.0, p50 = 0.0, p75 = 0.0, p95 = 0.0;
  bool fixed = false;  // given or constant: every percentile is its value, drawn as a dot
  bool guided = false;  // a guidance line on this element, [range_low, range_high]
  double range_low = 0.0, range_high = 0.0;
};

/// A metric over an ordered dimension.
struct FanChart {
  std::string title;       // "eps over quarter"
  std::string axis_title;  // beside the y axis: "eps (USD per share)"
  std::string dimension;   // under the x axis: "quarter"
  ValueFormat format;
  std::vector<FanPoint> points;  // in the dimension's order
};

/// The P5-P95 band (`polyline.fan-outer`) and the P25-P75 band (`polyline.fan-inner`) across the
/// elements, the median as a line (`polyline.fan-median`), fixed values as dots (`circle.fan-fixed`),
/// and each guidance range as a box on its element (`rect.fan-range`).
std::string fan_svg(const FanChart& chart);

/// One driver of a tornado: the metric with the driver at its low and at its high input.
struct TornadoRow {
  std::string label;             // the driver's name
  std::string inputs;            // "1,087.6 to 1,142.4"
  double output_low = 0.0, output_high = 0.0;  // NaN when not finite: no bar, a note instead
};

struct TornadoChart {
  std::string title;
  std::string axis_title;
  ValueFormat format;
  Marker base;               // the metric with every driver at its median
  std::string low_legend;    // "driver at P10"
  std::string high_legend;   // "driver at P90"
  std::vector<TornadoRow> rows;  // in drawing order, widest first
};

/// Horizontal bars from the base value, one row per driver (`rect.tornado-low`, `rect.tornado-high`).
std::string tornado_svg(const TornadoChart& chart);

/// One variant's distribution of a variable, for an overlay.
struct OverlaySeries {
  std::string name;
  std::size_t colour = 0;  // drawn with class "s{colour % series_colours}"
  const Histogram* histogram = nullptr;
  const std::vector<double>* cdf = nullptr;
};

struct OverlayChart {
  std::string title;
  std::string axis_title;
  ValueFormat format;
  double range_low = 0.0, range_high = 0.0;  // the guidance range shaded
  std::vector<OverlaySeries> series;
};

/// Each series' density as a step outline (`polyline.series`) over a common x axis.
std::string overlay_density_svg(const OverlayChart& chart);
/// Each series' CDF (`polyline.series`) over the same axis.
std::string overlay_cdf_svg(const OverlayChart& chart);

/// One curve of probabilities against a parameter: (value, probability) points in order of value.
struct ProbabilitySeries {
  std::string name;
  std::size_t colour = 0;  // drawn with class "s{colour % series_colours}"
  std::vector<std::pair<double, double>> points;
};

struct ProbabilityChart {
  std::string title;
  std::string axis_title;  // the parameter's
  ValueFormat format;      // the parameter's tick labels
  std::vector<ProbabilitySeries> series;
};

/// Each series as a line with a dot at every point (`polyline.series`, `circle.series`) over a
/// probability axis from 0 to 100%: a sweep's P(in) against the varied parameter.
std::string probability_lines_svg(const ProbabilityChart& chart);


}  // namespace guidance::charts
