// standard_normal_quantile (Wichura's AS241) against Boost.Math, and standard_normal_cdf against a
// long double reference, across both tails.
#include <algorithm>
#include <bit>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <cmath>
#include <limits>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/next.hpp>
#include <catch2/catch.hpp>

#include "dist/standard_normal.hpp"
#include "guidance/distribution.hpp"
#include "special_values.hpp"

using guidance::standard_normal_cdf;
using guidance::standard_normal_quantile;

namespace {

// Probabilities spread evenly in log10 over [1e-300, 0.5], plus their complements 1 - p down to 1e-16.
std::vector<double> probabilities_across_both_tails() {
  std::vector<double> ps;
  for (double e = -300.0; e <= std::log10(0.5); e += 0.01) {
    const double p = std::pow(10.0, e);
    ps.push_back(p);
    if (p >= 1e-16) ps.push_back(1.0 - p);
  }
  return ps;
}

// Out of line: a test holding 32-byte vectors realigns its stack, and GCC 12 then left the long
// double argument of each logl call in a loop on the stack until the loop ended (a stack overflow).
[[gnu::noinline]] double lanes_log(double x) { return guidance::detail::lanes_log(guidance::detail::lanes_of(x))[0]; }

}  // namespace

TEST_CASE("standard_normal_quantile matches Boost.Math to a few ulp from 1e-300 to 1 - 1e-16") {
  // AS241's rational approximations are good to about 1e-16; evaluated in double (a log, a sqrt and
  // some 20 roundings) they differ from Boost's erfc_inv-based quantile by a few ulp. Bound the worst
  // case, and the typical case more tightly so that a systematic bias cannot hide under the bound.
  const boost::math::normal_distribution<double> normal;
  std::vector<double> ulps;
  for (double p : probabilities_across_both_tails()) {
    const double expected = boost::math::quantile(normal, p);
    ulps.push_back(std::fabs(boost::math::float_distance(standard_normal_quantile(p), expected)));
  }
  std::sort(ulps.begin(), ulps.end());
  CHECK(ulps.back() <= 8.0);
  CHECK(ulps[ulps.size() * 99 / 100] <= 4.0);
  CHECK(ulps[ulps.size() / 2] <= 1.0);
}

TEST_CASE("standard_normal_quantile at the ends and outside [0, 1]") {
  constexpr double inf = std::numeric_limits<double>::infinity();
  CHECK(standard_normal_quantile(0.0) == -inf);
  CHECK(standard_normal_quantile(1.0) == inf);
  CHECK(standard_normal_quantile(0.5) == 0.0);
  CHECK(std::isnan(standard_normal_quantile(-0.1)));
  CHECK(std::isnan(standard_normal_quantile(1.1)));
  CHECK(std::isnan(standard_normal_quantile(std::numeric_limits<double>::quiet_NaN())));
}

TEST_CASE("the block standard_normal_quantile is the scalar one, bit for bit, also in place") {
  constexpr double inf = std::numeric_limits<double>::infinity();
  std::vector<double> u = probabilities_across_both_tails();  // both tails and the central region
  u.insert(u.end(), {0.0, 1.0, 0.5, 0.075, 0.925, std::nextafter(0.075, 0.0), std::nextafter(0.925, 1.0), -0.1, 1.1,
                     -inf, inf, std::numeric_limits<double>::quiet_NaN()});
  std::vector<double> z(u.size());
  standard_normal_quantile(u, z);
  std::vector<double> in_place = u;
  standard_normal_quantile(in_place, in_place);
  for (std::size_t i = 0; i < u.size(); ++i) {
    INFO("u = " << u[i]);
    const double expected = standard_normal_quantile(u[i]);
    if (std::isnan(expected)) {
      CHECK(std::isnan(z[i]));
      CHECK(std::isnan(in_place[i]));
    } else {
      CHECK(std::bit_cast<std::uint64_t>(z[i]) == std::bit_cast<std::uint64_t>(expected));
      CHECK(std::bit_cast<std::uint64_t>(in_place[i]) == std::bit_cast<std::uint64_t>(expected));
    }
  }
  CHECK_THROWS_AS(standard_normal_quantile(u, std::span<double>(z).first(1)), std::invalid_argument);
}

TEST_CASE("the block quantile lists its tails right for every pattern of a group of four and in the remainder") {
  // All 16 patterns of central and tail values in a group of four, one after another, the tails
  // cycling through the special ones; every offset (so each pattern also straddles two groups) and
  // every length (so the last values take the loop after the groups).
  constexpr double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> central = {0.5, 0.3, 0.6, 0.9};
  const std::vector<double> tail = {0.01, std::numeric_limits<double>::quiet_NaN(), 1e-300, 1.0, 0.0, -inf, 0.999, 1.1};
  std::vector<double> u;
  for (unsigned mask = 0; mask < 16; ++mask)
    for (unsigned lane = 0; lane < 4; ++lane)
      u.push_back((mask >> lane & 1) != 0 ? tail[(mask + lane) % tail.size()] : central[lane]);
  for (std::size_t offset = 0; offset < 4; ++offset) {
    for (std::size_t n = 1; offset + n <= u.size(); ++n) {
      std::vector<double> z(u.begin() + static_cast<std::ptrdiff_t>(offset),
                            u.begin() + static_cast<std::ptrdiff_t>(offset + n));
      standard_normal_quantile(z, z);
      for (std::size_t i = 0; i < n; ++i) {
        const double x = u[offset + i];
        const double expected = standard_normal_quantile(x);
        INFO("offset " << offset << ", length " << n << ", u = " << x);
        if (std::isnan(expected)) CHECK(std::isnan(z[i]));
        else CHECK(std::bit_cast<std::uint64_t>(z[i]) == std::bit_cast<std::uint64_t>(expected));
      }
    }
  }
}

TEST_CASE("the tails' lanes_log is within one ulp of log in long double, subnormals included") {
  // fdlibm's bound for its algorithm is below one ulp. x log-uniform over the doubles below 1 (the
  // tails pass min(p, 1 - p) <= 0.075), plus the edges of the subnormals and of the reduced range.
  std::vector<double> xs = {std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::min(),
                            std::nextafter(std::numeric_limits<double>::min(), 0.0), 0.5, 0.25, 0.075,
                            std::sqrt(0.5), std::nextafter(std::sqrt(0.5), 0.0), std::nextafter(1.0, 0.0)};
  for (double e = -1074.0; e < 0.0; e += 0.001) xs.push_back(std::exp2(e));
  double worst = 0.0;
  for (const double x : xs) {
    const double value = lanes_log(x);
    const long double exact = std::log(static_cast<long double>(x));
    const double magnitude = std::fabs(static_cast<double>(exact));
    const double ulp = std::nextafter(magnitude, std::numeric_limits<double>::infinity()) - magnitude;
    worst = std::max(worst, static_cast<double>(std::fabs((static_cast<long double>(value) - exact) / ulp)));
  }
  CAPTURE(worst);
  CHECK(worst < 1.0);
}

TEST_CASE("the block quantile's baseline, AVX2 and AVX-512 builds agree bit for bit") {
  // Every machine must compute the same trials: the vector loops (picked where the CPU has them) and
  // the baseline one are the same operations without FMA.
  const std::vector<double> u = probabilities_across_both_tails();
  std::vector<double> baseline(u.size()), avx2(u.size()), avx512(u.size());
  guidance::dist_detail::block_quantiles_baseline(u.data(), baseline.data(), u.size());
  if (!guidance::dist_detail::block_quantiles_avx2(u.data(), avx2.data(), u.size())) SUCCEED("no AVX2 here");
  else CHECK(guidance::test::same_bits(baseline, avx2));
  if (!guidance::dist_detail::block_quantiles_avx512(u.data(), avx512.data(), u.size())) SUCCEED("no AVX-512 here");
  else CHECK(guidance::test::same_bits(baseline, avx512));
  for (std::size_t i = 0; i < u.size(); ++i)
    CHECK(std::bit_cast<std::uint64_t>(baseline[i]) == std::bit_cast<std::uint64_t>(standard_normal_quantile(u[i])));
}

TEST_CASE("standard_normal_quantile is antisymmetric") {
  // What lets the upper tail be computed from small survival probabilities: Q(1 - p) = -Q(p), exactly,
  // for p whose complement is exact (p a multiple of 2^-53).
  const double p = GENERATE(0x1p-53, 0x1p-40, 0x1p-20, 0.0625, 0.125, 0.25, 0.375, 0.4375);
  CHECK(standard_normal_quantile(1.0 - p) == -standard_normal_quantile(p));
}

TEST_CASE("standard_normal_cdf keeps its relative accuracy in the lower tail") {
  // Reference: erfc in long double (64-bit significand), whose argument z / sqrt 2 is rounded 2^11
  // times more finely than in double, so it is good to about 1e-16 relative down to z = -37.
  double worst = 0.0;
  double worst_z = 0.0;
  for (double z = -37.5; z <= 8.0; z += 0.01) {
    const long double exact = 0.5L * boost::math::erfc(-static_cast<long double>(z) / std::sqrt(2.0L));
    const double error = std::fabs(static_cast<double>((standard_normal_cdf(z) - exact) / exact));
    if (error > worst) {
      worst = error;
      worst_z = z;
    }
  }
  INFO("worst z = " << worst_z << " at relative error " << worst);
  CHECK(worst < 1e-15);
  CHECK(standard_normal_cdf(-std::numeric_limits<double>::infinity()) == 0.0);
  CHECK(standard_normal_cdf(std::numeric_limits<double>::infinity()) == 1.0);
  CHECK(standard_normal_cdf(0.0) == 0.5);
}

TEST_CASE("standard_normal_cdf inverts standard_normal_quantile") {
  // A relative error e in z moves Phi(z) by about z^2 e relatively (d log Phi / dz is about |z| in the
  // tail), so the round trip is allowed 8 eps (1 + z^2).
  const double p = GENERATE(1e-300, 1e-100, 1e-20, 1e-8, 0.001, 0.025, 0.3, 0.5, 0.7, 0.975);
  const double z = standard_normal_quantile(p);
  const double tolerance = 8.0 * std::numeric_limits<double>::epsilon() * (1.0 + z * z);
  CHECK_THAT(standard_normal_cdf(z), Catch::Matchers::WithinRel(p, tolerance));
}

namespace {

/// Phi(z) in long double, as the reference above.
long double exact_cdf(double z) { return 0.5L * boost::math::erfc(-static_cast<long double>(z) / std::sqrt(2.0L)); }

std::vector<double> block_cdf(const std::vector<double>& z) {
  std::vector<double> u(z.size());
  guidance::standard_normal_cdf(z, u);
  return u;
}

}  // namespace

TEST_CASE("the block standard_normal_cdf keeps its relative accuracy in both tails") {
  // Relative to Phi(z) below the median and to 1 - Phi(z) above it: the copula maps u through a
  // driver's quantile, so the lower tail needs relative accuracy; above the median the rounding of
  // Phi near 1 (half an ulp of 1) bounds the upper tail's absolute error instead.
  std::vector<double> z;
  for (double x = -37.5; x <= 9.0; x += 0.001) z.push_back(x);
  const std::vector<double> u = block_cdf(z);
  double worst = 0.0, worst_z = 0.0, worst_upper = 0.0, worst_upper_z = 0.0;
  for (std::size_t i = 0; i < z.size(); ++i) {
    const long double exact = exact_cdf(z[i]);
    if (z[i] <= 0) {
      const double error = std::fabs(static_cast<double>((u[i] - exact) / exact));
      if (error > worst) worst = error, worst_z = z[i];
    } else {
      const double error = std::fabs(static_cast<double>(u[i] - exact));
      if (error > worst_upper) worst_upper = error, worst_upper_z = z[i];
    }
  }
  INFO("worst lower z = " << worst_z << " at relative error " << worst << "; worst upper z = " << worst_upper_z
                          << " at absolute error " << worst_upper);
  CHECK(worst < 1e-15);  // 8.5e-16 at worst on a grid ten times finer
  CHECK(worst_upper <= std::numeric_limits<double>::epsilon());
  // Below DBL_MIN (z < -37.5) only absolute accuracy is possible: within two units of 2^-1074.
  std::vector<double> deep;
  for (double x = -39.0; x <= -37.4; x += 0.001) deep.push_back(x);
  const std::vector<double> tiny = block_cdf(deep);
  for (std::size_t i = 0; i < deep.size(); ++i) {
    const long double exact = exact_cdf(deep[i]);
    if (exact >= std::numeric_limits<double>::min()) continue;
    INFO("z = " << deep[i]);
    CHECK(std::fabs(static_cast<double>((tiny[i] - exact) / 0x1p-1074L)) <= 2.0);
  }
}

TEST_CASE("the block standard_normal_cdf is monotone on any grid coarser than its error") {
  // The copula keeps the ranks of the correlated normals only as far as Phi is monotone. Rounding
  // (an ulp or two, like AS241's) can reverse values closer than that, as any double evaluation can;
  // a step of 1e-4 in z moves Phi by far more than its error everywhere, also across the switches
  // between approximations (|z| = 0.46875 sqrt 2 and 4 sqrt 2).
  std::vector<double> z;
  for (double x = -41; x <= 11; x += 1e-4) z.push_back(x);
  const std::vector<double> u = block_cdf(z);
  CHECK(std::is_sorted(u.begin(), u.end()));
}

TEST_CASE("the block standard_normal_cdf's ends, NaN, and its three builds") {
  constexpr double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> special = {-inf, -1e300, -40.5, -39.0, 0.0, -0.0, 10.5, 1e300, inf};
  const std::vector<double> u = block_cdf(special);
  CHECK(u == std::vector<double>{0.0, 0.0, 0.0, 0.0, 0.5, 0.5, 1.0, 1.0, 1.0});
  CHECK(std::isnan(block_cdf({std::numeric_limits<double>::quiet_NaN()}).front()));
  // In place, and every length's partial last group.
  for (std::size_t n = 0; n <= 9; ++n) {
    std::vector<double> z(special.begin(), special.begin() + static_cast<std::ptrdiff_t>(n));
    guidance::standard_normal_cdf(z, z);
    CHECK(z == std::vector<double>(u.begin(), u.begin() + static_cast<std::ptrdiff_t>(n)));
  }
  std::vector<double> z;
  for (double x = -38.0; x <= 9.0; x += 0.0037) z.push_back(x);
  std::vector<double> baseline(z.size()), avx2(z.size()), avx512(z.size());
  guidance::dist_detail::block_cdfs_baseline(z.data(), baseline.data(), z.size());
  if (!guidance::dist_detail::block_cdfs_avx2(z.data(), avx2.data(), z.size())) SUCCEED("no AVX2 here");
  else CHECK(guidance::test::same_bits(baseline, avx2));
  if (!guidance::dist_detail::block_cdfs_avx512(z.data(), avx512.data(), z.size())) SUCCEED("no AVX-512 here");
  else CHECK(guidance::test::same_bits(baseline, avx512));
  // In place over both branches (the tail's z are listed and kept before the central pass writes).
  std::vector<double> in_place = z;
  guidance::standard_normal_cdf(in_place, in_place);
  CHECK(guidance::test::same_bits(in_place, block_cdf(z)));
  CHECK_THROWS_AS(guidance::standard_normal_cdf(z, std::span<double>(avx2).first(1)), std::invalid_argument);
}
