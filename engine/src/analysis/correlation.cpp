// Rank correlations of each driver with the metric over the Monte Carlo trials, and each one's share
// of the sum of squared rank correlations (the "contribution to variance" of spreadsheet tools).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

#include <tbb/parallel_for.h>

#include "analysis/common.hpp"
#include "guidance/sensitivity.hpp"
#include "stats/order_statistics.hpp"

namespace guidance {

namespace {

using stats_detail::ordered_key;

/// The positions of `values` in ascending order: a least-significant-digit radix sort of their
/// ordered keys, a byte a pass, skipping the passes in which every key has the same digit (the sign
/// and exponent of a column of similar values). Stable and linear in n.
auto ascending_order(std::span<const double> values) {
  constexpr int digit_bits = 8;  // 256 buckets: few enough write streams for the scatter to stay in cache
  constexpr std::size_t buckets = std::size_t{1} << digit_bits;
  struct Entry {
    std::uint64_t key, position;
  };
  const std::size_t n = values.size();
  // Uninitialised, huge-page storage (as the result columns): zero-filling and faulting in fresh
  // pages cost more than the sort on this machine.
  std::vector<Entry, detail::uninitialized_allocator<Entry>> entries(n), next(n);
  for (std::size_t i = 0; i < n; ++i) entries[i] = {ordered_key(values[i]), i};
  // Every pass's histogram in one read of the keys.
  std::vector<std::array<std::size_t, buckets>> counts(64 / digit_bits);
  for (const Entry& entry : entries)
    for (std::size_t pass = 0; pass < counts.size(); ++pass) ++counts[pass][(entry.key >> (pass * digit_bits)) & (buckets - 1)];
  for (std::size_t pass = 0; pass < counts.size(); ++pass) {
    const int shift = static_cast<int>(pass * digit_bits);
    if (n == 0 || counts[pass][(entries[0].key >> shift) & (buckets - 1)] == n) continue;  // one digit for all
    std::array<std::size_t, buckets> start{};
    std::size_t position = 0;
    for (std::size_t b = 0; b < buckets; ++b) start[b] = std::exchange(position, position + counts[pass][b]);
    for (const Entry& entry : entries) next[start[(entry.key >> shift) & (buckets - 1)]++] = entry;
    entries.swap(next);
  }
  std::vector<std::uint64_t, detail::uninitialized_allocator<std::uint64_t>> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = entries[i].position;
  return order;
}

/// Rank of each value among `values` (1-based; tied values share their average rank), minus the mean
/// rank (n + 1) / 2: centred ranks, so that the sums below stay small.
Column centred_ranks(std::span<const double> values) {
  const std::size_t n = values.size();
  const auto order = ascending_order(values);
  Column ranks(n);
  const double middle = (static_cast<double>(n) + 1.0) / 2.0;
  for (std::size_t first = 0; first < n;) {
    std::size_t last = first + 1;
    while (last < n && values[order[last]] == values[order[first]]) ++last;
    const double rank = (static_cast<double>(first + 1) + static_cast<double>(last)) / 2.0 - middle;
    for (std::size_t k = first; k < last; ++k) ranks[order[k]] = rank;
    first = last;
  }
  return ranks;
}

/// Pearson correlation of two centred columns, by sums over fixed chunks merged in chunk order.
double centred_correlation(std::span<const double> x, std::span<const double> y) {
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
    Column values(kept.size());
    for (std::size_t i = 0; i < kept.size(); ++i) values[i] = column[kept[i]];
    return values;
  };

  RankCorrelations correlations;
  correlations.design.evaluations = result.trials;
  correlations.design.nonfinite = result.trials - kept.size();
  const Column output_ranks = centred_ranks(gather(output));
  // The drivers are ranked in parallel, one driver per task.
  std::vector<double> spearman(inputs.size());
  tbb::parallel_for(std::size_t{0}, inputs.size(), [&](std::size_t k) {
    spearman[k] = centred_correlation(centred_ranks(gather(result.column(inputs[k]))), output_ranks);
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
