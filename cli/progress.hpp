// The progress bar of long simulations, which also lets a signal stop them (signals.hpp).
//
//   SimulationResult result = with_progress(options, 1, [&](const RunOptions& with_bar) {
//     return simulate(model, with_bar);  // RunCancelled after Ctrl-C, or if it came at the very end
//   });
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "guidance/simulate.hpp"

namespace guidance::cli {

/// The bar's line: "  42% ███████▋           4,200,000 of 10,000,000 trials · 1.2M trials/s · 5s left",
/// at most `columns` wide (the bar shrinks first); `unicode` false draws it with '#' and '-'.
std::string progress_line(std::uint64_t done, std::uint64_t total, std::chrono::duration<double> elapsed,
                          std::size_t columns, bool unicode);

/// Reports a simulation's progress on stderr and lets a signal stop it (begin_work in signals.hpp):
/// the simulation ends with RunCancelled, which main reports as the signal's ending_message() with
/// status 128 + its number. The bar is drawn only when
/// stderr is a terminal and CI is unset, once the work has run for a second; finish() erases it.
class ProgressReporter {
 public:
  /// `runs` simulations of `trials` each, one after the other (compare: one per variant); 0 runs when
  /// their number is not known in advance (solve's search), for a bar of the current run, numbered.
  explicit ProgressReporter(std::uint64_t trials, std::uint64_t runs = 1);
  ~ProgressReporter();
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  /// For RunOptions::progress: updates the bar; false once a signal arrived.
  std::function<bool(std::uint64_t)> callback();

  /// The work is done: erase the bar, and from now on a signal ends the process at once. Throws
  /// RunCancelled when a signal arrived while the work ran.
  void finish();

 private:
  bool update(std::uint64_t done);
  void erase();

  using Clock = std::chrono::steady_clock;
  std::uint64_t trials_, total_;  // total_: 0 when the number of runs is not known
  std::uint64_t completed_runs_ = 0, last_done_ = 0;
  Clock::time_point start_, run_start_, last_draw_;
  bool enabled_, unicode_, drawn_ = false, running_ = true;
};

/// Run `work(options)` (`runs` simulations of options.trials each, 0 when not known in advance) under
/// a progress bar that Ctrl-C stops; the bar counts to `bar_trials` per run instead when given
/// (--precision's rounds count towards --max-trials).
template <class Work>
auto with_progress(RunOptions options, std::uint64_t runs, Work work, std::uint64_t bar_trials = 0) {
  ProgressReporter progress(bar_trials > 0 ? bar_trials : options.trials, runs);
  options.progress = progress.callback();
  auto result = work(options);
  progress.finish();
  return result;
}

}  // namespace guidance::cli
