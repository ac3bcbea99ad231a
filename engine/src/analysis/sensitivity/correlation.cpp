// Rank correlations of each input with the metric over the Monte Carlo trials, and each one's share
// of the sum of squared rank correlations (the "contribution to variance" of spreadsheet tools). A
// group's is the multiple correlation of the metric's ranks on its elements' ranks (docs/methods.md).
#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Core>
#include <Eigen/QR>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "analysis/sensitivity/common.hpp"
#include "guidance/sensitivity.hpp"
#include "simulate/column_storage.hpp"
#include "simulate/ranks.hpp"

namespace guidance {

using detail::centred_correlation, detail::centred_ranks;

namespace {

/// The signed multiple correlation of `output` (centred ranks) on a group's elements' centred ranks:
/// R = sqrt(r' S^+ r) with r their correlations with the output and S their correlation matrix, signed
/// as the sum of the regression coefficients S^+ r (which way moving every element up moves the
/// metric). One element's is its correlation.
double multiple_correlation(const std::vector<Column>& ranks, std::span<const double> output) {
  const auto k = static_cast<Eigen::Index>(ranks.size());
  Eigen::VectorXd r(k);
  for (Eigen::Index a = 0; a < k; ++a) r(a) = centred_correlation(ranks[static_cast<std::size_t>(a)], output);
  if (k == 1) return r(0);
  Eigen::MatrixXd s = Eigen::MatrixXd::Identity(k, k);
  for (Eigen::Index a = 0; a < k; ++a)
    for (Eigen::Index b = 0; b < a; ++b)
      s(a, b) = s(b, a) =
          centred_correlation(ranks[static_cast<std::size_t>(a)], ranks[static_cast<std::size_t>(b)]);
  // The pseudo-inverse: elements that move together (or one that does not vary) leave S singular.
  const Eigen::VectorXd beta = Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd>(s).solve(r);
  const double r_squared = std::clamp(r.dot(beta), 0.0, 1.0);
  return (beta.sum() < 0.0 ? -1.0 : 1.0) * std::sqrt(r_squared);
}

}  // namespace

MemoryNeed analysis::correlation_memory(const Model& model, std::span<const SensitivityInput> inputs) {
  // Beside the trials: the kept trials' positions and the metric's ranks, and for each input ranked at
  // once (one per thread) its elements' ranks, and one element's gathered values and their ranking.
  const double at_once =
      static_cast<double>(std::max<std::uint64_t>(1, std::min<std::uint64_t>(worker_threads(), inputs.size())));
  std::size_t largest = 1;
  for (const SensitivityInput& input : inputs) largest = std::max(largest, input.variables.size());
  MemoryNeed driver = detail::column_memory(sizeof(double)) + detail::centred_ranks_memory();
  if (largest > 1) driver = driver + detail::column_memory(sizeof(double) * static_cast<double>(largest - 1));
  const MemoryNeed ranking =
      MemoryNeed{sizeof(std::size_t), 0.0} + detail::column_memory(sizeof(double)) + driver * at_once;
  return trials_memory(model) + either(evaluation_memory(model), ranking);
}

RankCorrelations rank_correlations(const Model& model, std::span<const SensitivityInput> inputs,
                                   const SimulationResult& result, std::size_t metric) {
  analysis::check_metric(model, metric);
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
  // The inputs are ranked in parallel, one input per task. The correlation's own parallel loop is
  // isolated, so that a thread waiting in it does not start ranking another input: at most one
  // input's ranks per thread are alive at once (correlation_memory()).
  std::vector<double> spearman(inputs.size());
  tbb::parallel_for(std::size_t{0}, inputs.size(), [&](std::size_t k) {
    tbb::this_task_arena::isolate([&] {
      std::vector<Column> ranks;
      for (const std::size_t d : inputs[k].variables) ranks.push_back(centred_ranks(gather(result.column(d))));
      spearman[k] = multiple_correlation(ranks, output_ranks);
    });
  });
  // A metric that does not vary moves with no driver (0); one finite in fewer than two trials has no
  // ranks to correlate: undefined.
  if (kept.size() < 2) std::ranges::fill(spearman, std::numeric_limits<double>::quiet_NaN());
  double squares = 0.0;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    correlations.inputs.push_back({k, spearman[k], 0.0});
    squares += spearman[k] * spearman[k];
  }
  for (RankCorrelation& driver : correlations.inputs) {
    driver.contribution = std::isnan(driver.spearman) ? driver.spearman
                                                      : analysis::share(driver.spearman * driver.spearman, squares);
  }
  return correlations;
}

}  // namespace guidance
