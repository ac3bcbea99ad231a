// One block of trials, sampled and evaluated: what simulate() does for each block of its result and
// a streamed run (stream.cpp) for each block of the chunk it regenerates.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "guidance/formula.hpp"
#include "guidance/simulate.hpp"
#include "sample/sample_drivers.hpp"

namespace guidance::detail {

/// Scratch columns for the program's temporaries, one set per thread.
class Registers {
 public:
  explicit Registers(const Model& model)
      : variables_(model.variables.size()),
        scratch_((model.program.register_count - variables_) * block_trials),
        pointers_(model.program.register_count, nullptr) {
    for (std::size_t r = variables_; r < pointers_.size(); ++r)
      pointers_[r] = scratch_.data() + (r - variables_) * block_trials;
  }

  /// Point the variable registers at element `first` of each stochastic column.
  std::span<double* const> bind(std::span<Column> columns, std::size_t first) {
    for (std::size_t v = 0; v < variables_; ++v)
      pointers_[v] = columns[v].empty() ? nullptr : columns[v].data() + first;
    return pointers_;
  }

 private:
  std::size_t variables_;
  std::vector<double> scratch_;
  std::vector<double*> pointers_;
};

/// Sample trials [first, first + count) of `plan` (count <= block_trials) into the variable registers
/// of `pointers` and run the formulas over them.
inline void run_block(const Model& model, const SamplingPlan& plan, std::span<double* const> pointers,
                      std::uint64_t first, std::size_t count) {
  sample_drivers(model, plan, first, count, pointers.first(model.driver_count));
  formula::execute(model.program, pointers, count);
}

}  // namespace guidance::detail
