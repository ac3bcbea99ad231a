// Random numbers and driver sampling per second, in blocks of the simulation's size.
#include <vector>

#include <benchmark/benchmark.h>

#include "../tests/sample/hand_model.hpp"
#include "guidance/random.hpp"
#include "guidance/simulate.hpp"
#include "sample/sample_drivers.hpp"

namespace {

/// One block of a driver's draws per iteration; items are draws.
void draws_per_block(benchmark::State& state,
                     void (*draw)(std::uint64_t, std::uint64_t, std::uint64_t, std::span<double>)) {
  std::vector<double> block(guidance::block_trials);
  const std::uint64_t stream = guidance::stream_id("revenue");
  std::uint64_t first = 0;
  for (auto _ : state) {
    draw(42, stream, first, block);
    first += block.size();
    benchmark::DoNotOptimize(block.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * block.size()));
}

void uniforms_per_block(benchmark::State& state) { draws_per_block(state, &guidance::uniforms); }
BENCHMARK(uniforms_per_block);

/// The ziggurat's standard normals (compare bench_dist's standard_normal_as241_block, the inverse CDF
/// of uniforms drawn as above).
void normals_per_block(benchmark::State& state) { draws_per_block(state, &guidance::normals); }
BENCHMARK(normals_per_block);

/// Six drivers (normal, normal, triangular, uniform, normal, constant), two correlations; one
/// iteration is one block of trials, items are trials.
void sample_six_drivers(benchmark::State& state) {
  const guidance::Model model = guidance::testing::six_drivers();
  const guidance::SamplingPlan plan{static_cast<guidance::Sampling>(state.range(0)), 42, 1'000'000'000};
  std::vector<std::vector<double>> columns(model.driver_count, std::vector<double>(guidance::block_trials));
  std::vector<double*> pointers;
  for (std::size_t d = 0; d < model.driver_count; ++d)
    pointers.push_back(model.variables[d].stochastic ? columns[d].data() : nullptr);
  std::uint64_t first = 0;
  for (auto _ : state) {
    guidance::sample_drivers(model, plan, first, guidance::block_trials, pointers);
    first += guidance::block_trials;
    benchmark::DoNotOptimize(columns.front().data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * guidance::block_trials));
}
BENCHMARK(sample_six_drivers)
    ->Arg(static_cast<int>(guidance::Sampling::monte_carlo))
    ->Arg(static_cast<int>(guidance::Sampling::latin_hypercube))
    ->Arg(static_cast<int>(guidance::Sampling::sobol))
    ->ArgName("method(0=mc,1=lhs,2=sobol)");

}  // namespace

BENCHMARK_MAIN();
