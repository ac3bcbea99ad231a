// The narrowest window by narrowing (docs/methods.md, "Proposed ranges"). The finite values' ranks
// 0 .. n - 1 are cut into pieces, consecutive runs of ranks whose values lie in [lo, hi] (their actual
// smallest and largest value); a piece is exact when its values are known, gathered or all one double.
// The width of the window starting at rank i lies between lo(end) - hi(start) and hi(end) - lo(start)
// of the pieces holding ranks i + k - 1 and i (rounded subtraction is monotone, so the bounds hold
// for the doubles). The least upper bound U bounds the narrowest width, so a window whose lower bound
// exceeds U is never narrowest: the windows left are alive, and a pass refines the inexact pieces
// holding their starts and ends. Runs of windows whose two pieces are the same are handled at once,
// so a step costs the pieces, not the values. Pieces that hold no live window's start or end are
// merged, so the pieces and gathered values stay within the budget.
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include <tbb/enumerable_thread_specific.h>

#include "stats/bin_map.hpp"
#include "stats/narrowest_window.hpp"

namespace guidance::stats_detail {

namespace {

/// The bins a histogrammed piece gets: at most bin_count (L1-sized), at least enough to narrow a range
/// by 16 doubles a pass.
constexpr std::size_t least_bins = std::size_t{1} << 4;

bool before(double a, double b) { return ordered_key(a) < ordered_key(b); }

/// Ranks [first, first + count) of the finite values in order, all in [lo, hi].
struct Piece {
  std::uint64_t first = 0;
  std::uint64_t count = 0;
  double lo = 0.0;
  double hi = 0.0;
  bool gathered = false;
  std::vector<double> values;  // once gathered, in ascending order

  std::uint64_t end() const { return first + count; }
  bool exact() const { return gathered || ordered_key(lo) == ordered_key(hi); }
  double low(std::uint64_t rank) const { return gathered ? values[rank - first] : lo; }
  double high(std::uint64_t rank) const { return gathered ? values[rank - first] : hi; }
};

/// Windows [i, i + length) whose starts lie in piece `start` and ends in piece `end`, and the bounds
/// of their widths (for a gathered piece, one window at a time).
struct WindowRun {
  std::uint64_t i = 0;
  std::uint64_t length = 0;
  std::size_t start = 0;
  std::size_t end = 0;
  double lower = 0.0;
  double upper = 0.0;
  bool exact = false;
};

/// One piece's part of a pass: gathered, or histogrammed into `bins` bins from `offset` in the pass's
/// flat histogram.
struct Refinement {
  std::size_t piece = 0;
  bool gather = false;
  BinMap map;
  std::size_t bins = 0;
  std::size_t offset = 0;  // histogram: first bin; gather: slot
};

/// Per thread: the pass's histogram bins (count, smallest, largest) and gathered values by slot.
struct PassScratch {
  std::vector<std::uint64_t> counts;
  std::vector<double> lows, highs;
  std::vector<std::vector<double>> gathered;

  PassScratch(std::size_t bins, std::size_t slots)
      : counts(bins), lows(bins, std::numeric_limits<double>::infinity()),
        highs(bins, -std::numeric_limits<double>::infinity()), gathered(slots) {}
};

}  // namespace

class WindowNarrowing {
 public:
  WindowNarrowing(const Extent& extent, std::uint64_t k, WindowBudget budget) : k_(k), budget_(budget) {
    if (k == 0 || k > extent.count) throw std::out_of_range("narrowest window: k outside 1 .. the finite values");
    Piece root;
    root.count = extent.count;
    // A superset of the values' range with both zeros where the extent has a zero (its min and max
    // need not tell -0 from +0).
    root.lo = extent.min == 0.0 ? -0.0 : extent.min;
    root.hi = extent.max == 0.0 ? 0.0 : extent.max;
    pieces_.push_back(std::move(root));
    // Every window of one value has width 0: the first is the narrowest.
    alive_.emplace_back(0, k == 1 ? 1 : extent.count - k + 1);
    narrow();
  }

  bool done() const { return done_; }
  int passes() const { return passes_; }
  std::pair<double, double> result() const { return result_; }

  void begin_pass() {
    const std::size_t bins = bin_total(), slots = gather_slots();
    scratch_.emplace([bins, slots] { return PassScratch(bins, slots); });
  }

  void visit(std::span<const double> part) {
    PassScratch& mine = scratch_->local();
    for (const double x : part) {
      if (!std::isfinite(x)) continue;
      const std::uint64_t key = ordered_key(x);
      const auto after = std::upper_bound(lo_keys_.begin(), lo_keys_.end(), key);
      if (after == lo_keys_.begin()) continue;
      const auto j = static_cast<std::size_t>(after - lo_keys_.begin() - 1);
      if (key > hi_keys_[j]) continue;
      const Refinement& r = refinements_[j];
      if (r.gather) {
        mine.gathered[r.offset].push_back(x);
      } else {
        const std::size_t bin = r.offset + r.map(x);
        ++mine.counts[bin];
        mine.lows[bin] = ordered_min(mine.lows[bin], x);
        mine.highs[bin] = ordered_max(mine.highs[bin], x);
      }
    }
  }

  void end_pass(const Cluster* cluster) {
    PassScratch total(bin_total(), gather_slots());
    for (PassScratch& thread : *scratch_) {
      for (std::size_t b = 0; b < total.counts.size(); ++b) {
        total.counts[b] += thread.counts[b];
        total.lows[b] = ordered_min(total.lows[b], thread.lows[b]);
        total.highs[b] = ordered_max(total.highs[b], thread.highs[b]);
      }
      for (std::size_t s = 0; s < total.gathered.size(); ++s)
        total.gathered[s].insert(total.gathered[s].end(), thread.gathered[s].begin(), thread.gathered[s].end());
      thread = PassScratch(0, 0);
    }
    scratch_.reset();
    if (shared(cluster)) combine_processes(*cluster, total);
    ++passes_;
    refine(total);
    narrow();
  }

 private:
  std::size_t bin_total() const {
    std::size_t bins = 0;
    for (const Refinement& r : refinements_) bins += r.gather ? 0 : r.bins;
    return bins;
  }
  std::size_t gather_slots() const {
    return static_cast<std::size_t>(std::ranges::count_if(refinements_, [](const Refinement& r) { return r.gather; }));
  }

  /// Every process's bins and gathered values, on every process: counts summed, extremes folded, values
  /// concatenated (their order does not matter: a gathered piece is sorted).
  static void combine_processes(const Cluster& cluster, PassScratch& total) {
    cluster.sum(total.counts);
    std::vector<double> extremes(total.lows);
    extremes.insert(extremes.end(), total.highs.begin(), total.highs.end());
    const std::vector<double> all = gather_values<double>(cluster, extremes);
    const std::size_t bins = total.lows.size();
    for (std::size_t process = 0; process < cluster.size(); ++process) {
      const double* theirs = all.data() + process * extremes.size();
      for (std::size_t b = 0; b < bins; ++b) {
        total.lows[b] = ordered_min(total.lows[b], theirs[b]);
        total.highs[b] = ordered_max(total.highs[b], theirs[bins + b]);
      }
    }
    std::vector<std::uint64_t> sizes;
    std::vector<double> values;
    for (const std::vector<double>& slot : total.gathered) {
      sizes.push_back(slot.size());
      values.insert(values.end(), slot.begin(), slot.end());
    }
    const std::vector<std::uint64_t> all_sizes = gather_values<std::uint64_t>(cluster, sizes);
    const std::vector<double> all_values = gather_values<double>(cluster, values);
    for (std::vector<double>& slot : total.gathered) slot.clear();
    std::size_t at = 0;
    for (std::size_t i = 0; i < all_sizes.size(); ++i) {
      std::vector<double>& slot = total.gathered[i % total.gathered.size()];
      const auto from = all_values.begin() + static_cast<std::ptrdiff_t>(at);
      slot.insert(slot.end(), from, from + static_cast<std::ptrdiff_t>(all_sizes[i]));
      at += static_cast<std::size_t>(all_sizes[i]);
    }
  }

  /// Replace each refined piece by what the pass found: its values, or a child per non-empty bin.
  void refine(PassScratch& total) {
    std::vector<Piece> pieces;
    std::size_t next = 0;  // the next refinement, in piece order
    for (std::size_t p = 0; p < pieces_.size(); ++p) {
      if (next == refinements_.size() || refinements_[next].piece != p) {
        pieces.push_back(std::move(pieces_[p]));
        continue;
      }
      const Refinement& r = refinements_[next++];
      Piece& piece = pieces_[p];
      if (r.gather) {
        piece.values = std::move(total.gathered[r.offset]);
        if (piece.values.size() != piece.count) throw std::logic_error("narrowest window: gathered count differs");
        std::ranges::sort(piece.values, before);
        piece.gathered = true;
        piece.lo = piece.values.front();
        piece.hi = piece.values.back();
        pieces.push_back(std::move(piece));
        continue;
      }
      std::uint64_t first = piece.first;
      for (std::size_t b = r.offset; b < r.offset + r.bins; ++b) {
        if (total.counts[b] == 0) continue;
        Piece child;
        child.first = first;
        child.count = total.counts[b];
        child.lo = total.lows[b];
        child.hi = total.highs[b];
        first += child.count;
        pieces.push_back(std::move(child));
      }
      if (first != piece.end()) throw std::logic_error("narrowest window: histogram lost values");
    }
    pieces_ = std::move(pieces);
    refinements_.clear();
  }

  /// The piece holding `rank`.
  std::size_t piece_of(std::uint64_t rank) const {
    const auto after = std::ranges::upper_bound(pieces_, rank, {}, &Piece::first);
    return static_cast<std::size_t>(after - pieces_.begin() - 1);
  }

  /// f(run) for every run of alive windows, in order of i.
  template <class F>
  void for_each_run(F&& f) const {
    for (const auto& [from, to] : alive_) {
      std::size_t a = piece_of(from), b = piece_of(from + k_ - 1);
      for (std::uint64_t i = from; i < to;) {
        const std::uint64_t last = i + k_ - 1;
        while (i >= pieces_[a].end()) ++a;
        while (last >= pieces_[b].end()) ++b;
        const Piece& start = pieces_[a];
        const Piece& end = pieces_[b];
        WindowRun run{i, std::min({to - i, start.end() - i, end.end() - last}), a, b,
                      end.low(last) - start.high(i), end.high(last) - start.low(i), start.exact() && end.exact()};
        if (start.gathered || end.gathered) run.length = 1;
        f(run);
        i += run.length;
      }
    }
  }

  /// Drop the windows that cannot be narrowest; when the rest are exact, the answer; else plan the
  /// next pass over the inexact pieces that hold them, and merge the pieces that hold none.
  void narrow() {
    for_each_run([&](const WindowRun& run) { least_upper_ = std::min(least_upper_, run.upper); });
    std::vector<std::pair<std::uint64_t, std::uint64_t>> alive;
    std::vector<char> holds(pieces_.size(), 0);  // 1: holds an alive window's start or end; 2: and inexact
    double best_width = std::numeric_limits<double>::infinity();
    std::optional<std::pair<double, double>> best;
    bool inexact = false;
    for_each_run([&](const WindowRun& run) {
      if (run.lower > least_upper_) return;
      if (!alive.empty() && alive.back().second == run.i)
        alive.back().second += run.length;
      else
        alive.emplace_back(run.i, run.i + run.length);
      for (const std::size_t p : {run.start, run.end}) holds[p] = pieces_[p].exact() ? std::max<char>(holds[p], 1) : 2;
      if (!run.exact) {
        inexact = true;
      } else if (!best || run.upper < best_width) {
        best_width = run.upper;
        best.emplace(pieces_[run.start].low(run.i), pieces_[run.end].low(run.i + k_ - 1));
      }
    });
    alive_ = std::move(alive);
    if (!inexact) {
      done_ = true;
      result_ = *best;
      pieces_.clear();
      return;
    }
    merge_unheld(holds);
    plan(holds);
  }

  /// Merge each stretch of pieces that hold no alive window's start or end into one inexact piece.
  void merge_unheld(std::vector<char>& holds) {
    std::vector<Piece> pieces;
    std::vector<char> kept;
    for (std::size_t p = 0; p < pieces_.size(); ++p) {
      if (holds[p] == 0 && !kept.empty() && kept.back() == 0) {
        Piece& merged = pieces.back();
        merged.count += pieces_[p].count;
        merged.hi = pieces_[p].hi;
        continue;
      }
      pieces.push_back(std::move(pieces_[p]));
      if (holds[p] == 0) {  // its values are no longer needed
        pieces.back().gathered = false;
        pieces.back().values = {};
      }
      kept.push_back(holds[p]);
    }
    pieces_ = std::move(pieces);
    holds = std::move(kept);
  }

  /// The next pass: the inexact held pieces, the smallest gathered while the values held stay within
  /// the budget, the rest histogrammed with the bins shared out (the pieces beyond the bins wait).
  void plan(const std::vector<char>& holds) {
    std::vector<std::size_t> wanted;
    std::uint64_t held = 0;
    for (std::size_t p = 0; p < pieces_.size(); ++p) {
      if (holds[p] == 2) wanted.push_back(p);
      if (pieces_[p].gathered) held += pieces_[p].count;
    }
    std::ranges::sort(wanted, {}, [&](std::size_t p) { return pieces_[p].count; });
    std::vector<std::size_t> histogrammed;
    std::size_t slots = 0;
    for (const std::size_t p : wanted) {
      if (held + pieces_[p].count <= budget_.gathered) {
        held += pieces_[p].count;
        refinements_.push_back({p, true, {}, 0, slots++});
      } else {
        histogrammed.push_back(p);
      }
    }
    const std::size_t most = static_cast<std::size_t>(budget_.bins / least_bins);
    if (histogrammed.size() > most) histogrammed.resize(most);
    if (!histogrammed.empty()) {
      const std::size_t bins = std::clamp<std::size_t>(
          std::bit_floor(static_cast<std::size_t>(budget_.bins / histogrammed.size())), least_bins, bin_count);
      std::size_t offset = 0;
      for (const std::size_t p : histogrammed) {
        const Piece& piece = pieces_[p];
        // In value at the root, where the values spread over the range; in the doubles' order deeper.
        const BinMap map = pieces_.size() == 1 && piece.lo < piece.hi ? BinMap::by_value(piece.lo, piece.hi, bins)
                                                                      : BinMap::by_order(piece.lo, piece.hi, bins);
        refinements_.push_back({p, false, map, bins, offset});
        offset += bins;
      }
    }
    std::ranges::sort(refinements_, {}, &Refinement::piece);
    lo_keys_.clear();
    hi_keys_.clear();
    for (const Refinement& r : refinements_) {
      lo_keys_.push_back(ordered_key(pieces_[r.piece].lo));
      hi_keys_.push_back(ordered_key(pieces_[r.piece].hi));
    }
  }

  std::uint64_t k_;
  WindowBudget budget_;
  std::vector<Piece> pieces_;                                   // in rank order
  std::vector<std::pair<std::uint64_t, std::uint64_t>> alive_;  // window starts [from, to), in order
  double least_upper_ = std::numeric_limits<double>::infinity();
  bool done_ = false;
  std::pair<double, double> result_;
  int passes_ = 0;
  // The next pass: its refinements in piece order, and their pieces' key ranges for routing.
  std::vector<Refinement> refinements_;
  std::vector<std::uint64_t> lo_keys_, hi_keys_;
  std::optional<tbb::enumerable_thread_specific<PassScratch>> scratch_;
};

NarrowestWindowSelection::NarrowestWindowSelection(const Extent& extent, std::uint64_t k, WindowBudget budget)
    : narrowing_(std::make_unique<WindowNarrowing>(extent, k, budget)) {}
NarrowestWindowSelection::NarrowestWindowSelection(NarrowestWindowSelection&&) noexcept = default;
NarrowestWindowSelection& NarrowestWindowSelection::operator=(NarrowestWindowSelection&&) noexcept = default;
NarrowestWindowSelection::~NarrowestWindowSelection() = default;
bool NarrowestWindowSelection::done() const { return narrowing_->done(); }
void NarrowestWindowSelection::begin_pass() { narrowing_->begin_pass(); }
void NarrowestWindowSelection::visit(std::span<const double> part) { narrowing_->visit(part); }
void NarrowestWindowSelection::end_pass(const Cluster* cluster) { narrowing_->end_pass(cluster); }
std::pair<double, double> NarrowestWindowSelection::result() const { return narrowing_->result(); }
int NarrowestWindowSelection::passes() const { return narrowing_->passes(); }

MemoryNeed narrowest_window_memory(std::uint64_t threads) {
  const WindowBudget budget;
  // The values gathered: held, and while a pass ends each new one in a thread's list, in the pass's
  // total and in the processes' exchange. The pieces and alive windows, old and new while a pass
  // ends: a few per bin of a pass. Per worker thread, a count, smallest and largest value per bin.
  const auto bins = static_cast<double>(budget.bins);
  const double fixed = 3.0 * static_cast<double>(budget.gathered) * sizeof(double) +
                       4.0 * bins * static_cast<double>(sizeof(Piece) + 2 * sizeof(std::uint64_t));
  return {0.0, fixed + bins * 3 * sizeof(double) * static_cast<double>(threads)};
}

}  // namespace guidance::stats_detail
