// Construction: solving parameters from percentiles, the errors for bad parameters (word for word),
// and how distributions describe themselves.
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <catch2/catch.hpp>

#include "guidance/distribution.hpp"
#include "special_values.hpp"

using namespace guidance;
using guidance::test::infinity;
using guidance::test::not_a_number;
using Catch::Matchers::WithinRel;

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

using FromPercentiles = Distribution (*)(double, double, double, double);

struct Percentiles {
  double p_a, x_a, p_b, x_b;
};

}  // namespace

TEST_CASE("distributions solved from two percentiles pass through them, given in either order") {
  const FromPercentiles solve = GENERATE(&normal_from_percentiles, &lognormal_from_percentiles, &uniform_from_percentiles);
  const Percentiles given = GENERATE(Percentiles{0.1, 1100, 0.9, 1130}, Percentiles{0.05, 2, 0.5, 3},
                                     Percentiles{0.25, 10, 0.99, 100}, Percentiles{1e-6, 0.001, 0.3, 0.002});
  const Distribution d = solve(given.p_a, given.x_a, given.p_b, given.x_b);
  CHECK_THAT(quantile(d, given.p_a), WithinRel(given.x_a, 1e-12));
  CHECK_THAT(quantile(d, given.p_b), WithinRel(given.x_b, 1e-12));
  CHECK(describe(solve(given.p_b, given.x_b, given.p_a, given.x_a)) == describe(d));
}

TEST_CASE("a normal from p10 and p90 has sd = (x90 - x10) / (z90 - z10)") {
  const Distribution d = normal_from_percentiles(0.1, 1100, 0.9, 1130);
  const double z90 = boost::math::quantile(boost::math::normal(), 0.9);
  CHECK_THAT(mean(d), WithinRel(1115, 1e-14));
  CHECK_THAT(std::sqrt(variance(d)), WithinRel(30 / (2 * z90), 1e-14));
}

TEST_CASE("a lognormal from the median and one percentile passes through both") {
  const double median = GENERATE(0.02, 50.0, 1e6);
  const double p = GENERATE(0.01, 0.1, 0.9, 0.999);
  const double x_p = p > 0.5 ? 3 * median : median / 3;
  const Distribution d = lognormal_from_median(median, p, x_p);
  CHECK_THAT(quantile(d, 0.5), WithinRel(median, 1e-14));
  CHECK_THAT(quantile(d, p), WithinRel(x_p, 1e-13));
}

TEST_CASE("a lognormal from its mean and sd has that mean and sd") {
  const double m = GENERATE(0.05, 100.0, 2.5e9);
  const double cv = GENERATE(0.01, 0.3, 2.0);
  const Distribution d = make_lognormal(m, cv * m);
  CHECK_THAT(mean(d), WithinRel(m, 1e-13));
  CHECK_THAT(std::sqrt(variance(d)), WithinRel(cv * m, 1e-13));
}

TEST_CASE("a uniform from two percentiles extends the line to p0 and p100") {
  const Distribution d = uniform_from_percentiles(0.1, 10, 0.9, 90);
  CHECK_THAT(support_min(d), Catch::Matchers::WithinAbs(0, 1e-13));
  CHECK_THAT(support_max(d), WithinRel(100, 1e-14));
}

TEST_CASE("discrete values are sorted with their probabilities and renormalised") {
  const Distribution d = make_discrete({3, 1, 2}, {0.5, 0.2, 0.3 + 5e-10});
  const Discrete& s = std::get<Discrete>(d.shape);
  CHECK(s.values == std::vector<double>{1, 2, 3});
  CHECK_THAT(s.probabilities[0], WithinRel(0.2 / (1 + 5e-10), 1e-15));
  CHECK(s.cumulative.back() == 1.0);
  // A value of zero probability is kept but never drawn, even at u = 1.
  const Distribution with_zero = make_discrete({1, 2, 3}, {0.1, 0.9, 0.0});
  CHECK(quantile(with_zero, 1.0) == 2);
  CHECK(support_max(with_zero) == 2);
  CHECK(cdf(with_zero, 2.5) == 1.0);
}

namespace {

struct BadParameters {
  std::string what;
  std::function<Distribution()> make;
  std::string parameter;
  std::string message;
  std::string hint;
};

std::vector<BadParameters> bad_parameters() {
  const std::string sd_hint = "the standard deviation must be positive";
  const std::string lognormal_hint = "a lognormal takes positive values only";
  const std::string order_hint = "a higher percentile needs a higher value";
  return {
      {"normal sd < 0", [] { return make_normal(1115, -0.4); }, "sd", "sd must be > 0, found -0.4", sd_hint},
      {"normal sd = 0", [] { return make_normal(1115, 0); }, "sd", "sd must be > 0, found 0", sd_hint},
      {"normal mean NaN", [] { return make_normal(nan, 1); }, "mean", "mean must be finite, found nan", ""},
      {"normal sd infinite", [] { return make_normal(1, infinity); }, "sd", "sd must be finite, found inf", ""},
      {"percentiles out of order", [] { return normal_from_percentiles(0.1, 1130, 0.9, 1100); }, "p90",
       "percentiles out of order: p10 = 1130 is above p90 = 1100", order_hint},
      {"percentiles out of order, given high first", [] { return normal_from_percentiles(0.9, 1100, 0.1, 1130); },
       "p90", "percentiles out of order: p10 = 1130 is above p90 = 1100", order_hint},
      {"percentiles equal", [] { return normal_from_percentiles(0.1, 1100, 0.9, 1100); }, "p90",
       "percentiles out of order: p10 = 1100 is equal to p90 = 1100", order_hint},
      {"the same percentile twice", [] { return normal_from_percentiles(0.9, 1, 0.9, 2); }, "p90",
       "two different percentiles are needed, found p90 twice", ""},
      {"percentile p0", [] { return normal_from_percentiles(0, 1, 0.9, 2); }, "p0",
       "percentile p0 must be strictly between p0 and p100", ""},
      {"percentile p2.5 infinite", [] { return uniform_from_percentiles(0.025, -infinity, 0.9, 2); }, "p2.5",
       "p2.5 must be finite, found -inf", ""},
      {"lognormal mean < 0", [] { return make_lognormal(-3, 1); }, "mean",
       "mean must be > 0 for a lognormal, found -3", lognormal_hint},
      {"lognormal sd = 0", [] { return make_lognormal(100, 0); }, "sd", "sd must be > 0, found 0", sd_hint},
      {"lognormal median = 0", [] { return lognormal_from_median(0, 0.9, 10); }, "median",
       "median must be > 0 for a lognormal, found 0", lognormal_hint},
      {"lognormal percentile < 0", [] { return lognormal_from_median(50, 0.9, -1); }, "p90",
       "p90 must be > 0 for a lognormal, found -1", lognormal_hint},
      {"lognormal p90 below the median", [] { return lognormal_from_median(50, 0.9, 40); }, "p90",
       "percentiles out of order: median = 50 is above p90 = 40", order_hint},
      {"lognormal p10 above the median", [] { return lognormal_from_median(50, 0.1, 60); }, "median",
       "percentiles out of order: p10 = 60 is above median = 50", order_hint},
      {"lognormal p50 besides the median", [] { return lognormal_from_median(50, 0.5, 60); }, "p50",
       "p50 is the median; give a percentile other than p50", ""},
      {"lognormal percentile = 0", [] { return lognormal_from_percentiles(0.1, 0, 0.9, 10); }, "p10",
       "p10 must be > 0 for a lognormal, found 0", lognormal_hint},
      {"uniform min > max", [] { return make_uniform(5, 3); }, "max", "max must be > min = 5, found 3", ""},
      {"uniform min = max", [] { return make_uniform(5, 5); }, "max", "max must be > min = 5, found 5", ""},
      {"uniform min infinite", [] { return make_uniform(-infinity, 3); }, "min", "min must be finite, found -inf", ""},
      {"uniform percentiles out of order", [] { return uniform_from_percentiles(0.25, 10, 0.75, 9.5); }, "p75",
       "percentiles out of order: p25 = 10 is above p75 = 9.5", order_hint},
      {"triangular mode above max", [] { return make_triangular(535, 570, 560); }, "mode",
       "mode must be in [min, max] = [535, 560], found 570", ""},
      {"triangular min > max", [] { return make_triangular(560, 546, 535); }, "max",
       "max must be > min = 560, found 535", ""},
      {"triangular mode NaN", [] { return make_triangular(535, nan, 560); }, "mode", "mode must be finite, found nan",
       ""},
      {"pert lambda = 0", [] { return make_pert(535, 546, 560, 0); }, "lambda", "lambda must be > 0, found 0",
       "lambda weights the mode; the usual value is 4"},
      {"pert mode below min", [] { return make_pert(535, 530, 560); }, "mode",
       "mode must be in [min, max] = [535, 560], found 530", ""},
      {"discrete without values", [] { return make_discrete({}, {}); }, "values", "values must not be empty", ""},
      {"discrete lengths differ", [] { return make_discrete({1, 2, 3}, {0.5, 0.5}); }, "probabilities",
       "probabilities must have one entry per value, found 2 for 3 values", ""},
      {"discrete probability < 0", [] { return make_discrete({1, 2}, {-0.1, 1.1}); }, "probabilities",
       "probabilities must be >= 0, found -0.1", ""},
      {"discrete probabilities sum to 0.9", [] { return make_discrete({1, 2, 3}, {0.2, 0.3, 0.4}); },
       "probabilities", "probabilities must sum to 1, found a sum of 0.9", ""},
      {"discrete value twice", [] { return make_discrete({1, 5, 5}, {0.2, 0.3, 0.5}); }, "values",
       "values must be distinct, found 5 twice", ""},
      {"discrete value NaN", [] { return make_discrete({1, nan}, {0.5, 0.5}); }, "values",
       "values must be finite, found nan", ""},
      {"truncate low > high", [] { return truncate(make_normal(0, 1), 5, 3); }, "truncate",
       "truncate range [5, 3] is empty: low must be below high", ""},
      {"truncate low NaN", [] { return truncate(make_normal(0, 1), nan, 3); }, "truncate",
       "truncate must be a range [low, high], found [nan, 3]", ""},
      {"truncate outside a uniform", [] { return truncate(make_uniform(0, 1), 2, 3); }, "truncate",
       "truncate range [2, 3] has zero probability under uniform min=0 max=1", ""},
      {"truncate below a lognormal", [] { return truncate(make_lognormal(100, 30), -5, 0); }, "truncate",
       "truncate range [-5, 0] has zero probability under lognormal mean=100 sd=30", ""},
      {"truncate a normal beyond 40 sd", [] { return truncate(make_normal(0, 1), 40, infinity); }, "truncate",
       "truncate range [40, inf] has zero probability under normal mean=0 sd=1", ""},
      {"truncate a normal to a sliver", [] { return truncate(make_normal(0, 1), 0, 1e-12); }, "truncate",
       "truncate range [0, 1e-12] is too narrow to sample under normal mean=0 sd=1 (probability 3.99e-13)", ""},
      {"truncate a discrete", [] { return truncate(make_discrete({1, 2}, {0.5, 0.5}), 0, 1.5); }, "truncate",
       "a discrete distribution cannot be truncated", "leave out the values outside the range instead"},
  };
}

}  // namespace

TEST_CASE("bad parameters are rejected naming the parameter") {
  const BadParameters bad = GENERATE(from_range(bad_parameters()));
  INFO(bad.what);
  try {
    bad.make();
    FAIL("no ParameterError");
  } catch (const ParameterError& error) {
    CHECK(error.parameter() == bad.parameter);
    CHECK(std::string(error.what()) == bad.message);
    CHECK(error.hint() == bad.hint);
  }
}

TEST_CASE("kind_name and describe give the distribution in the user's terms") {
  using Described = std::tuple<Distribution, std::string_view, std::string>;
  const auto [d, kind, text] = GENERATE(
      Described{make_normal(1115, 11.7047), "normal", "mean=1115 sd=11.7"},
      Described{normal_from_percentiles(0.1, 1100, 0.9, 1130), "normal", "mean=1115 sd=11.7"},
      Described{make_normal(1234567.8, 0.00012346), "normal", "mean=1234568 sd=0.0001235"},
      Described{make_lognormal(100, 30), "lognormal", "mean=100 sd=30"},
      Described{make_uniform(535, 560), "uniform", "min=535 max=560"},
      Described{make_triangular(535, 546, 560), "triangular", "min=535 mode=546 max=560"},
      Described{make_pert(535, 546, 560), "pert", "min=535 mode=546 max=560"},
      Described{make_pert(535, 546, 560, 2.5), "pert", "min=535 mode=546 max=560 lambda=2.5"},
      Described{make_discrete({3, 1, 10, 2}, {0.33, 0.15, 0.22, 0.3}), "discrete",
                "values=[1, 2, 3, 10] probabilities=[0.15, 0.3, 0.33, 0.22]"},
      Described{truncate(make_normal(0.05, 0.1), 0, infinity), "normal", "mean=0.05 sd=0.1 truncate=[0, inf]"});
  CHECK(kind_name(d) == kind);
  CHECK(describe(d) == text);
}

TEST_CASE("support_min and support_max give the range after truncation") {
  using Range = std::tuple<Distribution, double, double>;
  const auto [d, low, high] = GENERATE(Range{make_normal(0, 1), -infinity, infinity}, Range{make_lognormal(1, 1), 0, infinity},
                                       Range{make_uniform(-1, 2), -1, 2}, Range{make_pert(1, 2, 4), 1, 4},
                                       Range{make_discrete({0, 1, 2}, {0, 0.5, 0.5}), 1, 2},
                                       Range{truncate(make_normal(0, 1), 0, infinity), 0, infinity},
                                       Range{truncate(make_lognormal(1, 1), -5, 3), 0, 3},
                                       Range{truncate(make_triangular(0, 1, 2), 0.5, 5), 0.5, 2});
  CHECK(support_min(d) == low);
  CHECK(support_max(d) == high);
}
