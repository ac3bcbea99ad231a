#include "dist/moments.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/quadrature/tanh_sinh.hpp>

#include "dist/shapes.hpp"
#include "dist/truncation.hpp"

namespace guidance::dist_detail {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Tolerance of the quadrature between refinement levels; tanh-sinh converges doubly exponentially,
// so the result is then accurate to well below it.
constexpr double quadrature_tolerance = 1e-10;
// An error estimate above this (relative to the integral of |f|) means the quadrature failed.
constexpr double quadrature_failure = 1e-8;

template <class Shape>
Moments integrate(const Shape& s, const Distribution& d) {
  const double mass = truncated_mass(d);
  // tanh_sinh passes xc, the distance to the nearer end (negative on the left half): near u = 1 it
  // gives 1 - u exactly, so the upper tail of the quantile is evaluated at full precision. It also
  // samples within 1e-307 of the ends, where u * mass would underflow to a probability of 0 and an
  // infinite quantile; there the integrand is negligible, so u and 1 - u are floored instead.
  const double smallest = std::numeric_limits<double>::min() / mass;
  const auto q = [&](double u, double xc) {
    const double uc = xc > 0.0 ? xc : 1.0 - u;
    return truncated_quantile(s, d, mass, std::max(u, smallest), std::max(uc, smallest));
  };
  boost::math::quadrature::tanh_sinh<double> integrator;
  double error = 0.0;
  double l1 = 0.0;
  const double m = integrator.integrate(q, 0.0, 1.0, quadrature_tolerance, &error, &l1);
  if (!(error <= quadrature_failure * l1)) return {nan, nan};
  const double v = integrator.integrate(
      [&](double u, double xc) {
        const double e = q(u, xc) - m;
        return e * e;
      },
      0.0, 1.0, quadrature_tolerance, &error, &l1);
  if (!(error <= quadrature_failure * l1)) return {m, nan};
  return {m, v};
}

double times_pdf(double z) { return std::isinf(z) ? 0.0 : z * normal_pdf(z); }

}  // namespace

Moments truncated_normal_moments(const Distribution& d) {
  const Normal& s = std::get<Normal>(d.shape);
  const double a = (d.truncate_low - s.mean) / s.sd;
  const double b = (d.truncate_high - s.mean) / s.sd;
  const double mass = truncated_mass(d);
  const double shift = (normal_pdf(a) - normal_pdf(b)) / mass;
  const double spread = (times_pdf(a) - times_pdf(b)) / mass;
  const double scale = 1.0 + spread - shift * shift;
  // Narrow ranges make 1 + spread - shift^2 cancel; below a millionth of its terms, integrate instead.
  if (scale < 1e-6 * (1.0 + std::fabs(spread) + shift * shift)) return integrated_moments(d);
  return {s.mean + s.sd * shift, s.sd * s.sd * scale};
}

Moments integrated_moments(const Distribution& d) {
  return std::visit([&](const auto& s) { return integrate(s, d); }, d.shape);
}

}  // namespace dist_detail

namespace guidance {

namespace {

dist_detail::Moments unmoved_moments(const Distribution& d) {
  if (!d.truncated()) {
    return std::visit([](const auto& s) { return dist_detail::Moments{dist_detail::shape_mean(s), dist_detail::shape_variance(s)}; },
                      d.shape);
  }
  if (std::holds_alternative<Normal>(d.shape)) return dist_detail::truncated_normal_moments(d);
  return dist_detail::integrated_moments(d);
}

dist_detail::Moments moments(const Distribution& d) {
  dist_detail::Moments m = unmoved_moments(d);
  if (d.moved()) m = {m.mean * d.scale + d.shift, m.variance * d.scale * d.scale};
  return m;
}

}  // namespace

double mean(const Distribution& distribution) { return moments(distribution).mean; }

double variance(const Distribution& distribution) { return moments(distribution).variance; }

}  // namespace guidance
