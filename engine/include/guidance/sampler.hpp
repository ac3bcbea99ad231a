// Driver values for a block of trials: the design's uniforms or normals -> Gaussian copula -> each
// driver's values.
//
//   SamplingPlan plan{.method = Sampling::monte_carlo, .seed = 42, .trials = 100'000};
//   sample_drivers(model, plan, first_trial, n, columns);   // columns[d][k]: driver d in trial first_trial + k
//
// Designs (each driver's uniform u in (0, 1) for trial i; streams are salted_stream(model.streams[d], salt)):
//  - monte_carlo: u = uniform(seed, stream, i), or z = normal(seed, stream, i) in normal space (below).
//  - latin_hypercube: (0, 1) cut into plan.trials equal strata, one draw in each per driver; strata
//    paired across drivers by a keyed pseudo-random permutation per driver (no table in memory).
//  - sobol: Boost's Sobol' sequence (Joe-Kuo direction numbers), dimension = the driver's position
//    among the stochastic drivers, trial i = Gray-code point i (trial 0 the origin), each dimension
//    randomised by a digital shift drawn from the seed and the driver's stream.
// Normal space: drivers in the copula and normal or lognormal drivers that are not truncated()
// start from standard normals z (Monte Carlo: normals(), the ziggurat; the other designs: Phi^-1 of
// their uniforms). Copula drivers are correlated per trial as L z. Normals take mean + sd z and
// lognormals exp(mu + sigma z) (clamped to bounds that remove no mass in double); the other copula
// drivers take quantile(Phi(z)). Every other driver takes quantile(u) of the design's uniform. Under
// Latin hypercube and Sobol' the copula keeps each driver's marginal distribution but not the
// stratification of correlated drivers other than the copula's first.
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

/// out[k] := a driver's value for the standard normal z[k]: mean + sd z for a normal, exp(mu + sigma z)
/// for a lognormal (either not truncated(), and clamped to its bounds), else quantile(Phi(z)) with
/// Phi(z) kept inside (0, 1).
/// Used by the copula and by analyses that sample in the copula's normal space. z and out may alias.
void values_from_normals(const Distribution& distribution, std::span<const double> z, std::span<double> out);

}  // namespace guidance
