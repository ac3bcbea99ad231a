// Fixed-size chunks of a column, processed in parallel and merged in chunk order: the result of a
// reduction does not depend on the number of threads or on which thread finishes first.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace guidance::stats_detail {

inline constexpr std::size_t chunk_size = std::size_t{1} << 16;

inline std::size_t chunk_count(std::size_t n) { return (n + chunk_size - 1) / chunk_size; }

/// Calls f(chunk_index, chunk_values) for every chunk, in parallel.
template <class F>
void for_each_chunk(std::span<const double> values, F&& f) {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunk_count(values.size())),
                    [&](const tbb::blocked_range<std::size_t>& chunks) {
                      for (std::size_t c = chunks.begin(); c != chunks.end(); ++c) {
                        const std::size_t begin = c * chunk_size;
                        f(c, values.subspan(begin, std::min(chunk_size, values.size() - begin)));
                      }
                    });
}

/// Neumaier's compensated sum (Neumaier 1974): the error does not grow with the number of terms.
struct CompensatedSum {
  double sum = 0.0;
  double compensation = 0.0;

  void add(double x) {
    const double t = sum + x;
    compensation += std::abs(sum) >= std::abs(x) ? (sum - t) + x : (x - t) + sum;
    sum = t;
  }
  void add(const CompensatedSum& other) {
    add(other.sum);
    add(other.compensation);
  }
  double value() const { return sum + compensation; }
};

/// Compensated sums in four interleaved lanes, value i of a chunk in lane i % 4: four independent
/// dependency chains run about three times faster than one, and the result is still a fixed function
/// of the values and their order.
struct LaneSums {
  std::array<CompensatedSum, 4> lanes;

  CompensatedSum total() const {
    CompensatedSum sum;
    for (const CompensatedSum& lane : lanes) sum.add(lane);
    return sum;
  }
};

/// Calls visit(lane, x) for each value of a chunk, x in lane i % 4, unrolled so that the lanes are
/// compile-time constants. Always inline, so that a caller's vector build (cpu_features.hpp) covers it.
template <class Visit>
[[gnu::always_inline]] inline void for_each_in_lanes(std::span<const double> part, Visit&& visit) {
  std::size_t i = 0;
  for (; i + 4 <= part.size(); i += 4) {
    visit(0, part[i]);
    visit(1, part[i + 1]);
    visit(2, part[i + 2]);
    visit(3, part[i + 3]);
  }
  for (; i < part.size(); ++i) visit(i % 4, part[i]);
}

/// Count, non-finite count, min and max of the finite values.
struct Extent {
  std::uint64_t count = 0;
  std::uint64_t nonfinite = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();

  void merge(const Extent& other) {
    count += other.count;
    nonfinite += other.nonfinite;
    min = std::min(min, other.min);
    max = std::max(max, other.max);
  }
};

/// One pass: the extent and the compensated sum of the finite values.
struct Scan {
  Extent extent;
  CompensatedSum sum;
};
Scan scan(std::span<const double> values);

/// Power-of-two exponent e such that the finite values scaled by 2^-e have magnitude below 16: sums of
/// up to 2^40 of them, or of their squared deviations, cannot overflow, and scaling by a power of two
/// is exact (except below DBL_MIN, where the lost bits are far below the rounding error of the sum).
int scale_exponent(const Extent& extent);

}  // namespace guidance::stats_detail
