#include "formula/parser.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "formula/lexer.hpp"
#include "formula/ops.hpp"

namespace guidance::formula {

Scope::Scope(std::span<const Input> inputs, std::span<const Definition> definitions,
             std::span<const Dimension> dimension_list, std::span<const ArrayRange> array_list) {
  for (const Input& input : inputs) {
    // The loader rejects duplicate driver names; reaching here with one is a bug in the caller.
    if (registers.contains(input.name)) throw std::invalid_argument("duplicate formula input " + input.name);
    registers.emplace(input.name, static_cast<std::int32_t>(names.size()));
    names.push_back(input.name);
    // An element's name (`revenue[Q1]`) cannot be written as one name: the formula writes `revenue[Q1]`.
    if (input.name.find('[') == std::string::npos) writable.push_back(input.name);
  }
  for (const ArrayRange& array : array_list) {
    const bool added = !registers.contains(array.name) &&
                       arrays.emplace(array.name, static_cast<std::int32_t>(arrays.size())).second;
    if (!added || array.first + element_count(array.shape) > inputs.size())
      throw std::invalid_argument("formula input array " + array.name + " clashes or has no inputs");
    writable.push_back(array.name);
  }
  for (const Definition& definition : definitions) {
    const auto [found, added] = registers.emplace(definition.name, static_cast<std::int32_t>(names.size()));
    if ((!added && static_cast<std::size_t>(found->second) < inputs.size()) || arrays.contains(definition.name))
      throw InputError(definition.name_where, fmt::format("metric `{}` has the same name as a driver", definition.name),
                       "rename the metric or the driver");
    if (!added) {
      const SourceLocation& first = definitions[found->second - inputs.size()].name_where;
      throw InputError(definition.name_where, fmt::format("metric `{}` is defined twice", definition.name),
                       first.line > 0 ? fmt::format("the first definition is at {}:{}:{}", first.path(),
                                                    first.line, first.column)
                                      : "");
    }
    names.push_back(definition.name);
    writable.push_back(definition.name);
  }
  for (const Dimension& dimension : dimension_list) {
    // The loader refuses an empty dimension; every walk over elements here assumes at least one.
    if (dimension.elements.empty()) throw std::invalid_argument("formula dimension " + dimension.name + " is empty");
    dimensions.emplace(dimension.name, static_cast<std::int32_t>(dimensions.size()));
    writable.push_back(dimension.name);
  }
}

namespace {

constexpr std::string_view operand_hint = "expected a number, a name or `(`";

/// A function over dimensions: it takes 1 to `most` arguments, the last of which may be a dimension's
/// name (not lag's). min and max are also element-wise Ops (ops.hpp) when given two or more values.
struct DimensionFunction {
  std::string_view name;
  Along along;
  int most;
};

constexpr std::array<DimensionFunction, 8> dimension_functions = {{
    {"sum", Along::sum, 2}, {"mean", Along::mean, 2}, {"min", Along::min, 2}, {"max", Along::max, 2},
    {"first", Along::first, 2}, {"last", Along::last, 2}, {"lag", Along::lag, 3}, {"cumsum", Along::cumsum, 2},
}};

const DimensionFunction* find_dimension_function(std::string_view name) {
  for (const DimensionFunction& function : dimension_functions)
    if (function.name == name) return &function;
  return nullptr;
}

constexpr std::string_view dimension_argument_hint =
    "a dimension goes last in sum, mean, min, max, first, last and cumsum, as in `sum(x, {})`";

class Parser {
 public:
  Parser(const Definition& definition, const Scope& scope)
      : definition_(definition), formula_{definition.text, definition.where}, lexer_(formula_), scope_(scope) {
    advance();
  }

  // formula := expr end
  Tree formula() {
    if (token_.kind == Token::Kind::end)
      throw formula_.error(0, 1, fmt::format("the formula of `{}` is empty", definition_.name));
    expr();
    if (token_.kind != Token::Kind::end) throw unexpected(trailing_hint());
    return std::move(tree_);
  }

 private:
  // Counts one level of nesting for as long as it lives; refuses to go deeper than max_nesting.
  class Nesting {
   public:
    // `opening` is the token that opens the level: the error points there.
    Nesting(Parser& parser, const Token& opening) : parser_(parser) {
      if (++parser_.depth_ > max_nesting)
        throw parser_.formula_.error(opening.offset, opening.text.size(),
                                     fmt::format("formula nests too deeply (more than {} levels)", max_nesting),
                                     "split it into smaller metrics");
    }
    ~Nesting() { --parser_.depth_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    Parser& parser_;
  };

  using Choice = std::pair<std::string_view, Op>;
  using Choices = std::span<const Choice>;
  static constexpr std::array<Choice, 1> or_operator = {{{"or", Op::logical_or}}};
  static constexpr std::array<Choice, 1> and_operator = {{{"and", Op::logical_and}}};
  static constexpr std::array<Choice, 6> comparisons = {
      {{"<", Op::lt}, {"<=", Op::le}, {">", Op::gt}, {">=", Op::ge}, {"==", Op::eq}, {"!=", Op::ne}}};
  static constexpr std::array<Choice, 2> sum_operators = {{{"+", Op::add}, {"-", Op::sub}}};
  static constexpr std::array<Choice, 2> product_operators = {{{"*", Op::mul}, {"/", Op::div}}};

  // expr := or
  std::int32_t expr() { return or_(); }

  // or := and ("or" and)*
  std::int32_t or_() { return left_associative(&Parser::and_, or_operator); }

  // and := not ("and" not)*
  std::int32_t and_() { return left_associative(&Parser::not_, and_operator); }

  // not := "not" not | compare
  std::int32_t not_() {
    if (!token_.is("not")) return compare();
    const Nesting nesting(*this, token_);
    const std::size_t start = token_.offset;
    advance();
    return operation(Op::logical_not, {not_()}, start);
  }

  // compare := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
  std::int32_t compare() {
    const std::size_t start = token_.offset;
    const std::int32_t left = sum();
    const std::optional<Op> op = match(comparisons);
    return op ? operation(*op, {left, sum()}, start) : left;
  }

  // sum := product (("+" | "-") product)*
  std::int32_t sum() { return left_associative(&Parser::product, sum_operators); }

  // product := unary (("*" | "/") unary)*
  std::int32_t product() { return left_associative(&Parser::unary, product_operators); }

  // unary := "-" unary | power
  std::int32_t unary() {
    if (!token_.is("-")) return power();
    const Nesting nesting(*this, token_);
    const std::size_t start = token_.offset;
    advance();
    return operation(Op::neg, {unary()}, start);
  }

  // power := postfix ("^" unary)?
  std::int32_t power() {
    const std::size_t start = token_.offset;
    const std::int32_t base = postfix();
    if (!token_.is("^")) return base;
    const Nesting nesting(*this, token_);
    advance();
    return operation(Op::pow, {base, unary()}, start);
  }

  // postfix := atom ("[" index ("," index)* "]")*
  std::int32_t postfix() {
    const std::size_t start = token_.offset;
    std::int32_t value = atom();
    while (token_.is("[")) {
      const Token open = token_;
      advance();
      Node node{.kind = Node::Kind::subscript, .operands = {value, 0, 0}};
      do node.indices.push_back(index());
      while (accept(","));
      if (!token_.is("]"))
        throw error_here(fmt::format("expected `]` to close `[` at column {}",
                                     formula_.where.column + static_cast<int>(open.offset)),
                         token_.is(":") ? "a slice has two ends: `Q2:Q4`" : "");
      advance();
      value = add(std::move(node), start);
    }
    return value;
  }

  // index := label (":" label)?
  Index index() {
    Index result{label()};
    if (accept(":")) result.last = label();
    return result;
  }

  // label := name | digits
  Label label() {
    const Token token = token_;
    const bool digits = token.kind == Token::Kind::number &&
                        std::all_of(token.text.begin(), token.text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (token.kind != Token::Kind::name && !digits)
      throw unexpected("expected an element's name, as in `revenue[Q3]` or `revenue[Q2:Q4]`");
    advance();
    return Label{token.text, token.offset};
  }

  // atom := number | name | name "(" args ")" | "(" expr ")"
  std::int32_t atom() {
    const Token token = token_;
    if (token.kind == Token::Kind::number) {
      advance();
      return add(Node{.kind = Node::Kind::constant, .value = token.value}, token.offset);
    }
    if (token.kind == Token::Kind::name && !is_keyword(token)) {
      advance();
      return token_.is("(") ? call(token) : variable(token);
    }
    if (token.is("(")) {
      const Nesting nesting(*this, token);
      advance();
      const std::int32_t inner = expr();
      close(token);
      return inner;
    }
    throw unexpected(token.is("not") ? "put `not ...` in parentheses here" : std::string(operand_hint));
  }

  // call := name "(" args ")"        args := (expr ("," expr)*)?
  // The last argument of a function over dimensions may be a dimension's name.
  std::int32_t call(const Token& name) {
    const Token open = token_;
    const Nesting nesting(*this, name);
    const Function* function = find_function(name.text);
    const DimensionFunction* over = find_dimension_function(name.text);
    if (function == nullptr && over == nullptr) throw unknown_function(name);
    advance();
    std::vector<std::int32_t> arguments;
    std::optional<Label> dimension;
    if (!token_.is(")")) {
      do {
        if (over != nullptr && over->along != Along::lag && arguments.size() == 1 && at_dimension_argument()) {
          dimension = Label{token_.text, token_.offset};
          advance();
        } else {
          arguments.push_back(expr());
        }
      } while (accept(","));
    }
    const std::size_t end = close(open);
    const int count = static_cast<int>(arguments.size()) + (dimension ? 1 : 0);
    // min and max of two or more values, and every other Op, apply element by element.
    if (function != nullptr && !dimension && (over == nullptr || count != 1)) {
      const int wanted = arity(function->op);
      if (count < wanted || (count > wanted && !function->variadic))
        throw formula_.error(name.offset, end - name.offset, arity_message(*function, count));
      std::array<std::int32_t, 3> operands{};
      std::copy_n(arguments.begin(), wanted, operands.begin());
      std::int32_t result = operation(function->op, operands, name.offset);
      // min and max of more than two arguments: min(min(a, b), c), ...
      for (std::size_t i = static_cast<std::size_t>(wanted); i < arguments.size(); ++i)
        result = operation(function->op, {result, arguments[i]}, name.offset);
      return result;
    }
    return along(*over, name, arguments, dimension);
  }

  // A function over dimensions, its arguments parsed: checks what the parser can see (the number of
  // arguments, a dimension where one goes, a lag's whole steps) and leaves shapes to expand.cpp.
  std::int32_t along(const DimensionFunction& function, const Token& name, std::span<const std::int32_t> arguments,
                     const std::optional<Label>& dimension) {
    const std::size_t count = arguments.size() + (dimension ? 1 : 0);
    const std::string_view range = function.most == 2 ? "1 or 2" : "1 to 3";
    if (count == 0 || static_cast<int>(count) > function.most)
      throw formula_.error(name.offset, token_before_end_ - name.offset,
                           fmt::format("`{}` takes {} arguments, found {}", name.text, range, count),
                           function.along == Along::sum ? sum_hint(arguments) : "");
    Node node{.kind = Node::Kind::along, .along = function.along, .value = 1, .operands = {arguments[0], -1, -1}};
    if (dimension) {
      node.reg = scope_.dimensions.at(dimension->text);
      node.indices.push_back(Index{*dimension});
    } else if (function.along != Along::lag && arguments.size() == 2) {
      const Node& second = tree_[static_cast<std::size_t>(arguments[1])];
      throw formula_.error(second.offset, second.length,
                           fmt::format("the second argument of `{}` must be a dimension, found `{}`", name.text,
                                       text_of(second)),
                           function.along == Along::sum ? sum_hint(arguments) : dimensions_hint());
    }
    if (function.along == Along::lag && arguments.size() >= 2) {
      const Node& steps = tree_[static_cast<std::size_t>(arguments[1])];
      const bool whole = steps.kind == Node::Kind::constant && steps.value >= 0 &&
                         steps.value <= static_cast<double>(max_elements) && steps.value == std::floor(steps.value);
      if (!whole)
        throw formula_.error(steps.offset, steps.length,
                             fmt::format("`lag` takes a whole number of steps from 0 to {}, found `{}`", max_elements, text_of(steps)),
                             "write lag(x), lag(x, 2), or lag(x, 1, init) for the value before the first");
      node.value = steps.value;
      if (arguments.size() == 3) node.operands[1] = arguments[2];
    }
    return add(std::move(node), name.offset);
  }

  // At a name of a dimension that closes the call: `quarter` in `sum(x, quarter)`.
  bool at_dimension_argument() const {
    if (token_.kind != Token::Kind::name || !scope_.dimensions.contains(token_.text)) return false;
    Lexer ahead = lexer_;
    return ahead.next().is(")");
  }

  // `sum(a, b)` as a spreadsheet would have it: the values' sum is `a + b`.
  std::string sum_hint(std::span<const std::int32_t> arguments) const {
    std::string terms;
    for (const std::int32_t argument : arguments)
      terms += (terms.empty() ? "" : " + ") + std::string(text_of(tree_[static_cast<std::size_t>(argument)]));
    return arguments.size() < 2
               ? ""
               : fmt::format("`sum` adds up the elements of one value; to add values, write `{}`", terms);
  }

  std::string dimensions_hint() const {
    if (scope_.dimensions.empty()) return "the scenario has no `dimensions:`";
    std::vector<std::string_view> names(scope_.dimensions.size());
    for (const auto& [dimension, index] : scope_.dimensions) names[static_cast<std::size_t>(index)] = dimension;
    return fmt::format("the dimensions are {}", fmt::join(names, ", "));
  }

  std::string_view text_of(const Node& node) const { return formula_.text.substr(node.offset, node.length); }

  std::int32_t variable(const Token& name) {
    const auto found = scope_.registers.find(name.text);
    if (found != scope_.registers.end())
      return add(Node{.kind = Node::Kind::variable, .reg = found->second}, name.offset);
    const auto array = scope_.arrays.find(name.text);
    if (array != scope_.arrays.end()) return add(Node{.kind = Node::Kind::array, .reg = array->second}, name.offset);
    if (scope_.dimensions.contains(name.text))
      throw formula_.error(name.offset, name.text.size(), fmt::format("`{}` is a dimension, not a value", name.text),
                           fmt::format(dimension_argument_hint, name.text));
    std::string hint = find_function(name.text) || find_dimension_function(name.text)
                           ? fmt::format("`{0}` is a function: write `{0}(...)`", name.text)
                           : did_you_mean(name.text, scope_.writable);
    if (hint.empty()) hint = "a formula can use the scenario's drivers and metrics";
    throw formula_.error(name.offset, name.text.size(), fmt::format("unknown name `{}`", name.text), hint);
  }

  // Consumes the `)` that closes `open`; returns the offset just past it.
  std::size_t close(const Token& open) {
    if (!token_.is(")"))
      throw error_here(fmt::format("expected `)` to close `(` at column {}",
                                   formula_.where.column + static_cast<int>(open.offset)));
    advance();
    return token_before_end_;
  }

  std::int32_t left_associative(std::int32_t (Parser::*operand)(), Choices choices) {
    const std::size_t start = token_.offset;
    std::int32_t left = (this->*operand)();
    while (const std::optional<Op> op = match(choices)) left = operation(*op, {left, (this->*operand)()}, start);
    return left;
  }

  // The Op for the current token among `choices`, consuming it; nothing when it is none of them.
  std::optional<Op> match(Choices choices) {
    for (const auto& [spelling, op] : choices)
      if (accept(spelling)) return op;
    return std::nullopt;
  }

  bool accept(std::string_view spelling) {
    if (!token_.is(spelling)) return false;
    advance();
    return true;
  }

  void advance() {
    token_before_end_ = token_.offset + token_.text.size();
    token_ = lexer_.next();
  }

  // Appends a node for the characters from `start` to the last token read.
  std::int32_t add(Node node, std::size_t start) {
    node.offset = static_cast<std::uint32_t>(start);
    node.length = static_cast<std::uint32_t>(token_before_end_ - start);
    tree_.push_back(std::move(node));
    return static_cast<std::int32_t>(tree_.size() - 1);
  }

  std::int32_t operation(Op op, std::array<std::int32_t, 3> operands, std::size_t start) {
    return add(Node{.kind = Node::Kind::operation, .op = op, .operands = operands}, start);
  }

  InputError error_here(std::string message, std::string hint = {}) const {
    return formula_.error(token_.offset, std::max<std::size_t>(1, token_.text.size()), std::move(message),
                          std::move(hint));
  }

  InputError unexpected(std::string hint) const {
    return error_here(token_.kind == Token::Kind::end ? std::string("unexpected end of formula")
                                                      : fmt::format("unexpected `{}`", token_.text),
                      std::move(hint));
  }

  // Why a complete expression is followed by more text.
  std::string trailing_hint() const {
    for (const auto& [spelling, op] : comparisons)
      if (token_.is(spelling)) return "comparisons do not chain: write `a < b and b < c`";
    if (token_.is(")")) return "there is no `(` for it to close";
    if (token_.is(",")) return "`,` separates the arguments of a function";
    if (token_.is("]")) return "there is no `[` for it to close";
    // `1e+` or `2.5E`: the lexer took the digits as a number and left the exponent's letter.
    const std::string_view text = formula_.text;
    const bool after_digit = token_.offset > 0 && ((text[token_.offset - 1] >= '0' && text[token_.offset - 1] <= '9') ||
                                                   text[token_.offset - 1] == '.');
    if (after_digit && (token_.text.starts_with('e') || token_.text.starts_with('E')))
      return "an exponent needs digits: write 1e3, 2.5e-2 or 1E+6";
    return "an operator is missing before it";
  }

  InputError unknown_function(const Token& name) const {
    if (scope_.registers.contains(name.text) || scope_.arrays.contains(name.text))
      return formula_.error(name.offset, name.text.size(), fmt::format("`{}` is not a function", name.text),
                            fmt::format("to multiply, write `{} * (...)`", name.text));
    std::vector<std::string> names;
    for (const Function& function : functions) names.emplace_back(function.name);
    for (const DimensionFunction& function : dimension_functions)
      if (!find_function(function.name)) names.emplace_back(function.name);
    std::string hint = did_you_mean(name.text, names);
    if (hint.empty()) {
      // fmt::join would do, but trips a false -Wstringop-overflow in fmt 9 with GCC 12 at -O3.
      hint = "the functions are " + names.front();
      for (std::size_t i = 1; i < names.size(); ++i) hint += ", " + names[i];
    }
    return formula_.error(name.offset, name.text.size(), fmt::format("unknown function `{}`", name.text), hint);
  }

  static std::string arity_message(const Function& function, int found) {
    const int wanted = arity(function.op);
    return fmt::format("`{}` takes {}{} {}, found {}", function.name, wanted, function.variadic ? " or more" : "",
                       wanted == 1 ? "argument" : "arguments", found);
  }

  static bool is_keyword(const Token& token) {
    return token.is("and") || token.is("or") || token.is("not");
  }

  const Definition& definition_;
  FormulaText formula_;
  Lexer lexer_;
  const Scope& scope_;
  Token token_;
  std::size_t token_before_end_ = 0;  // offset just past the last token consumed
  Tree tree_;
  int depth_ = 0;
};

}  // namespace

Tree parse(const Definition& definition, const Scope& scope) { return Parser(definition, scope).formula(); }

}  // namespace guidance::formula
