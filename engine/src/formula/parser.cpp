#include "formula/parser.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "formula/lexer.hpp"
#include "formula/ops.hpp"

namespace guidance::formula {

Scope::Scope(std::span<const Input> inputs, std::span<const Definition> definitions) {
  for (const Input& input : inputs) {
    // The loader rejects duplicate driver names; reaching here with one is a bug in the caller.
    if (registers.contains(input.name)) throw std::invalid_argument("duplicate formula input " + input.name);
    registers.emplace(input.name, static_cast<std::int32_t>(names.size()));
    names.push_back(input.name);
  }
  for (const Definition& definition : definitions) {
    const auto [found, added] = registers.emplace(definition.name, static_cast<std::int32_t>(names.size()));
    if (!added && static_cast<std::size_t>(found->second) < inputs.size())
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
  }
}

namespace {

constexpr std::string_view operand_hint = "expected a number, a name or `(`";

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
    advance();
    return operation(Op::logical_not, {not_()});
  }

  // compare := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
  std::int32_t compare() {
    const std::int32_t left = sum();
    const std::optional<Op> op = match(comparisons);
    return op ? operation(*op, {left, sum()}) : left;
  }

  // sum := product (("+" | "-") product)*
  std::int32_t sum() { return left_associative(&Parser::product, sum_operators); }

  // product := unary (("*" | "/") unary)*
  std::int32_t product() { return left_associative(&Parser::unary, product_operators); }

  // unary := "-" unary | power
  std::int32_t unary() {
    if (!token_.is("-")) return power();
    const Nesting nesting(*this, token_);
    advance();
    return operation(Op::neg, {unary()});
  }

  // power := atom ("^" unary)?
  std::int32_t power() {
    const std::int32_t base = atom();
    if (!token_.is("^")) return base;
    const Nesting nesting(*this, token_);
    advance();
    return operation(Op::pow, {base, unary()});
  }

  // atom := number | name | name "(" args ")" | "(" expr ")"
  std::int32_t atom() {
    const Token token = token_;
    if (token.kind == Token::Kind::number) {
      advance();
      return add(Node{.kind = Node::Kind::constant, .value = token.value});
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
  std::int32_t call(const Token& name) {
    const Token open = token_;
    const Nesting nesting(*this, name);
    const Function* function = find_function(name.text);
    if (function == nullptr) throw unknown_function(name);
    advance();
    std::vector<std::int32_t> arguments;
    if (!token_.is(")")) {
      do arguments.push_back(expr());
      while (accept(","));
    }
    const std::size_t end = close(open);
    const int count = static_cast<int>(arguments.size());
    const int wanted = arity(function->op);
    if (count < wanted || (count > wanted && !function->variadic))
      throw formula_.error(name.offset, end - name.offset, arity_message(*function, count));
    std::array<std::int32_t, 3> operands{};
    std::copy_n(arguments.begin(), wanted, operands.begin());
    std::int32_t result = operation(function->op, operands);
    // min and max of more than two arguments: min(min(a, b), c), ...
    for (std::size_t i = static_cast<std::size_t>(wanted); i < arguments.size(); ++i)
      result = operation(function->op, {result, arguments[i]});
    return result;
  }

  std::int32_t variable(const Token& name) {
    const auto found = scope_.registers.find(name.text);
    if (found != scope_.registers.end()) return add(Node{.kind = Node::Kind::variable, .reg = found->second});
    std::string hint = find_function(name.text) ? fmt::format("`{0}` is a function: write `{0}(...)`", name.text)
                                              : did_you_mean(name.text, scope_.names);
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
    std::int32_t left = (this->*operand)();
    while (const std::optional<Op> op = match(choices)) left = operation(*op, {left, (this->*operand)()});
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

  std::int32_t add(const Node& node) {
    tree_.push_back(node);
    return static_cast<std::int32_t>(tree_.size() - 1);
  }

  std::int32_t operation(Op op, std::array<std::int32_t, 3> operands) {
    return add(Node{.kind = Node::Kind::operation, .op = op, .operands = operands});
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
    // `1e+` or `2.5E`: the lexer took the digits as a number and left the exponent's letter.
    const std::string_view text = formula_.text;
    const bool after_digit = token_.offset > 0 && ((text[token_.offset - 1] >= '0' && text[token_.offset - 1] <= '9') ||
                                                   text[token_.offset - 1] == '.');
    if (after_digit && (token_.text.starts_with('e') || token_.text.starts_with('E')))
      return "an exponent needs digits: write 1e3, 2.5e-2 or 1E+6";
    return "an operator is missing before it";
  }

  InputError unknown_function(const Token& name) const {
    if (scope_.registers.contains(name.text))
      return formula_.error(name.offset, name.text.size(), fmt::format("`{}` is not a function", name.text),
                            fmt::format("to multiply, write `{} * (...)`", name.text));
    std::vector<std::string> names;
    for (const Function& function : functions) names.emplace_back(function.name);
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
