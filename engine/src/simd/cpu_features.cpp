#include "simd/cpu_features.hpp"

#include <atomic>

namespace guidance::detail {

namespace {

std::atomic<VectorBuilds> allowed{VectorBuilds::all};

#if defined(__x86_64__)
bool supports_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") != 0;
}
bool supports_avx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("avx512dq") != 0 &&
         __builtin_cpu_supports("avx512vl") != 0;
}
#else
bool supports_avx2() { return false; }
bool supports_avx512() { return false; }
#endif

}  // namespace

bool cpu_has_avx2() {
  static const bool avx2 = supports_avx2();
  return avx2 && allowed.load(std::memory_order_relaxed) != VectorBuilds::baseline;
}

bool cpu_has_avx512() {
  static const bool avx512 = supports_avx512();
  return avx512 && allowed.load(std::memory_order_relaxed) == VectorBuilds::all;
}

void use_vector_builds(VectorBuilds builds) { allowed.store(builds, std::memory_order_relaxed); }

}  // namespace guidance::detail
