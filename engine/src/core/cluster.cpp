#include "guidance/cluster.hpp"

namespace guidance {

ChunkShare chunk_share(std::size_t chunks, const Cluster* cluster) {
  if (!shared(cluster)) return {0, chunks};
  // Rank r runs chunks [floor(r C / N), floor((r + 1) C / N)): sizes differ by at most one. With
  // C = q N + m, floor(r C / N) = q r + floor(m r / N), which cannot overflow.
  const std::size_t n = cluster->size();
  const auto boundary = [&](std::size_t r) { return chunks / n * r + chunks % n * r / n; };
  return {boundary(cluster->rank()), boundary(cluster->rank() + 1)};
}

}  // namespace guidance
