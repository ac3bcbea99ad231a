// The block quantile per kind (the sampler's hot path), and the standard normal quantile against
// Boost.Math's. Items per second = quantiles evaluated per second.
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/normal.hpp>

#include "dist/boost_policy.hpp"
#include "guidance/distribution.hpp"

namespace {

using namespace guidance;

constexpr std::size_t block_size = 4096;

std::vector<double> uniforms() {
  std::mt19937_64 engine(42);
  std::vector<double> u(block_size);
  for (double& x : u) x = (static_cast<double>(engine() >> 11) + 0.5) * 0x1p-53;
  return u;
}

void block_quantile(benchmark::State& state, const Distribution& d) {
  const std::vector<double> u = uniforms();
  std::vector<double> out(block_size);
  for (auto _ : state) {
    quantile(d, u, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * block_size));
}

/// f(in, out) on a block per iteration.
template <class F>
void block_loop(benchmark::State& state, const std::vector<double>& in, F f) {
  std::vector<double> out(in.size());
  for (auto _ : state) {
    f(in, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
}

/// f(x) value by value over a block.
template <class F>
void scalar_loop(benchmark::State& state, const std::vector<double>& in, F f) {
  block_loop(state, in, [&](const std::vector<double>& x, std::vector<double>& out) {
    for (std::size_t i = 0; i < x.size(); ++i) out[i] = f(x[i]);
  });
}
template <class F>
void scalar_loop(benchmark::State& state, F f) {
  scalar_loop(state, uniforms(), f);
}

/// Standard normal scores: what the copula passes to Phi.
std::vector<double> normal_scores() {
  std::vector<double> z = uniforms();
  standard_normal_quantile(z, z);
  return z;
}

constexpr double inf = std::numeric_limits<double>::infinity();

Distribution equally_likely(std::size_t n) {
  std::vector<double> values(n);
  std::iota(values.begin(), values.end(), 1.0);
  return make_discrete(values, std::vector<double>(n, 1.0 / static_cast<double>(n)));
}

BENCHMARK_CAPTURE(block_quantile, normal, make_normal(1115, 11.7));
BENCHMARK_CAPTURE(block_quantile, lognormal, make_lognormal(100, 30));
BENCHMARK_CAPTURE(block_quantile, uniform, make_uniform(535, 560));
BENCHMARK_CAPTURE(block_quantile, triangular, make_triangular(535, 546, 560));
BENCHMARK_CAPTURE(block_quantile, pert, make_pert(535, 546, 560));
BENCHMARK_CAPTURE(block_quantile, discrete_4, make_discrete({1, 2, 3, 10}, {0.15, 0.3, 0.33, 0.22}));
BENCHMARK_CAPTURE(block_quantile, discrete_64, equally_likely(64));
BENCHMARK_CAPTURE(block_quantile, normal_truncated, truncate(make_normal(1115, 11.7), 1100, inf));
BENCHMARK_CAPTURE(block_quantile, pert_truncated, truncate(make_pert(535, 546, 560), 540, 555));

void standard_normal_as241(benchmark::State& state) {
  scalar_loop(state, [](double u) { return standard_normal_quantile(u); });
}
void standard_normal_as241_block(benchmark::State& state) {
  block_loop(state, uniforms(), [](const std::vector<double>& u, std::vector<double>& z) { standard_normal_quantile(u, z); });
}
void standard_normal_cdf_erfc(benchmark::State& state) {
  scalar_loop(state, normal_scores(), [](double z) { return standard_normal_cdf(z); });
}
void standard_normal_cdf_block(benchmark::State& state) {
  block_loop(state, normal_scores(), [](const std::vector<double>& z, std::vector<double>& u) { standard_normal_cdf(z, u); });
}
void standard_normal_boost(benchmark::State& state) {
  const boost::math::normal normal;
  scalar_loop(state, [&](double u) { return boost::math::quantile(normal, u); });
}
void standard_normal_boost_no_promotion(benchmark::State& state) {
  const boost::math::normal_distribution<double, dist_detail::BoostPolicy> normal;
  scalar_loop(state, [&](double u) { return boost::math::quantile(normal, u); });
}
BENCHMARK(standard_normal_as241);
BENCHMARK(standard_normal_as241_block);
BENCHMARK(standard_normal_cdf_erfc);
BENCHMARK(standard_normal_cdf_block);
BENCHMARK(standard_normal_boost);
BENCHMARK(standard_normal_boost_no_promotion);

// The PERT's Beta quantile with Boost's default policy (promotion to long double), for comparison
// with block_quantile/pert, which does not promote.
void pert_beta_quantile_promoted(benchmark::State& state) {
  const boost::math::beta_distribution<double> beta(2.76, 3.24);
  scalar_loop(state, [&](double u) { return 535 + 25 * boost::math::quantile(beta, u); });
}
BENCHMARK(pert_beta_quantile_promoted);

}  // namespace

BENCHMARK_MAIN();
