// Probability distributions of drivers, as plain value types in a std::variant with free functions.
//
// Every distribution is sampled by its quantile (inverse CDF) from a uniform in (0, 1), or, for
// normals, lognormals and the Gaussian copula, from a standard normal (sampler.hpp).
//
//   Distribution revenue = normal_from_percentiles(0.10, 1100, 0.90, 1130);
//   double p50 = quantile(revenue, 0.5);   // 1115
//
// Construction functions validate their parameters and throw ParameterError naming the parameter
// at fault, so that the loader can point at the user's key; the message reads after "error: "
// ("sd must be > 0, found -0.4"). Evaluation never throws: a u outside [0, 1] gives NaN.
#pragma once

#include <initializer_list>
#include <limits>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace guidance {

namespace dist_detail {
class BetaQuantileTable;
}

/// A parameter value that no distribution of that kind accepts.
class ParameterError : public std::invalid_argument {
 public:
  /// `parameter` is the scenario key at fault ("sd", "p90", "probabilities", "truncate", ...).
  ParameterError(std::string parameter, const std::string& message, std::string hint = {})
      : std::invalid_argument(message), parameter_(std::move(parameter)), hint_(std::move(hint)) {}
  /// A message about the scenario's own numbers: `pattern` has a {} for each of `values`. what() shows
  /// them as plain numbers ("found -0.004"); message(true) as percents ("found -0.4%"), for a
  /// parameter the scenario wrote as a percent.
  static ParameterError with_numbers(std::string parameter, std::string pattern, std::vector<double> values,
                                     std::string hint = {});

  /// The other parameters the error is about ("min" beside "max"): the loader points at whichever of
  /// them a variant or an override changed.
  ParameterError& involving(std::initializer_list<std::string> others) {
    others_.insert(others_.end(), others);
    return *this;
  }

  const std::string& parameter() const { return parameter_; }
  const std::vector<std::string>& others() const { return others_; }
  const std::string& hint() const { return hint_; }
  std::string message(bool percent) const;

 private:
  ParameterError(std::string parameter, std::string pattern, std::vector<double> values, std::string hint);

  std::string parameter_;
  std::vector<std::string> others_;
  std::string hint_;
  std::string pattern_;  // empty: the message has no numbers to convert
  std::vector<double> values_;
};

struct Normal {
  double mean;
  double sd;  // > 0
};
/// X = exp(Y), Y ~ Normal(mu, sigma). Positive values only.
struct LogNormal {
  double mu;
  double sigma;  // > 0
};
struct Uniform {
  double min;
  double max;  // > min
};
struct Triangular {
  double min;
  double mode;  // in [min, max]
  double max;   // > min
};
/// Beta-PERT: a Beta on [min, max] with alpha = 1 + lambda (mode - min) / (max - min),
/// beta = 1 + lambda (max - mode) / (max - min).
struct Pert {
  double min;
  double mode;
  double max;
  double lambda = 4.0;  // > 0
  /// Set by make_pert: the Beta quantile by table (about 1e-13 relative; docs/methods.md), used while
  /// its shape is this one's. Without it, or after the fields change, Boost's ibeta_inv (2 µs a call).
  std::shared_ptr<const dist_detail::BetaQuantileTable> quantile_table;
};
/// Finitely many values; `cumulative` holds the running sum of probabilities, exactly 1 from the last
/// value of positive probability on (values of zero probability are kept but never drawn).
struct Discrete {
  std::vector<double> values;         // strictly increasing after construction
  std::vector<double> probabilities;  // each >= 0, summing to 1
  std::vector<double> cumulative;
};

using DistributionShape = std::variant<Normal, LogNormal, Uniform, Triangular, Pert, Discrete>;

/// A distribution, optionally truncated to [low, high], then moved: X' = X * scale + shift. Truncation
/// keeps the shape and renormalises: quantile(u) = Q(F(low) + u (F(high) - F(low))) * scale + shift.
/// The bounds and the shape's parameters are those before the move.
struct Distribution {
  DistributionShape shape;
  double truncate_low = -std::numeric_limits<double>::infinity();
  double truncate_high = std::numeric_limits<double>::infinity();
  // F(truncate_low) and F(truncate_high) of the untruncated shape, cached by truncate(), and the
  // survival function 1 - F at both ends, computed directly so that upper-tail ranges keep precision.
  double cdf_low = 0.0;
  double cdf_high = 1.0;
  double sf_low = 1.0;
  double sf_high = 0.0;
  double shift = 0.0;  // in the variable's units
  double scale = 1.0;  // > 0

  bool truncated() const { return cdf_low > 0.0 || cdf_high < 1.0; }
  /// Not the identity move: with the defaults no value is touched, so that they give the same bits.
  bool moved() const { return shift != 0.0 || scale != 1.0; }
};

// ---- construction (each throws ParameterError) -------------------------------------------------

Distribution make_normal(double mean, double sd);
/// From two percentiles (p_a, x_a), (p_b, x_b), in either order: probabilities in (0, 1), the value
/// at the higher probability higher. sd = (x_b - x_a) / (z_b - z_a).
/// Parameter names in errors are "pNN" built from the probabilities ("p90", "p2.5"); an out-of-order
/// pair names the higher percentile: "percentiles out of order: p10 = 1130 is above p90 = 1100".
Distribution normal_from_percentiles(double p_a, double x_a, double p_b, double x_b);

/// From the mean and sd of the variable itself (not of its log).
Distribution make_lognormal(double mean, double sd);
/// From the median and one other percentile (p, x_p): mu = log median, sigma = log(x_p / median) / z_p.
Distribution lognormal_from_median(double median, double p, double x_p);
/// From two percentiles, as normal_from_percentiles in log space. All values must be > 0.
Distribution lognormal_from_percentiles(double p_a, double x_a, double p_b, double x_b);

Distribution make_uniform(double min, double max);
/// The line through the two percentiles, extended to p = 0 (min) and p = 1 (max).
Distribution uniform_from_percentiles(double p_a, double x_a, double p_b, double x_b);

Distribution make_triangular(double min, double mode, double max);
Distribution make_pert(double min, double mode, double max, double lambda = 4.0);
/// Values need not be sorted (they are sorted with their probabilities); duplicates are an error.
/// Probabilities must be >= 0 and sum to 1 within 1e-9 (then renormalised exactly).
Distribution make_discrete(std::vector<double> values, std::vector<double> probabilities);

/// Truncate to [low, high] (either may be infinite); truncating again keeps the intersection.
/// Errors ("truncate"): a NaN bound, low >= high, a range with zero probability (below 2.2e-308), a
/// range holding less than 1e-9 of the probability it is measured against (too narrow to sample),
/// or a discrete distribution.
Distribution truncate(Distribution distribution, double low, double high);

/// Move the distribution without changing its shape: X' = X * scale + shift, after any truncation
/// (whose bounds stay those of X). Errors: a non-finite shift ("shift"); a scale that is not finite
/// and > 0 ("scale": a negative one would mirror the shape, turning its low tail into the high one).
Distribution shift_and_scale(Distribution distribution, double shift, double scale);

// ---- evaluation --------------------------------------------------------------------------------

/// Every function below includes the move (shift and scale).
/// Inverse CDF at u in [0, 1] (0 and 1 give the ends of the support; anything else NaN). For
/// discrete distributions, the smallest value v with F(v) >= u. Truncated quantiles stay in
/// [low, high] and are computed through the survival function above the median.
double quantile(const Distribution& distribution, double u);
/// quantile() over a block, the hot path: out[i] = quantile(d, u[i]), one dispatch per block.
/// `u` and `out` may alias; std::invalid_argument if their lengths differ.
void quantile(const Distribution& distribution, std::span<const double> u, std::span<double> out);
/// P(X <= x).
double cdf(const Distribution& distribution, double x);
/// Analytic mean and variance. Truncated normals use the closed form; other truncated shapes
/// integrate the quantile over u by tanh-sinh quadrature (about 1e-12 relative; NaN if it fails).
double mean(const Distribution& distribution);
double variance(const Distribution& distribution);

/// Smallest and largest possible values (may be infinite).
double support_min(const Distribution& distribution);
double support_max(const Distribution& distribution);

/// "normal", "lognormal", "uniform", "triangular", "pert", "discrete".
std::string_view kind_name(const Distribution& distribution);
/// The parameters in the user's terms, for summaries: "mean=1115 sd=11.7", "min=535 mode=546 max=560".
std::string describe(const Distribution& distribution);

/// Standard normal quantile by Wichura's AS241 (within 8 ulp of Boost.Math over [1e-300, 1 - 1e-16];
/// 0 -> -inf, 1 -> +inf, otherwise NaN outside [0, 1]) and CDF via erfc (about 1e-15 relative, also
/// deep in the lower tail). Used by the copula and by Normal and LogNormal.
double standard_normal_quantile(double u);
double standard_normal_cdf(double z);
/// z[i] := standard_normal_quantile(u[i]), bit for bit, for a block (vectorised: about twice the
/// scalar loop's rate with AVX2; bench_dist). u and z may be the same span;
/// they must have the same length (std::invalid_argument otherwise).
void standard_normal_quantile(std::span<const double> u, std::span<double> z);
/// u[i] := Phi(z[i]) for a block, by Cody's rational approximations in vectorised form (docs/methods.md):
/// within 1e-15 relative of the exact value down to z = -37.5 (below DBL_MIN, within two units of
/// the smallest subnormal), 0 below z = -40, 1 above z = 10, NaN for NaN; not the scalar function's
/// bits. What the copula uses. z and u may be the same span; they must have the same length
/// (std::invalid_argument otherwise).
void standard_normal_cdf(std::span<const double> z, std::span<double> u);

}  // namespace guidance
