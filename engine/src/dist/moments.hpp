// Mean and variance of truncated distributions (internal; exposed for tests/dist).
#pragma once

#include "guidance/distribution.hpp"

namespace guidance::dist_detail {

struct Moments {
  double mean;
  double variance;
};

/// Closed form for a normal truncated to [low, high] (Johnson, Kotz & Balakrishnan, "Continuous
/// Univariate Distributions" vol. 1, 13.10). `d` must hold a Normal.
Moments truncated_normal_moments(const Distribution& d);

/// Mean = integral of Q(u) over (0, 1), variance = integral of (Q(u) - mean)^2, by tanh-sinh
/// quadrature (exact to about 1e-12 relative); NaN if the quadrature does not converge.
Moments integrated_moments(const Distribution& d);

}  // namespace guidance::dist_detail
