// The Beta(alpha, beta) quantile by table, for PERT drivers: Boost's ibeta_inv takes about 2 µs a
// call, which made a PERT driver the whole cost of a run; the table answers in tens of nanoseconds.
//
// Method: in the normal score z = Phi^-1(p) the lower-tail quantile behaves like exp(-z^2 / (2 alpha))
// as z -> -inf, so its logarithm, y(z) = log Q(Phi(z)), is smooth and close to a parabola. Each tail
// is tabulated for z in [-z_max, 0] at knots h apart with its exact values (ibeta_inv) and slopes,
// y'(z) = phi(z) / (f(Q) Q) with f the Beta density, and read by cubic Hermite interpolation, whose
// error falls as h^4. The upper tail is the lower tail of Beta(beta, alpha), 1 - Q(p) = Q'(1 - p), so
// values near max keep their relative precision as values near min do. tests/dist/test_beta_quantile
// measures the error against ibeta_inv (docs/methods.md gives the figure).
#pragma once

#include <memory>
#include <vector>

namespace guidance::dist_detail {

class BetaQuantileTable {
 public:
  /// alpha, beta >= 1 (a PERT's). Takes about 2 x 2,049 calls of ibeta_inv: a few milliseconds.
  BetaQuantileTable(double alpha, double beta);

  double alpha() const { return alpha_; }
  double beta() const { return beta_; }
  /// False for a shape whose density underflows at a knot (alpha or beta in the thousands): such a
  /// shape keeps ibeta_inv (beta_quantile_table gives no table).
  bool usable() const { return !lower_tail_.values.empty() && !upper_tail_.values.empty(); }

  /// Q(p) for p in [0, 1]: the Beta(alpha, beta) quantile. Boost's ibeta_inv where the table does not
  /// reach (p within 5e-17 of 0 or 1, p = 0 or 1, NaN).
  double lower(double p) const;
  /// 1 - Q(1 - q) for q in [0, 1] (the Beta(beta, alpha) quantile): the distance below 1 of the value
  /// with probability q above it, precise for small q.
  double upper(double q) const;

 private:
  /// y(z) = log of the lower-tail quantile at Phi(z) of one Beta, for z in [-z_max, 0].
  struct LogTail {
    std::vector<double> values;  // y at the knots
    std::vector<double> slopes;  // y' at the knots, times the knot spacing
    double operator()(double z) const;
  };
  static LogTail tabulate(double alpha, double beta);
  static double from_tails(const LogTail& below, const LogTail& above, double z);

  double alpha_;
  double beta_;
  LogTail lower_tail_;  // Beta(alpha, beta)
  LogTail upper_tail_;  // Beta(beta, alpha)
};

/// The table for (alpha, beta): shared with every distribution that holds it, built when none does
/// (rebuilding a model for each point of a sweep does not rebuild its PERT tables); null where it is
/// not usable(). Thread-safe.
std::shared_ptr<const BetaQuantileTable> beta_quantile_table(double alpha, double beta);

}  // namespace guidance::dist_detail
