// The processes that share one run (the ranks of an MPI job): each samples a fixed share of the run's
// chunks of 65,536 trials, and what they find is combined exactly and in chunk order, so that any
// number of processes prints the bytes one process prints.
//
//   MpiCluster cluster;                                   // the CLI's, cli/cluster.cpp
//   RunReport report = run_report(model, {.trials = 1'000'000'000, .cluster = &cluster});
//
// The chunks do not depend on the number of processes, and neither does any sum: integer counts add
// in any order, and floating-point partials are gathered and folded in chunk order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>
#include <vector>

namespace guidance {

/// What a run needs of the processes sharing it. Every process calls the same collective operations
/// in the same order (they run the same analysis of the same model), from the thread that started
/// the run. An implementation that loses a process must end the run (MPI's runtime does), not hang.
class Cluster {
 public:
  virtual ~Cluster() = default;
  /// This process: 0 .. size() - 1.
  virtual std::size_t rank() const = 0;
  virtual std::size_t size() const = 0;
  /// Add each element of `values` over every process, in place.
  virtual void sum(std::span<std::uint64_t> values) const = 0;
  /// Every process's `mine`, concatenated in rank order, on every process.
  virtual std::vector<std::byte> gather(std::span<const std::byte> mine) const = 0;
};

/// The chunks [first, last) a process runs out of `chunks`: contiguous, so that the shares in rank
/// order are the chunks in order, and as even as they can be. Null `cluster`: all of them.
struct ChunkShare {
  std::size_t first = 0;
  std::size_t last = 0;
};
ChunkShare chunk_share(std::size_t chunks, const Cluster* cluster);

/// Whether `cluster` has more than one process.
inline bool shared(const Cluster* cluster) { return cluster != nullptr && cluster->size() > 1; }

/// Every process's `mine` (a plain value type's array), concatenated in rank order.
template <class T>
std::vector<T> gather_values(const Cluster& cluster, std::span<const T> mine) {
  static_assert(std::is_trivially_copyable_v<T>);
  const std::vector<std::byte> bytes = cluster.gather(std::as_bytes(mine));
  std::vector<T> out(bytes.size() / sizeof(T));
  if (!out.empty()) std::memcpy(out.data(), bytes.data(), out.size() * sizeof(T));
  return out;
}

}  // namespace guidance
