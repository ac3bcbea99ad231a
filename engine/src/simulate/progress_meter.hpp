// Progress of parallel work, for the callbacks of RunOptions::progress and SensitivityOptions::progress.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>

namespace guidance::detail {

/// Counts finished trials and passes them to the callback: one call at a time (try_lock, so that no
/// worker ever waits for another), at most every 10 ms.
class ProgressMeter {
 public:
  explicit ProgressMeter(const std::function<bool(std::uint64_t)>& progress) : progress_(progress) {}

  void add(std::uint64_t trials) {
    if (!progress_) return;
    done_.fetch_add(trials, std::memory_order_relaxed);
    const std::int64_t now = Clock::now().time_since_epoch().count();
    if (now - last_call_.load(std::memory_order_relaxed) < interval || !mutex_.try_lock()) return;
    const std::lock_guard lock(mutex_, std::adopt_lock);
    if (stopped()) return;  // no call after the one that said stop
    last_call_.store(now, std::memory_order_relaxed);
    if (!progress_(done_.load(std::memory_order_relaxed))) stop_.store(true, std::memory_order_relaxed);
  }

  /// The final call, with every trial done. False when the work was asked to stop.
  bool finish(std::uint64_t trials) {
    if (!progress_) return true;
    const std::lock_guard lock(mutex_);
    return !stopped() && progress_(trials);
  }

  bool stopped() const { return stop_.load(std::memory_order_relaxed); }

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr std::int64_t interval =
      std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(10)).count();
  const std::function<bool(std::uint64_t)>& progress_;
  std::atomic<std::uint64_t> done_{0};
  std::atomic<std::int64_t> last_call_{0};
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
};

}  // namespace guidance::detail
