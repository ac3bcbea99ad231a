// sample_drivers: the design's uniforms or standard normals -> (copula drivers: correlated by L) ->
// each driver's values. Every step is a loop over a block column; nothing depends on the block's
// size or position except through the trial index.
#include "sample/sample_drivers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <variant>

#include <fmt/format.h>

#include "dist/shapes.hpp"
#include "guidance/diagnostics.hpp"
#include "guidance/distribution.hpp"
#include "guidance/random.hpp"
#include "sample/designs.hpp"
#include "simd/cpu_features.hpp"

namespace guidance {

namespace {

using sample_detail::SobolPoints;

/// Normals and lognormals whose truncation removes no mass in double (Distribution::truncated) take a
/// standard normal z directly (mean + sd z, exp(mu + sigma z)): no round trip through the CDF, which
/// would lose the far tails.
bool takes_normal_directly(const Distribution& distribution) {
  return !distribution.truncated() &&
         (std::holds_alternative<Normal>(distribution.shape) || std::holds_alternative<LogNormal>(distribution.shape));
}

/// y := L z in place over the copula's columns: y_i = sum over j <= i of L(i, j) z_j. Rows from the
/// last, so that every z_j a row reads is not yet overwritten; each row is a few axpy loops over the
/// block (vectorised), not a k x k product per trial.
[[gnu::always_inline]] inline void correlate_loops(const SquareMatrix& lower, std::span<double* const> columns,
                                                   std::size_t n) {
  for (std::size_t i = columns.size(); i-- > 0;) {
    double* y = columns[i];
    const double diagonal = lower(i, i);
    for (std::size_t k = 0; k < n; ++k) y[k] *= diagonal;
    for (std::size_t j = 0; j < i; ++j) {
      const double weight = lower(i, j);
      const double* z = columns[j];
      for (std::size_t k = 0; k < n; ++k) y[k] += weight * z[k];
    }
  }
}

/// out[k] := a normal's value for z[k], clamped to [low, high] (a no-op for infinite bounds, NaN
/// included).
[[gnu::always_inline]] inline void normal_values_loop(const Normal normal, double low, double high, const double* z,
                                                      double* out, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) out[k] = std::min(std::max(dist_detail::from_standard_normal(normal, z[k]), low), high);
}

// Two builds of both (cpu_features.hpp), element by element the same IEEE operations (no FMA).
void correlate(const SquareMatrix& lower, std::span<double* const> columns, std::size_t n) {
  correlate_loops(lower, columns, n);
}
GUIDANCE_TARGET_AVX512 void avx512_correlate(const SquareMatrix& lower, std::span<double* const> columns,
                                             std::size_t n) {
  correlate_loops(lower, columns, n);
}
void normal_values(const Normal& normal, double low, double high, const double* z, double* out, std::size_t n) {
  normal_values_loop(normal, low, high, z, out, n);
}
GUIDANCE_TARGET_AVX512 void avx512_normal_values(const Normal& normal, double low, double high, const double* z,
                                                 double* out, std::size_t n) {
  normal_values_loop(normal, low, high, z, out, n);
}

/// The design's uniforms for one stochastic driver (`dimension`: its position among them).
void design_uniforms(const SamplingPlan& plan, const std::optional<SobolPoints>& sobol, std::size_t dimension,
                     std::uint64_t stream, std::uint64_t first_trial, std::span<double> out) {
  switch (plan.method) {
    case Sampling::monte_carlo:
      uniforms(plan.seed, stream, first_trial, out);
      return;
    case Sampling::latin_hypercube:
      sample_detail::latin_hypercube_uniforms(plan.seed, stream, plan.trials, first_trial, out);
      return;
    case Sampling::sobol:
      sobol->uniforms(dimension, first_trial, out);
      return;
  }
  throw std::logic_error("sample_drivers: unknown sampling method");
}

/// The design's standard normals for one driver: Monte Carlo draws them by the ziggurat; the
/// stratified designs take Phi^-1 of their uniforms, which keeps the strata.
void design_normals(const SamplingPlan& plan, const std::optional<SobolPoints>& sobol, std::size_t dimension,
                    std::uint64_t stream, std::uint64_t first_trial, std::span<double> out) {
  if (plan.method == Sampling::monte_carlo) {
    normals(plan.seed, stream, first_trial, out);
    return;
  }
  design_uniforms(plan, sobol, dimension, stream, first_trial, out);
  standard_normal_quantile(out, out);
}

}  // namespace

void values_from_normals(const Distribution& distribution, std::span<const double> z, std::span<double> out) {
  const std::size_t n = z.size();
  if (takes_normal_directly(distribution)) {
    // Bounds where the CDF rounds to 0 or 1 (truncated() is false) remove nothing a draw meets in
    // practice; the clamp makes sure.
    const double low = distribution.truncate_low, high = distribution.truncate_high;
    if (const auto* normal = std::get_if<Normal>(&distribution.shape)) {
      if (detail::cpu_has_avx512()) avx512_normal_values(*normal, low, high, z.data(), out.data(), n);
      else normal_values(*normal, low, high, z.data(), out.data(), n);
    } else {
      const auto& lognormal = std::get<LogNormal>(distribution.shape);
      for (std::size_t i = 0; i < n; ++i)
        out[i] = std::min(std::max(dist_detail::from_standard_normal(lognormal, z[i]), low), high);
    }
    dist_detail::apply_move(distribution, out.first(n));
    return;
  }
  // Phi(z) rounds to 1 beyond z ~ 8.3; keep u inside the open interval the quantile expects.
  constexpr double largest_below_one = 1.0 - 0x1p-53;
  standard_normal_cdf(z.first(n), out.first(n));
  for (std::size_t i = 0; i < n; ++i) out[i] = std::clamp(out[i], std::numeric_limits<double>::min(), largest_below_one);
  quantile(distribution, out.first(n), out.first(n));
}

void sample_drivers(const Model& model, const SamplingPlan& plan, std::uint64_t first_trial, std::size_t n,
                    std::span<double* const> driver_columns) {
  if (driver_columns.size() < model.driver_count)
    throw std::invalid_argument(fmt::format("sample_drivers: {} columns for {} drivers", driver_columns.size(),
                                            model.driver_count));
  std::vector<std::size_t> stochastic;
  std::vector<std::uint64_t> streams;
  for (std::size_t d = 0; d < model.driver_count; ++d) {
    if (!model.variables[d].stochastic) continue;
    if (driver_columns[d] == nullptr)
      throw std::invalid_argument(fmt::format("sample_drivers: no column for driver {}", model.variables[d].name));
    stochastic.push_back(d);
    streams.push_back(salted_stream(model.streams[d], plan.salt));
  }
  if (n == 0 || stochastic.empty()) return;

  std::optional<SobolPoints> sobol;
  if (plan.method == Sampling::sobol) {
    if (stochastic.size() > SobolPoints::max_dimensions())
      throw InputError({}, fmt::format("sobol sampling supports at most {} uncertain drivers; this model has {}",
                                       SobolPoints::max_dimensions(), stochastic.size()),
                       "use monte_carlo or latin_hypercube sampling");
    sobol.emplace(plan.seed, streams);
  }
  const auto column = [&](std::size_t d) { return std::span<double>(driver_columns[d], n); };
  std::vector<bool> in_copula(model.driver_count, false);
  for (const std::size_t d : model.copula.drivers) {
    if (!model.variables[d].stochastic)
      throw std::invalid_argument(fmt::format("sample_drivers: constant driver {} in the copula", model.variables[d].name));
    in_copula[d] = true;
  }
  // Drivers in the copula or taking a normal directly start from standard normals, the others from
  // the design's uniforms.
  const auto from_normals = [&](std::size_t d) { return in_copula[d] || takes_normal_directly(model.distributions[d]); };
  for (std::size_t s = 0; s < stochastic.size(); ++s) {
    const std::size_t d = stochastic[s];
    (from_normals(d) ? design_normals : design_uniforms)(plan, sobol, s, streams[s], first_trial, column(d));
  }

  std::vector<double*> copula_columns;
  for (const std::size_t d : model.copula.drivers) copula_columns.push_back(driver_columns[d]);
  if (detail::cpu_has_avx512()) avx512_correlate(model.copula.cholesky, copula_columns, n);
  else correlate(model.copula.cholesky, copula_columns, n);
  // Given values move the drawn normals' mean (Copula::shift); nothing is added when none are given,
  // so that an unconditioned copula's bits do not change.
  for (std::size_t i = 0; i < model.copula.shift.size(); ++i) {
    const double shift = model.copula.shift[i];
    for (double& z : std::span<double>(copula_columns[i], n)) z += shift;
  }

  for (const std::size_t d : stochastic) {
    if (from_normals(d)) values_from_normals(model.distributions[d], column(d), column(d));
    else quantile(model.distributions[d], column(d), column(d));
  }
}

}  // namespace guidance
