#include "guidance/dimension.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace guidance {

std::size_t element_count(std::span<const Axis> shape) {
  std::size_t count = 1;
  for (const Axis& axis : shape) count *= axis.count;
  return count;
}

std::string element_name(std::string_view name, std::span<const Axis> shape, std::size_t index,
                         std::span<const Dimension> dimensions) {
  if (shape.empty()) return std::string(name);
  // Row-major: peel the last axis first, then write the labels left to right.
  std::vector<std::string_view> labels(shape.size());
  for (std::size_t k = shape.size(); k-- > 0;) {
    const Axis& axis = shape[k];
    labels[k] = dimensions[axis.dimension].elements[axis.first + index % axis.count];
    index /= axis.count;
  }
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
