// <immintrin.h>, for the loops written with x86 intrinsics in a [[gnu::target]] build of their own
// (cpu_features.hpp). GCC 12's AVX-512 intrinsics pass an undefined vector as the merge source of
// unmasked operations, which -Wmaybe-uninitialized reports wherever they are inlined (GCC bug 105593,
// fixed in GCC 13): the warning is off in the files that include this header.
#pragma once

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
