// The gain of Latin hypercube and Sobol' sampling over Monte Carlo on the flagship (docs/methods.md,
// "Sampling methods"; bench/sampling_gain.cpp prints the full table).
#include <catch2/catch.hpp>

#include <boost/math/distributions/fisher_f.hpp>

#include "simulate/sampling_gain.hpp"

using namespace guidance;

TEST_CASE("Latin hypercube estimates the flagship's mean EPS with clearly less error than Monte Carlo") {
  const Model model = testing::flagship_model();
  constexpr std::uint64_t trials = 10'000, seeds = 50;
  // The reference's own error (Sobol', 2^21 trials) is far below the errors compared here.
  const testing::Estimate reference =
      testing::estimate(model, "eps", {.trials = 1u << 21, .seed = 1, .sampling = Sampling::sobol});
  const testing::GainRow mc = testing::rms_error(model, "eps", reference, Sampling::monte_carlo, trials, seeds);
  const testing::GainRow lhs = testing::rms_error(model, "eps", reference, Sampling::latin_hypercube, trials, seeds);
  const testing::GainRow sobol = testing::rms_error(model, "eps", reference, Sampling::sobol, trials, seeds);
  INFO("RMS error of mean EPS: mc " << mc.mean_rms << ", lhs " << lhs.mean_rms << ", sobol " << sobol.mean_rms);
  INFO("RMS error of P(in):    mc " << mc.p_in_rms << ", lhs " << lhs.p_in_rms << ", sobol " << sobol.p_in_rms);

  // Monte Carlo's RMS error is the iid standard error: sd(EPS) / sqrt(trials) (a sanity check of the
  // harness; 50 seeds estimate an RMS to about 10%, so 30% is over 3 of its standard errors).
  const RunReport large = analyze(model, simulate(model, {.trials = 200'000, .seed = 99}));
  const double sd = large.variables[static_cast<std::size_t>(model.find("eps"))].sd;
  CHECK_THAT(mc.mean_rms, Catch::Matchers::WithinRel(sd / std::sqrt(double(trials)), 0.3));

  // Clear at 50 seeds: the ratio of mean squared errors passes the 99.9% point of F(50, 50), the
  // ratio it would stay under 999 times in 1,000 if Latin hypercube were no better than Monte Carlo.
  const double f_999 = boost::math::quantile(boost::math::fisher_f(double(seeds), double(seeds)), 0.999);
  CHECK(mc.mean_rms * mc.mean_rms / (lhs.mean_rms * lhs.mean_rms) > f_999);
  CHECK(mc.mean_rms * mc.mean_rms / (sobol.mean_rms * sobol.mean_rms) > f_999);
}
