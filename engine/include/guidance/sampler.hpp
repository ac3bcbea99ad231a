// Driver values for a block of trials: uniforms (or normals) -> copula -> each driver's quantile.
#pragma once

#include <cstdint>
#include <span>

#include "guidance/model.hpp"

namespace guidance {

struct SamplingPlan {
  Sampling method = Sampling::monte_carlo;
  std::uint64_t seed = 0;
  std::uint64_t trials = 0;  // the whole run's size (Latin hypercube strata depend on it)
  std::uint64_t salt = 0;    // mixed into every stream: an independent design with the same seed
};

/// Fill driver_columns[d][k] with driver d's value in trial first_trial + k, k < n. Columns of
/// constant drivers may be null and are not touched. The result depends only on (model, plan, trial),
/// never on n or on which thread calls.
void sample_drivers(const Model& model, const SamplingPlan& plan, std::uint64_t first_trial,
                    std::size_t n, std::span<double* const> driver_columns);

}  // namespace guidance
