// Rank correlations of each driver with the metric over the Monte Carlo trials, and each one's share
// of the sum of squared rank correlations (the "contribution to variance" of spreadsheet tools).
#include <algorithm>
#include <array>
#include <cmath>

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include "analysis/common.hpp"
#include "guidance/sensitivity.hpp"

namespace guidance {

namespace {

/// Rank of each value among `values` (1-based; tied values share their average rank), minus the mean
/// rank (n + 1) / 2: centred ranks, so that the sums below stay small.
std::vector<double> centred_ranks(const std::vector<double>& values) {
  const std::size_t n = values.size();
  // (value, trial) pairs sort faster than trial indices compared through the values (no indirection).
  std::vector<std::pair<double, std::size_t>> sorted(n);
  for (std::size_t i = 0; i < n; ++i) sorted[i] = {values[i], i};
  // Ties may come out in any order, but they all get the same average rank: the ranks do not depend on
  // the sort's schedule.
  tbb::parallel_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<double> ranks(n);
  const double middle = (static_cast<double>(n) + 1.0) / 2.0;
  for (std::size_t first = 0; first < n;) {
    std::size_t last = first + 1;
    while (last < n && sorted[last].first == sorted[first].first) ++last;
    const double rank = (static_cast<double>(first + 1) + static_cast<double>(last)) / 2.0 - middle;
    for (std::size_t k = first; k < last; ++k) ranks[sorted[k].second] = rank;
    first = last;
  }
  return ranks;
}

/// Pearson correlation of two centred columns, by sums over fixed chunks merged in chunk order.
double centred_correlation(const std::vector<double>& x, const std::vector<double>& y) {
  constexpr std::size_t chunk = std::size_t{1} << 16;
  const std::size_t chunks = (x.size() + chunk - 1) / chunk;
  std::vector<std::array<double, 3>> sums(chunks);
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
    std::array<double, 3> local{};
    for (std::size_t i = c * chunk; i < std::min(x.size(), (c + 1) * chunk); ++i) {
      local[0] += x[i] * y[i];
      local[1] += x[i] * x[i];
      local[2] += y[i] * y[i];
    }
    sums[c] = local;
  });
  std::array<double, 3> total{};
  for (const auto& local : sums)
    for (std::size_t k = 0; k < 3; ++k) total[k] += local[k];
  const double scale = std::sqrt(total[1] * total[2]);
  return scale > 0.0 ? std::clamp(total[0] / scale, -1.0, 1.0) : 0.0;
}

}  // namespace

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
    std::vector<double> values(kept.size());
    for (std::size_t i = 0; i < kept.size(); ++i) values[i] = column[kept[i]];
    return values;
  };

  RankCorrelations correlations;
  correlations.design.evaluations = result.trials;
  correlations.design.nonfinite = result.trials - kept.size();
  const std::vector<double> output_ranks = centred_ranks(gather(output));
  double squares = 0.0;
  for (const std::size_t d : inputs) {
    const double rho = centred_correlation(centred_ranks(gather(result.column(d))), output_ranks);
    correlations.drivers.push_back({d, rho, 0.0});
    squares += rho * rho;
  }
  for (RankCorrelation& driver : correlations.drivers)
    driver.contribution = analysis::share(driver.spearman * driver.spearman, squares);
  return correlations;
}

}  // namespace guidance
