// The non-finite doubles the tests feed the engine, and what tests of determinism need: the bitwise
// comparison of columns and a scope that runs the loops' baseline or AVX2 builds.
#pragma once

#include <cstring>
#include <limits>
#include <span>

#include "simd/cpu_features.hpp"

namespace guidance::test {

inline constexpr double infinity = std::numeric_limits<double>::infinity();
inline constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

/// The same doubles bit for bit (memcmp may not be given the null data of an empty column).
inline bool same_bits(std::span<const double> a, std::span<const double> b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size_bytes()) == 0);
}

/// Runs the loops as on a CPU with only `builds` (detail::use_vector_builds) until the scope ends, even
/// when a failed REQUIRE or an exception ends it, so that later tests run every build again.
class VectorBuildsScope {
 public:
  explicit VectorBuildsScope(detail::VectorBuilds builds) { detail::use_vector_builds(builds); }
  ~VectorBuildsScope() { detail::use_vector_builds(detail::VectorBuilds::all); }
  VectorBuildsScope(const VectorBuildsScope&) = delete;
  VectorBuildsScope& operator=(const VectorBuildsScope&) = delete;
};

}  // namespace guidance::test
