// Designs: blocks of trials whose driver values an analysis sets itself (one-at-a-time points, the
// pick-freeze matrices, conditional redraws), evaluated by the model's block evaluator.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <type_traits>
#include <vector>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "guidance/model.hpp"
#include "guidance/sensitivity.hpp"
#include "guidance/simulate.hpp"
#include "simulate/column_storage.hpp"
#include "simulate/progress_meter.hpp"

namespace guidance::analysis {

/// Columns of `rows` trials for every stochastic variable. The caller writes the drivers' columns;
/// evaluate() computes the metrics. Constant drivers and folded metrics have no column.
class Design {
 public:
  Design(const Model& model, std::size_t rows);
  /// The bytes of a design of `rows` rows: a column per stochastic variable.
  static double bytes(const Model& model, std::size_t rows) {
    return static_cast<double>(model.stochastic_count() * detail::column_storage_bytes(rows * sizeof(double)));
  }

  std::size_t rows() const { return rows_; }
  /// Driver d's column (stochastic drivers only).
  std::span<double> driver(std::size_t d) { return columns_[d]; }
  /// Pointers to trial `first` of each driver's column (null for constants), for sample_drivers.
  std::span<double* const> driver_pointers(std::size_t first);
  /// Run the formulas over the first `n` rows (n <= rows()).
  void evaluate(std::size_t n);
  /// A stochastic variable's column.
  std::span<const double> column(std::size_t variable) const { return columns_[variable]; }

 private:
  const Model* model_;
  std::size_t rows_;
  std::vector<Column> columns_;
  std::vector<double*> pointers_;
};

/// Calls work(workspace, chunk, first, n) for each chunk of `chunk_rows` consecutive rows [first, first + n)
/// of `rows`, in parallel. Each thread makes one workspace with make() and reuses it for its chunks: a
/// design is megabytes, and allocating one per chunk costs more in page faults than the formulas.
/// `progress` (may be empty) hears the rows done, as RunOptions::progress; when it returns false the
/// remaining chunks are skipped and RunCancelled is thrown.
template <class Make, class Work>
void for_each_chunk(std::uint64_t rows, std::size_t chunk_rows, Make make, Work work,
                    const std::function<bool(std::uint64_t)>& progress) {
  tbb::enumerable_thread_specific<std::invoke_result_t<Make>> workspaces(make);
  const auto chunks = static_cast<std::size_t>((rows + chunk_rows - 1) / chunk_rows);
  detail::ProgressMeter meter(progress);
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t chunk) {
    if (meter.stopped()) return;
    // A design's evaluation is itself a parallel loop: isolation keeps this thread from starting another
    // chunk, on the same workspace, while it waits.
    tbb::this_task_arena::isolate([&] {
      const std::uint64_t first = chunk * chunk_rows;
      const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_rows, rows - first));
      work(workspaces.local(), chunk, first, n);
      meter.add(n);
    });
  });
  if (!meter.finish(rows)) throw RunCancelled();
}

/// Each driver's median (quantile at 1/2); constants have their value.
std::vector<double> driver_medians(const Model& model);

/// A one-at-a-time point: every driver at its median except an input's elements, each at its own
/// quantile of `probability`.
struct Move {
  const SensitivityInput* input = nullptr;
  double probability = 0.5;
  std::vector<double> values;  // per element of the input (what move() computes)
};

/// The input at `probability`: each element at driver_quantile(model, element, probability).
Move move(const Model& model, const SensitivityInput& input, double probability);

/// The metric with every driver at its median (element 0), then at each move (element 1 + k).
/// Memory: a design of 1 + moves rows, and the threads' registers (moves_memory()).
std::vector<double> evaluate_moves(const Model& model, std::size_t metric, std::span<const Move> moves);
MemoryNeed moves_memory(const Model& model, std::size_t moves);

}  // namespace guidance::analysis
