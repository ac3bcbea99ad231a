// Draws and goodness-of-fit tests shared by the distribution tests.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <span>
#include <vector>

#include <boost/math/distributions/chi_squared.hpp>

namespace guidance::testing {

/// n uniforms strictly inside (0, 1) from std::mt19937_64 at `seed`: (k + 1/2) 2^-53 for the top 53
/// bits k of each draw.
inline std::vector<double> uniforms(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::vector<double> u(n);
  for (double& x : u) x = (static_cast<double>(engine() >> 11) + 0.5) * 0x1p-53;
  return u;
}

/// The Kolmogorov-Smirnov statistic sup |F_n(x) - F(x)| of a sample against a continuous CDF.
inline double ks_statistic(std::vector<double> sample, const std::function<double(double)>& cdf) {
  std::sort(sample.begin(), sample.end());
  const double n = static_cast<double>(sample.size());
  double d = 0.0;
  for (std::size_t i = 0; i < sample.size(); ++i) {
    const double f = cdf(sample[i]);
    d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  return d;
}

/// The KS critical value at significance `alpha`: the quantile of the asymptotic Kolmogorov
/// distribution, P(K > t) = 2 sum_k (-1)^(k-1) exp(-2 k^2 t^2), with Stephens' (1970) finite-n
/// correction D = t / (sqrt(n) + 0.12 + 0.11 / sqrt(n)).
inline double ks_critical_value(std::size_t n, double alpha) {
  const auto tail = [](double t) {
    double sum = 0.0;
    for (int k = 1; k <= 100; ++k) sum += (k % 2 == 1 ? 2.0 : -2.0) * std::exp(-2.0 * k * k * t * t);
    return sum;
  };
  double low = 0.3;
  double high = 5.0;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (low + high);
    (tail(mid) > alpha ? low : high) = mid;
  }
  const double root_n = std::sqrt(static_cast<double>(n));
  return low / (root_n + 0.12 + 0.11 / root_n);
}

/// Pearson's chi-square statistic of a sample of `values` (each in `values`) against `probabilities`.
inline double chi_square_statistic(std::span<const double> sample, std::span<const double> values,
                                   std::span<const double> probabilities) {
  std::vector<double> counts(values.size(), 0.0);
  for (double x : sample) {
    ++counts[static_cast<std::size_t>(std::lower_bound(values.begin(), values.end(), x) - values.begin())];
  }
  const double n = static_cast<double>(sample.size());
  double statistic = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double expected = n * probabilities[i];
    statistic += (counts[i] - expected) * (counts[i] - expected) / expected;
  }
  return statistic;
}

/// The chi-square critical value at significance `alpha` with `categories - 1` degrees of freedom.
inline double chi_square_critical_value(std::size_t categories, double alpha) {
  const boost::math::chi_squared_distribution<double> chi2(static_cast<double>(categories - 1));
  return boost::math::quantile(boost::math::complement(chi2, alpha));
}

}  // namespace guidance::testing
