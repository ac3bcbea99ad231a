// The table of docs/methods.md, "Sampling methods": RMS error over 50 seeds of the flagship's mean EPS
// and P(EPS in guidance) at 10,000 trials, for mc, lhs and sobol, against one Sobol' run of 2^21 trials.
//   build/bench/bench_sampling_gain
#include <fmt/format.h>

#include "../tests/simulate/sampling_gain.hpp"

int main() {
  using namespace guidance;
  const Model model = testing::flagship_model();
  constexpr std::uint64_t trials = 10'000, seeds = 50;
  const testing::Estimate reference =
      testing::estimate(model, "eps", {.trials = 1u << 21, .seed = 1, .sampling = Sampling::sobol});
  fmt::print("reference (sobol, 2^21 trials): mean EPS {:.6f}, P(EPS in guidance) {:.5f}\n", reference.mean,
             reference.p_in);
  fmt::print("RMS error over {} seeds at {} trials\n", seeds, trials);
  fmt::print("| sampling | mean EPS | vs mc | P(EPS in guidance) | vs mc |\n| --- | --- | --- | --- | --- |\n");
  const char* names[] = {"mc", "lhs", "sobol"};
  testing::GainRow mc;
  for (const Sampling sampling : {Sampling::monte_carlo, Sampling::latin_hypercube, Sampling::sobol}) {
    const testing::GainRow row = testing::rms_error(model, "eps", reference, sampling, trials, seeds);
    if (sampling == Sampling::monte_carlo) mc = row;
    fmt::print("| {} | {:.2e} | {:.1f}x | {:.2e} | {:.1f}x |\n", names[static_cast<int>(sampling)], row.mean_rms,
               mc.mean_rms / row.mean_rms, row.p_in_rms, mc.p_in_rms / row.p_in_rms);
  }
}
