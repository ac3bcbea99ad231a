// The non-finite doubles the tests feed the engine.
#pragma once

#include <limits>

namespace guidance::test {

inline constexpr double infinity = std::numeric_limits<double>::infinity();
inline constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

}  // namespace guidance::test
