#include "dist/beta_quantile.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <utility>

#include <boost/math/special_functions/beta.hpp>

#include "dist/boost_policy.hpp"
#include "dist/standard_normal.hpp"

namespace guidance::dist_detail {

namespace {

/// Phi(-8.3) is 5.2e-17, below the smallest uniform the samplers draw (2^-53, 1.1e-16).
constexpr double z_max = 8.3;
/// Knots per tail: the interpolation error is about 1e-13 of the quantile (relative) at 2,048.
constexpr int intervals = 2048;
constexpr double spacing = z_max / intervals;

}  // namespace

BetaQuantileTable::LogTail BetaQuantileTable::tabulate(double alpha, double beta) {
  LogTail tail;
  tail.values.reserve(intervals + 1);
  tail.slopes.reserve(intervals + 1);
  constexpr double one_over_sqrt_2pi = 0.39894228040143267794;
  for (int k = 0; k <= intervals; ++k) {
    const double z = -z_max + k * spacing;
    const double quantile = boost::math::ibeta_inv(alpha, beta, normal_cdf(z), BoostPolicy());
    const double density = boost::math::ibeta_derivative(alpha, beta, quantile, BoostPolicy());
    if (!(density * quantile > 0.0 && std::isfinite(density))) {  // an extreme shape: see usable()
      tail.values.clear();
      return tail;
    }
    tail.values.push_back(std::log(quantile));
    tail.slopes.push_back(one_over_sqrt_2pi * std::exp(-0.5 * z * z) / (density * quantile) * spacing);
  }
  return tail;
}

BetaQuantileTable::BetaQuantileTable(double alpha, double beta)
    : alpha_(alpha), beta_(beta), lower_tail_(tabulate(alpha, beta)), upper_tail_(tabulate(beta, alpha)) {}

double BetaQuantileTable::LogTail::operator()(double z) const {
  const double position = (z + z_max) / spacing;  // in [0, intervals]
  const auto k = std::min(static_cast<std::size_t>(position), static_cast<std::size_t>(intervals - 1));
  const double s = position - static_cast<double>(k);
  const double s2 = s * s;
  const double s3 = s2 * s;
  return (2.0 * s3 - 3.0 * s2 + 1.0) * values[k] + (s3 - 2.0 * s2 + s) * slopes[k] +
         (3.0 * s2 - 2.0 * s3) * values[k + 1] + (s3 - s2) * slopes[k + 1];
}

double BetaQuantileTable::from_tails(const LogTail& below, const LogTail& above, double z) {
  return z <= 0.0 ? std::exp(below(z)) : 1.0 - std::exp(above(-z));
}

double BetaQuantileTable::lower(double p) const {
  const double z = ppnd16(p);  // +-inf at 0 and 1, NaN outside [0, 1]
  if (!(std::fabs(z) <= z_max)) return boost::math::ibeta_inv(alpha_, beta_, p, BoostPolicy());
  return from_tails(lower_tail_, upper_tail_, z);
}

double BetaQuantileTable::upper(double q) const {
  const double z = ppnd16(q);
  if (!(std::fabs(z) <= z_max)) return boost::math::ibeta_inv(beta_, alpha_, q, BoostPolicy());
  return from_tails(upper_tail_, lower_tail_, z);
}

std::shared_ptr<const BetaQuantileTable> beta_quantile_table(double alpha, double beta) {
  static std::mutex mutex;
  static std::map<std::pair<double, double>, std::weak_ptr<const BetaQuantileTable>> tables;
  const std::lock_guard lock(mutex);
  std::erase_if(tables, [](const auto& entry) { return entry.second.expired(); });
  std::weak_ptr<const BetaQuantileTable>& slot = tables[{alpha, beta}];
  std::shared_ptr<const BetaQuantileTable> table = slot.lock();
  if (table == nullptr) {
    table = std::make_shared<const BetaQuantileTable>(alpha, beta);
    if (!table->usable()) return nullptr;
    slot = table;
  }
  return table;
}

}  // namespace guidance::dist_detail
