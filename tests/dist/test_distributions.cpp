// The shared rig: every kind, plain and truncated, against reference values from Boost.Math or
// closed forms: quantiles, CDF, moments, block evaluation, ends of the support, goodness of fit.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "dist/goodness_of_fit.hpp"
#include "guidance/distribution.hpp"
#include "simd/cpu_features.hpp"
#include "special_values.hpp"

using namespace guidance;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

struct Case {
  std::string name;
  Distribution distribution;
  std::function<double(double)> reference_quantile;
  std::function<double(double)> reference_cdf;
  double mean;
  double variance;
  double tolerance;  // relative, for quantiles, CDF and moments

  bool discrete() const { return std::holds_alternative<Discrete>(distribution.shape); }
  // Values near zero are compared absolutely, on the scale of the distribution.
  double scale() const { return std::fabs(mean) + std::sqrt(variance); }
};

// Boost's CDF of `reference`, also outside its support (where Boost's default policy throws).
template <class Reference>
std::function<double(double)> cdf_of(Reference reference) {
  const auto [low, high] = boost::math::support(reference);
  return [=](double x) { return boost::math::cdf(reference, std::clamp(x, low, high)); };
}

// Untruncated reference: Boost's quantile and CDF (default policy: promoted to long double).
template <class Reference>
Case reference_case(std::string name, Distribution d, Reference reference, double mean, double variance,
                    double tolerance = 1e-12) {
  return {std::move(name), std::move(d), [reference](double p) { return boost::math::quantile(reference, p); },
          cdf_of(reference), mean, variance, tolerance};
}

// Truncated reference: Q(F(low) + u (F(high) - F(low))) and the renormalised CDF, from Boost. Above
// the median the quantile is taken of the complement, 1 - F(high) + (1 - u)(F(high) - F(low)), as
// the definition demands in floating point.
template <class Reference>
Case truncated_case(std::string name, Distribution d, Reference reference, double low, double high, double mean,
                    double variance, double tolerance = 1e-12) {
  const auto f = cdf_of(reference);
  const double f_low = f(low);
  const double f_high = f(high);
  const double survival_high = boost::math::cdf(boost::math::complement(reference, std::min(high, boost::math::support(reference).second)));
  return {std::move(name),
          std::move(d),
          [=](double u) {
            const double p = f_low + u * (f_high - f_low);
            if (p <= 0.5) return boost::math::quantile(reference, p);
            return boost::math::quantile(boost::math::complement(reference, survival_high + (1 - u) * (f_high - f_low)));
          },
          [=](double x) { return std::clamp((f(std::clamp(x, low, high)) - f_low) / (f_high - f_low), 0.0, 1.0); },
          mean,
          variance,
          tolerance};
}

// Mean and variance of a density truncated to [low, high], by Gauss-Kronrod over x (the library
// integrates the quantile over u instead, so the two paths are independent).
template <class Reference>
std::pair<double, double> truncated_moments_by_density(Reference reference, double low, double high) {
  using Integrator = boost::math::quadrature::gauss_kronrod<double, 61>;
  const auto integral = [&](auto f) { return Integrator::integrate(f, low, high, 15, 1e-14); };
  const double mass = integral([&](double x) { return boost::math::pdf(reference, x); });
  const double m = integral([&](double x) { return x * boost::math::pdf(reference, x); }) / mass;
  const double v = integral([&](double x) { return (x - m) * (x - m) * boost::math::pdf(reference, x); }) / mass;
  return {m, v};
}

std::vector<Case> all_cases() {
  namespace bm = boost::math;
  std::vector<Case> cases;

  cases.push_back(reference_case("normal mean=1115 sd=11.7", make_normal(1115, 11.7), bm::normal(1115, 11.7), 1115,
                                 11.7 * 11.7));
  {
    const double sd = 30 / (2 * bm::quantile(bm::normal(), 0.9));
    cases.push_back(reference_case("normal p10=1100 p90=1130", normal_from_percentiles(0.1, 1100, 0.9, 1130),
                                   bm::normal(1115, sd), 1115, sd * sd));
  }
  {
    const double sigma2 = std::log(1.09);  // 1 + (sd / mean)^2
    cases.push_back(reference_case("lognormal mean=100 sd=30", make_lognormal(100, 30),
                                   bm::lognormal(std::log(100) - sigma2 / 2, std::sqrt(sigma2)), 100, 900));
  }
  {
    const double mu = std::log(50);
    const double sigma = std::log(4) / bm::quantile(bm::normal(), 0.95);
    const bm::lognormal reference(mu, sigma);
    cases.push_back(reference_case("lognormal median=50 p95=200", lognormal_from_median(50, 0.95, 200), reference,
                                   std::exp(mu + sigma * sigma / 2),
                                   std::expm1(sigma * sigma) * std::exp(2 * mu + sigma * sigma)));
  }
  {
    const double z90 = bm::quantile(bm::normal(), 0.9);
    const double mu = (std::log(20) + std::log(80)) / 2;
    const double sigma = (std::log(80) - std::log(20)) / (2 * z90);
    cases.push_back(reference_case("lognormal p10=20 p90=80", lognormal_from_percentiles(0.1, 20, 0.9, 80),
                                   bm::lognormal(mu, sigma), std::exp(mu + sigma * sigma / 2),
                                   std::expm1(sigma * sigma) * std::exp(2 * mu + sigma * sigma)));
  }
  cases.push_back(reference_case("uniform min=535 max=560", make_uniform(535, 560), bm::uniform(535, 560), 547.5,
                                 625.0 / 12));
  cases.push_back(reference_case("triangular min=535 mode=546 max=560", make_triangular(535, 546, 560),
                                 bm::triangular(535, 546, 560), (535.0 + 546 + 560) / 3,
                                 (11.0 * 11 + 25 * 25 - 11 * 25) / 18));
  cases.push_back(reference_case("triangular with the mode at min", make_triangular(0, 0, 1), bm::triangular(0, 0, 1),
                                 1.0 / 3, 1.0 / 18));
  cases.push_back(reference_case("triangular with the mode at max", make_triangular(-3, 2, 2),
                                 bm::triangular(-3, 2, 2), 1.0 / 3, 25.0 / 18));
  {
    // Beta-PERT: mean = (min + lambda mode + max) / (lambda + 2), variance = (mean - min)(max - mean) / (lambda + 3).
    const auto pert_case = [&](std::string name, double min, double mode, double max, double lambda) {
      const double w = max - min;
      const bm::beta_distribution<double> beta(1 + lambda * (mode - min) / w, 1 + lambda * (max - mode) / w);
      const double m = (min + lambda * mode + max) / (lambda + 2);
      return Case{std::move(name),
                  make_pert(min, mode, max, lambda),
                  [=](double p) { return min + w * bm::quantile(beta, p); },
                  [=](double x) { return bm::cdf(beta, std::clamp((x - min) / w, 0.0, 1.0)); },
                  m,
                  (m - min) * (max - m) / (lambda + 3),
                  1e-12};
    };
    cases.push_back(pert_case("pert min=535 mode=546 max=560", 535, 546, 560, 4));
    cases.push_back(pert_case("pert min=0 mode=0.9 max=1 lambda=2", 0, 0.9, 1, 2));
  }
  {
    // Given unsorted; sorted it is 1: 0.15, 2: 0.3, 3: 0.33, 10: 0.22.
    const std::vector<double> values{1, 2, 3, 10};
    const std::vector<double> cumulative{0.15, 0.45, 0.78, 1.0};
    cases.push_back({"discrete values=[3, 1, 10, 2]",
                     make_discrete({3, 1, 10, 2}, {0.33, 0.15, 0.22, 0.3}),
                     [=](double p) {
                       return values[static_cast<std::size_t>(
                           std::lower_bound(cumulative.begin(), cumulative.end(), p) - cumulative.begin())];
                     },
                     [=](double x) {
                       const auto above = std::upper_bound(values.begin(), values.end(), x) - values.begin();
                       return above == 0 ? 0.0 : cumulative[static_cast<std::size_t>(above) - 1];
                     },
                     3.94,
                     26.32 - 3.94 * 3.94,
                     1e-12});
  }

  // Truncated.
  {
    // Normal on [a, b] in standard units: mean + sd (phi(a) - phi(b)) / Z and
    // sd^2 (1 + (a phi(a) - b phi(b)) / Z - ((phi(a) - phi(b)) / Z)^2), with Boost's pdf and cdf.
    const bm::normal reference(1115, 11.7);
    const double a = (1100 - 1115) / 11.7;
    const double b = (1140 - 1115) / 11.7;
    const bm::normal standard;
    const double z = bm::cdf(standard, b) - bm::cdf(standard, a);
    const double shift = (bm::pdf(standard, a) - bm::pdf(standard, b)) / z;
    const double spread = (a * bm::pdf(standard, a) - b * bm::pdf(standard, b)) / z;
    cases.push_back(truncated_case("normal mean=1115 sd=11.7 truncate=[1100, 1140]",
                                   truncate(make_normal(1115, 11.7), 1100, 1140), reference, 1100, 1140,
                                   1115 + 11.7 * shift, 11.7 * 11.7 * (1 + spread - shift * shift)));
  }
  {
    // Normal on [0, inf) with mean 0: the half-normal, mean sd sqrt(2 / pi), variance sd^2 (1 - 2 / pi).
    const double pi = boost::math::constants::pi<double>();
    cases.push_back(truncated_case("normal mean=0 sd=2 truncate=[0, inf]",
                                   truncate(make_normal(0, 2), 0, std::numeric_limits<double>::infinity()),
                                   bm::normal(0, 2), 0, std::numeric_limits<double>::infinity(),
                                   2 * std::sqrt(2 / pi), 4 * (1 - 2 / pi)));
  }
  {
    // Lognormal on [L, H]: E X^k = e^(k mu + k^2 sigma^2 / 2) (Phi(beta - k sigma) - Phi(alpha - k sigma)) / Z.
    const double sigma2 = std::log(1.09);
    const double mu = std::log(100) - sigma2 / 2;
    const double sigma = std::sqrt(sigma2);
    const bm::normal standard;
    const double alpha = (std::log(80.0) - mu) / sigma;
    const double beta = (std::log(150.0) - mu) / sigma;
    const auto moment = [&](double k) {
      return std::exp(k * mu + k * k * sigma2 / 2) *
             (bm::cdf(standard, beta - k * sigma) - bm::cdf(standard, alpha - k * sigma)) /
             (bm::cdf(standard, beta) - bm::cdf(standard, alpha));
    };
    cases.push_back(truncated_case("lognormal mean=100 sd=30 truncate=[80, 150]",
                                   truncate(make_lognormal(100, 30), 80, 150), bm::lognormal(mu, sigma), 80, 150,
                                   moment(1), moment(2) - moment(1) * moment(1)));
  }
  // A truncated uniform is the uniform on the overlap.
  cases.push_back(truncated_case("uniform min=535 max=560 truncate=[540, 600]", truncate(make_uniform(535, 560), 540, 600),
                                 bm::uniform(535, 560), 540, 600, 550, 400.0 / 12));
  {
    const bm::triangular reference(535, 546, 560);
    const auto [m, v] = truncated_moments_by_density(reference, 540, 555);
    cases.push_back(truncated_case("triangular min=535 mode=546 max=560 truncate=[540, 555]",
                                   truncate(make_triangular(535, 546, 560), 540, 555), reference, 540, 555, m, v,
                                   1e-11));
  }
  {
    // PERT on [535, 560] truncated above at 550, as a Beta on [0, 1] truncated at 0.6.
    const bm::beta_distribution<double> beta(2.76, 3.24);
    const auto [m, v] = truncated_moments_by_density(beta, 0, 0.6);
    Case c = truncated_case("pert min=535 mode=546 max=560 truncate=[-inf, 550]",
                            truncate(make_pert(535, 546, 560), -std::numeric_limits<double>::infinity(), 550),
                            beta, 0, 0.6, 535 + 25 * m, 625 * v, 1e-11);
    c.reference_quantile = [q = c.reference_quantile](double u) { return 535 + 25 * q(u); };
    c.reference_cdf = [f = c.reference_cdf](double x) { return f((x - 535) / 25); };
    cases.push_back(std::move(c));
  }

  // Moved (x * scale + shift after the truncation): the same references, moved.
  const auto moved_case = [](const Case& c, double shift, double scale) {
    return Case{fmt::format("{} shift={} scale={}", c.name, shift, scale),
                shift_and_scale(c.distribution, shift, scale),
                [=, q = c.reference_quantile](double u) { return q(u) * scale + shift; },
                [=, f = c.reference_cdf](double x) { return f((x - shift) / scale); },
                c.mean * scale + shift,
                c.variance * scale * scale,
                c.tolerance};
  };
  for (const std::size_t i : {1, 2, 6, 9, 12, 13, 17}) {
    REQUIRE(!cases[i].discrete());
    cases.push_back(moved_case(cases[i], 500, 1));
    cases.push_back(moved_case(cases[i], -3, 2.5));
  }
  return cases;
}

const std::vector<Case>& cases() {
  static const std::vector<Case> all = all_cases();
  return all;
}

const Case& generate_case() {
  return cases()[GENERATE(range(std::size_t{0}, cases().size()))];
}

// Within the case's relative tolerance, or absolutely on the distribution's scale near zero.
void check_close(double actual, double expected, double tolerance, double scale) {
  if (std::isinf(expected)) {
    CHECK(actual == expected);
  } else {
    CHECK_THAT(actual, WithinRel(expected, tolerance) || WithinAbs(expected, tolerance * scale));
  }
}

const std::vector<double> probabilities{1e-12, 1e-6, 0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999, 1 - 1e-6, 1 - 1e-12};

}  // namespace

TEST_CASE("quantiles match the reference") {
  const Case& c = generate_case();
  INFO(c.name);
  for (double p : probabilities) {
    INFO("p = " << p);
    check_close(quantile(c.distribution, p), c.reference_quantile(p), c.tolerance, c.scale());
  }
}

TEST_CASE("cdf matches the reference and inverts the quantile") {
  const Case& c = generate_case();
  INFO(c.name);
  for (double p : probabilities) {
    INFO("p = " << p);
    const double x = c.reference_quantile(p);
    check_close(cdf(c.distribution, x), c.reference_cdf(x), c.tolerance, 1.0);
    if (!c.discrete()) check_close(cdf(c.distribution, quantile(c.distribution, p)), p, c.tolerance, 1.0);
  }
}

TEST_CASE("mean and variance match the analytic values") {
  const Case& c = generate_case();
  INFO(c.name);
  check_close(mean(c.distribution), c.mean, c.tolerance, c.scale());
  check_close(variance(c.distribution), c.variance, c.tolerance, c.scale() * c.scale());
}

TEST_CASE("the block quantile equals the scalar quantile, also in place") {
  const Case& c = generate_case();
  INFO(c.name);
  std::vector<double> u = testing::uniforms(1000, 7);
  u.insert(u.end(), probabilities.begin(), probabilities.end());
  std::vector<double> out(u.size());
  quantile(c.distribution, u, out);
  for (std::size_t i = 0; i < u.size(); ++i) REQUIRE(out[i] == quantile(c.distribution, u[i]));
  quantile(c.distribution, u, u);
  CHECK(u == out);
}

TEST_CASE("the block quantile's baseline and vector builds agree bit for bit") {
  // A machine without AVX2 or AVX-512 runs every loop's baseline build; it must draw the same values.
  const Case& c = generate_case();
  INFO(c.name);
  std::vector<double> u = testing::uniforms(1001, 13);
  u.insert(u.end(), probabilities.begin(), probabilities.end());
  u.insert(u.end(), {0.0, 1.0, -0.5, 1.5, std::numeric_limits<double>::quiet_NaN()});
  std::vector<double> baseline(u.size()), avx2(u.size()), vector(u.size());
  for (auto [builds, out] : {std::pair{detail::VectorBuilds::baseline, &baseline}, {detail::VectorBuilds::avx2, &avx2},
                             {detail::VectorBuilds::all, &vector}}) {
    const test::VectorBuildsScope scope(builds);
    quantile(c.distribution, u, *out);
  }
  CHECK(guidance::test::same_bits(baseline, avx2));
  CHECK(guidance::test::same_bits(baseline, vector));
}

TEST_CASE("the quantile spans the support and is NaN outside [0, 1]") {
  const Case& c = generate_case();
  INFO(c.name);
  check_close(quantile(c.distribution, 0.0), support_min(c.distribution), 1e-12, c.scale());
  check_close(quantile(c.distribution, 1.0), support_max(c.distribution), 1e-12, c.scale());
  const std::vector<double> u = testing::uniforms(10000, 11);
  std::vector<double> x(u.size());
  quantile(c.distribution, u, x);
  CHECK(*std::min_element(x.begin(), x.end()) >= support_min(c.distribution));
  CHECK(*std::max_element(x.begin(), x.end()) <= support_max(c.distribution));
  CHECK(std::is_sorted(x.begin(), x.end()) == std::is_sorted(u.begin(), u.end()));
  for (double bad : {-0.5, 1.5, std::numeric_limits<double>::quiet_NaN()}) CHECK(std::isnan(quantile(c.distribution, bad)));
}

TEST_CASE("100,000 draws pass a goodness-of-fit test at significance 0.001") {
  const Case& c = generate_case();
  INFO(c.name);
  constexpr std::size_t n = 100'000;
  constexpr double alpha = 0.001;
  std::vector<double> x(n);
  quantile(c.distribution, testing::uniforms(n, 20240601), x);

  // The sample mean is within 5 standard errors of the mean.
  double sum = 0.0;
  for (double v : x) sum += v;
  CHECK(std::fabs(sum / n - c.mean) < 5.0 * std::sqrt(c.variance / n));

  if (c.discrete()) {
    const Discrete& d = std::get<Discrete>(c.distribution.shape);
    std::vector<double> expected;
    double previous = 0.0;
    for (double v : d.values) {
      expected.push_back(c.reference_cdf(v) - previous);
      previous = c.reference_cdf(v);
    }
    const double critical = testing::chi_square_critical_value(d.values.size(), alpha);
    CHECK(testing::chi_square_statistic(x, d.values, expected) < critical);
    // The test has power: the same draws against equal probabilities fail it.
    const std::vector<double> equal(d.values.size(), 1.0 / static_cast<double>(d.values.size()));
    CHECK(testing::chi_square_statistic(x, d.values, equal) > critical);
  } else {
    const double critical = testing::ks_critical_value(n, alpha);
    CHECK(testing::ks_statistic(x, c.reference_cdf) < critical);
    // The test has power: the same draws against the reference shifted by 0.05 sd fail it.
    const double shift = 0.05 * std::sqrt(c.variance);
    CHECK(testing::ks_statistic(x, [&](double v) { return c.reference_cdf(v - shift); }) > critical);
  }
}

TEST_CASE("a shift moves every quantile by exactly the shift, and a scale multiplies it exactly") {
  // x + 500 and x * 2 round once, as x * 1 + 500 and x * 2 + 0 do: the moved quantile is the
  // unmoved one moved, bit for bit, in the scalar and the block quantile alike.
  const Distribution d = GENERATE(make_normal(1115, 11.7), truncate(make_lognormal(100, 30), 80, 150),
                                  make_triangular(535, 546, 560), make_discrete({1, 2, 10}, {0.2, 0.5, 0.3}));
  INFO(describe(d));
  std::vector<double> u = testing::uniforms(1000, 5);
  u.insert(u.end(), probabilities.begin(), probabilities.end());
  std::vector<double> x(u.size()), shifted(u.size()), scaled(u.size());
  quantile(d, u, x);
  quantile(shift_and_scale(d, 500, 1), u, shifted);
  quantile(shift_and_scale(d, 0, 2), u, scaled);
  for (std::size_t i = 0; i < u.size(); ++i) {
    REQUIRE(shifted[i] == x[i] + 500);
    REQUIRE(scaled[i] == x[i] * 2);
    REQUIRE(quantile(shift_and_scale(d, 500, 1), u[i]) == x[i] + 500);
  }
  CHECK(support_min(shift_and_scale(d, 500, 1)) == support_min(d) + 500);
  CHECK(support_max(shift_and_scale(d, 0, 2)) == support_max(d) * 2);
  CHECK(describe(shift_and_scale(d, 500, 2)) == describe(d) + " shift=500 scale=2");
}

TEST_CASE("a move's shift must be finite and its scale finite and above zero") {
  const Distribution d = make_normal(0, 1);
  const auto error = [&](double shift, double scale) -> std::string {
    try {
      shift_and_scale(d, shift, scale);
      return "moved";
    } catch (const ParameterError& e) {
      return e.parameter() + ": " + e.what() + (e.hint().empty() ? "" : " / " + e.hint());
    }
  };
  CHECK(error(std::numeric_limits<double>::infinity(), 1) == "shift: shift must be finite, found inf");
  CHECK(error(std::numeric_limits<double>::quiet_NaN(), 1) == "shift: shift must be finite, found nan");
  CHECK(error(0, std::numeric_limits<double>::infinity()) == "scale: scale must be finite, found inf");
  const std::string hint = " / scale multiplies the values; a negative one would mirror the distribution (its low "
                           "tail becoming the high one): negate the driver in the formulas instead";
  CHECK(error(0, 0) == "scale: scale must be > 0, found 0" + hint);
  CHECK(error(0, -1) == "scale: scale must be > 0, found -1" + hint);
  // Truncating a moved distribution keeps the move; the bounds are those before it.
  const Distribution moved = truncate(shift_and_scale(d, 10, 2), -1, 1);
  CHECK(moved.shift == 10);
  CHECK(moved.scale == 2);
  CHECK(support_min(moved) == 8);
  CHECK(support_max(moved) == 12);
}
