// analyze() in its parts, shared by the streamed run (stream.cpp), which computes the same inputs a
// chunk of trials at a time: the guidance counts over a result, and the report put together from the
// variables' summaries, those counts and the actuals' ranks.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "guidance/simulate.hpp"

namespace guidance::detail {

/// Per-trial counts for the guidance lines and the joint event. Integer sums: exact in any order.
struct GuidanceCounts {
  std::vector<std::uint64_t> inside, below, above, nonfinite;
  std::uint64_t joint_inside = 0;
  std::uint64_t nonfinite_trials = 0;

  explicit GuidanceCounts(std::size_t lines) : inside(lines), below(lines), above(lines), nonfinite(lines) {}

  void merge(const GuidanceCounts& other) {
    for (std::size_t g = 0; g < inside.size(); ++g) {
      inside[g] += other.inside[g];
      below[g] += other.below[g];
      above[g] += other.above[g];
      nonfinite[g] += other.nonfinite[g];
    }
    joint_inside += other.joint_inside;
    nonfinite_trials += other.nonfinite_trials;
  }
};

/// The counts over result's trials. `with_nonfinite`: the stored variables that may be non-finite in
/// a trial (a superset does no harm), the only columns a trial's non-finite flag reads.
GuidanceCounts count_guidance(const Model& model, const SimulationResult& result,
                              std::span<const std::size_t> with_nonfinite);

/// The summary of a constant variable over `trials` trials.
Summary constant_summary(double value, std::uint64_t trials);

/// rank_among_trials for a constant variable.
double constant_rank(const Model& model, std::size_t variable, double x);

/// The report of a run of `trials` trials: the variables' summaries, the indicators and guidance
/// probabilities from them and `counts`, and the actuals at `actual_ranks` (per model.actuals).
/// Without charts or discrete correlations.
RunReport assemble_report(const Model& model, std::uint64_t trials, const SamplingPlan& plan,
                          std::vector<Summary> variables, const GuidanceCounts& counts,
                          std::span<const double> actual_ranks);

/// The bins of the chart `charts` asks for on this line of `report`, when it lacks one.
std::optional<HistogramBins> wanted_chart(const Model& model, const RunReport& report,
                                          const GuidanceProbability& probability, Charts charts);
void set_chart(GuidanceProbability& probability, Histogram histogram);

}  // namespace guidance::detail
