// How a run draws its drivers: a SamplingPlan (SimulationResult::plan is the one a run used), and
// what each design does. A library user gets the drawn values from simulate() (simulate.hpp); the
// block-level sampling is internal to the engine (engine/src/sample/sample_drivers.hpp).
//
//   SamplingPlan plan{.method = Sampling::latin_hypercube, .seed = 42, .trials = 100'000};
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

#include "guidance/model.hpp"

namespace guidance {

/// The design a run samples with, keyed by its seed.
struct SamplingPlan {
  Sampling method = Sampling::monte_carlo;
  std::uint64_t seed = 0;
  std::uint64_t trials = 0;  // the whole run's size (Latin hypercube strata depend on it)
  std::uint64_t salt = 0;    // mixed into every stream: an independent design with the same seed
};

}  // namespace guidance
