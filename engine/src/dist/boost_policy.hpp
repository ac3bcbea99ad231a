// The Boost.Math policy used by the distribution library.
#pragma once

#include <boost/math/policies/policy.hpp>

namespace guidance::dist_detail {

// Parameters are validated when a distribution is built, so Boost never sees a bad one; a stray
// argument on the hot path (a u outside [0, 1]) must give NaN or an infinity, never throw. Doubles are
// not promoted to long double: the incomplete Beta functions stay within a few ulp of the promoted
// result (tests/dist checks the PERT against boost::math's default policy) at a fraction of the cost.
namespace policies = boost::math::policies;
using BoostPolicy = policies::policy<
    policies::domain_error<policies::ignore_error>, policies::pole_error<policies::ignore_error>,
    policies::overflow_error<policies::ignore_error>, policies::underflow_error<policies::ignore_error>,
    policies::evaluation_error<policies::ignore_error>, policies::rounding_error<policies::ignore_error>,
    policies::indeterminate_result_error<policies::ignore_error>, policies::promote_float<false>,
    policies::promote_double<false>>;

}  // namespace guidance::dist_detail
