// The statistic a solve target names, measured in one run: over the run's kept trials, or over chunks
// of trials sampled again pass by pass when the run streams (too many trials to keep in
// RunOptions::memory, or several processes sharing it). Both go through the same passes over the
// same chunks, so they give the same bits.
#pragma once

#include <cstddef>

#include "guidance/tuning.hpp"

namespace guidance::tuning_detail {

/// A target tied to a model's variables.
struct BoundTarget {
  const Target* target = nullptr;
  std::size_t variable = 0;
  std::size_t line = 0;  // in_guidance: the guidance line
};

/// A statistic and its 95% interval.
struct Estimate {
  double value = 0.0;
  Interval ci;
  double half_width() const { return (ci.high - ci.low) / 2; }
};

/// The target statistic of `model` run with `options` (its trials kept or streamed as keeps_trials()
/// decides; with options.cluster, streamed and shared), and, when `report` is not null, the run's
/// report without charts (run_report's). NaN when the variable is finite in no trial. Errors as
/// simulate and stream_run.
Estimate measure_target(const BoundTarget& bound, const Model& model, const RunOptions& options,
                        RunReport* report = nullptr);

}  // namespace guidance::tuning_detail
