// The gain of a sampling method: the RMS error, over many seeds, of the flagship's mean EPS and
// P(EPS in guidance) against a reference from one large run. Shared by bench/sampling_gain.cpp, which
// prints the table quoted in docs/methods.md, and tests/simulate/test_sampling_gain.cpp.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include "guidance/load.hpp"
#include "guidance/simulate.hpp"

namespace guidance::testing {

/// The two statistics measured: the mean of a metric and the P(in) of its guidance line.
struct Estimate {
  double mean = 0.0;
  double p_in = 0.0;
};

/// Root mean square errors over the seeds.
struct GainRow {
  Sampling sampling = Sampling::monte_carlo;
  double mean_rms = 0.0;
  double p_in_rms = 0.0;
};

inline Model flagship_model() {
  return build_model(load_scenario(GUIDANCE_SOURCE_DIR "/scenarios/juniper_q4_2012.yaml", {}));
}

/// `metric`'s mean and the P(in) of its guidance line in one run.
inline Estimate estimate(const Model& model, const std::string& metric, const RunOptions& options) {
  const RunReport report = analyze(model, simulate(model, options));
  const auto variable = static_cast<std::size_t>(model.find(metric));
  for (const GuidanceProbability& line : report.guidance)
    if (line.variable == variable) return {report.variables[variable].mean, line.p_in};
  return {report.variables[variable].mean, std::nan("")};
}

/// RMS error of `sampling` over seeds 1..seeds at `trials` each, against `reference`.
inline GainRow rms_error(const Model& model, const std::string& metric, const Estimate& reference, Sampling sampling,
                         std::uint64_t trials, std::uint64_t seeds) {
  double mean_squares = 0.0, p_in_squares = 0.0;
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    const Estimate e = estimate(model, metric, {.trials = trials, .seed = seed, .sampling = sampling});
    mean_squares += (e.mean - reference.mean) * (e.mean - reference.mean);
    p_in_squares += (e.p_in - reference.p_in) * (e.p_in - reference.p_in);
  }
  const auto n = static_cast<double>(seeds);
  return {sampling, std::sqrt(mean_squares / n), std::sqrt(p_in_squares / n)};
}

}  // namespace guidance::testing
