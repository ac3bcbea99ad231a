// Statistics of one variable's trials: moments, exact percentiles, non-finite counts, and intervals.
//
//   Summary s = summarize(result.column(v));   // s.percentiles[4] is the median
//   Interval ci = percentile_interval(column, 0.90);
//
// Every function ignores non-finite values (NaN, +-inf) except to count them, and is deterministic:
// the same values give bit-identical results on any number of threads.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace guidance {

/// The percentiles every run reports, in percent.
inline constexpr std::array<double, 9> reported_percentiles = {1, 5, 10, 25, 50, 75, 90, 95, 99};

/// A closed interval [low, high]; a side may be infinite when no finite bound has the coverage.
struct Interval {
  double low = 0.0;
  double high = 0.0;
};

struct Summary {
  std::uint64_t count = 0;      // finite values
  std::uint64_t nonfinite = 0;  // NaN and infinities: excluded from everything below
  double mean = 0.0;            // NaN when count == 0
  double mean_se = 0.0;         // Monte Carlo standard error of the mean, sd / sqrt(count)
  double sd = 0.0;              // sample standard deviation (n - 1); NaN when count < 2
  double min = 0.0;             // NaN when count == 0
  double max = 0.0;
  std::array<double, reported_percentiles.size()> percentiles{};  // NaN when count == 0
  /// 95% distribution-free interval for each reported percentile (percentile_interval).
  std::array<Interval, reported_percentiles.size()> percentile_ci{};
};

/// Summary of `values`. Sums are Neumaier-compensated in fixed chunks merged in order (two passes:
/// mean, then squared deviations), scaled by a power of two so that values near +-DBL_MAX do not
/// overflow. Percentiles and their intervals come from exact_percentiles' machinery, not a sort.
/// `columns`: how many columns of one run are summarised (a run's stochastic variables): their
/// percentiles' selections share a budget of gathered values, so that a streamed run's memory does not
/// grow with its variables; it decides how many passes the selection takes, and every percentile is
/// exact whatever it is.
Summary summarize(std::span<const double> values, std::size_t columns = 1);

/// Exact percentiles of the finite values, for probabilities in [0, 1], by numpy's default ("linear")
/// method: with the finite values sorted as x[0..n), h = (n - 1) p, the result interpolates between
/// x[floor(h)] and x[floor(h) + 1] with numpy's formula, so it matches numpy.percentile(x, 100 p).
/// NaN for every probability when no value is finite. Does not modify `values` nor copy more than
/// max(2^16, n / 8) of them: a histogram pass narrows each needed order statistic to one bin, a second
/// pass gathers those bins' values and std::nth_element selects inside them (bins too full to gather,
/// from ties or a narrow cluster, get a histogram of their own on a further pass).
/// Throws std::invalid_argument for a probability outside [0, 1].
std::vector<double> exact_percentiles(std::span<const double> values, std::span<const double> probabilities);

/// Distribution-free confidence interval for the p-quantile (p in [0, 1]) from the order statistics
/// x[0] <= ... <= x[n-1] of the n finite values (0-based). With B ~ Binomial(n, p) and
/// a = (1 - confidence) / 2: low = x[l] for the largest l with P(B <= l) <= a, high = x[u] for the
/// smallest u with P(B > u) <= a. For a continuous distribution the interval covers the true
/// quantile with probability >= confidence (each side misses with probability <= a). A side with no
/// such rank (few values, extreme p) is -inf or +inf; both are NaN when no value is finite.
/// Throws std::invalid_argument for p outside [0, 1] or confidence outside (0, 1).
Interval percentile_interval(std::span<const double> values, double p, double confidence = 0.95);

/// Wilson score interval for a binomial proportion successes / trials (Wilson 1927; Newcombe 1998
/// method 3, no continuity correction), z the two-sided normal quantile of `confidence`. [0, 1] when
/// trials == 0. Throws std::invalid_argument when successes > trials or confidence is outside (0, 1).
Interval wilson_interval(std::uint64_t successes, std::uint64_t trials, double confidence = 0.95);

/// Percentile rank of x among the finite values: (count below + count equal / 2) / count, in [0, 1].
/// NaN when no value is finite or x is NaN.
double percentile_rank(std::span<const double> values, double x);

}  // namespace guidance
