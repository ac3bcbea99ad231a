// Histogram bins over a range of doubles for narrowing by passes (order_statistics.cpp, and the
// narrowest window of stats/narrowest_window.cpp): a monotone map of values onto bins, and the order
// of doubles with -0 below +0.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "stats/order_statistics.hpp"

namespace guidance::stats_detail {

/// 4,096 counts of 8 bytes (32 KB) stay in or near a core's L1 cache, where 16,384 sit in L2: narrowing
/// runs 15% faster (bench_stats), and a bin of a near-normal column of 10 M values holds at most about
/// 10,000 values to gather.
inline constexpr std::size_t bin_count = std::size_t{1} << 12;

inline double from_ordered_key(std::uint64_t key) {
  return std::bit_cast<double>((key >> 63) != 0 ? key & ~(std::uint64_t{1} << 63) : ~key);
}

/// min and max with -0 below +0. std::min keeps whichever zero it saw first, and which thread sees
/// which values depends on the schedule: a bin of zeros would report -0 on one run and +0 on the next.
inline double ordered_min(double a, double b) { return ordered_key(b) < ordered_key(a) ? b : a; }
inline double ordered_max(double a, double b) { return ordered_key(b) > ordered_key(a) ? b : a; }

/// A non-decreasing map of [lo, hi] (lo < hi) onto `bins` bins (a power of two, bin_count unless
/// said): every bin holds the values of one interval.
///  - linear in value (a root's): a composition of rounded monotone operations is monotone. The values
///    are scaled by a power of two first so that neither hi - lo nor its inverse can overflow.
///  - linear in the doubles' order (deeper ranges, whose values crowd into one bin of their parent: a
///    cluster far narrower than the range, or a range spanning many binades): each pass narrows the
///    range by `bins` doubles, so with 2^12 bins at most six passes reach single values.
class BinMap {
 public:
  BinMap() = default;
  static BinMap by_value(double lo, double hi, std::size_t bins = bin_count) {
    BinMap map;
    map.bins_ = bins;
    const int exponent = std::clamp(std::ilogb(std::max(std::abs(lo), std::abs(hi))), -1020, 1020);
    map.scale_ = std::ldexp(1.0, -exponent);
    map.offset_ = lo * map.scale_;
    map.inverse_width_ = static_cast<double>(bins) / (hi * map.scale_ - map.offset_);
    return map;
  }
  /// `bins` bins over every double: by_value over [lo, hi] in bins 1 .. bins - 2, with bin 0 below lo
  /// and bin bins - 1 from hi up, for a root counted before its extent is known (ProvisionalHistogram).
  static BinMap provisional(double lo, double hi, std::size_t bins = bin_count) {
    BinMap map = by_value(lo, hi, bins - 2);
    map.provisional_ = true;
    return map;
  }
  static BinMap by_order(double lo, double hi, std::size_t bins = bin_count) {
    BinMap map;
    map.bins_ = bins;
    map.by_order_ = true;
    map.first_key_ = ordered_key(lo);
    const int width_bits = std::bit_width(ordered_key(hi) - map.first_key_);
    map.shift_ = std::max(0, width_bits - std::countr_zero(bins));
    return map;
  }

  std::size_t operator()(double x) const {
    return by_order_ ? order_bin(x) : provisional_ ? provisional_bin(x) : value_bin(x);
  }
  bool is_provisional() const { return provisional_; }
  bool is_by_order() const { return by_order_; }

  /// A provisional map's bin of any finite x, without a branch: the position among the inside bins,
  /// moved up one and clamped to the outer bins (monotone, as each step is).
  std::size_t provisional_bin(double x) const {
    const double position = (x * scale_ - offset_) * inverse_width_ + 1.0;
    return static_cast<std::size_t>(
        static_cast<std::int64_t>(std::min(std::max(position, 0.0), static_cast<double>(bins_ + 1))));
  }

  std::size_t value_bin(double x) const { return std::min(unclamped_value_bin(x), bins_ - 1); }
  /// value_bin without folding hi's own slot, `bins`, into the last bin: for the hot loops, whose
  /// tables have a slot more. Only for finite x in [lo, hi].
  std::size_t unclamped_value_bin(double x) const {
    // Through int64: the conversion to an unsigned type costs a branch on x86-64.
    return static_cast<std::size_t>(static_cast<std::int64_t>((x * scale_ - offset_) * inverse_width_));
  }
  std::size_t order_bin(double x) const { return static_cast<std::size_t>((ordered_key(x) - first_key_) >> shift_); }

  double scale() const { return scale_; }
  double offset() const { return offset_; }
  double inverse_width() const { return inverse_width_; }

 private:
  std::size_t bins_ = bin_count;
  bool by_order_ = false;
  bool provisional_ = false;  // bins_ counts the inside bins
  double scale_ = 1.0;
  double offset_ = 0.0;
  double inverse_width_ = 0.0;
  std::uint64_t first_key_ = 0;
  int shift_ = 0;
};

/// The smallest double x in [lo, hi] with map(x) >= bin, given map(hi) >= bin.
inline double first_in_bin(const BinMap& map, double lo, double hi, std::size_t bin) {
  std::uint64_t below = ordered_key(lo);
  std::uint64_t at = ordered_key(hi);
  if (map(lo) >= bin) return lo;
  while (at - below > 1) {  // map(below) < bin <= map(at)
    const std::uint64_t middle = below + (at - below) / 2;
    (map(from_ordered_key(middle)) >= bin ? at : below) = middle;
  }
  return from_ordered_key(at);
}

/// The largest double x in [lo, hi] with map(x) <= bin.
inline double last_in_bin(const BinMap& map, double lo, double hi, std::size_t bin) {
  if (map(hi) <= bin) return hi;
  return from_ordered_key(ordered_key(first_in_bin(map, lo, hi, bin + 1)) - 1);
}

}  // namespace guidance::stats_detail
