// Which vector extensions this CPU runs, for the hot loops that carry a second build of themselves
// (a function with [[gnu::target(...)]]) and choose it at run time. Those builds must compute the same
// bits as the baseline one, and each has a test that says so.
//
// Not an ifunc (GCC's target_clones): its resolver runs before the sanitizers' runtimes start and
// crashes under ThreadSanitizer.
#pragma once

// Attributes for a function's second build; on other targets the function is a plain copy of the
// baseline build that the checks below never choose. With GCC the AVX-512 one asks for 512-bit vectors
// where the compiler vectorises a loop (its default for AVX-512 is 256); clang, which builds the
// fuzzers, has no such target option.
#if defined(__x86_64__)
#define GUIDANCE_TARGET_AVX2 [[gnu::target("avx2")]]
#if defined(__clang__)
#define GUIDANCE_TARGET_AVX512 [[gnu::target("avx512f,avx512dq,avx512vl")]]
#else
#define GUIDANCE_TARGET_AVX512 [[gnu::target("avx512f,avx512dq,avx512vl,prefer-vector-width=512")]]
#endif
#else
#define GUIDANCE_TARGET_AVX2
#define GUIDANCE_TARGET_AVX512
#endif

namespace guidance::detail {

/// AVX2 (x86-64 only; false elsewhere). Checked once.
bool cpu_has_avx2();

/// AVX-512 F, DQ and VL (x86-64 only; false elsewhere). Checked once.
bool cpu_has_avx512();

/// Which builds the checks above let the loops take: every one the CPU has (the default), at most the
/// AVX2 ones (as on a CPU without AVX-512), or only the baseline ones (as on one without either).
enum class VectorBuilds { all, avx2, baseline };

/// From now on the checks above answer as on a CPU with only `builds`: for tests that compare whole
/// runs on each. Not for use while another thread runs a loop.
void use_vector_builds(VectorBuilds builds);

}  // namespace guidance::detail
