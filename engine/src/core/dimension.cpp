#include "guidance/dimension.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace guidance {

std::size_t element_count(std::span<const Axis> shape) {
  std::size_t count = 1;
  for (const Axis& axis : shape) count *= axis.count;
  return count;
}

std::vector<std::size_t> element_coordinates(std::span<const Axis> shape, std::size_t index) {
  // Row-major: peel the last axis first.
  std::vector<std::size_t> out(shape.size());
  for (std::size_t k = shape.size(); k-- > 0;) {
    out[k] = index % shape[k].count;
    index /= shape[k].count;
  }
  return out;
}

std::size_t time_axis(std::span<const Axis> shape) {
  return static_cast<std::size_t>(
      std::ranges::min_element(shape, {}, [](const Axis& axis) { return axis.dimension; }) - shape.begin());
}

bool is_element_label(std::string_view label) {
  return !label.empty() && std::all_of(label.begin(), label.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::optional<ElementTarget> split_subscript(std::string_view target) {
  const std::size_t open = target.find('[');
  if (open == std::string_view::npos) return ElementTarget{target, std::nullopt};
  if (target.find(']') != target.size() - 1) return std::nullopt;
  return ElementTarget{target.substr(0, open), target.substr(open + 1, target.size() - open - 2)};
}

std::string element_name(std::string_view name, std::span<const Axis> shape, std::size_t index,
                         std::span<const Dimension> dimensions) {
  if (shape.empty()) return std::string(name);
  const std::vector<std::size_t> at = element_coordinates(shape, index);
  std::vector<std::string_view> labels;
  for (std::size_t k = 0; k < shape.size(); ++k)
    labels.push_back(dimensions[shape[k].dimension].elements[shape[k].first + at[k]]);
  return fmt::format("{}[{}]", name, fmt::join(labels, ","));
}

std::string describe_shape(std::span<const Axis> shape, std::span<const Dimension> dimensions) {
  if (shape.empty()) return "scalar";
  std::vector<std::string> axes;
  for (const Axis& axis : shape) {
    const Dimension& dimension = dimensions[axis.dimension];
    if (axis.first == 0 && axis.count == dimension.elements.size())
      axes.push_back(dimension.name);
    else
      axes.push_back(fmt::format("{} {}:{}", dimension.name, dimension.elements[axis.first],
                                 dimension.elements[axis.first + axis.count - 1]));
  }
  return fmt::format("[{}]", fmt::join(axes, ", "));
}

}  // namespace guidance
