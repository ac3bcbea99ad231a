// Sensitivity designs on the flagship (5 stochastic drivers; tax_rate is a constant), on all cores.
// Sobol at N = 100,000 and 1,000,000 base trials (0.7 and 7 million evaluations; the drivers sampled
// independently, as with --ignore-correlations, since the flagship declares correlations); Shapley at
// N = 100,000 and 1,000,000 (3.2 and 32 million evaluations exact, 0.6 and 6 million by 1,000 random
// permutations); the rank correlations of 1,000,000
// trials; the tornado. Items are metric evaluations. docs/performance.md quotes these figures.
#include <optional>

#include <benchmark/benchmark.h>

#include "guidance/load.hpp"
#include "guidance/sensitivity.hpp"

namespace {

const guidance::Model& flagship() {
  static const guidance::Model model =
      guidance::build_model(guidance::load_scenario(GUIDANCE_SOURCE_DIR "/scenarios/juniper_q4_2012.yaml"));
  return model;
}

std::size_t eps() { return static_cast<std::size_t>(flagship().find("eps")); }

const std::vector<guidance::SensitivityInput>& inputs() {
  static const std::vector<guidance::SensitivityInput> all = guidance::sensitivity_inputs(flagship());
  return all;
}

void sobol(benchmark::State& state) {
  const auto trials = static_cast<std::uint64_t>(state.range(0));
  std::uint64_t evaluations = 0;
  for (auto _ : state) {
    const guidance::SobolIndices result = guidance::sobol_indices(flagship(), inputs(), eps(), trials, 1, true);
    evaluations += result.design.evaluations;
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(evaluations));
}

// The exact design (2^D = 32 evaluations per base trial for the flagship's 5 inputs), or random
// permutations ((D + 1) = 6 evaluations per base trial, the permutations' conditionals on top).
void shapley(benchmark::State& state, std::optional<std::size_t> permutations) {
  const auto trials = static_cast<std::uint64_t>(state.range(0));
  std::uint64_t evaluations = 0;
  for (auto _ : state) {
    const guidance::ShapleyEffects result =
        guidance::shapley_effects(flagship(), inputs(), eps(), trials, 1, 1000, permutations);
    evaluations += result.design.evaluations;
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(evaluations));
}

void rank_correlations(benchmark::State& state) {
  const auto trials = static_cast<std::uint64_t>(state.range(0));
  const guidance::SimulationResult result = guidance::simulate(flagship(), {.trials = trials, .seed = 1});
  for (auto _ : state) benchmark::DoNotOptimize(guidance::rank_correlations(flagship(), inputs(), result, eps()));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void tornado(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(guidance::tornado(flagship(), inputs(), eps(), 0.1, 0.9));
}

}  // namespace

BENCHMARK(sobol)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(shapley, exact, std::nullopt)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(shapley, permutations, guidance::default_shapley_permutations)
    ->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(rank_correlations)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(tornado)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
