// The PERT's tabulated Beta quantile (dist/beta_quantile.hpp) against Boost's ibeta_inv.
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <boost/math/special_functions/beta.hpp>
#include <catch2/catch.hpp>

#include "dist/beta_quantile.hpp"
#include "dist/boost_policy.hpp"
#include "guidance/distribution.hpp"

using guidance::dist_detail::BetaQuantileTable;
using guidance::dist_detail::BoostPolicy;

namespace {

/// Uniforms as the samplers draw them (multiples of 2^-53), half spread over (0, 1) and half spread
/// in log scale down to 2^-53 on either side, where the quantile changes fastest.
std::vector<double> drawn_probabilities(std::size_t n) {
  std::mt19937_64 engine(7);
  std::vector<double> p;
  for (std::size_t i = 0; i < n; ++i) {
    const double u = std::ldexp(static_cast<double>((engine() >> 11) | 1), -53);
    if (i % 2 == 0) {
      p.push_back(u);
    } else {
      const double tail = std::ldexp(std::round(std::ldexp(std::exp(-36.7 * u), 53)), -53);  // down to 1.1e-16
      p.push_back(i % 4 == 1 ? tail : 1.0 - tail);
    }
  }
  return p;
}

}  // namespace

TEST_CASE("the tabulated Beta quantile is within 2e-13 of ibeta_inv, relative, in both tails") {
  // The interpolation error is measured here rather than derived: about 1e-13 at most for these
  // shapes (PERTs with the mode at either end, in the middle, and a heavy lambda).
  struct Shape {
    double alpha, beta;
  };
  const Shape shape = GENERATE(Shape{1.0, 5.0}, Shape{5.0, 1.0}, Shape{3.0, 3.0}, Shape{1.8, 4.2}, Shape{3.6667, 2.3333},
                               Shape{1.4, 1.0 + 1e-9}, Shape{21.0, 81.0});
  CAPTURE(shape.alpha, shape.beta);
  const BetaQuantileTable table(shape.alpha, shape.beta);
  double worst = 0.0;
  for (const double p : drawn_probabilities(20'000)) {
    // Compare the smaller of Q and 1 - Q, each computed where it is precise: lower() below the median,
    // upper() (the distance below 1) above it.
    const bool low_half = p <= 0.5;
    const double exact = low_half ? boost::math::ibeta_inv(shape.alpha, shape.beta, p, BoostPolicy())
                                  : boost::math::ibeta_inv(shape.beta, shape.alpha, 1.0 - p, BoostPolicy());
    const double tabulated = low_half ? table.lower(p) : table.upper(1.0 - p);
    worst = std::max(worst, std::abs(tabulated - exact) / exact);
  }
  INFO("largest relative error " << worst);
  CHECK(worst < 2e-13);
}

TEST_CASE("the tabulated Beta quantile is non-decreasing and exact at its ends") {
  const BetaQuantileTable table(1.8, 4.2);
  double previous = 0.0;
  for (int k = 1; k < 1'000'000; ++k) {
    const double x = table.lower(k / 1e6);
    REQUIRE(x >= previous);
    previous = x;
  }
  CHECK(table.lower(0.0) == 0.0);
  CHECK(table.lower(1.0) == 1.0);
  CHECK(table.upper(0.0) == 0.0);
  CHECK(std::isnan(table.lower(std::numeric_limits<double>::quiet_NaN())));
  CHECK(table.lower(1e-20) == boost::math::ibeta_inv(1.8, 4.2, 1e-20, BoostPolicy()));  // beyond the table
}

TEST_CASE("a PERT uses its table only while its shape is the table's") {
  const guidance::Distribution pert = guidance::make_pert(535, 546, 560);
  const auto& shape = std::get<guidance::Pert>(pert.shape);
  REQUIRE(shape.quantile_table != nullptr);
  CHECK(std::get<guidance::Pert>(guidance::make_pert(535, 546, 560).shape).quantile_table == shape.quantile_table);

  // Changing a field outside make_pert leaves a table of another shape: it is not used.
  guidance::Distribution changed = pert;
  std::get<guidance::Pert>(changed.shape).mode = 550;
  const double alpha = 1 + 4.0 * 15 / 25, beta = 1 + 4.0 * 10 / 25;
  CHECK(guidance::quantile(changed, 0.3) == 535 + 25 * boost::math::ibeta_inv(alpha, beta, 0.3, BoostPolicy()));
}
