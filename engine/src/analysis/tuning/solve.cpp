// `guidance solve`: the value of one driver parameter at which a target statistic reaches its goal.
//
// With common random numbers the statistic is a deterministic function of the parameter: piecewise
// constant for probabilities (a count of trials) and monotone in most uses. The search brackets the
// goal, then bisects until the statistic at the two ends of the bracket differs by less than the
// half-width of its 95% interval: past that point Monte Carlo noise, not the bracket, limits the
// answer. The solution interpolates linearly inside the final bracket and is run once more, so the
// achieved value and its interval are measured at the reported value, not assumed.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "analysis/tuning/target_statistic.hpp"
#include "analysis/tuning/tuning_input.hpp"
#include "guidance/decimal.hpp"

namespace guidance {

namespace {

using tuning_detail::BoundTarget;
using tuning_detail::Estimate;
using tuning_detail::text_error;
using Statistic = Target::Statistic;

/// The default search: its first step as a share of the current value, the runs on each side, and
/// the refused values a side steps back from before it ends.
constexpr double first_step_share = 0.05;
constexpr int max_expansions = 10;
constexpr int max_refusals = 6;
/// Golden-section steps an error spends finding the closest value to an unreached goal.
constexpr int max_closest_steps = 30;

/// "maximize" or "minimize".
std::string_view aim_name(Target::Aim aim) { return aim == Target::Aim::maximize ? "maximize" : "minimize"; }

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

// target    := head '=' NUMBER
// objective := head                       (Aim::maximize, Aim::minimize)
// head      := ('P' | 'p') '(' NAME relation ')' | ('p' | 'P') DIGITS '(' NAME ')' | 'mean' '(' NAME ')'
// relation  := '>=' NUMBER | '<=' NUMBER | 'in' 'guidance'
class TargetParser {
 public:
  TargetParser(const std::string& text, std::string source, Target::Aim aim)
      : source_(std::make_shared<const SourceText>(SourceText{std::move(source), text})), text_(source_->text), aim_(aim) {}

  Target parse() {
    Target target;
    target.text = text_;
    target.aim = aim_;
    const std::size_t head_start = skip_space();
    const std::string head = name();
    if (head == "P" || head == "p") {
      expect("(");
      read_metric(target);
      read_relation(target);
    } else if (head.size() > 1 && (head[0] == 'p' || head[0] == 'P') &&
               std::all_of(head.begin() + 1, head.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      const int percent = head.size() <= 3 && head[1] != '0' ? std::stoi(head.substr(1)) : 0;
      if (percent < 1 || percent > 99)
        fail(head_start, head.size(), fmt::format("expected a percentile from p1 to p99, found `{}`", head));
      target.statistic = Statistic::percentile;
      target.percentile = percent / 100.0;
      expect("(");
      read_metric(target);
    } else if (head == "mean") {
      target.statistic = Statistic::mean;
      expect("(");
      read_metric(target);
    } else {
      fail(head_start, std::max<std::size_t>(1, head.size()),
           fmt::format("expected P(...), pNN(...) or mean(...), found {}", found(head_start, head)), forms_hint);
    }
    expect(")");
    if (aim_ != Target::Aim::reach) {
      const std::size_t rest = skip_space();
      if (rest < text_.size()) {
        fail(rest, text_.size() - rest, fmt::format("unexpected `{}` after the statistic", text_.substr(rest)),
             fmt::format("to {} a statistic, give it without a goal, e.g. 'P(eps in guidance)'", aim_name(aim_)));
      }
      return target;
    }
    expect("=");
    const std::size_t goal_start = skip_space();
    const Decimal goal = number("the goal");
    target.goal = goal.value;
    target.goal_percent = goal.percent;
    const bool probability = target.statistic == Statistic::at_least || target.statistic == Statistic::at_most ||
                             target.statistic == Statistic::in_guidance;
    if (probability && !(goal.value > 0.0 && goal.value < 1.0)) {
      fail(goal_start, position_ - goal_start,
           fmt::format("a probability goal must be between 0 and 1 (exclusive), found {}", text_.substr(goal_start, position_ - goal_start)),
           "write a fraction such as 0.8, or a percent such as 80%");
    }
    const std::size_t rest = skip_space();
    if (rest < text_.size())
      fail(rest, text_.size() - rest, fmt::format("unexpected `{}` after the target", text_.substr(rest)), forms_hint);
    return target;
  }

 private:
  static constexpr std::string_view forms_hint =
      "targets are P(METRIC >= X) = p, P(METRIC <= X) = p, P(METRIC in guidance) = p, pNN(METRIC) = x or "
      "mean(METRIC) = x";

  [[noreturn]] void fail(std::size_t first, std::size_t length, std::string message, std::string_view hint = {}) const {
    throw text_error(source_, first, length, std::move(message), std::string(hint));
  }

  std::string found(std::size_t at, std::string_view token) const {
    if (at >= text_.size()) return "the end of the target";
    return fmt::format("`{}`", token.empty() ? text_.substr(at, 1) : token);
  }

  std::size_t skip_space() {
    while (position_ < text_.size() && text_[position_] == ' ') ++position_;
    return position_;
  }

  std::string name() {
    skip_space();
    const std::size_t start = position_;
    if (position_ < text_.size() && is_name_start(text_[position_]))
      while (position_ < text_.size() && is_name_char(text_[position_])) ++position_;
    return text_.substr(start, position_ - start);
  }

  // A variable: a name, or one element of a dimensioned one (`eps[Q4]`, spaces inside ignored).
  std::string variable() {
    std::string out = name();
    if (out.empty() || position_ >= text_.size() || text_[position_] != '[') return out;
    const std::size_t close = text_.find(']', position_);
    if (close == std::string::npos) fail(position_, 1, "expected `]` to close the element", forms_hint);
    std::string element = text_.substr(position_, close + 1 - position_);
    std::erase(element, ' ');
    position_ = close + 1;
    return out + element;
  }

  void expect(std::string_view token) {
    const std::size_t at = skip_space();
    if (text_.compare(at, token.size(), token) != 0)
      fail(at, 1, fmt::format("expected `{}`, found {}", token, found(at, {})), forms_hint);
    position_ += token.size();
  }

  void read_metric(Target& target) {
    const std::size_t start = skip_space();
    target.metric = variable();
    if (target.metric.empty()) fail(start, 1, fmt::format("expected a metric name, found {}", found(start, {})), forms_hint);
    target.metric_where = SourceLocation{source_, 1, static_cast<int>(start) + 1, static_cast<int>(target.metric.size())};
  }

  void read_relation(Target& target) {
    const std::size_t at = skip_space();
    if (text_.compare(at, 2, ">=") == 0 || text_.compare(at, 2, "<=") == 0) {
      target.statistic = text_[at] == '>' ? Statistic::at_least : Statistic::at_most;
      position_ += 2;
      skip_space();
      const Decimal threshold = number("a threshold");
      target.threshold = threshold.value;
      target.threshold_percent = threshold.percent;
      return;
    }
    if (name() == "in") {
      const std::size_t word = skip_space();
      if (name() != "guidance") fail(word, 1, fmt::format("expected `guidance` after `in`, found {}", found(word, {})), forms_hint);
      target.statistic = Statistic::in_guidance;
      return;
    }
    fail(at, 1, fmt::format("expected `>=`, `<=` or `in guidance`, found {}", found(at, {})),
         "P(X > x) is written P(X >= x): with continuous values the two are the same");
  }

  Decimal number(std::string_view what) {
    const std::size_t start = position_;
    while (position_ < text_.size() && (is_name_char(text_[position_]) || text_[position_] == '.' ||
                                        text_[position_] == '%' || text_[position_] == '-' || text_[position_] == '+'))
      ++position_;
    const std::string token = text_.substr(start, position_ - start);
    const std::optional<Decimal> parsed = read_decimal(token);
    if (!parsed) {
      fail(start, std::max<std::size_t>(1, token.size()),
           fmt::format("expected a number for {}, found {}", what, found(start, token)),
           "numbers are written like 0.22, 1.2e3 or 80%");
    }
    return *parsed;
  }

  std::shared_ptr<const SourceText> source_;
  const std::string& text_;
  Target::Aim aim_;
  std::size_t position_ = 0;
};

bool is_percentile_name(const std::string& parameter) {
  return parameter.size() >= 2 && parameter.size() <= 3 && parameter[0] == 'p' && parameter[1] != '0' &&
         std::all_of(parameter.begin() + 1, parameter.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// The natural range of NAME.PARAM (NaturalRange in tuning.hpp says which parameters have one).
NaturalRange natural_range(const Driver& driver, const std::string& parameter) {
  constexpr double infinity = std::numeric_limits<double>::infinity();
  const std::string name = parameter.empty() ? driver.name : driver.name + "." + parameter;
  if (parameter == "sd" || parameter == "lambda" || parameter == "scale") {
    const char* what = parameter == "sd" ? "a standard deviation" : parameter == "scale" ? "a scale" : "a shape parameter";
    return {0.0, infinity, true, fmt::format("`{}` is {}, above 0", name, what)};
  }
  const bool location = parameter.empty() || parameter == "mean" || parameter == "median" || parameter == "min" ||
                        parameter == "mode" || parameter == "max" || is_percentile_name(parameter);
  if (!location) return {};
  if (driver.percent) return {0.0, 1.0, false, fmt::format("`{}` is a share, from 0% to 100%", name), false};
  if (driver.distribution && std::holds_alternative<LogNormal>(driver.distribution->shape))
    return {0.0, infinity, true, fmt::format("`{}` is lognormal, above 0", name)};
  return {};
}

/// The value a fraction `t` of the way from `low` to `high`, without forming high - low (which
/// overflows for -1e308 and 1e308).
double between(double low, double high, double t) { return low * (1 - t) + high * t; }

/// The value a driver parameter has in the loaded scenario, read back from its distribution (the
/// written value for the parameters a shape keeps, the untruncated quantile for pNN), or nothing.
std::optional<double> current_value(const Driver& driver, const std::string& parameter) {
  if (!driver.distribution) return parameter.empty() ? std::optional<double>(driver.constant) : std::nullopt;
  const Distribution& distribution = *driver.distribution;
  if (parameter.empty()) return mean(distribution);
  if (parameter == "shift") return distribution.shift;
  if (parameter == "scale") return distribution.scale;
  if (is_percentile_name(parameter)) {
    if (std::holds_alternative<Discrete>(distribution.shape)) return std::nullopt;
    return quantile(Distribution{distribution.shape}, std::stoi(parameter.substr(1)) / 100.0);
  }
  return std::visit(
      [&](const auto& shape) -> std::optional<double> {
        using Shape = std::decay_t<decltype(shape)>;
        if constexpr (std::is_same_v<Shape, Normal>) {
          if (parameter == "mean") return shape.mean;
          if (parameter == "sd") return shape.sd;
        } else if constexpr (std::is_same_v<Shape, LogNormal>) {
          const double mean = std::exp(shape.mu + shape.sigma * shape.sigma / 2);
          if (parameter == "mean") return mean;
          if (parameter == "sd") return mean * std::sqrt(std::expm1(shape.sigma * shape.sigma));
          if (parameter == "median") return std::exp(shape.mu);
        } else if constexpr (std::is_same_v<Shape, Uniform>) {
          if (parameter == "min") return shape.min;
          if (parameter == "max") return shape.max;
        } else if constexpr (std::is_same_v<Shape, Triangular> || std::is_same_v<Shape, Pert>) {
          if (parameter == "min") return shape.min;
          if (parameter == "mode") return shape.mode;
          if (parameter == "max") return shape.max;
          if constexpr (std::is_same_v<Shape, Pert>)
            if (parameter == "lambda") return shape.lambda;
        }
        return std::nullopt;
      },
      distribution.shape);
}

/// The target tied to the model's variables.
BoundTarget bind(const Target& target, const Model& model) {
  const std::ptrdiff_t found = model.find(target.metric);
  if (found < 0)
    tuning_detail::unknown_variable(model, target.metric, target.metric_where,
                                    "the target names a driver or metric of the scenario");
  BoundTarget bound{&target, static_cast<std::size_t>(found), 0};
  if (target.statistic != Statistic::in_guidance) return bound;
  std::vector<std::string> lines;
  for (std::size_t g = 0; g < model.guidance.size(); ++g) {
    if (model.guidance[g].variable == bound.variable) {
      bound.line = g;
      return bound;
    }
    lines.push_back(model.guidance[g].name);
  }
  std::string hint = "the scenario has no `guidance:` lines";
  if (!lines.empty()) {
    hint = "the guidance lines are on ";
    for (std::size_t g = 0; g < lines.size(); ++g)
      hint += fmt::format("{}`{}`", g == 0 ? "" : g + 1 == lines.size() ? " and " : ", ", lines[g]);
  }
  throw InputError(target.metric_where, fmt::format("`{}` has no guidance line", target.metric), hint);
}

// Numbers in error messages (the report stage's formatting is for outputs, and not linked here).
std::string message_number(double value, bool percent) {
  return percent ? fmt::format("{:.6g}%", value * 100) : fmt::format("{:.6g}", value);
}

/// The statistic with the least precision (from one decimal of a percent, or six significant digits)
/// at which it does not read as the goal, so that 99.98% against a goal of 99.99% is not "100.0%".
std::string message_statistic(const Target& target, const Model& model, double value) {
  const bool probability = target.statistic != Statistic::percentile && target.statistic != Statistic::mean;
  const auto v = model.find(target.metric);
  const bool percent = v >= 0 && model.variables[static_cast<std::size_t>(v)].percent;
  const auto print = [&](double x, int precision) {
    if (probability) return fmt::format("{:.{}f}%", x * 100, precision);
    return percent ? fmt::format("{:.{}g}%", x * 100, precision + 5) : fmt::format("{:.{}g}", x, precision + 5);
  };
  int precision = 1;
  const bool apart = target.aim != Target::Aim::reach || value == target.goal;
  while (!apart && precision < 12 && print(value, precision) == print(target.goal, precision)) ++precision;
  return print(value, precision);
}

struct Point {
  ParameterValue value;
  Estimate estimate;
};

struct Evaluation {
  Model model;
  Point point;
  RunReport report;  // when asked for
};

/// The search of one solve: every run it makes, the bracket, the bisection and the solution.
class GoalSeek {
 public:
  GoalSeek(const TuningSource& source, const Target& target, const Variation& vary, const RunOptions& options,
           Solution& solution)
      : source_(source), target_(target), vary_(vary), options_(options), bound_(bind(target, source.model)),
        solution_(solution) {}

  /// The bracket, clipped to the natural range: the statistic at both ends, and (reaching a goal) an
  /// error when they are on the same side of it.
  void bracket_given(const Bracket& bracket) {
    const NaturalRange natural = solution_.natural.firm ? solution_.natural : NaturalRange{};
    Interval range{bracket.low.value, bracket.high.value};
    const bool below = natural.open_low ? range.low <= natural.low : range.low < natural.low;
    if (below || range.high > natural.high) {
      if ((natural.open_low ? range.high <= natural.low : range.high < natural.low) || range.low > natural.high) {
        throw InputError(bracket.where, fmt::format("the bracket {}:{} is outside the values `{}` can take: {}",
                                                    bracket.low.text, bracket.high.text, vary_.name(), natural.reason),
                         "give a bracket inside that range");
      }
      solution_.asked = range;
      // An open end is approached to a millionth of the bracket's extent from it.
      if (below) range.low = natural.open_low ? between(natural.low, range.high, 1e-6) : natural.low;
      range.high = std::min(range.high, natural.high);
    }
    low_ = run(solution_.asked && range.low != bracket.low.value ? written(range.low) : bracket.low);
    high_ = run(solution_.asked && range.high != bracket.high.value ? written(range.high) : bracket.high);
    if (target_.aim == Target::Aim::reach && side(low_->estimate) * side(high_->estimate) > 0) {
      const Point low = *low_, high = *high_;  // closest() moves low_ and high_
      throw InputError(bracket.where, fmt::format("{} is not reached inside the bracket {}:{}{}: {}, and {}{}", target_.text,
                                                  bracket.low.text, bracket.high.text, clipped_to(), describe(low),
                                                  describe(high), closest()),
                       "widen the bracket, or leave it out to search around the current value");
    }
  }

  /// From the current value outwards on both sides, doubling the step, until the statistic crosses
  /// the goal. A value the distribution refuses (a mode beyond its max, a negative sd) is a limit: the
  /// side then steps halfway towards it instead, up to max_refusals times. An end of the natural range
  /// is a limit too, reached when closed and approached halfway when open.
  void bracket_around(double current, double first_step) {
    const Point start = run(written(current));
    const int start_side = side(start.estimate);
    if (start_side == 0) {
      low_ = high_ = start;
      return;
    }
    constexpr double infinity = std::numeric_limits<double>::infinity();
    struct Side {
      int direction;
      Point last;          // the furthest value run so far
      double reached = 0;  // its distance from the current value
      double next;         // the distance to try next
      double limit;        // the nearest refused distance, or the natural range's end
      bool closed_limit;   // the limit itself may be run
      int expansions = 0, refusals = 0;
      bool open() const { return expansions < max_expansions && refusals <= max_refusals && reached < limit; }
      void advance(double distance) {
        next = closed_limit ? std::min(2 * distance, limit) : std::min(2 * distance, (distance + limit) / 2);
      }
    };
    const NaturalRange& natural = solution_.natural;
    Side sides[] = {{1, start, 0, 0, natural.high - current, true}, {-1, start, 0, 0, current - natural.low, !natural.open_low}};
    for (Side& side_ : sides) {
      if (!(side_.limit > 0)) side_.limit = 0;  // the current value is at (or beyond) the end: nothing to search
      side_.next = first_step;
      if (side_.limit != infinity) side_.advance(first_step / 2);
    }
    while (sides[0].open() || sides[1].open()) {
      for (Side& side_ : sides) {
        if (!side_.open()) continue;
        const double distance = side_.next;
        const double value = current + side_.direction * distance;
        std::optional<Point> next;
        try {
          if (!std::isfinite(value)) throw InputError({}, "beyond the largest double");
          next = run(written(value));
        } catch (const InputError&) {
          ++side_.refusals;
          side_.limit = distance;
          side_.closed_limit = false;
          side_.next = (side_.reached + distance) / 2;
          continue;
        }
        ++side_.expansions;
        if (side(next->estimate) != start_side) {
          low_ = side_.direction > 0 ? side_.last : *next;
          high_ = side_.direction > 0 ? *next : side_.last;
          return;
        }
        side_.last = *next;
        side_.reached = distance;
        side_.advance(distance);
      }
    }
    low_ = sides[1].last;
    high_ = sides[0].last;
    const std::string within = natural.reason.empty() ? "" : fmt::format(" ({}, and is searched only there)", natural.reason);
    throw InputError({}, fmt::format("{} is not reached by varying {} around {}{}: {}, and {}{}", target_.text, vary_.name(),
                                     message_number(start.value.value, solution_.percent), within, describe(sides[1].last),
                                     describe(sides[0].last), closest()),
                     "give a bracket LO:HI to search, or vary another parameter");
  }

  /// Halve the bracket until the statistic at its two ends is within Monte Carlo precision of each
  /// other (or meets the goal, or no double is left between them). A bracket whose ends share a sign
  /// and differ by more than a factor of 16 is halved in ratio (the geometric mean), so that a wide one
  /// (0.001 to 1e19) closes in a few dozen steps rather than needing one per binade.
  void bisect(int max_iterations) {
    const int low_side = side(low_->estimate);
    while (low_side != 0 && side(high_->estimate) != 0) {
      const double precision = std::min(low_->estimate.half_width(), high_->estimate.half_width());
      if (std::abs(high_->estimate.value - low_->estimate.value) <= precision) break;
      const double low = low_->value.value, high = high_->value.value;
      const bool by_ratio = (low > 0 && high > 16 * low) || (high < 0 && low < 16 * high);
      const ParameterValue middle =
          written(by_ratio ? std::copysign(std::sqrt(std::abs(low)) * std::sqrt(std::abs(high)), low) : between(low, high, 0.5));
      if (middle.value <= low || middle.value >= high) break;
      if (solution_.iterations == max_iterations) {
        solution_.step_limit = true;
        break;
      }
      ++solution_.iterations;
      const Point point = run(middle);
      (side(point.estimate) == low_side ? low_ : high_) = point;
    }
  }

  /// Golden-section search (Kiefer 1953) for the largest statistic in the bracket, or the smallest
  /// when `maximize` is false: two interior points at the golden ratio, the worse one's outer part
  /// dropped each step, until the statistic at the bracket's ends and both interior points is within
  /// Monte Carlo precision (the least half-width of their 95% intervals). Returns the best point run.
  Point optimize(bool maximize, int max_iterations) {
    constexpr double inner = 0.3819660112501051;  // (3 - sqrt(5)) / 2
    const auto better = [&](const Point& x, const Point& y) {
      return maximize ? x.estimate.value > y.estimate.value : x.estimate.value < y.estimate.value;
    };
    // The best of every run, the bracket's ends included: golden-section search assumes one peak, and
    // a statistic that has its best at an end and a peak of the other kind inside would lead it away.
    Point best = better(*high_, *low_) ? *high_ : *low_;
    const auto run_point = [&](double value) {
      const Point point = run(written(value));
      if (better(point, best)) best = point;
      return point;
    };
    Point a = *low_, b = *high_;
    Point c = run_point(between(a.value.value, b.value.value, inner));
    Point d = run_point(between(a.value.value, b.value.value, 1 - inner));
    for (;;) {
      double least = a.estimate.value, most = least, precision = a.estimate.half_width();
      for (const Point* point : {&b, &c, &d}) {
        least = std::min(least, point->estimate.value);
        most = std::max(most, point->estimate.value);
        precision = std::min(precision, point->estimate.half_width());
      }
      if (most - least <= precision) break;
      if (!(a.value.value < c.value.value && c.value.value < d.value.value && d.value.value < b.value.value)) break;
      if (solution_.iterations == max_iterations) {
        solution_.step_limit = true;
        break;
      }
      ++solution_.iterations;
      if (!better(d, c)) {
        b = d;
        d = c;
        c = run_point(between(a.value.value, b.value.value, inner));
      } else {
        a = c;
        c = d;
        d = run_point(between(a.value.value, b.value.value, 1 - inner));
      }
    }
    low_ = a;
    high_ = b;
    return best;
  }

  /// The bracket as it ends, and the search's start.
  void record_bracket() { solution_.bracket = {low_->value.value, high_->value.value}; }
  void record_start() { solution_.searched = {low_->value.value, high_->value.value}; }

  /// Where the goal is met, or its crossing by linear interpolation inside the bracket.
  double crossing() const {
    if (side(high_->estimate) == 0) return high_->value.value;
    if (side(low_->estimate) == 0) return low_->value.value;
    const double span = high_->estimate.value - low_->estimate.value;
    const double t = span != 0 ? (target_.goal - low_->estimate.value) / span : 0.5;
    return std::clamp(between(low_->value.value, high_->value.value, t), low_->value.value, high_->value.value);
  }

  /// The solution at `value`, run once more, so that what is reported is measured there, not assumed.
  void finish(double value) {
    Evaluation at = evaluate(written(value), true);
    solution_.report = std::move(at.report);
    solution_.model = std::move(at.model);
    solution_.value = at.point.value.value;
    solution_.achieved = at.point.estimate.value;
    solution_.achieved_ci = at.point.estimate.ci;
  }

 private:
  /// -1, 0 or 1: where the statistic is relative to the goal.
  int side(const Estimate& estimate) const { return (estimate.value > target_.goal) - (estimate.value < target_.goal); }

  ParameterValue written(double value) const { return tuning_detail::written(value, solution_.percent); }

  /// The run at `value`, with its report when `with_report`.
  Evaluation evaluate(const ParameterValue& value, bool with_report = false) {
    const ParameterValue values[] = {value};
    Evaluation evaluation{tuning_detail::load_point(source_, std::span(&vary_, 1), values), {value, {}}, {}};
    evaluation.point.estimate =
        tuning_detail::measure_target(bound_, evaluation.model, options_, with_report ? &evaluation.report : nullptr);
    if (std::isnan(evaluation.point.estimate.value)) {
      throw InputError({}, fmt::format("{} has no value at {} = {}: `{}` is not a finite number in any trial",
                                       target_.text, vary_.name(), value.text, target_.metric));
    }
    solution_.steps.push_back({value.value, evaluation.point.estimate.value});
    return evaluation;
  }

  Point run(const ParameterValue& value) { return evaluate(value).point; }

  /// "; the highest it reaches there is 99.98% at NAME.PARAM = V": the statistic's best towards the
  /// goal between low_ and high_, by golden-section search.
  std::string closest() {
    const bool up = low_->estimate.value < target_.goal;
    const Point best = optimize(up, max_closest_steps);
    return fmt::format("; the {} it reaches there is {} at {} = {}", up ? "highest" : "lowest",
                       message_statistic(target_, source_.model, best.estimate.value), vary_.name(),
                       message_number(best.value.value, solution_.percent));
  }

  /// " (clipped to LO:HI)" when the natural range clipped the bracket.
  std::string clipped_to() const {
    if (!solution_.asked) return "";
    return fmt::format(" (clipped to {}:{}: {})", message_number(low_->value.value, solution_.percent),
                       message_number(high_->value.value, solution_.percent), solution_.natural.reason);
  }

  std::string describe(const Point& point) const {
    return fmt::format("{} = {} gives {}", vary_.name(), message_number(point.value.value, solution_.percent),
                       message_statistic(target_, source_.model, point.estimate.value));
  }

  const TuningSource& source_;
  const Target& target_;
  const Variation& vary_;
  const RunOptions& options_;
  BoundTarget bound_;
  Solution& solution_;
  std::optional<Point> low_, high_;
};

}  // namespace

Target parse_target(const std::string& text, std::string source, Target::Aim aim) {
  return TargetParser(text, std::move(source), aim).parse();
}

Solution solve(const TuningSource& source, const Target& target, const Variation& vary, const RunOptions& options,
               const SolveOptions& solve_options) {
  if (!vary.values.empty()) {
    throw InputError(vary.values_where, "solve finds the value itself: give the parameter without values",
                     "bound the search with a bracket LO:HI");
  }
  Solution solution;
  solution.target = target;
  solution.vary = vary.name();
  const auto driver = std::find_if(source.scenario.drivers.begin(), source.scenario.drivers.end(),
                                   [&](const Driver& d) { return d.name == vary.driver; });
  const bool known = driver != source.scenario.drivers.end();
  if (known) {
    solution.current = current_value(*driver, vary.parameter);
    solution.natural = natural_range(*driver, vary.parameter);
  }
  solution.percent = solve_options.bracket ? solve_options.bracket->percent : known && driver->percent;

  check_memory("solve", run_report_memory(source.model, options), options.trials);
  GoalSeek search(source, target, vary, options, solution);
  const bool optimum = target.aim != Target::Aim::reach;
  if (optimum && !solve_options.bracket) {
    throw InputError({}, fmt::format("to {} {}, solve searches inside a bracket: give one, LO:HI", aim_name(target.aim),
                                     target.text),
                     fmt::format("give the values of {} to search between", vary.name()));
  }
  if (solve_options.bracket) {
    search.bracket_given(*solve_options.bracket);
  } else {
    if (!solution.current) {
      // The loader names what is wrong with NAME.PARAM (unknown driver or parameter, "did you mean").
      tuning_detail::load_point(source, std::span(&vary, 1), std::array{ParameterValue{"1", 1.0, false}});
      throw InputError(vary.values_where, fmt::format("cannot tell the current value of `{}` to search around", vary.name()),
                       "give a bracket LO:HI to search");
    }
    double step = first_step_share * std::abs(*solution.current);
    if (step == 0) step = driver->distribution ? std::sqrt(variance(*driver->distribution)) : 1.0;
    search.bracket_around(*solution.current, step);
  }
  search.record_start();
  if (optimum) {
    const double best = search.optimize(target.aim == Target::Aim::maximize, solve_options.max_iterations).value.value;
    search.record_bracket();
    search.finish(best);
    return solution;
  }
  search.bisect(solve_options.max_iterations);
  search.record_bracket();
  search.finish(search.crossing());
  return solution;
}

}  // namespace guidance
