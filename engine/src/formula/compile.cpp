// Definitions -> Program: order the definitions by their references, then generate code for each one,
// folding constants and reusing temporary registers.
#include <algorithm>
#include <deque>
#include <functional>
#include <queue>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "formula/expand.hpp"
#include "formula/instructions.hpp"
#include "formula/ops.hpp"
#include "formula/parser.hpp"
#include "guidance/formula.hpp"

namespace guidance::formula {

namespace {

// The registers a tree reads directly, ascending and without repeats.
std::vector<std::size_t> references(const Tree& tree) {
  std::vector<std::size_t> registers;
  for (const Node& node : tree)
    if (node.kind == Node::Kind::variable) registers.push_back(static_cast<std::size_t>(node.reg));
  std::sort(registers.begin(), registers.end());
  registers.erase(std::unique(registers.begin(), registers.end()), registers.end());
  return registers;
}

bool uses_lag(const Tree& tree) {
  return std::any_of(tree.begin(), tree.end(),
                     [](const Node& node) { return node.kind == Node::Kind::along && node.along == Along::lag; });
}

// The shortest cycle through the first definition (in file order) that lies on one, as an error at that
// definition's name. `done` marks the definitions that could be ordered (they are on no cycle).
InputError cycle_error(std::span<const Definition> definitions, std::span<const Tree> trees,
                       std::span<const std::vector<std::size_t>> depends_on, std::size_t input_count,
                       const std::vector<bool>& done) {
  const std::size_t n = definitions.size();
  for (std::size_t first = 0; first < n; ++first) {
    if (done[first]) continue;
    std::vector<std::size_t> came_from(n, n);
    std::deque<std::size_t> queue = {first};
    while (!queue.empty()) {
      const std::size_t from = queue.front();
      queue.pop_front();
      for (const std::size_t reg : depends_on[from]) {
        if (reg < input_count || done[reg - input_count]) continue;
        const std::size_t to = reg - input_count;
        if (to == first) {
          // Walk back from `from` to `first`, writing the names right to left.
          std::string path = definitions[first].name;
          bool through_lag = uses_lag(trees[first]);
          for (std::size_t at = from; at != first; at = came_from[at]) {
            path = definitions[at].name + " -> " + path;
            through_lag = through_lag || uses_lag(trees[at]);
          }
          // lag(x) reads x's earlier elements, but the cycle is between whole metrics.
          return InputError(definitions[first].name_where,
                            fmt::format("cycle: {} -> {}", definitions[first].name, path),
                            through_lag ? "a metric cannot depend on itself, even through lag: for a running total, "
                                          "write cumsum(x)"
                                        : "a metric cannot depend on itself, directly or through other metrics");
        }
        if (came_from[to] == n) {
          came_from[to] = from;
          queue.push_back(to);
        }
      }
    }
  }
  throw std::logic_error("formula: definitions left unordered without a cycle");
}

// Definitions in an order where each comes after those it reads; among definitions free to go, the
// earliest in the file goes first, so the order is the file order whenever the file allows it.
std::vector<std::size_t> evaluation_order(std::span<const Definition> definitions, std::span<const Tree> trees,
                                          std::span<const std::vector<std::size_t>> depends_on,
                                          std::size_t input_count) {
  const std::size_t n = definitions.size();
  std::vector<std::size_t> waiting_for(n, 0);
  std::vector<std::vector<std::size_t>> readers(n);
  for (std::size_t j = 0; j < n; ++j)
    for (const std::size_t reg : depends_on[j])
      if (reg >= input_count) {
        ++waiting_for[j];
        readers[reg - input_count].push_back(j);
      }
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t j = 0; j < n; ++j)
    if (waiting_for[j] == 0) ready.push(j);
  std::vector<std::size_t> order;
  std::vector<bool> done(n, false);
  while (!ready.empty()) {
    const std::size_t j = ready.top();
    ready.pop();
    order.push_back(j);
    done[j] = true;
    for (const std::size_t reader : readers[j])
      if (--waiting_for[reader] == 0) ready.push(reader);
  }
  if (order.size() < n) throw cycle_error(definitions, trees, depends_on, input_count, done);
  return order;
}

// Emits the code of one element definition at a time, in evaluation order, so that the definitions it
// reads are already known to be constant or not.
class CodeGenerator {
 public:
  CodeGenerator(Program& program, std::span<const Input> inputs)
      : program_(program), inputs_(inputs), next_temporary_(static_cast<std::int32_t>(program.register_count)) {}

  void definition(std::size_t j, const Tree& tree) {
    const auto target = static_cast<std::int32_t>(program_.input_count + j);
    std::vector<Operand> values(tree.size());
    for (std::size_t i = 0; i < tree.size(); ++i) {
      const Node& node = tree[i];
      switch (node.kind) {
        case Node::Kind::constant: values[i] = Operand{-1, node.value}; break;
        case Node::Kind::variable: values[i] = read(node.reg); break;
        case Node::Kind::operation:
          values[i] = operation(node, values, i + 1 == tree.size() ? target : -1);
          break;
        case Node::Kind::array: case Node::Kind::subscript: case Node::Kind::along:
          throw std::logic_error("formula: a node over dimensions reached the code generator unexpanded");
      }
    }
    const Node& root = tree.back();
    const std::size_t first_definition = program_.input_count;
    program_.indicator[j] =
        (root.kind == Node::Kind::operation && root.op >= Op::lt && root.op <= Op::logical_not) ||
        (root.kind == Node::Kind::variable && static_cast<std::size_t>(root.reg) >= first_definition &&
         program_.indicator[static_cast<std::size_t>(root.reg) - first_definition]);
    const Operand result = values.back();
    if (result.reg < 0)
      program_.constants[j] = result.value;
    else if (result.reg != target)  // the formula is just another variable's name
      program_.code.push_back(Instruction{Op::copy, target, result, {}, {}});
  }

 private:
  // A variable as an operand: its register, or its value when it is a constant.
  Operand read(std::int32_t reg) const {
    const auto index = static_cast<std::size_t>(reg);
    const std::optional<double> constant = index < inputs_.size()
                                               ? inputs_[index].constant
                                               : program_.constants[index - inputs_.size()];
    return constant ? Operand{-1, *constant} : Operand{reg, 0.0};
  }

  // Folds the node when all its operands are constants; otherwise emits it into `target` (or a new
  // temporary when target < 0) and frees the temporaries it read.
  Operand operation(const Node& node, std::span<const Operand> values, std::int32_t target) {
    std::array<Operand, 3> operands{};
    for (int k = 0; k < arity(node.op); ++k) operands[k] = values[node.operands[k]];
    if (std::all_of(operands.begin(), operands.end(), [](const Operand& o) { return o.reg < 0; }))
      return Operand{-1, apply(node.op, operands[0].value, operands[1].value, operands[2].value)};
    // The output is taken before the operands are freed, so that no instruction writes a register it
    // reads: the kernels can then promise the compiler that the output aliases nothing.
    const std::int32_t out = target >= 0 ? target : allocate();
    program_.code.push_back(Instruction{node.op, out, operands[0], operands[1], operands[2]});
    for (const Operand& operand : operands)
      if (operand.reg >= first_temporary()) free_.push_back(operand.reg);
    return Operand{out, 0.0};
  }

  std::int32_t allocate() {
    if (free_.empty()) {
      program_.register_count = static_cast<std::size_t>(next_temporary_) + 1;
      return next_temporary_++;
    }
    const std::int32_t reg = free_.back();
    free_.pop_back();
    return reg;
  }

  std::int32_t first_temporary() const {
    return static_cast<std::int32_t>(program_.input_count + program_.constants.size());
  }

  Program& program_;
  std::span<const Input> inputs_;
  std::int32_t next_temporary_;
  std::vector<std::int32_t> free_;
};

}  // namespace

Program::Program() = default;
Program::~Program() = default;
Program::Program(const Program&) = default;
Program::Program(Program&&) noexcept = default;
Program& Program::operator=(const Program&) = default;
Program& Program::operator=(Program&&) noexcept = default;

Program compile(std::span<const Input> inputs, std::span<const Definition> definitions,
                std::span<const Dimension> dimensions, std::span<const ArrayRange> arrays) {
  const Scope scope(inputs, definitions, dimensions, arrays);
  std::vector<Tree> trees;
  trees.reserve(definitions.size());
  for (const Definition& definition : definitions) trees.push_back(parse(definition, scope));

  // Written definitions are ordered as written (cycles are between whole metrics), then expanded in
  // that order, each once the shapes of those it reads are known.
  std::vector<std::vector<std::size_t>> written_reads;
  for (const Tree& tree : trees) written_reads.push_back(references(tree));
  const std::vector<std::size_t> order = evaluation_order(definitions, trees, written_reads, inputs.size());
  Program program;
  program.shapes.resize(definitions.size());
  const Shapes shapes{inputs.size(), dimensions, arrays, program.shapes};
  std::vector<Expansion> expansions(definitions.size());
  for (const std::size_t j : order) {
    expansions[j] = expand(definitions[j], std::move(trees[j]), shapes);
    program.shapes[j] = expansions[j].shape;
  }
  std::size_t elements = 0;
  for (std::size_t j = 0; j < definitions.size(); ++j) {
    program.first.push_back(elements);
    if ((elements += expansions[j].roots.size()) > max_elements)
      throw InputError(definitions[j].name_where,
                       fmt::format("the metrics up to `{}` have more than {} elements", definitions[j].name,
                                   max_elements),
                       "reduce dimensions in metrics that are only steps on the way");
  }

  program.input_count = inputs.size();
  program.register_count = inputs.size() + elements;
  program.constants.resize(elements);
  program.indicator.resize(elements);
  program.depends_on.resize(elements);
  CodeGenerator generator(program, inputs);
  std::size_t operations = 0;
  for (const std::size_t j : order) {
    for (std::size_t e = 0; e < expansions[j].roots.size(); ++e) {
      const std::size_t k = program.first[j] + e;
      const Tree tree = element_tree(expansions[j], e, inputs.size(), program.first, definitions[j], operations);
      program.depends_on[k] = references(tree);
      program.order.push_back(k);
      generator.definition(k, tree);
    }
    expansions[j] = {};  // done with: free it
  }
  return program;
}

}  // namespace guidance::formula
