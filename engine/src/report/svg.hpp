// A small SVG writer for the HTML report's charts: rectangles, lines, polylines and text, styled by
// CSS classes (the page's stylesheet), every piece of text escaped.
//
//   svg::Canvas canvas(720, 300, "Histogram of eps");
//   canvas.rect({10, 20, 30, 40}, "bar in", "0.19 to 0.20: 12.3% of trials");
//   canvas.text({15, 15}, "P(in) 64.3%", "label", svg::Anchor::middle);
//   std::string markup = std::move(canvas).finish();
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace guidance::svg {

/// Text safe inside an element or a quoted attribute: & < > " ' become entities.
std::string escape(std::string_view text);

/// A coordinate for an attribute: rounded to 0.01, without trailing zeros ("12.5", "3", "-0.25").
std::string number(double value);

struct Point {
  double x = 0.0, y = 0.0;
};

struct Box {
  double x = 0.0, y = 0.0, width = 0.0, height = 0.0;
};

enum class Anchor { start, middle, end };

/// An <svg> element that scales to its container's width (viewBox width x height, in user units).
class Canvas {
 public:
  /// `label` names the chart for screen readers (role="img", aria-label).
  Canvas(double width, double height, std::string_view label, std::string_view css_class = "chart");

  /// A rectangle; `tooltip` becomes its <title> (shown on hover) when not empty. Negative sizes are
  /// drawn as empty.
  void rect(Box box, std::string_view css_class, std::string_view tooltip = {});
  void line(Point from, Point to, std::string_view css_class);
  void polyline(std::span<const Point> points, std::string_view css_class);
  void circle(Point centre, double radius, std::string_view css_class);
  void text(Point at, std::string_view text, std::string_view css_class, Anchor anchor = Anchor::start);
  /// Text turned 90 degrees counter-clockwise about `at` (a vertical axis title).
  void vertical_text(Point at, std::string_view text, std::string_view css_class);

  /// The markup, from <svg> to </svg>.
  std::string finish() &&;

 private:
  std::string out_;
};

}  // namespace guidance::svg
