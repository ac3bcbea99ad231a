#include "formula/expand.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "formula/lexer.hpp"
#include "formula/ops.hpp"

namespace guidance::formula {

namespace {

InputError too_many_operations(const Definition& definition) {
  return InputError(definition.name_where,
                    fmt::format("metric `{}` expands to more than {} operations", definition.name, max_operations),
                    "split it into smaller metrics, or reduce dimensions before combining them");
}

// A value of a formula: its shape, and the dag node of each element, row-major.
struct Value {
  Shape shape;
  std::vector<std::int32_t> elements;
};

// One axis of a shape seen from a flat row-major index i: the position along it is
// (i / inner) % count, and the index with the axis removed is (i / (inner * count)) * inner + i % inner.
// Reducing over every axis at once is the same walk with one axis of all the elements.
struct Stride {
  std::size_t inner = 1;
  std::size_t count = 1;

  std::size_t position(std::size_t i) const { return (i / inner) % count; }
  std::size_t without(std::size_t i) const { return (i / (inner * count)) * inner + i % inner; }
  // The index of i with its position along the axis replaced by `position` in an axis of `new_count`.
  std::size_t moved(std::size_t i, std::size_t position, std::size_t new_count) const {
    return (i / (inner * count)) * inner * new_count + position * inner + i % inner;
  }
};

// The axis of `shape` over dimension `dimension`, if any (a shape has each dimension at most once).
std::optional<std::size_t> axis_over(const Shape& shape, std::size_t dimension) {
  for (std::size_t k = 0; k < shape.size(); ++k)
    if (shape[k].dimension == dimension) return k;
  return std::nullopt;
}

Stride stride_of(const Shape& shape, std::size_t axis) {
  Stride stride{1, shape[axis].count};
  for (std::size_t k = axis + 1; k < shape.size(); ++k) stride.inner *= shape[k].count;
  return stride;
}

// For each element of `to`, row-major, the index of the element of `from` it reads: `from`'s axes are
// among `to`'s (by dimension, with the same elements), and it repeats along the ones it lacks.
std::vector<std::size_t> positions(const Shape& from, const Shape& to) {
  std::vector<std::size_t> step(to.size(), 0);
  std::size_t size = 1;
  for (std::size_t k = from.size(); k-- > 0;) {
    step[*axis_over(to, from[k].dimension)] = size;
    size *= from[k].count;
  }
  std::vector<std::size_t> result(element_count(to));
  std::vector<std::size_t> digit(to.size(), 0);
  std::size_t at = 0;
  for (std::size_t& position : result) {
    position = at;
    for (std::size_t k = to.size(); k-- > 0;) {  // an odometer, the last axis fastest
      at += step[k];
      if (++digit[k] < to[k].count) break;
      at -= step[k] * to[k].count;
      digit[k] = 0;
    }
  }
  return result;
}

class Expander {
 public:
  Expander(const Definition& definition, const Shapes& shapes)
      : definition_(definition), formula_{definition.text, definition.where}, shapes_(shapes) {}

  Expansion run(const Tree& tree) {
    std::vector<Value> values(tree.size());
    for (std::size_t i = 0; i < tree.size(); ++i) values[i] = value(tree[i], tree, values);
    Expansion result{std::move(values.back().shape), std::move(dag_), std::move(values.back().elements)};
    return result;
  }

 private:
  Value value(const Node& node, const Tree& tree, std::span<const Value> values) {
    auto operand = [&](int k) -> const Value& { return values[static_cast<std::size_t>(node.operands[k])]; };
    switch (node.kind) {
      case Node::Kind::constant: return Value{{}, {constant(node.value)}};
      case Node::Kind::variable: {
        const auto reg = static_cast<std::size_t>(node.reg);
        if (reg < shapes_.input_count) return Value{{}, {variable(node.reg, 0)}};
        const Shape& shape = shapes_.definitions[reg - shapes_.input_count];
        Value result{shape, {}};
        for (std::size_t e = 0; e < element_count(shape); ++e)
          result.elements.push_back(variable(node.reg, static_cast<std::int32_t>(e)));
        return result;
      }
      case Node::Kind::array: {
        const ArrayRange& array = shapes_.arrays[static_cast<std::size_t>(node.reg)];
        Value result{array.shape, {}};
        for (std::size_t e = 0; e < element_count(array.shape); ++e)
          result.elements.push_back(variable(static_cast<std::int32_t>(array.first + e), 0));
        return result;
      }
      case Node::Kind::operation: {
        Shape shape = operand(0).shape;
        for (int k = 1; k < arity(node.op); ++k) shape = combined(node, shape, operand(k).shape);
        Value result{shape, std::vector<std::int32_t>(element_count(shape))};
        std::array<std::vector<std::size_t>, 3> reads;
        for (int k = 0; k < arity(node.op); ++k) reads[k] = positions(operand(k).shape, shape);
        for (std::size_t e = 0; e < result.elements.size(); ++e) {
          std::array<std::int32_t, 3> operands{};
          for (int k = 0; k < arity(node.op); ++k) operands[k] = operand(k).elements[reads[k][e]];
          result.elements[e] = operation(node.op, operands);
        }
        return result;
      }
      case Node::Kind::subscript: return subscript(node, tree, operand(0));
      case Node::Kind::along: return along(node, tree, operand(0), node.operands[1] >= 0 ? &operand(1) : nullptr);
    }
    return {};
  }

  // The shape of `a` and `b` combined element by element: a's axes, then b's that a lacks.
  Shape combined(const Node& at, const Shape& a, const Shape& b) const {
    Shape result = a;
    for (const Axis& axis : b) {
      const std::optional<std::size_t> same = axis_over(result, axis.dimension);
      if (!same) {
        result.push_back(axis);
      } else if (!(result[*same] == axis)) {
        const std::string& name = shapes_.dimensions[axis.dimension].name;
        throw formula_.error(at.offset, at.length,
                             fmt::format("cannot combine {} with {} element by element", describe(a), describe(b)),
                             fmt::format("both sides need the same elements of {}: slice them alike, or reduce one "
                                         "with sum, mean, first or last",
                                         name));
      }
    }
    check_size(at, result);
    return result;
  }

  void check_size(const Node& at, const Shape& shape) const {
    // Counts multiply within a size_t: each factor is at most max_elements, checked one at a time.
    std::size_t count = 1;
    for (const Axis& axis : shape)
      if ((count *= axis.count) > max_elements)
        throw formula_.error(at.offset, at.length,
                             fmt::format("`{}` would have more than {} elements", text(at), max_elements),
                             "combining two different dimensions makes every pair of their elements: reduce one "
                             "with sum, mean, first or last before combining");
  }

  Value subscript(const Node& node, const Tree& tree, const Value& x) const {
    const Node& of = tree[static_cast<std::size_t>(node.operands[0])];
    if (x.shape.empty())
      throw formula_.error(node.offset, node.length,
                           fmt::format("`{}` is a scalar: it has no elements to pick", text(of)),
                           "`[...]` picks elements of a driver or metric over dimensions");
    const std::size_t written = node.indices.size();
    if (written != 1 && written != x.shape.size())
      throw formula_.error(node.offset, node.length,
                           fmt::format("`{}` is {}: write one element, or one per dimension ({}), found {}", text(of),
                                       describe(x.shape), x.shape.size(), written),
                           fmt::format("as in `{}`", element_name(text(of), x.shape, 0, shapes_.dimensions)));
    // Positions apply from the last axis to the first, so that removing one leaves the earlier in place.
    Value result = x;
    for (std::size_t k = written; k-- > 0;) {
      const Index& index = node.indices[k];
      const std::size_t axis = written == x.shape.size() ? k : axis_of(index.first, of, x.shape);
      const std::size_t low = position(index.first, of, x.shape[axis]);
      const std::size_t high = index.last ? position(*index.last, of, x.shape[axis]) : low;
      if (high < low)
        throw formula_.error(index.first.offset, index.last->offset + index.last->text.size() - index.first.offset,
                             fmt::format("the slice `{}:{}` runs backwards", index.first.text, index.last->text),
                             fmt::format("write `{}:{}`", index.last->text, index.first.text));
      result = index.last ? slice(result, axis, low, high) : pick(result, axis, low);
    }
    return result;
  }

  // The axis of `shape` whose dimension has the element `label`: exactly one must.
  std::size_t axis_of(const Label& label, const Node& of, const Shape& shape) const {
    std::optional<std::size_t> found;
    for (std::size_t k = 0; k < shape.size(); ++k) {
      const auto& elements = shapes_.dimensions[shape[k].dimension].elements;
      if (std::find(elements.begin(), elements.end(), label.text) == elements.end()) continue;
      if (found)
        throw formula_.error(label.offset, label.text.size(),
                             fmt::format("`{}` is an element of more than one dimension of `{}` {}", label.text,
                                         text(of), describe(shape)),
                             "write one element per dimension, in order");
      found = k;
    }
    if (found) return *found;
    std::vector<std::string> candidates;
    for (const Axis& axis : shape)
      for (std::size_t p = 0; p < axis.count; ++p)
        candidates.push_back(shapes_.dimensions[axis.dimension].elements[axis.first + p]);
    throw unknown_element(label, of, shape, candidates);
  }

  // Where `label` lies along `axis`, which must hold it.
  std::size_t position(const Label& label, const Node& of, const Axis& axis) const {
    const auto& elements = shapes_.dimensions[axis.dimension].elements;
    const auto found = std::find(elements.begin() + static_cast<std::ptrdiff_t>(axis.first),
                                 elements.begin() + static_cast<std::ptrdiff_t>(axis.first + axis.count), label.text);
    if (found != elements.begin() + static_cast<std::ptrdiff_t>(axis.first + axis.count))
      return static_cast<std::size_t>(found - elements.begin()) - axis.first;
    if (std::find(elements.begin(), elements.end(), label.text) != elements.end())
      throw formula_.error(label.offset, label.text.size(),
                           fmt::format("`{}` is not an element of `{}` {}", label.text, text(of),
                                       describe(Shape{axis})),
                           fmt::format("{} lies outside the slice {}:{}", label.text, elements[axis.first],
                                       elements[axis.first + axis.count - 1]));
    throw unknown_element(label, of, Shape{axis}, std::span(elements).subspan(axis.first, axis.count));
  }

  InputError unknown_element(const Label& label, const Node& of, const Shape& shape,
                             std::span<const std::string> candidates) const {
    std::string hint = did_you_mean(label.text, candidates);
    if (hint.empty() && candidates.size() <= 12) hint = fmt::format("its elements are {}", fmt::join(candidates, ", "));
    return formula_.error(label.offset, label.text.size(),
                          fmt::format("`{}` is not an element of `{}` {}", label.text, text(of), describe(shape)),
                          std::move(hint));
  }

  static Value pick(const Value& x, std::size_t axis, std::size_t at) {
    const Stride stride = stride_of(x.shape, axis);
    Value result{x.shape, std::vector<std::int32_t>(x.elements.size() / stride.count)};
    result.shape.erase(result.shape.begin() + static_cast<std::ptrdiff_t>(axis));
    for (std::size_t i = 0; i < x.elements.size(); ++i)
      if (stride.position(i) == at) result.elements[stride.without(i)] = x.elements[i];
    return result;
  }

  static Value slice(const Value& x, std::size_t axis, std::size_t low, std::size_t high) {
    const Stride stride = stride_of(x.shape, axis);
    const std::size_t count = high - low + 1;
    Value result{x.shape, std::vector<std::int32_t>(x.elements.size() / stride.count * count)};
    result.shape[axis].first += low;
    result.shape[axis].count = count;
    for (std::size_t i = 0; i < x.elements.size(); ++i) {
      const std::size_t p = stride.position(i);
      if (p >= low && p <= high) result.elements[stride.moved(i, p - low, count)] = x.elements[i];
    }
    return result;
  }

  Value along(const Node& node, const Tree& tree, const Value& x, const Value* init) {
    const Node& of = tree[static_cast<std::size_t>(node.operands[0])];
    const bool shifts = node.along == Along::lag || node.along == Along::cumsum;
    std::optional<std::size_t> axis;
    if (node.reg >= 0) {
      axis = axis_over(x.shape, static_cast<std::size_t>(node.reg));
      if (!axis) {
        const Label& label = node.indices.front().first;
        throw formula_.error(label.offset, label.text.size(),
                             fmt::format("`{}` is {}: it has no dimension {}", text(of),
                                         x.shape.empty() ? "a scalar" : describe(x.shape), label.text),
                             fmt::format("{} over one of its dimensions, or leave the dimension out", name(node)));
      }
    } else if (x.shape.empty()) {
      if (node.along == Along::min || node.along == Along::max)  // as before dimensions: two values are wanted
        throw formula_.error(node.offset, node.length,
                             fmt::format("`{}` takes 2 or more arguments, found 1", name(node)));
      throw formula_.error(of.offset, of.length,
                           fmt::format("`{}` is a scalar: `{}` needs a value over dimensions", text(of), name(node)),
                           shifts ? "lag and cumsum run along the value's dimension that comes first in `dimensions:`"
                                  : fmt::format("{}(x) reduces x over all its dimensions", name(node)));
    } else if (shifts) {
      // The order rule: along the axis whose dimension comes first in `dimensions:` (declare time first).
      axis = 0;
      for (std::size_t k = 1; k < x.shape.size(); ++k)
        if (x.shape[k].dimension < x.shape[*axis].dimension) axis = k;
    }
    // Without a dimension, a reduction walks every element as one axis.
    const Stride stride = axis ? stride_of(x.shape, *axis) : Stride{1, x.elements.size()};
    if (shifts) return shift(node, x, init, stride);

    Value result{x.shape, std::vector<std::int32_t>(x.elements.size() / stride.count, -1)};
    if (axis)
      result.shape.erase(result.shape.begin() + static_cast<std::ptrdiff_t>(*axis));
    else
      result.shape.clear();
    const Op op = node.along == Along::min ? Op::min : node.along == Along::max ? Op::max : Op::add;
    for (std::size_t i = 0; i < x.elements.size(); ++i) {
      std::int32_t& into = result.elements[stride.without(i)];
      const std::size_t p = stride.position(i);
      if (node.along == Along::first ? p == 0 : node.along == Along::last ? p + 1 == stride.count : into < 0)
        into = x.elements[i];
      else if (node.along != Along::first && node.along != Along::last)
        into = operation(op, {into, x.elements[i], 0});
    }
    if (node.along == Along::mean)
      for (std::int32_t& element : result.elements)
        element = operation(Op::div, {element, constant(static_cast<double>(stride.count)), 0});
    return result;
  }

  // lag and cumsum: the same shape, each element from earlier ones along the stride's axis.
  Value shift(const Node& node, const Value& x, const Value* init, const Stride& stride) {
    Value result{x.shape, std::vector<std::int32_t>(x.elements.size())};
    if (node.along == Along::cumsum) {
      for (std::size_t i = 0; i < x.elements.size(); ++i)
        result.elements[i] = stride.position(i) == 0
                                 ? x.elements[i]
                                 : operation(Op::add, {result.elements[i - stride.inner], x.elements[i], 0});
      return result;
    }
    std::vector<std::size_t> from_init;
    if (init != nullptr) {
      if (combined(node, x.shape, init->shape) != x.shape)
        throw formula_.error(node.offset, node.length,
                             fmt::format("the init of `lag` is {} but its value is {}", describe(init->shape),
                                         describe(x.shape)),
                             "init must be a scalar, or over dimensions of the lagged value");
      from_init = positions(init->shape, x.shape);
    }
    const auto steps = static_cast<std::size_t>(node.value);
    for (std::size_t i = 0; i < x.elements.size(); ++i) {
      if (stride.position(i) >= steps)
        result.elements[i] = x.elements[i - steps * stride.inner];
      else
        result.elements[i] = init != nullptr ? init->elements[from_init[i]]
                                             : constant(std::numeric_limits<double>::quiet_NaN());
    }
    return result;
  }

  std::int32_t push(Node node) {
    if (dag_.size() >= max_operations) throw too_many_operations(definition_);
    dag_.push_back(std::move(node));
    return static_cast<std::int32_t>(dag_.size() - 1);
  }
  std::int32_t constant(double value) { return push(Node{.kind = Node::Kind::constant, .value = value}); }
  std::int32_t variable(std::int32_t reg, std::int32_t element) {
    return push(Node{.kind = Node::Kind::variable, .reg = reg, .element = element});
  }
  std::int32_t operation(Op op, std::array<std::int32_t, 3> operands) {
    return push(Node{.kind = Node::Kind::operation, .op = op, .operands = operands});
  }

  std::string describe(const Shape& shape) const { return describe_shape(shape, shapes_.dimensions); }
  std::string_view text(const Node& node) const { return formula_.text.substr(node.offset, node.length); }
  static std::string_view name(const Node& node) {
    static constexpr std::array<std::string_view, 8> names = {"sum",   "mean", "min", "max",
                                                              "first", "last", "lag", "cumsum"};
    return names[static_cast<std::size_t>(node.along)];
  }

  const Definition& definition_;
  FormulaText formula_;
  const Shapes& shapes_;
  Tree dag_;
};

}  // namespace

Expansion expand(const Definition& definition, Tree tree, const Shapes& shapes) {
  // A formula over scalars only is already its one element's tree: skip the walk (long scalar formulas
  // would pay it in time and memory for nothing).
  const bool scalar = std::all_of(tree.begin(), tree.end(), [&](const Node& node) {
    const auto reg = static_cast<std::size_t>(node.reg);
    return node.kind == Node::Kind::constant || node.kind == Node::Kind::operation ||
           (node.kind == Node::Kind::variable &&
            (reg < shapes.input_count || shapes.definitions[reg - shapes.input_count].empty()));
  });
  if (scalar) {
    const auto root = static_cast<std::int32_t>(tree.size() - 1);
    return Expansion{{}, std::move(tree), {root}, true};
  }
  return Expander(definition, shapes).run(tree);
}

Tree element_tree(Expansion& expansion, std::size_t element, std::size_t input_count,
                  std::span<const std::size_t> first, const Definition& definition, std::size_t& operations) {
  auto element_register = [&](const Node& node) {
    const auto reg = static_cast<std::size_t>(node.reg);
    return reg < input_count ? node.reg
                             : static_cast<std::int32_t>(input_count + first[reg - input_count] +
                                                         static_cast<std::size_t>(node.element));
  };
  if (expansion.is_tree) {
    if ((operations += expansion.dag.size()) > max_operations) throw too_many_operations(definition);
    Tree tree = std::move(expansion.dag);
    for (Node& node : tree)
      if (node.kind == Node::Kind::variable) node.reg = element_register(node);
    return tree;
  }
  // Post-order by an explicit stack (a sum over many elements is a chain as long as they are many):
  // each entry is a dag node and how many of its operands are done; `done` holds the copies' indices.
  Tree tree;
  std::vector<std::pair<std::int32_t, int>> stack = {{expansion.roots[element], 0}};
  std::vector<std::int32_t> done;
  while (!stack.empty()) {
    auto& [id, next] = stack.back();
    const Node& node = expansion.dag[static_cast<std::size_t>(id)];
    const int operand_count = node.kind == Node::Kind::operation ? arity(node.op) : 0;
    if (next < operand_count) {
      const std::int32_t operand = node.operands[next++];
      stack.emplace_back(operand, 0);  // `id` and `next` dangle from here
      continue;
    }
    if (++operations > max_operations) throw too_many_operations(definition);
    Node copy{.kind = node.kind, .op = node.op, .value = node.value, .reg = node.reg};
    if (node.kind == Node::Kind::variable) copy.reg = element_register(node);
    for (int k = operand_count; k-- > 0;) {
      copy.operands[k] = done.back();
      done.pop_back();
    }
    done.push_back(static_cast<std::int32_t>(tree.size()));
    tree.push_back(std::move(copy));
    stack.pop_back();
  }
  return tree;
}

}  // namespace guidance::formula
