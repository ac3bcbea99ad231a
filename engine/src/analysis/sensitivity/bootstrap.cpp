#include "analysis/sensitivity/bootstrap.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>

#include <tbb/parallel_for.h>

#include "guidance/random.hpp"

namespace guidance::analysis {

BatchedSums::BatchedSums(std::uint64_t rows, std::size_t statistics, std::size_t chunk_rows) : statistics_(statistics) {
  if (rows == 0 || !std::has_single_bit(chunk_rows))
    throw std::invalid_argument("BatchedSums: no rows, or a chunk size that is not a power of two");
  // The smallest power of two that keeps the batches at most max_batches.
  std::uint64_t batch_rows = 1;
  while ((rows + batch_rows - 1) / batch_rows > max_batches) batch_rows *= 2;
  cell_rows_ = static_cast<std::size_t>(std::min<std::uint64_t>(batch_rows, chunk_rows));
  cells_per_batch_ = static_cast<std::size_t>(batch_rows / cell_rows_);
  batch_count_ = static_cast<std::size_t>((rows + batch_rows - 1) / batch_rows);
  const std::uint64_t cells = (rows + cell_rows_ - 1) / cell_rows_;
  cells_.assign(static_cast<std::size_t>(cells) * statistics_, 0.0);
}

MemoryNeed BatchedSums::memory(std::size_t statistics, std::size_t chunk_rows) {
  const double cell = static_cast<double>(statistics * sizeof(double));
  return {cell / static_cast<double>(chunk_rows), 2 * static_cast<double>(max_batches) * cell};
}

std::span<double> BatchedSums::cell(std::uint64_t row) {
  return std::span<double>(cells_).subspan(static_cast<std::size_t>(row / cell_rows_) * statistics_, statistics_);
}

std::vector<double> BatchedSums::batch_sums() const {
  std::vector<double> batches(batch_count_ * statistics_, 0.0);
  const std::size_t cells = cells_.size() / statistics_;
  for (std::size_t c = 0; c < cells; ++c)
    for (std::size_t s = 0; s < statistics_; ++s)
      batches[(c / cells_per_batch_) * statistics_ + s] += cells_[c * statistics_ + s];
  return batches;
}

BootstrapEstimates bootstrap(std::span<const double> batches, std::size_t statistics, std::size_t estimates,
                             const Estimator& estimator, std::size_t resamples, std::uint64_t seed,
                             std::uint64_t stream) {
  if (resamples == 0 || statistics == 0 || batches.empty() || batches.size() % statistics != 0)
    throw std::invalid_argument("bootstrap: no resamples, or batches that are not whole");
  const std::size_t count = batches.size() / statistics;

  BootstrapEstimates result;
  result.estimates.resize(estimates);
  std::vector<double> total(statistics, 0.0);
  for (std::size_t b = 0; b < count; ++b)
    for (std::size_t s = 0; s < statistics; ++s) total[s] += batches[b * statistics + s];
  estimator(total, result.estimates);
  std::size_t counted = 0;
  for (std::size_t b = 0; b < count; ++b) counted += batches[b * statistics + OutputSum::count] > 0.0 ? 1 : 0;
  if (counted < min_bootstrap_batches) {
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    result.intervals.assign(estimates, Interval{nan, nan});
    return result;
  }

  // replicates[e * resamples + r]: estimate e of resample r. Resample r draws its batches from trials
  // r * count .. of the bootstrap stream and writes only its own slots.
  std::vector<double> replicates(estimates * resamples);
  tbb::parallel_for(std::size_t{0}, resamples, [&](std::size_t r) {
    std::vector<double> draws(count), resampled(statistics, 0.0), out(estimates);
    uniforms(seed, stream, static_cast<std::uint64_t>(r) * count, draws);
    for (const double u : draws) {
      const std::size_t b = std::min(count - 1, static_cast<std::size_t>(u * static_cast<double>(count)));
      for (std::size_t s = 0; s < statistics; ++s) resampled[s] += batches[b * statistics + s];
    }
    estimator(resampled, out);
    for (std::size_t e = 0; e < estimates; ++e) replicates[e * resamples + r] = out[e];
  });

  constexpr double tails[] = {0.025, 0.975};
  for (std::size_t e = 0; e < estimates; ++e) {
    const std::vector<double> ends =
        exact_percentiles(std::span<const double>(replicates).subspan(e * resamples, resamples), tails);
    result.intervals.push_back({ends[0], ends[1]});
  }
  return result;
}

}  // namespace guidance::analysis
