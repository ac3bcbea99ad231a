// The simulation driver: sample -> evaluate -> store, block by block, in parallel, deterministic.
//
//   Model model = build_model(load_scenario("scenarios/juniper_q4_2012.yaml"));
//   SimulationResult result = simulate(model, {.trials = 1'000'000, .seed = 42});
//   RunReport report = analyze(model, result);
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "guidance/model.hpp"
#include "guidance/sampler.hpp"
#include "guidance/stats.hpp"

namespace guidance {

inline constexpr std::uint64_t default_trials = 100'000;
inline constexpr std::uint64_t default_seed = 1;
/// Trials per block: the unit of parallel work. Results never depend on it.
inline constexpr std::size_t block_trials = 2048;

struct RunOptions {
  std::uint64_t trials = default_trials;
  std::uint64_t seed = default_seed;
  Sampling sampling = Sampling::monte_carlo;
};

namespace detail {
/// Leaves doubles uninitialised on resize: every element of a result column is written by the run,
/// and zero-filling hundreds of megabytes first would cost as much as a third of the run.
template <class T>
struct uninitialized_allocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = uninitialized_allocator<U>;
  };
  using std::allocator<T>::allocator;
  template <class U, class... Args>
  void construct(U* place, Args&&... args) {
    if constexpr (sizeof...(Args) == 0) ::new (static_cast<void*>(place)) U;
    else ::new (static_cast<void*>(place)) U(std::forward<Args>(args)...);
  }
};
}  // namespace detail

/// One variable's value in each trial, in trial order.
using Column = std::vector<double, detail::uninitialized_allocator<double>>;

/// Every trial of every stochastic variable, in trial order. Memory: 8 bytes per trial per
/// stochastic variable (bytes_per_trial()).
struct SimulationResult {
  std::uint64_t trials = 0;
  SamplingPlan plan;
  std::vector<Column> columns;  // per variable; empty for constant variables

  std::span<const double> column(std::size_t variable) const { return columns[variable]; }
};

/// Bytes of result storage per trial for this model.
std::size_t bytes_per_trial(const Model& model);

/// Run the model. Uses the oneTBB arena of the caller (limit threads with tbb::global_control).
/// Throws InputError when the run would need more memory than the machine has.
SimulationResult simulate(const Model& model, const RunOptions& options);

/// Evaluate the model's formulas for trials whose driver values are already in `columns` (one per
/// variable, each of length n; constant variables may be empty). Used by simulate and by analyses that
/// set drivers themselves (tornado, sensitivity designs).
void evaluate(const Model& model, std::span<Column> columns, std::size_t n);

struct GuidanceProbability {
  std::string name;
  std::size_t variable = 0;
  double low = 0.0, high = 0.0;
  std::uint64_t inside = 0, below = 0, above = 0, nonfinite = 0;
  double p_in = 0.0, p_below = 0.0, p_above = 0.0;  // each over all trials; they sum to 1 with
                                                    // nonfinite / trials
  Interval p_in_ci;                                 // Wilson 95%
};

struct ActualRank {
  std::string name;
  double value = 0.0;
  double percentile_rank = 0.0;  // in [0, 1]
};

struct RunReport {
  std::uint64_t trials = 0;
  std::uint64_t seed = 0;
  Sampling sampling = Sampling::monte_carlo;
  std::vector<Summary> variables;  // per model variable (constants: every percentile = the value)
  std::vector<GuidanceProbability> guidance;
  std::uint64_t joint_inside = 0;  // trials where every guidance line holds
  double joint_p_in = 0.0;
  Interval joint_p_in_ci;
  std::vector<ActualRank> actuals;
  std::uint64_t nonfinite_trials = 0;  // trials with any non-finite variable
};

/// Statistics of every variable, guidance probabilities and actuals' ranks.
RunReport analyze(const Model& model, const SimulationResult& result);

}  // namespace guidance
