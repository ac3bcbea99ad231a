// Passes over a run's trials that are not kept: every pass samples each chunk of 65,536 trials
// (stats/chunks.hpp) of this process's share again, bit for bit the same trials, and hands it to a
// visitor on several threads. The streamed report (stream.cpp) is made of such passes, and so are the
// analyses that need more of a run than its report (solve's target, propose's range).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "guidance/cluster.hpp"
#include "guidance/simulate.hpp"
#include "simulate/progress_meter.hpp"
#include "simulate/registers.hpp"
#include "stats/chunks.hpp"

namespace guidance::detail {

using stats_detail::chunk_count;
using stats_detail::chunk_size;

/// One thread's chunk of trials: every stochastic variable's values for up to chunk_size trials, as a
/// SimulationResult whose trial k is the run's trial first + k.
struct ChunkTrials {
  Registers registers;
  SimulationResult trials;

  explicit ChunkTrials(const Model& model) : registers(model) {
    trials.columns.resize(model.variables.size());
    for (std::size_t v = 0; v < model.variables.size(); ++v)
      if (model.variables[v].stochastic) trials.columns[v].resize(chunk_size);
  }

  /// Sample and evaluate trials [first, first + n), n <= chunk_size, block by block as simulate() does.
  const SimulationResult& run(const Model& model, const SamplingPlan& plan, std::uint64_t first, std::size_t n) {
    for (std::size_t offset = 0; offset < n; offset += block_trials)
      run_block(model, plan, registers.bind(trials.columns, offset), first + offset, std::min(block_trials, n - offset));
    trials.plan = plan;
    trials.trials = n;
    return trials;
  }
};

/// Add counters over the processes of `cluster`, in place: `counters` lists every counter, in the same
/// order on every process. One collective call for all of them.
inline void sum_over_processes(const Cluster* cluster, const std::vector<std::span<std::uint64_t>>& counters) {
  if (!shared(cluster)) return;
  std::vector<std::uint64_t> all;
  for (const std::span<std::uint64_t> part : counters) all.insert(all.end(), part.begin(), part.end());
  cluster->sum(all);
  auto next = all.begin();
  for (const std::span<std::uint64_t> part : counters) {
    std::copy_n(next, part.size(), part.begin());
    next += static_cast<std::ptrdiff_t>(part.size());
  }
}

inline std::span<std::uint64_t> one(std::uint64_t& counter) { return {&counter, 1}; }

/// The trials of a chunk, for the analysis: `trials` column, cut to the chunk's size.
inline std::span<const double> values(const SimulationResult& chunk, std::size_t variable) {
  return chunk.column(variable).first(static_cast<std::size_t>(chunk.trials));
}

/// The passes of one run over its chunks, with the progress callback's count: pass k of an expected
/// `passes` moves it from k / passes of the trials towards (k + 1) / passes.
class Passes {
 public:
  Passes(const Model& model, const RunOptions& options, std::uint64_t passes)
      : model_(model), options_(options), plan_{options.sampling, options.seed, options.trials, 0},
        share_(chunk_share(chunk_count(options.trials), options.cluster)), passes_(passes) {}

  /// Call visit(chunk_index, chunk) for every chunk of this process's share, in parallel. Throws
  /// RunCancelled when the progress callback asks to stop.
  template <class Visit>
  void run(Visit&& visit) {
    const std::uint64_t trials = options_.trials;
    const std::uint64_t before = std::min(done_, passes_ - 1) * trials;
    const std::uint64_t processes = options_.cluster != nullptr ? options_.cluster->size() : 1;
    const std::function<bool(std::uint64_t)> progress =
        options_.progress ? [&](std::uint64_t in_pass) {
          return options_.progress(std::min((before + std::min(in_pass * processes, trials)) / passes_, trials - 1));
        } : std::function<bool(std::uint64_t)>();
    ProgressMeter meter(progress);
    tbb::enumerable_thread_specific<ChunkTrials> buffers([&] { return ChunkTrials(model_); });
    tbb::parallel_for(share_.first, share_.last, [&](std::size_t c) {
      if (meter.stopped()) return;
      // Isolated: a thread waiting inside visit for a nested parallel loop must not start another
      // chunk, which would overwrite its buffer.
      tbb::this_task_arena::isolate([&] {
        const std::uint64_t first = std::uint64_t{c} * chunk_size;
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_size, trials - first));
        visit(c, buffers.local().run(model_, plan_, first, n));
        meter.add(n);
      });
    });
    if (meter.stopped()) throw RunCancelled();
    ++done_;
  }

  /// The final progress call, with every trial done.
  void finish() const {
    if (options_.progress && !options_.progress(options_.trials)) throw RunCancelled();
  }

  /// The run's first chunk, sampled apart from the passes and by every process: a sample of the
  /// trials, to set a pass up with before their extent is known.
  ChunkTrials first_chunk() const {
    ChunkTrials first(model_);
    first.run(model_, plan_, 0, static_cast<std::size_t>(std::min<std::uint64_t>(chunk_size, options_.trials)));
    return first;
  }

  const SamplingPlan& plan() const { return plan_; }
  const ChunkShare& share() const { return share_; }
  const Cluster* cluster() const { return options_.cluster; }

 private:
  const Model& model_;
  const RunOptions& options_;
  SamplingPlan plan_;
  ChunkShare share_;
  std::uint64_t passes_;
  std::uint64_t done_ = 0;
};

/// The trials of one chunk of a run: rows [first, first + size) of `trials`, chunk `index` of the run.
struct ChunkColumns {
  const SimulationResult& trials;
  std::size_t index = 0;
  std::size_t first = 0;
  std::size_t size = 0;

  /// A variable's values in the chunk; none for a constant.
  std::span<const double> operator()(std::size_t variable) const {
    const std::span<const double> column = trials.column(variable);
    return column.empty() ? column : column.subspan(first, size);
  }
};

/// Passes over a run's trials, kept or sampled again, for analyses that need more of a run than its
/// report (solve's target, propose's ranges): the same code serves both, so they give the same bits.
/// run(visit) calls visit for every chunk of this process's share, in parallel; what the processes
/// found is then combined through cluster() (counts summed, per-chunk partials gathered in chunk order).
class TrialPasses {
 public:
  using Visit = std::function<void(const ChunkColumns&)>;

  explicit TrialPasses(const SimulationResult& kept)
      : run_([&kept](const Visit& visit) {
          const std::size_t trials = kept.trials;
          tbb::parallel_for(std::size_t{0}, chunk_count(trials), [&](std::size_t c) {
            const std::size_t first = c * chunk_size;
            visit({kept, c, first, std::min(chunk_size, trials - first)});
          });
        }),
        first_([&kept](std::size_t variable) {
          const std::span<const double> column = kept.column(variable);
          const std::span<const double> first = column.first(std::min(column.size(), chunk_size));
          return std::vector<double>(first.begin(), first.end());
        }),
        trials_(kept.trials), share_{0, chunk_count(kept.trials)} {}
  explicit TrialPasses(Passes& passes)
      : run_([&passes](const Visit& visit) {
          passes.run([&](std::size_t c, const SimulationResult& chunk) {
            visit({chunk, c, 0, static_cast<std::size_t>(chunk.trials)});
          });
        }),
        first_([&passes](std::size_t variable) {
          const ChunkTrials first = passes.first_chunk();
          const std::span<const double> part = values(first.trials, variable);
          return std::vector<double>(part.begin(), part.end());
        }),
        trials_(passes.plan().trials), share_(passes.share()), cluster_(passes.cluster()) {}

  void run(const Visit& visit) const { run_(visit); }
  /// A variable's values in the run's first chunk, on every process (sampled for it when streamed):
  /// a sample to set up a pass before the run's extent is known (empty for a constant).
  std::vector<double> first_chunk(std::size_t variable) const { return first_(variable); }
  std::uint64_t trials() const { return trials_; }
  /// The chunks this process visits.
  const ChunkShare& share() const { return share_; }
  const Cluster* cluster() const { return cluster_; }

 private:
  std::function<void(const Visit&)> run_;
  std::function<std::vector<double>(std::size_t)> first_;
  std::uint64_t trials_ = 0;
  ChunkShare share_;
  const Cluster* cluster_ = nullptr;
};

}  // namespace guidance::detail
