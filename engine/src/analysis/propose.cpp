// `guidance propose`: the range to publish for a metric, and where the published ranges sit in the
// model's distribution (percentile ranks of their bounds), so that inconsistent ranges show.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "analysis/tuning_input.hpp"

namespace guidance {

namespace {

/// The shortest interval [x(i), x(i + k - 1)] of the sorted finite values (the first, lowest, of equal
/// length): the highest-density interval of the sample.
Interval narrowest_window(std::span<const double> sorted, std::size_t k) {
  std::size_t best = 0;
  for (std::size_t i = 1; i + k <= sorted.size(); ++i)
    if (sorted[i + k - 1] - sorted[i] < sorted[best + k - 1] - sorted[best]) best = i;
  return {sorted[best], sorted[best + k - 1]};
}

/// Share of all trials with a finite value in [low, high].
double share_inside(std::span<const double> column, Interval range, std::uint64_t trials) {
  const auto inside = std::count_if(column.begin(), column.end(),
                                    [&](double x) { return std::isfinite(x) && x >= range.low && x <= range.high; });
  return static_cast<double>(inside) / static_cast<double>(trials);
}

}  // namespace

double parse_probability(const std::string& text, std::string_view flag, bool exclusive) {
  const std::optional<tuning_detail::Number> number = tuning_detail::parse_number(text);
  const bool inside = number && (exclusive ? number->value > 0.0 && number->value < 1.0
                                           : number->value >= 0.0 && number->value <= 1.0);
  if (!inside) {
    throw InputError({}, fmt::format("{} must be between 0 and 1{}, found {}", flag, exclusive ? " (exclusive)" : "", text),
                     "write a fraction such as 0.8, or a percent such as 80%");
  }
  return number->value;
}

double parse_confidence(const std::string& text) { return parse_probability(text, "--confidence", true); }

Proposal propose(const Model& model, const SimulationResult& result, const RunReport& report, const std::string& metric,
                 double confidence) {
  if (!(confidence > 0.0 && confidence < 1.0)) {
    throw InputError({}, fmt::format("--confidence must be between 0 and 1 (exclusive), found {:g}", confidence),
                     "write a fraction such as 0.8, or a percent such as 80%");
  }
  const std::size_t variable = find_variable(model, metric, "--metric");

  Proposal proposal;
  proposal.metric = metric;
  proposal.confidence = confidence;
  const std::span<const double> column = result.column(variable);
  const double constant = model.variables[variable].constant_value;
  if (column.empty() && std::isfinite(constant)) {
    proposal.narrowest = proposal.central = {constant, constant};
    proposal.narrowest_p_in = proposal.central_p_in = 1.0;
    proposal.narrowest_ranks = proposal.central_ranks = {0.5, 0.5};
  } else {  // a stored column, or a constant that is finite in no trial (an error below)
    std::vector<double> sorted;
    sorted.reserve(column.size());
    std::copy_if(column.begin(), column.end(), std::back_inserter(sorted), [](double x) { return std::isfinite(x); });
    std::sort(sorted.begin(), sorted.end());
    // k = ceil(confidence * trials), the least count whose share of all trials reaches the
    // confidence, found by the same division that gives P(in) (a product could round either way).
    const auto trials = static_cast<double>(result.trials);
    auto k = static_cast<std::size_t>(std::ceil(confidence * trials));
    while (k > 1 && static_cast<double>(k - 1) / trials >= confidence) --k;
    while (static_cast<double>(k) / trials < confidence) ++k;
    if (k > sorted.size()) {
      throw InputError({}, fmt::format("`{}` is a finite number in only {} of {} trials, fewer than the {:g}% asked for",
                                       metric, sorted.size(), result.trials, confidence * 100),
                       fmt::format("{}find why the metric is not finite (a division by zero?)",
                                   sorted.empty() ? "" : "lower --confidence, or "));
    }
    proposal.narrowest = narrowest_window(sorted, k);
    // Equal tails of the finite values around a share confidence / finite of them, so that the range
    // holds the confidence of all trials, as the narrowest does (the two differ when some trials are
    // not finite).
    const double of_finite = std::min(1.0, confidence * trials / static_cast<double>(sorted.size()));
    const double tails[] = {(1 - of_finite) / 2, (1 + of_finite) / 2};
    const std::vector<double> central = exact_percentiles(column, tails);
    proposal.central = {central[0], central[1]};
    proposal.narrowest_p_in = share_inside(column, proposal.narrowest, result.trials);
    proposal.central_p_in = share_inside(column, proposal.central, result.trials);
    proposal.narrowest_ranks = {percentile_rank(column, proposal.narrowest.low), percentile_rank(column, proposal.narrowest.high)};
    proposal.central_ranks = {percentile_rank(column, proposal.central.low), percentile_rank(column, proposal.central.high)};
  }

  for (std::size_t g = 0; g < model.guidance.size(); ++g) {
    const GuidanceRange& line = model.guidance[g];
    LineRank& ranked = proposal.lines.emplace_back();
    ranked.name = line.name;
    ranked.low = line.low;
    ranked.high = line.high;
    ranked.low_rank = rank_among_trials(model, result, line.variable, line.low);
    ranked.high_rank = rank_among_trials(model, result, line.variable, line.high);
    ranked.p_in = report.guidance[g].p_in;
    ranked.p_in_ci = report.guidance[g].p_in_ci;
    ranked.percent = line.percent;
    if (line.variable == variable && !proposal.guidance) proposal.guidance = ranked;
  }
  return proposal;
}

}  // namespace guidance
