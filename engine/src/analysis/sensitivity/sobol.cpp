// Sobol indices from the pick-freeze design (Saltelli et al. 2010): matrices A and B of N independent
// trials, and for each input i the matrix A with input i's columns taken from B (all of a group's
// together: the group's indices, Sobol 1993). First-order indices by Saltelli's estimator, total
// indices by Jansen's, with a bootstrap over batches of trials.
#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/sensitivity/bootstrap.hpp"
#include "analysis/sensitivity/common.hpp"
#include "analysis/sensitivity/design.hpp"
#include "guidance/sensitivity.hpp"
#include "sample/sample_drivers.hpp"

namespace guidance {

namespace {

// Per-trial statistics: the finite-row count, the sum and the sum of squares of g = f - shift over
// the A and B outputs, then per input i
//   first_i = g(B) (g(A_B^i) - g(A))     (Saltelli 2010, table 2 (b))
//   total_i = (g(A) - g(A_B^i))^2        (Jansen 1999; Saltelli 2010, table 2 (f))
using analysis::count, analysis::sum, analysis::sum_squares, analysis::design_statistics;
constexpr std::size_t per_driver = design_statistics;
std::size_t first_of(std::size_t i) { return per_driver + 2 * i; }
std::size_t total_of(std::size_t i) { return per_driver + 2 * i + 1; }

/// The estimates, [first_0, total_0, first_1, ..., variance], from summed statistics.
void estimate(std::span<const double> s, std::size_t drivers, std::span<double> out) {
  const double n = s[count];
  if (n == 0) {  // every trial had a non-finite output: nothing to estimate
    std::ranges::fill(out, std::numeric_limits<double>::quiet_NaN());
    return;
  }
  const double mean = s[sum] / (2 * n);
  const double variance = (s[sum_squares] / (2 * n) - mean * mean) * (2 * n / (2 * n - 1));
  for (std::size_t i = 0; i < drivers; ++i) {
    out[2 * i] = analysis::share(s[first_of(i)] / n, variance);
    out[2 * i + 1] = analysis::share(s[total_of(i)] / (2 * n), variance);
  }
  out[2 * drivers] = variance;
}

}  // namespace

MemoryNeed analysis::sobol_memory(const Model& model, std::span<const SensitivityInput> inputs) {
  const std::size_t drivers = inputs.size(), segments = drivers + 2;
  constexpr std::size_t chunk_rows = block_trials;
  // Each thread's design of segments x chunk_rows rows, and the sums and non-finite counts per chunk.
  const MemoryNeed designs{0.0, analysis::Design::bytes(model, segments * chunk_rows) *
                                    static_cast<double>(worker_threads())};
  const MemoryNeed nonfinite{sizeof(std::uint64_t) / static_cast<double>(chunk_rows), 0.0};
  return analysis::BatchedSums::memory(per_driver + 2 * drivers, chunk_rows) + nonfinite + designs +
         evaluation_memory(model);
}

SobolIndices sobol_indices(const Model& model, std::span<const SensitivityInput> inputs, std::size_t metric,
                           std::uint64_t base_trials, std::uint64_t seed, bool ignore_correlations,
                           std::size_t resamples, const std::function<bool(std::uint64_t)>& progress) {
  analysis::check_metric(model, metric);
  analysis::check_independent(model, inputs, ignore_correlations);
  analysis::check_trials(SensitivityMethod::sobol, base_trials);

  // Ignoring the correlations means sampling every driver on its own.
  Model independent;
  if (!model.copula.empty()) {
    independent = model;
    independent.copula = {};
  }
  const Model& sampled = model.copula.empty() ? model : independent;
  const SamplingPlan plan_a{Sampling::monte_carlo, seed, base_trials, analysis::sobol_a_salt};
  const SamplingPlan plan_b{Sampling::monte_carlo, seed, base_trials, analysis::sobol_b_salt};

  // Centring by the metric at the drivers' medians keeps the sums of squares free of cancellation.
  double shift = analysis::evaluate_moves(model, metric, {})[0];
  if (!std::isfinite(shift)) shift = 0.0;

  const std::size_t drivers = inputs.size(), segments = drivers + 2;
  constexpr std::size_t chunk_rows = block_trials;  // as sobol_memory()
  analysis::BatchedSums sums(base_trials, per_driver + 2 * drivers, chunk_rows);
  std::vector<std::uint64_t> nonfinite((base_trials + chunk_rows - 1) / chunk_rows, 0);

  analysis::for_each_chunk(
      base_trials, chunk_rows, [&] { return analysis::Design(model, segments * chunk_rows); },
      [&](analysis::Design& design, std::size_t chunk, std::uint64_t first, std::size_t n) {
        // Segment 0 is A, 1 is B, 2 + i is A with input i from B; each n rows.
        sample_drivers(sampled, plan_a, first, n, design.driver_pointers(0));
        sample_drivers(sampled, plan_b, first, n, design.driver_pointers(n));
        for (std::size_t i = 0; i < drivers; ++i)
          for (std::size_t j = 0; j < drivers; ++j)
            for (const std::size_t d : inputs[j].variables) {
              const std::span<double> column = design.driver(d);
              const std::size_t from = (i == j ? 1 : 0) * n;
              std::copy_n(column.begin() + static_cast<std::ptrdiff_t>(from), n,
                          column.begin() + static_cast<std::ptrdiff_t>((2 + i) * n));
            }
        design.evaluate(segments * n);

        const std::span<const double> f = design.column(metric);
        for (std::size_t r = 0; r < n; ++r) {
          bool finite = true;
          for (std::size_t k = 0; k < segments; ++k) finite = finite && std::isfinite(f[k * n + r]);
          if (!finite) {
            ++nonfinite[chunk];
            continue;
          }
          const double a = f[r] - shift, b = f[n + r] - shift;
          const std::span<double> cell = sums.cell(first + r);
          cell[count] += 1.0;
          cell[sum] += a + b;
          cell[sum_squares] += a * a + b * b;
          for (std::size_t i = 0; i < drivers; ++i) {
            const double ab = f[(2 + i) * n + r] - shift;
            cell[first_of(i)] += b * (ab - a);
            cell[total_of(i)] += (a - ab) * (a - ab);
          }
        }
      },
      progress);

  SobolIndices result;
  result.correlations_ignored = !model.copula.empty();
  result.design.evaluations = base_trials * segments;
  for (const std::uint64_t count_in_chunk : nonfinite) result.design.nonfinite += count_in_chunk;
  const std::vector<double> batches = sums.batch_sums();
  const analysis::BootstrapEstimates estimates = analysis::bootstrap(
      batches, sums.statistics(), 2 * drivers + 1,
      [drivers](std::span<const double> s, std::span<double> out) { estimate(s, drivers, out); }, resamples, seed,
      analysis::sobol_bootstrap_stream);
  for (std::size_t i = 0; i < drivers; ++i)
    result.inputs.push_back({i, estimates.estimates[2 * i], estimates.intervals[2 * i],
                              estimates.estimates[2 * i + 1], estimates.intervals[2 * i + 1]});
  result.variance = estimates.estimates[2 * drivers];
  return result;
}

}  // namespace guidance
