// Statistics of one variable's trials: moments, exact percentiles, non-finite counts, and intervals.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace guidance {

/// The percentiles every run reports, in percent.
inline constexpr std::array<double, 9> reported_percentiles = {1, 5, 10, 25, 50, 75, 90, 95, 99};

struct Summary {
  std::uint64_t count = 0;      // finite values
  std::uint64_t nonfinite = 0;  // NaN and infinities: excluded from everything below
  double mean = 0.0;
  double sd = 0.0;  // sample standard deviation (n - 1)
  double min = 0.0;
  double max = 0.0;
  std::array<double, reported_percentiles.size()> percentiles{};  // NaN when count == 0
};

/// Summary of `values`. Exact percentiles (linear interpolation between order statistics, numpy's
/// default); sums in fixed chunks merged in order, so the result does not depend on threads.
Summary summarize(std::span<const double> values);

/// Exact percentiles of the finite values, for probabilities in [0, 1], numpy-linear. Does not modify
/// or copy `values` (a histogram pass narrows each rank to one bin, then selects inside it).
std::vector<double> exact_percentiles(std::span<const double> values, std::span<const double> probabilities);

struct Interval {
  double low = 0.0;
  double high = 0.0;
};

/// Wilson score interval for a binomial proportion successes / trials.
Interval wilson_interval(std::uint64_t successes, std::uint64_t trials, double confidence = 0.95);

/// Percentile rank of x among the finite values: (count below + count equal / 2) / count, in [0, 1].
double percentile_rank(std::span<const double> values, double x);

}  // namespace guidance
