// Driver values for a block of trials: the design's uniforms -> Gaussian copula -> each driver's quantile.
//
//   SamplingPlan plan{.method = Sampling::monte_carlo, .seed = 42, .trials = 100'000};
//   sample_drivers(model, plan, first_trial, n, columns);   // columns[d][k]: driver d in trial first_trial + k
//
// Designs (each driver's uniform u in (0, 1) for trial i; streams are salted_stream(model.streams[d], salt)):
//  - monte_carlo: u = uniform(seed, stream, i).
//  - latin_hypercube: (0, 1) cut into plan.trials equal strata, one draw in each per driver; strata
//    paired across drivers by a keyed pseudo-random permutation per driver (no table in memory).
//  - sobol: Boost's Sobol' sequence (Joe-Kuo direction numbers), dimension = the driver's position
//    among the stochastic drivers, trial i = Gray-code point i (trial 0 the origin), each dimension
//    randomised by a digital shift drawn from the seed and the driver's stream.
// Copula (drivers in model.copula.drivers): z = Phi^-1(u) per driver, correlated per trial as L z;
// untruncated normal and lognormal drivers take mean + sd z (exp(mu + sigma z)), the others
// quantile(Phi(z)). Outside the copula, untruncated normals take mean + sd Phi^-1(u) and lognormals
// exp(mu + sigma Phi^-1(u)); everything else quantile(u). Under Latin hypercube and Sobol' the copula
// keeps each driver's marginal distribution but not the stratification of correlated drivers other
// than the copula's first.
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
/// Errors: InputError for Sobol' sampling of more drivers than its 3667 dimensions;
/// std::invalid_argument for too few or null stochastic columns, or (Latin hypercube) trials at or
/// beyond plan.trials.
void sample_drivers(const Model& model, const SamplingPlan& plan, std::uint64_t first_trial,
                    std::size_t n, std::span<double* const> driver_columns);

/// out[k] := a driver's value for the standard normal z[k]: mean + sd z for an untruncated normal,
/// exp(mu + sigma z) for an untruncated lognormal, else quantile(Phi(z)) with Phi(z) kept inside (0, 1).
/// Used by the copula and by analyses that sample in the copula's normal space. z and out may alias.
void values_from_normals(const Distribution& distribution, std::span<const double> z, std::span<double> out);

}  // namespace guidance
