// Sweep points per second: a sweep of 100 points of a 1,000-trial flagship run (`guidance sweep`),
// and the model of one point alone, derived by a typed change (with_parameters) against the same
// change made by an override and the file loaded again (what each point cost before). docs/performance.md
// quotes the figures.
#include <benchmark/benchmark.h>

#include <string>

#include "guidance/tuning.hpp"

namespace {

const char* const flagship = GUIDANCE_SOURCE_DIR "/scenarios/juniper_q4_2012.yaml";

void sweep_points(benchmark::State& state) {
  const guidance::TuningSource source = guidance::open_scenario(flagship);
  guidance::Variation vary{.driver = "revenue", .parameter = "p90"};
  for (int p90 = 1101; p90 <= 1200; ++p90) vary.values.push_back({std::to_string(p90), static_cast<double>(p90)});
  for (auto _ : state) benchmark::DoNotOptimize(guidance::run_sweep(source, {vary}, {.trials = 1'000, .seed = 1}));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(vary.values.size()));
}

void point_model_typed(benchmark::State& state) {
  const guidance::Scenario scenario = guidance::load_scenario(flagship);
  const guidance::ParameterSetting setting{"revenue", "p90", 1130, false};
  for (auto _ : state) benchmark::DoNotOptimize(guidance::with_parameters(scenario, std::span(&setting, 1)));
  state.SetItemsProcessed(state.iterations());
}

void point_model_reloaded(benchmark::State& state) {
  const guidance::Scenario scenario = guidance::load_scenario(flagship);
  guidance::LoadOptions options;
  options.overrides = {"revenue.p90=1130"};
  options.check_variants = false;
  for (auto _ : state)
    benchmark::DoNotOptimize(guidance::build_model(guidance::parse_scenario(scenario.source->text, flagship, options)));
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(sweep_points)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(point_model_typed)->Unit(benchmark::kMicrosecond);
BENCHMARK(point_model_reloaded)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
