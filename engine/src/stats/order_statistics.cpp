// Exact order statistics by narrowing. A histogram pass over [min, max] finds the bin that holds each
// needed rank; a second pass gathers only those bins' values and std::nth_element selects inside
// them. A bin too full to gather (ties, a discrete or nearly constant variable) gets a histogram of
// its own on the next pass, and so on until its values fit or its range is a single value.
//
// Cells form a tree: the root holds every finite value; a split cell routes each value through its
// bin map to the child cell of that bin (or nowhere). One pass over the column serves every cell that
// is waiting for a histogram or a gather, so the usual case costs two passes (one, after a streamed
// run's first pass counted the root's histogram: ProvisionalHistogram).
//
// The order is the doubles' total order, -0 before +0 (ordered_key): so x[rank] is one value, bit for
// bit, whichever way it is found (kept or streamed, from which root histogram, in which chunk order).
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <utility>

#include <tbb/enumerable_thread_specific.h>

#include "simd/cpu_features.hpp"
#include "simd/intrinsics.hpp"
#include "simd/prefetch.hpp"
#include "stats/bin_map.hpp"
#include "stats/order_statistics.hpp"

namespace guidance::stats_detail {

namespace {

/// Cells with at most this many values are gathered whatever the column's size.
constexpr std::uint64_t small_cell = std::uint64_t{1} << 16;
/// Larger cells are gathered while the values gathered in a pass stay within 1 / gather_share of the
/// column's, and within max_gather: a streamed column (stream.cpp) is not in memory, and its
/// selection's memory must not grow with the trials (a cell over the budget gets a histogram instead).
constexpr std::uint64_t gather_share = 8;
constexpr std::uint64_t max_gather = std::uint64_t{1} << 20;
/// The columns of one run narrowed in the same pass (a streamed run's every stochastic variable) share
/// 2^23 values (64 MiB) between them, so that its memory does not grow with its variables either.
constexpr std::uint64_t max_gather_in_pass = std::uint64_t{1} << 23;

/// The values a column's selection gathers in a pass, beyond cells of small_cell values.
std::uint64_t gather_cap(std::size_t columns) {
  return std::min(max_gather, max_gather_in_pass / std::max<std::uint64_t>(columns, 1));
}

/// The root's bins in groups of four, one bit per group, set where a bin of the group is wanted: 1,024
/// bits, which two AVX-512 registers hold.
constexpr std::size_t bins_per_group = bin_count / 1024;
using WantedGroups = std::array<std::uint64_t, 16>;

/// The values of a run of finite values (in [lo, hi] unless the map is provisional) whose bin under the
/// value map `map` is in a wanted group, in order, to `candidates` (which needs 7 slots more than the
/// count); returns how many. Eight at a time without a branch: the bins as unclamped_value_bin or
/// provisional_bin computes them (the same operations, no FMA), each group's bit looked up in
/// registers. A superset of the wanted values, which the caller sorts out. Only where cpu_has_avx512().
#if defined(__x86_64__)
GUIDANCE_TARGET_AVX512 std::size_t avx512_candidates(std::span<const double> part, const BinMap& map,
                                                     const WantedGroups& groups, double* candidates) {
  static_assert(bins_per_group == 4);
  const __m512d scale = _mm512_set1_pd(map.scale()), offset = _mm512_set1_pd(map.offset());
  const __m512d inverse_width = _mm512_set1_pd(map.inverse_width());
  const __m512i words_low = _mm512_loadu_si512(groups.data()), words_high = _mm512_loadu_si512(groups.data() + 8);
  // A provisional map's positions are moved up one bin; both are clamped to the bins (the root's hi
  // has a slot of its own, bin_count, which is the last bin's).
  const __m512d moved = _mm512_set1_pd(map.is_provisional() ? 1.0 : 0.0);
  const __m512d first_bin = _mm512_setzero_pd(), last_bin = _mm512_set1_pd(static_cast<double>(bin_count - 1));
  const __m512i bit_in_word = _mm512_set1_epi64(63), one = _mm512_set1_epi64(1);
  std::size_t count = 0;
  std::size_t i = 0;
  for (; i + 8 <= part.size(); i += 8) {
    detail::prefetch_ahead(part.data() + i);
    const __m512d x = _mm512_loadu_pd(part.data() + i);
    const __m512d position = _mm512_add_pd(_mm512_mul_pd(_mm512_sub_pd(_mm512_mul_pd(x, scale), offset), inverse_width), moved);
    const __m512d clamped = _mm512_min_pd(_mm512_max_pd(position, first_bin), last_bin);
    const __m512i group = _mm512_srli_epi64(_mm512_cvttpd_epi64(clamped), 2);
    const __m512i word = _mm512_permutex2var_epi64(words_low, _mm512_srli_epi64(group, 6), words_high);
    const __mmask8 wanted =
        _mm512_test_epi64_mask(_mm512_srlv_epi64(word, _mm512_and_si512(group, bit_in_word)), one);
    _mm512_storeu_pd(candidates + count, _mm512_maskz_compress_pd(wanted, x));
    count += static_cast<std::size_t>(std::popcount(static_cast<unsigned>(wanted)));
  }
  for (; i < part.size(); ++i) candidates[count++] = part[i];
  return count;
}
#else
std::size_t avx512_candidates(std::span<const double>, const BinMap&, const WantedGroups&, double*) { return 0; }
#endif

enum class Work { histogram, gather, split, done };

/// Every finite value in [lo, hi]; the ranks below + 0 .. below + count - 1.
struct Cell {
  double lo = 0.0;
  double hi = 0.0;
  std::uint64_t below = 0;
  std::uint64_t count = 0;
  std::vector<std::size_t> requests;  // indices into the ranks asked for
  Work work = Work::done;
  BinMap map;                              // histogram, split
  std::vector<std::int32_t> child_of_bin;  // split: child cell index, -1 where no rank is asked
  std::size_t slot = 0;                    // histogram, gather: index of its scratch in a pass
  int depth = 0;                           // 0 for the root
};

/// One cell's histogram: per bin the count and, except for the root (whose pass is the hot one), the
/// smallest and largest value. Those are a child's exact bounds, so a bin of ties (a discrete driver,
/// a floor at zero) becomes a single-value child at once, without another pass. The root's pass counts
/// hi in a slot of its own, bin_count, folded into the last bin when the pass ends.
struct CellHistogram {
  std::vector<std::uint64_t> counts;  // bin_count + 1
  std::vector<double> lows, highs;  // empty for the root

  explicit CellHistogram(bool extremes)
      : counts(bin_count + 1), lows(extremes ? bin_count : 0, std::numeric_limits<double>::infinity()),
        highs(extremes ? bin_count : 0, -std::numeric_limits<double>::infinity()) {}

  void add(std::size_t bin, double x) {
    ++counts[bin];
    if (lows.empty()) return;
    lows[bin] = ordered_min(lows[bin], x);
    highs[bin] = ordered_max(highs[bin], x);
  }
  void merge(const CellHistogram& other) {
    for (std::size_t b = 0; b <= bin_count; ++b) counts[b] += other.counts[b];
    for (std::size_t b = 0; b < lows.size(); ++b) {
      lows[b] = ordered_min(lows[b], other.lows[b]);
      highs[b] = ordered_max(highs[b], other.highs[b]);
    }
  }
};

/// Per thread: the histograms of one pass, by slot.
using HistogramScratch = std::vector<CellHistogram>;

}  // namespace

class Selector {
 public:
  /// With `first`, the root's histogram is that one, and the first pass goes to its bins.
  Selector(std::uint64_t values, const Extent& extent, std::span<const std::uint64_t> ranks, std::size_t columns,
           const ProvisionalHistogram* first)
      : chunks_(chunk_count(values)), all_finite_(extent.count == values), ranks_(ranks.begin(), ranks.end()),
        results_(ranks.size()),
        gather_budget_(std::max(small_cell, std::min(gather_cap(columns), extent.count / gather_share))) {
    for (const std::uint64_t rank : ranks)
      if (rank >= extent.count) throw std::out_of_range("order statistic rank beyond the finite values");
    Cell root;
    root.lo = extent.min;
    root.hi = extent.max;
    root.count = extent.count;
    root.requests.resize(ranks.size());
    std::iota(root.requests.begin(), root.requests.end(), std::size_t{0});
    cells_.push_back(std::move(root));
    if (first == nullptr || !(extent.min < extent.max)) {
      plan({0});
      return;
    }
    if (std::accumulate(first->counts_.begin(), first->counts_.end(), std::uint64_t{0}) != extent.count)
      throw std::logic_error("order statistics: the provisional histogram counted other values");
    cells_[0].map = BinMap::provisional(first->low_, first->high_);
    std::vector<std::size_t> children;
    split(0, first->counts_, {}, {}, children);
    plan(children);
  }

  bool done() const { return histogram_cells_.empty() && gather_cells_.empty(); }

  std::uint64_t pass_bytes() const {
    std::uint64_t bytes = 0;
    for (const std::size_t c : histogram_cells_)
      bytes += (bin_count + 1 + (c != 0 ? 2 * bin_count : 0)) * sizeof(std::uint64_t);
    for (const std::size_t c : gather_cells_) bytes += cells_[c].count * sizeof(double);
    return bytes;
  }
  std::vector<double> results() && { return std::move(results_); }

  /// A pass over the column for every cell waiting for a histogram or a gather: begin_pass, then
  /// visit for each chunk (in parallel, any order), then end_pass.
  void begin_pass() {
    scratch_.emplace([this] {
      HistogramScratch histograms;
      for (const std::size_t c : histogram_cells_) histograms.emplace_back(c != 0);
      return histograms;
    });
    gathered_.assign(chunks_, {});
  }

  void visit(std::size_t chunk, std::span<const double> part) {
    gathered_[chunk].resize(gather_cells_.size());
    route(part, scratch_->local(), gathered_[chunk]);
  }

  void end_pass(const Cluster* cluster) {
    std::vector<CellHistogram> totals;
    for (const std::size_t c : histogram_cells_) {
      CellHistogram& total = totals.emplace_back(c != 0);
      for (const HistogramScratch& thread : *scratch_) total.merge(thread[cells_[c].slot]);
    }
    if (shared(cluster)) merge_processes(*cluster, totals);
    std::vector<std::size_t> children;
    for (std::size_t i = 0; i < histogram_cells_.size(); ++i) {
      CellHistogram& total = totals[i];
      total.counts[bin_count - 1] += std::exchange(total.counts[bin_count], 0);
      split(histogram_cells_[i], std::span(total.counts).first(bin_count), total.lows, total.highs, children);
    }
    histogram_cells_.clear();
    for (const std::size_t c : std::exchange(gather_cells_, {})) {
      std::vector<double> values;
      values.reserve(cells_[c].count);
      for (const auto& chunk : gathered_)
        if (!chunk.empty()) values.insert(values.end(), chunk[cells_[c].slot].begin(), chunk[cells_[c].slot].end());
      // Every process's values of the cell, in any order: the order selected in is total.
      if (shared(cluster)) values = gather_values<double>(*cluster, values);
      select(c, values);
    }
    scratch_.reset();
    gathered_ = {};
    plan(children);
  }

 private:
  /// Every process's histograms of this pass, added: the counts summed, each bin's extremes the
  /// extremes over the processes.
  static void merge_processes(const Cluster& cluster, std::vector<CellHistogram>& totals) {
    std::vector<std::uint64_t> counts;
    std::vector<double> extremes;
    for (const CellHistogram& total : totals) {
      counts.insert(counts.end(), total.counts.begin(), total.counts.end());
      extremes.insert(extremes.end(), total.lows.begin(), total.lows.end());
      extremes.insert(extremes.end(), total.highs.begin(), total.highs.end());
    }
    cluster.sum(counts);
    const std::vector<double> all = gather_values<double>(cluster, extremes);
    auto count = counts.begin();
    std::size_t at = 0;
    for (CellHistogram& total : totals) {
      std::copy_n(count, total.counts.size(), total.counts.begin());
      count += static_cast<std::ptrdiff_t>(total.counts.size());
      const std::size_t bins = total.lows.size();
      for (std::size_t process = 0; process < cluster.size(); ++process) {
        const double* theirs = all.data() + process * extremes.size() + at;
        for (std::size_t b = 0; b < bins; ++b) {
          total.lows[b] = ordered_min(total.lows[b], theirs[b]);
          total.highs[b] = ordered_max(total.highs[b], theirs[bins + b]);
        }
      }
      at += 2 * bins;
    }
  }

  /// The cell waiting for this pass that x falls in, or null.
  const Cell* destination(double x) const {
    const Cell* cell = &cells_.front();
    while (cell->work == Work::split) {
      const std::int32_t child = cell->child_of_bin[cell->map(x)];
      if (child < 0) return nullptr;
      cell = &cells_[static_cast<std::size_t>(child)];
    }
    return cell->work == Work::done ? nullptr : cell;
  }

  /// Send each finite value of a chunk to the waiting cell it falls in, if any.
  void route(std::span<const double> part, HistogramScratch& mine, std::vector<std::vector<double>>& gathered) const {
    const Cell& root = cells_.front();
    if (root.work == Work::histogram && !root.map.is_by_order()) {  // the first pass: every finite value is the root's
      std::uint64_t* counts = mine.front().counts.data();
      if (all_finite_) {
        detail::for_each_prefetched(part, [&](double x) { ++counts[root.map.unclamped_value_bin(x)]; });
      } else {
        detail::for_each_prefetched(part, [&](double x) {
          if (std::isfinite(x)) ++counts[root.map.unclamped_value_bin(x)];
        });
      }
      return;
    }
    const auto arrive = [&](const Cell& cell, double x) {
      if (cell.work == Work::gather) {
        gathered[cell.slot].push_back(x);
      } else if (cell.work == Work::histogram) {
        mine[cell.slot].add(cell.map(x), x);
      }
    };
    const auto child_of_root = [&](std::size_t c) { return cells_[c].depth == 1; };
    if (std::ranges::all_of(histogram_cells_, child_of_root) && std::ranges::all_of(gather_cells_, child_of_root)) {
      // The usual pass after the root's histogram: one lookup in the root's bins. Local copies, so that
      // the loop does not reload them after every push_back.
      const BinMap map = root.map;
      const std::int32_t* child_of_bin = root.child_of_bin.data();
      const auto visit = [&](double x) {
        const std::size_t bin = map.is_provisional() ? map.provisional_bin(x) : map.unclamped_value_bin(x);
        const std::int32_t child = child_of_bin[bin];
        if (child >= 0) arrive(cells_[static_cast<std::size_t>(child)], x);
      };
      if (all_finite_ && detail::cpu_has_avx512()) {
        // A run's values in wanted groups of bins first, without a branch per value; then the lookup.
        constexpr std::size_t run = 1024;
        double candidates[run + 7];
        for (std::size_t first = 0; first < part.size(); first += run) {
          const std::size_t count =
              avx512_candidates(part.subspan(first, std::min(run, part.size() - first)), map, wanted_groups_, candidates);
          for (std::size_t k = 0; k < count; ++k) visit(candidates[k]);
        }
      } else if (all_finite_) {
        detail::for_each_prefetched(part, visit);
      } else {
        detail::for_each_prefetched(part, [&](double x) {
          if (std::isfinite(x)) visit(x);
        });
      }
      return;
    }
    detail::for_each_prefetched(part, [&](double x) {
      if (std::isfinite(x))
        if (const Cell* cell = destination(x)) arrive(*cell, x);
    });
  }

  /// Decide how each new cell is worked on: a single value answers at once; small cells are gathered
  /// (smallest first, within a budget of copied values); the rest get a histogram of their own.
  void plan(std::vector<std::size_t> new_cells) {
    std::ranges::sort(new_cells, {}, [&](std::size_t c) { return cells_[c].count; });
    std::uint64_t gathered = 0;
    for (const std::size_t c : new_cells) {
      Cell& cell = cells_[c];
      if (ordered_key(cell.lo) == ordered_key(cell.hi)) {
        resolve(c, cell.lo);
      } else if (cell.count <= small_cell || gathered + cell.count <= gather_budget_) {
        gathered += cell.count;
        cell.work = Work::gather;
        cell.slot = gather_cells_.size();
        gather_cells_.push_back(c);
      } else {
        cell.work = Work::histogram;
        // By value at the root, unless its values are zeros of both signs, which no width separates.
        cell.map = c == 0 && cell.lo < cell.hi ? BinMap::by_value(cell.lo, cell.hi) : BinMap::by_order(cell.lo, cell.hi);
        cell.slot = histogram_cells_.size();
        histogram_cells_.push_back(c);
      }
    }
  }

  void resolve(std::size_t c, double value) {
    cells_[c].work = Work::done;
    for (const std::size_t r : cells_[c].requests) results_[r] = value;
  }

  /// Route each requested rank to the child cell of the bin it falls in: `counts` per bin of the
  /// cell's map, with each bin's extremes (`lows`, `highs`) where they were kept.
  void split(std::size_t c, std::span<const std::uint64_t> counts, std::span<const double> lows,
             std::span<const double> highs, std::vector<std::size_t>& children) {
    std::vector<std::size_t> requests = std::move(cells_[c].requests);
    std::ranges::sort(requests, {}, [&](std::size_t r) { return ranks_[r]; });
    cells_[c].work = Work::split;
    cells_[c].child_of_bin.assign(counts.size() + 1, -1);  // the root's slot for hi: see CellHistogram
    std::size_t bin = 0;
    std::uint64_t before_bin = cells_[c].below;  // finite values below this bin
    for (const std::size_t r : requests) {
      while (ranks_[r] >= before_bin + counts[bin]) {
        before_bin += counts[bin++];
        if (bin == counts.size()) throw std::logic_error("order statistics: histogram lost values");
      }
      if (cells_[c].child_of_bin[bin] < 0) {
        const Cell& parent = cells_[c];
        Cell child;
        const bool extremes = !lows.empty();
        child.lo = extremes ? lows[bin] : first_in_bin(parent.map, parent.lo, parent.hi, bin);
        child.hi = extremes ? highs[bin] : last_in_bin(parent.map, parent.lo, parent.hi, bin);
        child.below = before_bin;
        child.count = counts[bin];
        child.depth = parent.depth + 1;
        cells_[c].child_of_bin[bin] = static_cast<std::int32_t>(cells_.size());
        children.push_back(cells_.size());
        cells_.push_back(std::move(child));
      }
      cells_[static_cast<std::size_t>(cells_[c].child_of_bin[bin])].requests.push_back(r);
    }
    cells_[c].child_of_bin[counts.size()] = cells_[c].child_of_bin[counts.size() - 1];
    if (c == 0) {
      wanted_groups_.fill(0);
      for (std::size_t b = 0; b < bin_count; ++b)
        if (cells_[0].child_of_bin[b] >= 0) wanted_groups_[b / bins_per_group / 64] |= std::uint64_t{1} << (b / bins_per_group % 64);
    }
  }

  void select(std::size_t c, std::vector<double>& values) {
    Cell& cell = cells_[c];
    if (values.size() != cell.count) throw std::logic_error("order statistics: gathered count differs from histogram");
    std::ranges::sort(cell.requests, {}, [&](std::size_t r) { return ranks_[r]; });
    auto unsorted = values.begin();  // nothing before it exceeds anything after it
    for (const std::size_t r : cell.requests) {
      const auto nth = values.begin() + static_cast<std::ptrdiff_t>(ranks_[r] - cell.below);
      if (nth >= unsorted) {
        std::nth_element(unsorted, nth, values.end(), [](double a, double b) { return ordered_key(a) < ordered_key(b); });
        unsorted = nth + 1;
      }
      results_[r] = *nth;
    }
    cell.work = Work::done;
  }

  std::size_t chunks_;
  bool all_finite_;  // the hot loops skip the test
  std::vector<std::uint64_t> ranks_;
  std::vector<double> results_;
  std::uint64_t gather_budget_;
  std::vector<Cell> cells_;
  std::vector<std::size_t> histogram_cells_;
  std::vector<std::size_t> gather_cells_;
  WantedGroups wanted_groups_{};  // of the root, once it is split
  // The pass under way: per thread, its histograms; per chunk and cell, the values gathered.
  std::optional<tbb::enumerable_thread_specific<HistogramScratch>> scratch_;
  std::vector<std::vector<std::vector<double>>> gathered_;
};

ProvisionalHistogram::ProvisionalHistogram(double low, double high)
    : low_(low), high_(high), counts_(bin_count) {
  if (!(low < high && std::isfinite(low) && std::isfinite(high)))
    throw std::invalid_argument("ProvisionalHistogram: needs finite low < high");
}

std::optional<ProvisionalHistogram> ProvisionalHistogram::from_sample(std::span<const double> sample) {
  const Extent extent = scan(sample).extent;
  if (extent.count < 2 || !(extent.min < extent.max)) return std::nullopt;
  return ProvisionalHistogram(extent.min, extent.max);
}

void ProvisionalHistogram::add(std::span<const double> part, bool all_finite) {
  const BinMap map = BinMap::provisional(low_, high_);
  std::uint64_t* counts = counts_.data();
  if (all_finite) {
    detail::for_each_prefetched(part, [&](double x) { ++counts[map.provisional_bin(x)]; });
  } else {
    detail::for_each_prefetched(part, [&](double x) {
      if (std::isfinite(x)) ++counts[map.provisional_bin(x)];
    });
  }
}

void ProvisionalHistogram::merge(const ProvisionalHistogram& other) {
  for (std::size_t b = 0; b < counts_.size(); ++b) counts_[b] += other.counts_[b];
}

std::uint64_t ProvisionalHistogram::bytes() { return bin_count * sizeof(std::uint64_t); }

OrderStatisticSelection::OrderStatisticSelection(std::uint64_t values, const Extent& extent,
                                                 std::span<const std::uint64_t> ranks, std::size_t columns)
    : selector_(ranks.empty() ? nullptr : std::make_unique<Selector>(values, extent, ranks, columns, nullptr)) {}
OrderStatisticSelection::OrderStatisticSelection(std::uint64_t values, const Extent& extent,
                                                 std::span<const std::uint64_t> ranks, std::size_t columns,
                                                 const ProvisionalHistogram& first)
    : selector_(ranks.empty() ? nullptr : std::make_unique<Selector>(values, extent, ranks, columns, &first)) {}
OrderStatisticSelection::OrderStatisticSelection(OrderStatisticSelection&&) noexcept = default;
OrderStatisticSelection& OrderStatisticSelection::operator=(OrderStatisticSelection&&) noexcept = default;
OrderStatisticSelection::~OrderStatisticSelection() = default;
bool OrderStatisticSelection::done() const { return selector_ == nullptr || selector_->done(); }
std::uint64_t OrderStatisticSelection::pass_bytes() const { return selector_ == nullptr ? 0 : selector_->pass_bytes(); }
void OrderStatisticSelection::begin_pass() { selector_->begin_pass(); }
void OrderStatisticSelection::visit(std::size_t chunk, std::span<const double> part) { selector_->visit(chunk, part); }
void OrderStatisticSelection::end_pass(const Cluster* cluster) { selector_->end_pass(cluster); }
std::vector<double> OrderStatisticSelection::results() && {
  return selector_ == nullptr ? std::vector<double>{} : std::move(*selector_).results();
}

MemoryNeed order_statistics_memory(std::size_t ranks) {
  constexpr double value = sizeof(double);
  return {2 * value / gather_share, static_cast<double>(ranks + 1) * static_cast<double>(small_cell) * value};
}

MemoryNeed streamed_order_statistics_memory(std::size_t ranks, std::size_t columns) {
  constexpr double value = sizeof(double);
  return {0.0, (2.0 * static_cast<double>(gather_cap(columns)) + static_cast<double>(ranks + 1) * small_cell) * value};
}

std::vector<double> order_statistics(std::span<const double> values, const Extent& extent,
                                     std::span<const std::uint64_t> ranks, std::size_t columns) {
  OrderStatisticSelection selection(values.size(), extent, ranks, columns);
  while (!selection.done()) {
    selection.begin_pass();
    for_each_chunk(values, [&](std::size_t chunk, std::span<const double> part) { selection.visit(chunk, part); });
    selection.end_pass(nullptr);
  }
  return std::move(selection).results();
}

}  // namespace guidance::stats_detail
