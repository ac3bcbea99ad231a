#include "report/svg.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace guidance::svg {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string number(double value) {
  if (!std::isfinite(value)) return "0";  // never reached by the charts, which clamp to the plot
  std::string text = fmt::format("{:.2f}", value);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text == "-0" ? "0" : text;
}

namespace {

std::string_view anchor_name(Anchor anchor) {
  switch (anchor) {
    case Anchor::start: return "start";
    case Anchor::middle: return "middle";
    case Anchor::end: return "end";
  }
  return "start";
}

}  // namespace

Canvas::Canvas(double width, double height, std::string_view label, std::string_view css_class) {
  out_ = fmt::format(R"(<svg xmlns="http://www.w3.org/2000/svg" class="{}" viewBox="0 0 {} {}" role="img" aria-label="{}">)",
                     escape(css_class), number(width), number(height), escape(label));
  out_ += '\n';
}

void Canvas::rect(Box box, std::string_view css_class, std::string_view tooltip) {
  out_ += fmt::format(R"(<rect class="{}" x="{}" y="{}" width="{}" height="{}")", escape(css_class), number(box.x),
                      number(box.y), number(std::max(0.0, box.width)), number(std::max(0.0, box.height)));
  out_ += tooltip.empty() ? "/>\n" : fmt::format("><title>{}</title></rect>\n", escape(tooltip));
}

void Canvas::line(Point from, Point to, std::string_view css_class) {
  out_ += fmt::format(R"(<line class="{}" x1="{}" y1="{}" x2="{}" y2="{}"/>)", escape(css_class), number(from.x),
                      number(from.y), number(to.x), number(to.y));
  out_ += '\n';
}

void Canvas::polyline(std::span<const Point> points, std::string_view css_class) {
  out_ += fmt::format(R"(<polyline class="{}" points=")", escape(css_class));
  for (std::size_t i = 0; i < points.size(); ++i)
    out_ += fmt::format("{}{},{}", i == 0 ? "" : " ", number(points[i].x), number(points[i].y));
  out_ += "\"/>\n";
}

void Canvas::circle(Point centre, double radius, std::string_view css_class) {
  out_ += fmt::format(R"(<circle class="{}" cx="{}" cy="{}" r="{}"/>)", escape(css_class), number(centre.x),
                      number(centre.y), number(radius));
  out_ += '\n';
}

void Canvas::text(Point at, std::string_view text, std::string_view css_class, Anchor anchor) {
  out_ += fmt::format(R"(<text class="{}" x="{}" y="{}" text-anchor="{}">{}</text>)", escape(css_class), number(at.x),
                      number(at.y), anchor_name(anchor), escape(text));
  out_ += '\n';
}

void Canvas::vertical_text(Point at, std::string_view text, std::string_view css_class) {
  out_ += fmt::format(R"svg(<text class="{}" text-anchor="middle" transform="translate({} {}) rotate(-90)">{}</text>)svg",
                      escape(css_class), number(at.x), number(at.y), escape(text));
  out_ += '\n';
}

std::string Canvas::finish() && { return std::move(out_) + "</svg>\n"; }

}  // namespace guidance::svg
