// What dimensions cost: the flagship over four quarters and three segments (revenue by segment and
// quarter, the rest by quarter, rolled up to the fiscal year), as one dimensioned scenario and as the
// same model written out by hand with a scalar driver per element, each run whole (simulate and
// analyze) at 1M trials. Issue 24's target: the dimensioned run within 1.3x of the hand-written one.
// docs/performance.md quotes the ratio.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "guidance/load.hpp"
#include "guidance/simulate.hpp"

namespace {

const std::vector<std::string> quarters = {"Q1", "Q2", "Q3", "Q4"};
const std::vector<std::string> segments = {"routing", "switching", "security"};

const std::string dimensioned_text = R"(name: flagship by quarter and segment
dimensions:
  quarter: [Q1, Q2, Q3, Q4]
  segment: [routing, switching, security]
drivers:
  revenue: {over: [segment, quarter], dist: normal, mean: {routing: 560, switching: 240, security: 265}, sd: 8}
  gross_margin: {over: quarter, dist: normal, p10: "63.5%", p90: "64.5%"}
  opex: {over: quarter, dist: triangular, min: 535, mode: 546, max: 560}
  other_income: {over: quarter, dist: normal, mean: -5.7, sd: 4}
  tax_rate: "32%"
  diluted_shares: {over: quarter, dist: normal, mean: 536, sd: 3, truncate: [0, null]}
correlations:
  - [revenue, gross_margin, 0.3]
  - [revenue, opex, 0.3]
metrics:
  total_revenue: sum(revenue, segment)
  operating_income: total_revenue * gross_margin - opex
  operating_margin: operating_income / total_revenue
  net_income: (operating_income + other_income) * (1 - tax_rate)
  eps: net_income / diluted_shares
  fy_revenue: sum(total_revenue)
  fy_eps: sum(net_income) / mean(diluted_shares)
)";

// The same model, one scalar driver and one formula per element.
std::string by_hand_text() {
  std::string text = "name: flagship by hand\ndrivers:\n";
  const std::vector<std::string> means = {"560", "240", "265"};
  for (std::size_t s = 0; s < segments.size(); ++s)
    for (const std::string& q : quarters)
      text += fmt::format("  r_{}_{}: {{dist: normal, mean: {}, sd: 8}}\n", segments[s], q, means[s]);
  for (const std::string& q : quarters) text += fmt::format("  gm_{}: {{dist: normal, p10: \"63.5%\", p90: \"64.5%\"}}\n", q);
  for (const std::string& q : quarters) text += fmt::format("  opex_{}: {{dist: triangular, min: 535, mode: 546, max: 560}}\n", q);
  for (const std::string& q : quarters) text += fmt::format("  oi_{}: {{dist: normal, mean: -5.7, sd: 4}}\n", q);
  text += "  tax_rate: \"32%\"\n";
  for (const std::string& q : quarters)
    text += fmt::format("  shares_{}: {{dist: normal, mean: 536, sd: 3, truncate: [0, null]}}\n", q);
  text += "correlations:\n";
  for (const std::string& s : segments)
    for (const std::string& q : quarters)
      text += fmt::format("  - [r_{0}_{1}, gm_{1}, 0.3]\n  - [r_{0}_{1}, opex_{1}, 0.3]\n", s, q);
  text += "metrics:\n";
  for (const std::string& q : quarters) text += fmt::format("  tr_{0}: r_routing_{0} + r_switching_{0} + r_security_{0}\n", q);
  for (const std::string& q : quarters) text += fmt::format("  op_{0}: tr_{0} * gm_{0} - opex_{0}\n", q);
  for (const std::string& q : quarters) text += fmt::format("  margin_{0}: op_{0} / tr_{0}\n", q);
  for (const std::string& q : quarters) text += fmt::format("  ni_{0}: (op_{0} + oi_{0}) * (1 - tax_rate)\n", q);
  for (const std::string& q : quarters) text += fmt::format("  eps_{0}: ni_{0} / shares_{0}\n", q);
  text += "  fy_revenue: tr_Q1 + tr_Q2 + tr_Q3 + tr_Q4\n";
  text += "  fy_eps: (ni_Q1 + ni_Q2 + ni_Q3 + ni_Q4) / ((shares_Q1 + shares_Q2 + shares_Q3 + shares_Q4) / 4)\n";
  return text;
}

void whole_run(benchmark::State& state, const std::string& text) {
  const guidance::Model model = guidance::build_model(guidance::parse_scenario(text, "bench.yaml"));
  for (auto _ : state) {
    const guidance::SimulationResult result = guidance::simulate(model, {.trials = 1'000'000, .seed = 1});
    benchmark::DoNotOptimize(guidance::analyze(model, result));
  }
  state.SetItemsProcessed(state.iterations() * 1'000'000);
}

}  // namespace

BENCHMARK_CAPTURE(whole_run, dimensioned, dimensioned_text)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(whole_run, by_hand, by_hand_text())->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
