// Spearman rank correlations: centred average ranks by a radix sort, and their Pearson correlation.
#include "simulate/ranks.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <utility>

#include <tbb/parallel_for.h>

#include "simulate/column_storage.hpp"
#include "stats/order_statistics.hpp"

namespace guidance::detail {

namespace {

using stats_detail::ordered_key;

struct SortEntry {
  std::uint64_t key, position;
};
using Order = std::vector<std::uint64_t, detail::uninitialized_allocator<std::uint64_t>>;

/// The positions of `values` in ascending order: a least-significant-digit radix sort of their
/// ordered keys, a byte a pass, skipping the passes in which every key has the same digit (the sign
/// and exponent of a column of similar values). Stable and linear in n.
auto ascending_order(std::span<const double> values) {
  constexpr int digit_bits = 8;  // 256 buckets: few enough write streams for the scatter to stay in cache
  constexpr std::size_t buckets = std::size_t{1} << digit_bits;
  using Entry = SortEntry;
  const std::size_t n = values.size();
  // Uninitialised, huge-page storage (as the result columns): zero-filling and faulting in fresh
  // pages cost more than the sort on this machine.
  std::vector<Entry, detail::uninitialized_allocator<Entry>> entries(n), next(n);
  for (std::size_t i = 0; i < n; ++i) entries[i] = {ordered_key(values[i]), i};
  // Every pass's histogram in one read of the keys.
  std::vector<std::array<std::size_t, buckets>> counts(64 / digit_bits);
  for (const Entry& entry : entries)
    for (std::size_t pass = 0; pass < counts.size(); ++pass) ++counts[pass][(entry.key >> (pass * digit_bits)) & (buckets - 1)];
  for (std::size_t pass = 0; pass < counts.size(); ++pass) {
    const int shift = static_cast<int>(pass * digit_bits);
    if (n == 0 || counts[pass][(entries[0].key >> shift) & (buckets - 1)] == n) continue;  // one digit for all
    std::array<std::size_t, buckets> start{};
    std::size_t position = 0;
    for (std::size_t b = 0; b < buckets; ++b) start[b] = std::exchange(position, position + counts[pass][b]);
    for (const Entry& entry : entries) next[start[(entry.key >> shift) & (buckets - 1)]++] = entry;
    entries.swap(next);
  }
  Order order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = entries[i].position;
  return order;
}

}  // namespace

MemoryNeed centred_ranks_memory() {
  return column_memory(sizeof(SortEntry)) * 2 + column_memory(sizeof(Order::value_type));
}

MemoryNeed rank_correlation_memory() { return column_memory(sizeof(double)) + centred_ranks_memory(); }

Column centred_ranks(std::span<const double> values) {
  const std::size_t n = values.size();
  const auto order = ascending_order(values);
  Column ranks(n);
  const double middle = (static_cast<double>(n) + 1.0) / 2.0;
  for (std::size_t first = 0; first < n;) {
    std::size_t last = first + 1;
    while (last < n && values[order[last]] == values[order[first]]) ++last;
    const double rank = (static_cast<double>(first + 1) + static_cast<double>(last)) / 2.0 - middle;
    for (std::size_t k = first; k < last; ++k) ranks[order[k]] = rank;
    first = last;
  }
  return ranks;
}

double centred_correlation(std::span<const double> x, std::span<const double> y) {
  constexpr std::size_t chunk = std::size_t{1} << 16;
  const std::size_t chunks = (x.size() + chunk - 1) / chunk;
  std::vector<std::array<double, 3>> sums(chunks);
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
    std::array<double, 3> local{};
    for (std::size_t i = c * chunk; i < std::min(x.size(), (c + 1) * chunk); ++i) {
      local[0] += x[i] * y[i];
      local[1] += x[i] * x[i];
      local[2] += y[i] * y[i];
    }
    sums[c] = local;
  });
  std::array<double, 3> total{};
  for (const auto& local : sums)
    for (std::size_t k = 0; k < 3; ++k) total[k] += local[k];
  const double scale = std::sqrt(total[1] * total[2]);
  return scale > 0.0 ? std::clamp(total[0] / scale, -1.0, 1.0) : 0.0;
}

double rank_correlation(std::span<const double> x, std::span<const double> y) {
  return centred_correlation(centred_ranks(x), centred_ranks(y));
}

}  // namespace guidance::detail
