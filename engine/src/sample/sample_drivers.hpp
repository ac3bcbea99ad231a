// Driver values for a block of trials, for the stages that sample (simulate's block loop, the
// sensitivity designs): the design's uniforms or normals -> Gaussian copula -> each driver's values.
// guidance/sampler.hpp describes the designs.
//
//   sample_drivers(model, plan, first_trial, n, columns);   // columns[d][k]: driver d in trial first_trial + k
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "guidance/distribution.hpp"
#include "guidance/model.hpp"
#include "guidance/sampler.hpp"

namespace guidance {

/// Fill driver_columns[d][k] with driver d's value in trial first_trial + k, k < n. Columns of
/// constant drivers may be null and are not touched. The result depends only on (model, plan, trial),
/// never on n or on which thread calls.
/// Errors: InputError for Sobol' sampling of more drivers than its 3667 dimensions;
/// std::invalid_argument for too few or null stochastic columns, or (Latin hypercube) trials at or
/// beyond plan.trials.
void sample_drivers(const Model& model, const SamplingPlan& plan, std::uint64_t first_trial,
                    std::size_t n, std::span<double* const> driver_columns);

/// out[k] := a driver's value for the standard normal z[k]: mean + sd z for a normal, exp(mu + sigma z)
/// for a lognormal (either not truncated(), and clamped to its bounds), else quantile(Phi(z)) with
/// Phi(z) kept inside (0, 1).
/// Used by the copula and by analyses that sample in the copula's normal space. z and out may alias.
void values_from_normals(const Distribution& distribution, std::span<const double> z, std::span<double> out);

}  // namespace guidance
