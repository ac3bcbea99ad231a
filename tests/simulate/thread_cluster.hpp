// Processes simulated by threads, for testing what a Cluster's processes compute without MPI: each
// thread is one rank, and a collective call waits for every rank at a barrier.
#pragma once

#include <barrier>
#include <cstdint>
#include <exception>
#include <functional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "guidance/cluster.hpp"

namespace guidance::testing {

class ThreadGroup {
 public:
  explicit ThreadGroup(std::size_t size) : size_(size), barrier_(static_cast<std::ptrdiff_t>(size)), deposits_(size) {}

  /// Run body(cluster) on `size` threads, one per rank; the results in rank order.
  template <class Result>
  std::vector<Result> run(const std::function<Result(const Cluster&)>& body);

 private:
  friend class ThreadCluster;
  std::size_t size_;
  std::barrier<> barrier_;
  std::vector<std::vector<std::byte>> deposits_;
};

class ThreadCluster : public Cluster {
 public:
  ThreadCluster(ThreadGroup& group, std::size_t rank) : group_(group), rank_(rank) {}
  std::size_t rank() const override { return rank_; }
  std::size_t size() const override { return group_.size_; }

  void sum(std::span<std::uint64_t> values) const override {
    const std::vector<std::uint64_t> counts = gather_values<std::uint64_t>(*this, std::span<const std::uint64_t>(values));
    if (counts.size() != values.size() * size()) throw std::logic_error("sum: the ranks gave different lengths");
    for (std::size_t i = 0; i < values.size(); ++i) {
      values[i] = 0;
      for (std::size_t r = 0; r < size(); ++r) values[i] += counts[r * values.size() + i];
    }
  }

  std::vector<std::byte> gather(std::span<const std::byte> mine) const override {
    group_.deposits_[rank_].assign(mine.begin(), mine.end());
    group_.barrier_.arrive_and_wait();
    std::vector<std::byte> all;
    for (const std::vector<std::byte>& deposit : group_.deposits_) all.insert(all.end(), deposit.begin(), deposit.end());
    group_.barrier_.arrive_and_wait();  // no rank deposits again before every rank has read
    return all;
  }

 private:
  ThreadGroup& group_;
  std::size_t rank_;
};

template <class Result>
std::vector<Result> ThreadGroup::run(const std::function<Result(const Cluster&)>& body) {
  std::vector<Result> results(size_);
  std::vector<std::exception_ptr> failures(size_);
  std::vector<std::thread> threads;
  for (std::size_t r = 0; r < size_; ++r)
    threads.emplace_back([&, r] {
      try {
        results[r] = body(ThreadCluster(*this, r));
      } catch (...) {
        // The other ranks must not wait for this one at the barrier for ever.
        failures[r] = std::current_exception();
        barrier_.arrive_and_drop();
      }
    });
  for (std::thread& thread : threads) thread.join();
  for (const std::exception_ptr& failure : failures)
    if (failure) std::rethrow_exception(failure);
  return results;
}

}  // namespace guidance::testing
