// The non-finite doubles the tests feed the engine, and the bitwise comparison of columns that tests
// of determinism make.
#pragma once

#include <cstring>
#include <limits>
#include <span>

namespace guidance::test {

inline constexpr double infinity = std::numeric_limits<double>::infinity();
inline constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

/// The same doubles bit for bit (memcmp may not be given the null data of an empty column).
inline bool same_bits(std::span<const double> a, std::span<const double> b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size_bytes()) == 0);
}

}  // namespace guidance::test
