// Rank correlations of each driver with the metric over the Monte Carlo trials, and each one's share
// of the sum of squared rank correlations (the "contribution to variance" of spreadsheet tools).
#include <algorithm>
#include <cmath>
#include <limits>

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "analysis/sensitivity/common.hpp"
#include "guidance/sensitivity.hpp"
#include "simulate/ranks.hpp"

namespace guidance {

using detail::centred_correlation, detail::centred_ranks;

MemoryNeed analysis::correlation_memory(const Model& model) {
  // Beside the trials: the kept trials' positions and the metric's ranks, and for each driver ranked at
  // once (one per thread) its gathered values and their ranking.
  const double at_once = static_cast<double>(std::max<std::uint64_t>(
      1, std::min<std::uint64_t>(worker_threads(), sensitivity_inputs(model).size())));
  const MemoryNeed driver = detail::column_memory(sizeof(double)) + detail::centred_ranks_memory();
  const MemoryNeed ranking =
      MemoryNeed{sizeof(std::size_t), 0.0} + detail::column_memory(sizeof(double)) + driver * at_once;
  return trials_memory(model) + either(evaluation_memory(model), ranking);
}

RankCorrelations rank_correlations(const Model& model, const SimulationResult& result, std::size_t metric) {
  analysis::check_metric(model, metric);
  const std::vector<std::size_t> inputs = sensitivity_inputs(model);
  const std::span<const double> output = result.column(metric);

  // Trials where the metric is not finite have no rank: they are left out, and counted.
  std::vector<std::size_t> kept;
  kept.reserve(output.size());
  for (std::size_t t = 0; t < output.size(); ++t)
    if (std::isfinite(output[t])) kept.push_back(t);
  const auto gather = [&](std::span<const double> column) {
    Column values(kept.size());
    for (std::size_t i = 0; i < kept.size(); ++i) values[i] = column[kept[i]];
    return values;
  };

  RankCorrelations correlations;
  correlations.design.evaluations = result.trials;
  correlations.design.nonfinite = result.trials - kept.size();
  const Column output_ranks = centred_ranks(gather(output));
  // The drivers are ranked in parallel, one driver per task. The correlation's own parallel loop is
  // isolated, so that a thread waiting in it does not start ranking another driver: at most one
  // driver's ranking per thread is alive at once (correlation_memory()).
  std::vector<double> spearman(inputs.size());
  tbb::parallel_for(std::size_t{0}, inputs.size(), [&](std::size_t k) {
    tbb::this_task_arena::isolate([&] {
      spearman[k] = centred_correlation(centred_ranks(gather(result.column(inputs[k]))), output_ranks);
    });
  });
  // A metric that does not vary moves with no driver (0); one finite in fewer than two trials has no
  // ranks to correlate: undefined.
  if (kept.size() < 2) std::ranges::fill(spearman, std::numeric_limits<double>::quiet_NaN());
  double squares = 0.0;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    correlations.drivers.push_back({inputs[k], spearman[k], 0.0});
    squares += spearman[k] * spearman[k];
  }
  for (RankCorrelation& driver : correlations.drivers) {
    driver.contribution = std::isnan(driver.spearman) ? driver.spearman
                                                      : analysis::share(driver.spearman * driver.spearman, squares);
  }
  return correlations;
}

}  // namespace guidance
