// The whole flagship run and its two halves (simulate: sample + formulas; analyze: statistics), at
// 1M and 10M trials on all cores, and the same run streamed (stream_run: no trials kept).
// docs/performance.md quotes these figures.
#include <benchmark/benchmark.h>

#include "guidance/load.hpp"
#include "guidance/simulate.hpp"

namespace {

const guidance::Model& flagship() {
  static const guidance::Model model =
      guidance::build_model(guidance::load_scenario(GUIDANCE_SOURCE_DIR "/scenarios/juniper_q4_2012.yaml"));
  return model;
}

void whole_run(benchmark::State& state) {
  const auto trials = static_cast<std::uint64_t>(state.range(0));
  for (auto _ : state) {
    const guidance::SimulationResult result = guidance::simulate(flagship(), {.trials = trials, .seed = 1});
    benchmark::DoNotOptimize(guidance::analyze(flagship(), result));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void simulate_only(benchmark::State& state) {
  const auto trials = static_cast<std::uint64_t>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(guidance::simulate(flagship(), {.trials = trials, .seed = 1}));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void analyze_only(benchmark::State& state) {
  const auto trials = static_cast<std::uint64_t>(state.range(0));
  const guidance::SimulationResult result = guidance::simulate(flagship(), {.trials = trials, .seed = 1});
  for (auto _ : state) benchmark::DoNotOptimize(guidance::analyze(flagship(), result));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void streamed_run(benchmark::State& state) {
  const auto trials = static_cast<std::uint64_t>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(guidance::stream_run(flagship(), {.trials = trials, .seed = 1}));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

}  // namespace

BENCHMARK(whole_run)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(streamed_run)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(simulate_only)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(analyze_only)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
