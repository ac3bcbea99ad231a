// sample_drivers: marginals, rank correlations through the copula, block invariance, and the
// Latin hypercube and Sobol' designs.
#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include <boost/random/sobol.hpp>
#include <catch2/catch.hpp>

#include "guidance/diagnostics.hpp"
#include "guidance/distribution.hpp"
#include "guidance/random.hpp"
#include "sample/designs.hpp"
#include "sample/hand_model.hpp"
#include "sample/sample_drivers.hpp"

using namespace guidance;
using guidance::testing::DriverSpec;
using guidance::testing::hand_model;
using guidance::testing::six_drivers;
using Catch::Matchers::WithinAbs;

namespace {

/// Every driver column of trials [first, first + n); constants stay empty.
std::vector<std::vector<double>> sample(const Model& model, const SamplingPlan& plan, std::uint64_t first, std::size_t n) {
  std::vector<std::vector<double>> columns(model.driver_count);
  std::vector<double*> pointers(model.driver_count, nullptr);
  for (std::size_t d = 0; d < model.driver_count; ++d)
    if (model.variables[d].stochastic) {
      columns[d].resize(n);
      pointers[d] = columns[d].data();
    }
  sample_drivers(model, plan, first, n, pointers);
  return columns;
}

/// Ranks 0 .. n-1 (the values are continuous: no ties).
std::vector<double> ranks(const std::vector<double>& x) {
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return x[i] < x[j]; });
  std::vector<double> rank(x.size());
  for (std::size_t r = 0; r < order.size(); ++r) rank[order[r]] = static_cast<double>(r);
  return rank;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n, my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) { return pearson(ranks(x), ranks(y)); }

/// sqrt(n) times the Kolmogorov-Smirnov distance of a sample from the distribution.
double ks_statistic(std::vector<double> x, const Distribution& distribution) {
  std::sort(x.begin(), x.end());
  const double n = static_cast<double>(x.size());
  double d = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double f = cdf(distribution, x[i]);
    d = std::max({d, f - i / n, (i + 1) / n - f});
  }
  return std::sqrt(n) * d;
}

/// The stratum k of [0, 1) cut into n equal parts that holds u, exactly: k <= u n < k + 1 (fma rounds
/// once, so the sign of u n - k is exact).
std::uint64_t stratum(double u, std::uint64_t n) {
  auto k = static_cast<std::uint64_t>(u * static_cast<double>(n));
  while (k > 0 && std::fma(u, double(n), -double(k)) < 0) --k;
  while (std::fma(u, double(n), -double(k + 1)) >= 0) ++k;
  return k;
}

const Sampling all_methods[] = {Sampling::monte_carlo, Sampling::latin_hypercube, Sampling::sobol};

}  // namespace

TEST_CASE("the copula leaves every marginal distribution as it is", "[sampler]") {
  // sqrt(n) D of an exact sample exceeds 2.69 with probability about 1e-6 (Kolmogorov's limit).
  const Sampling method = GENERATE(Sampling::monte_carlo, Sampling::latin_hypercube, Sampling::sobol);
  const Model model = six_drivers();
  const SamplingPlan plan{method, 17, 200'000};
  const auto columns = sample(model, plan, 0, plan.trials);
  for (std::size_t d = 0; d < 5; ++d) {
    INFO(model.variables[d].name);
    CHECK(ks_statistic(columns[d], model.distributions[d]) < 2.69);
  }
  CHECK(columns[5].empty());
}

TEST_CASE("sampled rank correlations are the requested ones", "[sampler]") {
  // At n = 200,000 the standard error of a Spearman correlation is at most 1/sqrt(n) = 0.0022, so
  // 0.01 is 4.5 of them; pairs without a correlation are independent.
  const Sampling method = GENERATE(Sampling::monte_carlo, Sampling::latin_hypercube, Sampling::sobol);
  const Model model = six_drivers();
  const auto columns = sample(model, {method, 5, 200'000}, 0, 200'000);
  CHECK_THAT(spearman(columns[0], columns[1]), WithinAbs(0.7, 0.01));
  CHECK_THAT(spearman(columns[2], columns[3]), WithinAbs(-0.4, 0.01));
  CHECK_THAT(spearman(columns[0], columns[2]), WithinAbs(0.0, 0.01));
  CHECK_THAT(spearman(columns[1], columns[4]), WithinAbs(0.0, 0.01));
  CHECK_THAT(spearman(columns[3], columns[4]), WithinAbs(0.0, 0.01));
}

TEST_CASE("strong and negative correlations across three drivers", "[sampler]") {
  const Model model = hand_model({{"a", make_normal(0, 1)}, {"b", make_uniform(0, 1)}, {"c", make_triangular(0, 1, 4)}},
                                 {{0, 1, 0.9}, {0, 2, -0.3}, {1, 2, -0.2}});
  const auto columns = sample(model, {Sampling::monte_carlo, 9, 200'000}, 0, 200'000);
  CHECK_THAT(spearman(columns[0], columns[1]), WithinAbs(0.9, 0.01));
  CHECK_THAT(spearman(columns[0], columns[2]), WithinAbs(-0.3, 0.01));
  CHECK_THAT(spearman(columns[1], columns[2]), WithinAbs(-0.2, 0.01));
}

TEST_CASE("a block of trials is the same however the run is cut", "[sampler]") {
  const Sampling method = GENERATE(Sampling::monte_carlo, Sampling::latin_hypercube, Sampling::sobol);
  const std::size_t block = GENERATE(1, 3, 7, 1000, 2048, 4097);
  const Model model = six_drivers();
  const SamplingPlan plan{method, 3, 10'000, 0};
  const auto whole = sample(model, plan, 0, plan.trials);
  for (std::uint64_t first = 0; first < plan.trials; first += block) {
    const std::size_t n = std::min<std::uint64_t>(block, plan.trials - first);
    const auto part = sample(model, plan, first, n);
    for (std::size_t d = 0; d < 5; ++d)
      REQUIRE(std::equal(part[d].begin(), part[d].end(), whole[d].begin() + static_cast<std::ptrdiff_t>(first)));
  }
}

TEST_CASE("Monte Carlo drivers: normals from the driver's own normal draws, the others their quantile of its uniforms", "[sampler]") {
  const Model model = six_drivers();
  const SamplingPlan plan{Sampling::monte_carlo, 11, 1000};
  const auto columns = sample(model, plan, 500, 100);
  for (std::size_t k = 0; k < 100; ++k) {
    CHECK(columns[4][k] == 300 + 5 * normal(plan.seed, stream_id("opex"), 500 + k));  // untruncated normal: no CDF trip
  }
  // A copula driver with no correlation partner in the block still has its own stream: revenue's
  // first row of L is (1, 0), so its value is its own normal draw.
  CHECK(columns[0][0] == 1115 + 11.7 * normal(plan.seed, stream_id("revenue"), 500));
}

TEST_CASE("a driver outside the copula that is not normal is its quantile of its own uniform", "[sampler]") {
  const Model model = hand_model({{"units", make_uniform(90, 110)}, {"mix", make_triangular(0, 1, 1)},
                                  {"shares", make_normal(536, 3)}});
  const SamplingPlan plan{Sampling::monte_carlo, 5, 1000};
  const auto columns = sample(model, plan, 0, 50);
  for (std::size_t k = 0; k < 50; ++k) {
    CHECK(columns[0][k] == quantile(model.distributions[0], uniform(plan.seed, stream_id("units"), k)));
    CHECK(columns[1][k] == quantile(model.distributions[1], uniform(plan.seed, stream_id("mix"), k)));
    CHECK(columns[2][k] == 536 + 3 * normal(plan.seed, stream_id("shares"), k));
  }
}

TEST_CASE("a truncation that removes no mass in double keeps the normal draws, clamped to its bounds", "[sampler]") {
  // Bounds 178 sd and 9 sd away: Phi rounds to 0 and 1 there, so the distribution is not truncated()
  // and takes the normal draws directly, as its untruncated twin does, and never leaves [low, high].
  const Distribution shares = truncate(make_normal(536, 3), 0, 563);
  REQUIRE_FALSE(shares.truncated());
  const Model model = hand_model({{"shares", shares}});
  const Model twin = hand_model({{"shares", make_normal(536, 3)}});
  const SamplingPlan plan{Sampling::monte_carlo, 3, 100'000};
  const auto columns = sample(model, plan, 0, 100'000);
  CHECK(columns[0] == sample(twin, plan, 0, 100'000)[0]);
  CHECK(*std::min_element(columns[0].begin(), columns[0].end()) >= 0);
  CHECK(*std::max_element(columns[0].begin(), columns[0].end()) <= 563);
}

TEST_CASE("a salt gives an independent design with the same seed", "[sampler]") {
  const Model model = six_drivers();
  const auto plain = sample(model, {Sampling::monte_carlo, 1, 1000, 0}, 0, 1000);
  const auto salted = sample(model, {Sampling::monte_carlo, 1, 1000, 1}, 0, 1000);
  const auto again = sample(model, {Sampling::monte_carlo, 1, 1000, 1}, 0, 1000);
  CHECK(salted[4] == again[4]);
  CHECK(salted[4] != plain[4]);
  CHECK(salted[4][0] == 300 + 5 * normal(1, stream_id("opex", 1), 0));
}

TEST_CASE("Latin hypercube: exactly one draw in each stratum, for every driver", "[sampler][lhs]") {
  const std::uint64_t n = GENERATE(1, 2, 3, 1000, 4099);
  const Model model = hand_model({{"revenue", make_normal(1115, 11.7)}, {"units", make_uniform(0, 1)}, {"mix", make_triangular(0, 1, 1)}});
  const auto columns = sample(model, {Sampling::latin_hypercube, 8, n}, 0, n);
  for (std::size_t d = 0; d < 3; ++d) {
    std::vector<int> hits(n);
    for (const double x : columns[d]) {
      const double u = cdf(model.distributions[d], x);
      ++hits[stratum(u, n)];
    }
    INFO(model.variables[d].name << ", n = " << n);
    CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
  }
}

TEST_CASE("Latin hypercube uniforms are exactly stratified and the permutation is a bijection", "[sampler][lhs]") {
  const std::uint64_t n = GENERATE(1, 2, 5, 64, 1000, 65'537);
  std::vector<double> u(n);
  sample_detail::latin_hypercube_uniforms(4, stream_id("revenue"), n, 0, u);
  std::vector<int> hits(n);
  for (const double x : u) {
    REQUIRE((x > 0 && x < 1));
    ++hits[stratum(x, n)];
  }
  CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
  // A different seed or stream permutes differently.
  const sample_detail::StratumPermutation a(4, 1, n), b(5, 1, n), c(4, 2, n);
  if (n >= 64) {
    int same_b = 0, same_c = 0;
    for (std::uint64_t i = 0; i < n; ++i) same_b += a(i) == b(i), same_c += a(i) == c(i);
    CHECK(same_b < 10);
    CHECK(same_c < 10);
  }
}

TEST_CASE("Latin hypercube pairs strata at random: uncorrelated drivers", "[sampler][lhs]") {
  const Model model = hand_model({{"a", make_uniform(0, 1)}, {"b", make_uniform(0, 1)}});
  const auto columns = sample(model, {Sampling::latin_hypercube, 21, 200'000}, 0, 200'000);
  CHECK_THAT(spearman(columns[0], columns[1]), WithinAbs(0.0, 4.5 / std::sqrt(200'000.0)));
}

TEST_CASE("Latin hypercube trials must lie inside the design", "[sampler][lhs]") {
  const Model model = hand_model({{"a", make_uniform(0, 1)}});
  CHECK_THROWS_WITH(sample(model, {Sampling::latin_hypercube, 1, 100}, 90, 20),
                    "latin hypercube: trials 90..110 beyond a design of 100 trials");
}

TEST_CASE("Sobol: not randomised, the points are Boost's sequence", "[sampler][sobol]") {
  constexpr std::size_t dimensions = 6;
  const std::vector<std::uint64_t> streams = {1, 2, 3, 4, 5, 6};
  const sample_detail::SobolPoints plain(99, streams, false);
  boost::random::sobol_engine<std::uint64_t, 64> boost_sobol(dimensions);
  CHECK(plain.bits(0, 0) == 0);  // trial 0 is the origin; Boost starts after it
  for (std::uint64_t trial = 1; trial <= 5000; ++trial)
    for (std::size_t d = 0; d < dimensions; ++d) REQUIRE(plain.bits(d, trial) == boost_sobol());
  std::vector<double> u(100);
  plain.uniforms(2, 4000, u);
  for (std::size_t k = 0; k < u.size(); ++k) CHECK(u[k] == (2.0 * double(plain.bits(2, 4000 + k) >> 12) + 1) * 0x1p-53);
}

TEST_CASE("Sobol: a seed reproduces, another seed scrambles, and the scramble keeps the stratification", "[sampler][sobol]") {
  const Model model = six_drivers();
  const auto a = sample(model, {Sampling::sobol, 1, 4096}, 0, 4096);
  const auto again = sample(model, {Sampling::sobol, 1, 4096}, 0, 4096);
  const auto other = sample(model, {Sampling::sobol, 2, 4096}, 0, 4096);
  for (std::size_t d = 0; d < 5; ++d) {
    CHECK(a[d] == again[d]);
    CHECK(a[d] != other[d]);
  }
  // The first two dimensions' first 2^m points, a (0, m, 2)-net, fall one in each box of 2^-a by
  // 2^-(m - a), scrambled or not; a = 0 and a = m are each dimension's 2^m equal strata.
  constexpr int m = 10;
  const sample_detail::SobolPoints scrambled(7, std::vector<std::uint64_t>{stream_id("a"), stream_id("b")});
  const sample_detail::SobolPoints plain(7, std::vector<std::uint64_t>{stream_id("a"), stream_id("b")}, false);
  std::array<std::vector<double>, 2> u{std::vector<double>(1 << m), std::vector<double>(1 << m)};
  for (std::size_t d = 0; d < 2; ++d) scrambled.uniforms(d, 0, u[d]);
  for (int a = 0; a <= m; ++a) {
    std::vector<int> hits(1 << m);
    for (std::size_t i = 0; i < u[0].size(); ++i)
      ++hits[stratum(u[0][i], std::size_t{1} << a) * (std::size_t{1} << (m - a)) + stratum(u[1][i], std::size_t{1} << (m - a))];
    INFO("boxes of 2^-" << a << " by 2^-" << m - a);
    CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
  }
  // The scramble moves points inside their strata, where a shift alone keeps their digits below the
  // stratum's: the points' 11th to 20th digits are no longer the plain sequence's XOR one word.
  std::set<std::uint64_t> differences;
  for (std::uint64_t trial = 0; trial < 64; ++trial)
    differences.insert(((scrambled.bits(0, trial) ^ plain.bits(0, trial)) >> 44) & 0x3ff);
  CHECK(differences.size() > 1);
}

TEST_CASE("Sobol has Boost's limit on the number of drivers", "[sampler][sobol]") {
  std::vector<DriverSpec> drivers;
  for (std::size_t d = 0; d <= sample_detail::SobolPoints::max_dimensions(); ++d)
    drivers.push_back({"d" + std::to_string(d), make_uniform(0, 1)});
  const Model model = hand_model(drivers);
  try {
    sample(model, {Sampling::sobol, 1, 10}, 0, 10);
    FAIL("no error");
  } catch (const InputError& error) {
    CHECK(error.message() == "sobol sampling supports at most 3667 uncertain drivers; this model has 3668");
    CHECK(error.hint() == "use monte_carlo or latin_hypercube sampling");
  }
}
