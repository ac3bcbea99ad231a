// Truncation beyond the shared rig: precision far in the tails, the truncated normal's closed-form
// moments against the numerical path, and the numerical path against other closed forms.
#include <cmath>
#include <limits>
#include <variant>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <catch2/catch.hpp>

#include "dist/goodness_of_fit.hpp"
#include "dist/moments.hpp"
#include "dist/truncation.hpp"
#include "guidance/distribution.hpp"
#include "special_values.hpp"

using namespace guidance;
using guidance::test::infinity;
using guidance::test::not_a_number;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

TEST_CASE("a normal truncated far in the upper tail keeps full precision") {
  // Through F alone, F(6) = 1 - 9.9e-10 would leave about 7 significant digits for the quantile;
  // through the survival function S the quantile at u is S^-1(S(low) (1 - u)), exact to rounding.
  const double low = GENERATE(6.0, 12.0, 30.0);
  const Distribution d = truncate(make_normal(2, 3), 2 + 3 * low, infinity);
  const boost::math::normal standard;
  const double survival_low = boost::math::cdf(boost::math::complement(standard, low));
  for (double u : {0.0, 1e-9, 0.001, 0.25, 0.5, 0.75, 0.999, 1 - 0x1p-40}) {
    INFO("u = " << u);
    const double z = boost::math::quantile(boost::math::complement(standard, survival_low * (1 - u)));
    const double x = 2 + 3 * z;
    CHECK_THAT(quantile(d, u), WithinRel(x, 1e-14));
    // The CDF is good to a few eps absolutely, plus the rounding of x (half an ulp, 1.1e-16 |x|)
    // times the truncated density, allowed twice over.
    const double density = boost::math::pdf(standard, z) / (3 * survival_low);
    const double eps = std::numeric_limits<double>::epsilon();
    CHECK_THAT(cdf(d, x), WithinAbs(u, 4 * eps + density * std::fabs(x) * eps));
  }
}

TEST_CASE("a normal truncated far in the lower tail keeps full precision") {
  const double high = GENERATE(-6.0, -30.0);
  const Distribution d = truncate(make_normal(0, 1), -infinity, high);
  const boost::math::normal standard;
  const double f_high = boost::math::cdf(standard, high);
  for (double u : {1e-9, 0.25, 0.5, 0.999}) {
    INFO("u = " << u);
    CHECK_THAT(quantile(d, u), WithinRel(boost::math::quantile(standard, f_high * u), 1e-14));
  }
}

TEST_CASE("the block quantile of a truncated normal or lognormal is truncated_quantile, bit for bit") {
  // The block path takes one vectorised AS241 for a tile of both halves; the definition is the scalar
  // truncated_quantile. Ranges below, across and above the median, one with no mass beyond it in
  // double (truncated() is false, the bound still holds at u = 0), and u at both ends and outside.
  const Distribution d = GENERATE(truncate(make_normal(536, 3), 0, infinity), truncate(make_normal(2, 3), -1, 4),
                                  truncate(make_normal(2, 3), 20, infinity), truncate(make_normal(0, 1), -infinity, -6),
                                  truncate(make_lognormal(0.1, 0.8), 0.5, 3), truncate(make_lognormal(1, 2), 40, infinity));
  std::vector<double> u = testing::uniforms(3000, 5);
  u.insert(u.end(), {0.0, 1.0, 0x1p-60, 1 - 0x1p-53, 0.5, -0.25, 1.5, not_a_number, infinity});
  std::vector<double> block(u.size());
  quantile(d, u, block);
  const double mass = dist_detail::truncated_mass(d);
  std::visit(
      [&](const auto& shape) {
        for (std::size_t i = 0; i < u.size(); ++i) {
          INFO("u = " << u[i]);
          const double scalar = dist_detail::truncated_quantile(shape, d, mass, u[i], 1.0 - u[i]);
          REQUIRE(guidance::test::same_bits(std::span<const double>(&scalar, 1), std::span<const double>(&block[i], 1)));
        }
      },
      d.shape);
  quantile(d, u, u);  // in place
  CHECK(guidance::test::same_bits(u, block));
}

TEST_CASE("the truncated normal's closed-form moments agree with numerical integration") {
  using Range = std::pair<double, double>;
  const auto [low, high] =
      GENERATE(Range{-1, 2}, Range{6, infinity}, Range{30, infinity}, Range{-infinity, -3}, Range{0.5, 0.6}, Range{-8, 8}, Range{6, 7});
  INFO("standard normal on [" << low << ", " << high << "]");
  const Distribution d = truncate(make_normal(10, 2), 10 + 2 * low, 10 + 2 * high);
  const dist_detail::Moments closed = dist_detail::truncated_normal_moments(d);
  const dist_detail::Moments integrated = dist_detail::integrated_moments(d);
  CHECK_THAT(closed.mean, WithinRel(integrated.mean, 1e-9));
  CHECK_THAT(closed.variance, WithinRel(integrated.variance, 1e-9));
  CHECK(mean(d) == closed.mean);
  CHECK(variance(d) == closed.variance);
}

TEST_CASE("a sliver of a normal has its exact moments although the closed form cancels") {
  // On [0, w] with w small, 1 + (a phi(a) - b phi(b)) / Z - shift^2 cancels to nothing, so mean() and
  // variance() integrate instead. Reference without cancellation: Z = erf(w / sqrt 2) / 2,
  // mean = -phi(0) expm1(-w^2 / 2) / Z, and E X^2 = phi(0) sum_k (-1/2)^k w^(2k+3) / (k! (2k+3)) / Z.
  const double w = GENERATE(1e-2, 1e-4, 1e-6);
  const Distribution d = truncate(make_normal(0, 1), 0, w);
  const double phi0 = 1 / std::sqrt(2 * boost::math::constants::pi<double>());
  const double z = std::erf(w / std::sqrt(2.0)) / 2;
  const double m = -phi0 * std::expm1(-w * w / 2) / z;
  double second = 0.0;
  double term = w * w * w;  // (-1/2)^k w^(2k+3) / k!
  for (int k = 0; k < 10; ++k) {
    second += term / (2 * k + 3);
    term *= -w * w / 2 / (k + 1);
  }
  second *= phi0 / z;
  CHECK_THAT(mean(d), WithinRel(m, 1e-9));
  CHECK_THAT(variance(d), WithinRel(second - m * m, 1e-9));
}

TEST_CASE("a heavy-tailed lognormal truncated below has the closed-form partial moments") {
  // Lognormal(0, sigma) on [1, infinity): E X^k = e^(k^2 sigma^2 / 2) Phi(k sigma) / (1/2). The quantile
  // grows like e^(sigma z) as u -> 1, which the quadrature must follow through the survival function.
  const double sigma = GENERATE(0.5, 1.0, 2.0);
  const Distribution d = truncate(lognormal_from_median(1, 0.5 + 0.5 * std::erf(1 / std::sqrt(2.0)), std::exp(sigma)), 1, infinity);
  const boost::math::normal standard;
  const auto moment = [&](double k) {
    return std::exp(k * k * sigma * sigma / 2) * boost::math::cdf(standard, k * sigma) / 0.5;
  };
  CHECK_THAT(mean(d), WithinRel(moment(1), 1e-9));
  CHECK_THAT(variance(d), WithinRel(moment(2) - moment(1) * moment(1), 1e-9));
}

TEST_CASE("a truncated uniform has the moments of the uniform on the overlap") {
  using Range = std::pair<double, double>;
  const auto [low, high] = GENERATE(Range{-infinity, 0.25}, Range{0.5, infinity}, Range{0.1, 0.2}, Range{0.999, 5});
  const Distribution d = truncate(make_uniform(0, 1), low, high);
  const double a = std::max(low, 0.0);
  const double b = std::min(high, 1.0);
  CHECK_THAT(mean(d), WithinRel((a + b) / 2, 1e-12));
  CHECK_THAT(variance(d), WithinRel((b - a) * (b - a) / 12, 1e-10));
}

TEST_CASE("truncating to a range that covers the support changes nothing") {
  const Distribution d = truncate(make_uniform(0, 1), -1, 2);
  CHECK_FALSE(d.truncated());
  CHECK(mean(d) == 0.5);
  CHECK(quantile(d, 0.3) == quantile(make_uniform(0, 1), 0.3));
}

TEST_CASE("truncating twice keeps the intersection of the ranges") {
  const Distribution twice = truncate(truncate(make_normal(0, 1), -1, 3), 0, 5);
  const Distribution once = truncate(make_normal(0, 1), 0, 3);
  CHECK(twice.truncate_low == 0);
  CHECK(twice.truncate_high == 3);
  for (double u : {0.01, 0.5, 0.99}) CHECK(quantile(twice, u) == quantile(once, u));
}

TEST_CASE("the CDF of a truncated distribution is 0 below the range and 1 from its top") {
  const Distribution d = truncate(make_pert(0, 1, 10), 2, 5);
  CHECK(cdf(d, 1.999) == 0.0);
  CHECK(cdf(d, 2.0) == 0.0);
  CHECK(cdf(d, 5.0) == 1.0);
  CHECK(cdf(d, 7.0) == 1.0);
  double previous = 0.0;
  for (double x = 2.0; x <= 5.0; x += 0.01) {
    CHECK(cdf(d, x) >= previous);
    previous = cdf(d, x);
  }
}

TEST_CASE("a normal truncated far in the upper tail passes a goodness-of-fit test") {
  // KS against Boost's survival function, the only form that resolves this range.
  constexpr std::size_t n = 100'000;
  const Distribution d = truncate(make_normal(0, 1), 6, infinity);
  std::vector<double> x(n);
  quantile(d, testing::uniforms(n, 99), x);
  const boost::math::normal standard;
  const double survival_low = boost::math::cdf(boost::math::complement(standard, 6.0));
  const auto reference = [&](double v) {
    return 1 - boost::math::cdf(boost::math::complement(standard, v)) / survival_low;
  };
  CHECK(testing::ks_statistic(x, reference) < testing::ks_critical_value(n, 0.001));
}
