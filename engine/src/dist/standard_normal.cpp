#include "dist/standard_normal.hpp"

#include "guidance/distribution.hpp"

namespace guidance {

double standard_normal_quantile(double u) { return dist_detail::ppnd16(u); }

double standard_normal_cdf(double z) { return dist_detail::normal_cdf(z); }

}  // namespace guidance
