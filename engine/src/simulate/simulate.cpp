// The block loop: sample -> evaluate -> store, in parallel over blocks of trials. Every block writes
// its own slice of the result columns, so no two threads share state and the result does not depend
// on the schedule.
#include "guidance/simulate.hpp"

#include <fstream>
#include <string>

#include <fmt/format.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include "simulate/column_storage.hpp"
#include "simulate/progress_meter.hpp"
#include "simulate/ranks.hpp"
#include "simulate/registers.hpp"
#include "stats/order_statistics.hpp"

namespace guidance {

std::size_t bytes_per_trial(const Model& model) { return sizeof(double) * model.stochastic_count(); }

RunOptions scenario_run_options(const Model& model) {
  RunOptions options;
  options.trials = model.simulation.trials.value_or(default_trials);
  options.seed = model.simulation.seed.value_or(default_seed);
  options.sampling = model.simulation.sampling.value_or(Sampling::monte_carlo);
  return options;
}

MemoryNeed evaluation_memory(const Model& model) {
  const std::size_t scratch_registers = model.program.register_count - model.variables.size();
  return MemoryNeed{0.0, static_cast<double>(scratch_registers * block_trials * sizeof(double))} *
         static_cast<double>(worker_threads());
}

MemoryNeed trials_memory(const Model& model) {
  return detail::column_memory(sizeof(double)) * static_cast<double>(model.stochastic_count());
}

MemoryNeed run_memory(const Model& model) {
  const MemoryNeed result = trials_memory(model);
  // analyze(): the variables summarised in parallel, then the rank correlation of each pair with a
  // discrete driver, one after the other.
  const double concurrent = static_cast<double>(std::min<std::uint64_t>(worker_threads(), model.stochastic_count()));
  MemoryNeed analysis = stats_detail::summary_memory() * concurrent;
  for (const std::size_t d : model.copula.drivers)
    if (std::holds_alternative<Discrete>(model.distributions[d].shape))
      analysis = either(analysis, detail::rank_correlation_memory());
  return result + either(evaluation_memory(model), analysis);
}

namespace {

using detail::Registers;

/// Call work(registers, first_trial, count) for every block of trials [begin, end), in parallel, each
/// thread with its own registers bound to the block's slice of `columns`.
template <class Work>
void for_each_block(const Model& model, std::span<Column> columns, std::uint64_t begin, std::uint64_t end,
                    Work work) {
  tbb::enumerable_thread_specific<Registers> registers([&] { return Registers(model); });
  const std::size_t blocks = static_cast<std::size_t>((end - begin + block_trials - 1) / block_trials);
  tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t block) {
    const std::uint64_t first = begin + block * block_trials;
    const auto count = static_cast<std::size_t>(std::min<std::uint64_t>(block_trials, end - first));
    work(registers.local().bind(columns, first), first, count);
  });
}

}  // namespace

void evaluate(const Model& model, std::span<Column> columns, std::size_t n) {
  for_each_block(model, columns, 0, n, [&](std::span<double* const> pointers, std::uint64_t, std::size_t count) {
    formula::execute(model.program, pointers, count);
  });
}

namespace {

/// Grow `result` to `trials` and sample and evaluate trials [result.trials, trials): the columns'
/// earlier trials are kept, the plan's size becomes `trials`.
void run_trials(const Model& model, SimulationResult& result, std::uint64_t trials,
                const std::function<bool(std::uint64_t)>& progress) {
  check_memory("a run", run_memory(model), trials);
  const std::uint64_t begin = result.trials;
  result.plan.trials = trials;
  result.columns.resize(model.variables.size());
  for (std::size_t v = 0; v < model.variables.size(); ++v)
    if (model.variables[v].stochastic) result.columns[v].resize(trials);

  detail::ProgressMeter meter(progress);
  for_each_block(model, result.columns, begin, trials,
                 [&](std::span<double* const> pointers, std::uint64_t first, std::size_t count) {
                   if (meter.stopped()) return;  // the remaining blocks cost nothing
                   detail::run_block(model, result.plan, pointers, first, count);
                   meter.add(count);
                 });
  if (!meter.finish(trials - begin)) throw RunCancelled();
  result.trials = trials;
}

}  // namespace

SimulationResult simulate(const Model& model, const RunOptions& options) {
  if (options.trials == 0) throw InputError({}, "the number of trials must be at least 1");
  SimulationResult result;
  result.plan = {options.sampling, options.seed, options.trials, 0};
  run_trials(model, result, options.trials, options.progress);
  return result;
}

void extend(const Model& model, SimulationResult& result, std::uint64_t trials,
            const std::function<bool(std::uint64_t)>& progress) {
  if (trials < result.trials)
    throw std::invalid_argument(fmt::format("cannot extend {} trials to fewer ({})", result.trials, trials));
  // Latin hypercube strata are cut for the run's size: another size is another design.
  if (result.plan.method == Sampling::latin_hypercube) {
    result.trials = 0;
    result.columns.clear();
  }
  run_trials(model, result, trials, progress);
}

}  // namespace guidance
