// Shapley effects (Owen 2014) by the exact-subset estimator of Song, Nelson & Staum (2016), with the
// conditional distributions of the Gaussian copula in closed form.
//
// For each subset J of the D drivers, c(J) = E[Var(Y | X_-J)] is estimated from pairs of trials that
// share the drivers outside J and draw the drivers in J from their conditional distribution given
// the others: c(J) = E[(Y - Y_J)^2] / 2. The first trial of every pair is the base trial itself (SNS's
// N_I = 2 inner draws, one shared by all subsets), and a driver's redraw uses the same random numbers
// in every subset (common random numbers), so that a driver that neither enters the formula nor is
// correlated with one that does gets exactly 0. The Shapley effect of driver i is
//   Sh_i = sum over J not holding i of (c(J + i) - c(J)) / (D C(D - 1, |J|)), divided by c(all),
// and the effects sum to 1.
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include <tbb/parallel_for.h>

#include "guidance/sampler.hpp"
#include "analysis/sensitivity/bootstrap.hpp"
#include "analysis/sensitivity/common.hpp"
#include "analysis/sensitivity/conditional.hpp"
#include "analysis/sensitivity/design.hpp"
#include "dist/standard_normal.hpp"
#include "guidance/sensitivity.hpp"

namespace guidance {

namespace {

using Vector = std::vector<double>;

/// Where each driver of the design sits: its variable, and its position in the copula (or none).
struct Inputs {
  std::vector<std::size_t> drivers;        // variable indices
  std::vector<std::ptrdiff_t> copula;      // per input: position in model.copula, or -1
  std::vector<std::uint64_t> copula_mask;  // per subset J of inputs: the subset of copula positions
};

Inputs locate_inputs(const Model& model, const std::vector<std::size_t>& drivers) {
  Inputs inputs{drivers, std::vector<std::ptrdiff_t>(drivers.size(), -1), {}};
  for (std::size_t p = 0; p < drivers.size(); ++p)
    for (std::size_t c = 0; c < model.copula.drivers.size(); ++c)
      if (model.copula.drivers[c] == drivers[p]) inputs.copula[p] = static_cast<std::ptrdiff_t>(c);
  inputs.copula_mask.resize(std::size_t{1} << drivers.size());
  for (std::uint64_t subset = 0; subset < inputs.copula_mask.size(); ++subset)
    for (std::size_t p = 0; p < drivers.size(); ++p)
      if ((subset >> p & 1) && inputs.copula[p] >= 0)
        inputs.copula_mask[subset] |= std::uint64_t{1} << inputs.copula[p];
  return inputs;
}

/// Standard normals for n trials from a driver's stream under `salt`.
void normals(std::uint64_t seed, std::uint64_t stream, std::uint64_t salt, std::uint64_t first, std::span<double> out) {
  uniforms(seed, salted_stream(stream, salt), first, out);
  for (double& x : out) x = dist_detail::ppnd16(x);
}

/// One chunk's draws: the base trial's driver values, and each driver's redraw (for copula drivers, per
/// subset of the copula, since the conditional mean depends on what is given). Buffers hold `rows`
/// trials and are reused from chunk to chunk.
class Draws {
 public:
  Draws(const Model& model, const Inputs& inputs, const std::vector<analysis::GaussianConditional>& conditionals,
        std::size_t rows)
      : base_(inputs.drivers.size(), Vector(rows)),
        redraw_(inputs.drivers.size(), Vector(rows)),
        independent_(model.copula.drivers.size(), Vector(rows)),
        correlated_(model.copula.drivers.size(), Vector(rows)),
        fresh_(model.copula.drivers.size(), Vector(rows)),
        conditional_(conditionals.size() + 1) {
    for (std::size_t mask = 1; mask <= conditionals.size(); ++mask)
      conditional_[mask].assign(conditionals[mask - 1].redrawn.size(), Vector(rows));
  }

  /// The bytes of the draws of `rows` trials for `inputs` drivers, `copula` of them correlated: each
  /// input's base and redraw, three columns of normals per copula driver, and each copula subset's
  /// conditional redraws (C 2^(C-1) columns for the C copula drivers).
  static double bytes(std::size_t inputs, std::size_t copula, std::size_t rows) {
    const double conditional = copula == 0 ? 0.0 : static_cast<double>(copula) * std::ldexp(1.0, static_cast<int>(copula) - 1);
    return (2.0 * static_cast<double>(inputs) + 3.0 * static_cast<double>(copula) + conditional) *
           static_cast<double>(rows * sizeof(double));
  }

  /// Draw trials [first, first + n), n <= rows.
  void draw(const Model& model, const Inputs& inputs, const std::vector<analysis::GaussianConditional>& conditionals,
            std::uint64_t seed, std::uint64_t first, std::size_t n) {
    n_ = n;
    for (std::size_t p = 0; p < inputs.drivers.size(); ++p) {
      const std::size_t d = inputs.drivers[p];
      const std::uint64_t stream = model.streams[d];
      const std::ptrdiff_t c = inputs.copula[p];
      if (c < 0) {  // on its own: a uniform through the quantile
        for (const auto& [salt, values] : {std::pair{analysis::shapley_base_salt, &base_[p]},
                                           std::pair{analysis::shapley_redraw_salt, &redraw_[p]}}) {
          const std::span<double> column = std::span<double>(*values).first(n);
          uniforms(seed, salted_stream(stream, salt), first, column);
          quantile(model.distributions[d], column, column);
        }
        continue;
      }
      normals(seed, stream, analysis::shapley_base_salt, first, span(independent_[static_cast<std::size_t>(c)]));
      normals(seed, stream, analysis::shapley_redraw_salt, first, span(fresh_[static_cast<std::size_t>(c)]));
    }
    // The base trial's copula normals z = L e, and the drivers' values.
    const Eigen::MatrixXd& lower = model.copula.cholesky;
    for (std::size_t c = 0; c < correlated_.size(); ++c) {
      std::ranges::fill(span(correlated_[c]), 0.0);
      for (std::size_t k = 0; k <= c; ++k)
        add_scaled(lower(static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(k)), independent_[k], correlated_[c]);
    }
    for (std::size_t p = 0; p < inputs.drivers.size(); ++p)
      if (inputs.copula[p] >= 0)
        values_from_normals(model.distributions[inputs.drivers[p]],
                                      span(correlated_[static_cast<std::size_t>(inputs.copula[p])]), span(base_[p]));

    // Per subset of the copula: z_J = mean_map z_K + factor e_J, then the drivers' values.
    for (std::size_t mask = 1; mask <= conditionals.size(); ++mask) {
      const analysis::GaussianConditional& conditional = conditionals[mask - 1];
      for (std::size_t j = 0; j < conditional.redrawn.size(); ++j) {
        Vector& z = conditional_[mask][j];
        std::ranges::fill(span(z), 0.0);
        const auto row = static_cast<Eigen::Index>(j);
        for (std::size_t k = 0; k < conditional.given.size(); ++k)
          add_scaled(conditional.mean_map(row, static_cast<Eigen::Index>(k)), correlated_[conditional.given[k]], z);
        for (std::size_t l = 0; l <= j; ++l)
          add_scaled(conditional.factor(row, static_cast<Eigen::Index>(l)), fresh_[conditional.redrawn[l]], z);
        values_from_normals(model.distributions[model.copula.drivers[conditional.redrawn[j]]], span(z),
                                      span(z));
      }
    }
  }

  /// Input p's values in the trials of subset J (J holds the redrawn inputs).
  std::span<const double> values(const Inputs& inputs, std::uint64_t subset, std::size_t p) const {
    if (!(subset >> p & 1)) return span(base_[p]);
    if (inputs.copula[p] < 0) return span(redraw_[p]);
    const std::uint64_t mask = inputs.copula_mask[subset];
    // The driver's rank among the redrawn copula positions.
    const auto below = static_cast<std::size_t>(std::popcount(mask & ((std::uint64_t{1} << inputs.copula[p]) - 1)));
    return span(conditional_[mask][below]);
  }

 private:
  std::span<double> span(Vector& v) const { return std::span<double>(v).first(n_); }
  std::span<const double> span(const Vector& v) const { return std::span<const double>(v).first(n_); }
  /// y += weight * x over the chunk.
  void add_scaled(double weight, const Vector& x, Vector& y) const {
    for (std::size_t r = 0; r < n_; ++r) y[r] += weight * x[r];
  }

  std::size_t n_ = 0;
  std::vector<Vector> base_, redraw_;
  std::vector<Vector> independent_, correlated_, fresh_;  // copula normals: base, correlated, redraw
  std::vector<std::vector<Vector>> conditional_;           // per copula mask: per redrawn position
};

/// What each thread reuses from chunk to chunk.
struct Workspace {
  Draws draws;
  analysis::Design design;
};

// Per-trial statistics: the finite-row count, the sum and sum of squares of g = Y - shift over the
// base trials, and for each non-empty subset J (1 .. 2^D - 1) the half squared difference (Y - Y_J)^2 / 2.
using analysis::count, analysis::sum, analysis::sum_squares, analysis::design_statistics;
constexpr std::size_t subsets = design_statistics;

// Batch statistics after reduction: the count, sum and sum of squares, c(all), and each driver's
// Shapley numerator.
enum Reduced : std::size_t { reduced_count, reduced_sum, reduced_sum_squares, reduced_all, reduced_drivers };

/// Shapley numerators from the subsets' sums (linear, so it applies to each batch's sums).
void reduce(std::span<const double> s, std::size_t drivers, std::span<const double> weights, std::span<double> out) {
  const std::uint64_t all = (std::uint64_t{1} << drivers) - 1;
  const auto c = [&](std::uint64_t subset) { return subset == 0 ? 0.0 : s[subsets + subset - 1]; };
  out[reduced_count] = s[count];
  out[reduced_sum] = s[sum];
  out[reduced_sum_squares] = s[sum_squares];
  out[reduced_all] = c(all);
  for (std::size_t i = 0; i < drivers; ++i) {
    const std::uint64_t bit = std::uint64_t{1} << i;
    double numerator = 0.0;
    for (std::uint64_t subset = 0; subset <= all; ++subset)
      if (!(subset & bit))
        numerator += weights[static_cast<std::size_t>(std::popcount(subset))] * (c(subset | bit) - c(subset));
    out[reduced_drivers + i] = numerator;
  }
}

/// [effect_0, ..., effect_{D-1}, variance] from reduced sums.
void estimate(std::span<const double> s, std::size_t drivers, std::span<double> out) {
  const double n = s[reduced_count];
  if (n == 0) {  // every trial had a non-finite output: nothing to estimate
    std::ranges::fill(out, std::numeric_limits<double>::quiet_NaN());
    return;
  }
  for (std::size_t i = 0; i < drivers; ++i) out[i] = analysis::share(s[reduced_drivers + i], s[reduced_all]);
  out[drivers] = n > 1 ? (s[reduced_sum_squares] - s[reduced_sum] * s[reduced_sum] / n) / (n - 1) : 0.0;
}

/// Base trials per chunk: 2^14 rows per evaluation whatever D, so that the formulas run over full blocks.
std::size_t chunk_rows_for(std::size_t dimension) { return std::max<std::size_t>(1, (std::size_t{1} << 14) >> dimension); }

}  // namespace

MemoryNeed analysis::shapley_memory(const Model& model) {
  const std::size_t dimension = sensitivity_inputs(model).size(), copula = model.copula.drivers.size();
  const std::size_t segments = std::size_t{1} << dimension, chunk_rows = chunk_rows_for(dimension);
  // Per thread its draws and design; the conditional distributions (a mean map and a factor, each at
  // most C x C, per copula subset); the sums, non-finite counts and reduced sums per batch.
  const double workspace = Draws::bytes(dimension, copula, chunk_rows) + analysis::Design::bytes(model, segments * chunk_rows);
  const double conditionals = std::ldexp(1.0, static_cast<int>(copula)) * 2.0 * static_cast<double>(copula * copula) *
                              sizeof(double);
  const double reduced = static_cast<double>(analysis::max_batches * (reduced_drivers + dimension) * sizeof(double));
  const MemoryNeed nonfinite{sizeof(std::uint64_t) / static_cast<double>(chunk_rows), 0.0};
  return analysis::BatchedSums::memory(subsets + segments - 1, chunk_rows) + nonfinite +
         MemoryNeed{0.0, workspace * static_cast<double>(worker_threads()) + conditionals + reduced} +
         evaluation_memory(model);
}

ShapleyEffects shapley_effects(const Model& model, std::size_t metric, std::uint64_t base_trials, std::uint64_t seed,
                               std::size_t resamples, const std::function<bool(std::uint64_t)>& progress) {
  analysis::check_metric(model, metric);
  const std::vector<std::size_t> drivers = sensitivity_inputs(model);
  analysis::check_shapley_size(drivers.size());
  analysis::check_unconditioned(model);
  analysis::check_trials(SensitivityMethod::shapley, base_trials);

  const std::size_t dimension = drivers.size();
  const Inputs inputs = locate_inputs(model, drivers);
  std::vector<analysis::GaussianConditional> conditionals;
  for (std::uint64_t mask = 1; mask < (std::uint64_t{1} << model.copula.drivers.size()); ++mask)
    conditionals.push_back(analysis::gaussian_conditional(model.copula.gaussian, mask));
  // Weight of a subset of size k: 1 / (D C(D - 1, k)) = k! (D - 1 - k)! / D!.
  std::vector<double> weights(dimension);
  for (std::size_t k = 0; k < dimension; ++k) {
    double binomial = 1.0;
    for (std::size_t j = 1; j <= k; ++j)
      binomial = binomial * static_cast<double>(dimension - 1 - k + j) / static_cast<double>(j);
    weights[k] = 1.0 / (static_cast<double>(dimension) * binomial);
  }

  double shift = analysis::evaluate_moves(model, metric, {})[0];
  if (!std::isfinite(shift)) shift = 0.0;

  const std::size_t segments = std::size_t{1} << dimension, chunk_rows = chunk_rows_for(dimension);
  analysis::BatchedSums sums(base_trials, subsets + segments - 1, chunk_rows);
  std::vector<std::uint64_t> nonfinite((base_trials + chunk_rows - 1) / chunk_rows, 0);

  analysis::for_each_chunk(
      base_trials, chunk_rows,
      [&] { return Workspace{Draws(model, inputs, conditionals, chunk_rows), analysis::Design(model, segments * chunk_rows)}; },
      [&](Workspace& workspace, std::size_t chunk, std::uint64_t first, std::size_t n) {
        workspace.draws.draw(model, inputs, conditionals, seed, first, n);
        analysis::Design& design = workspace.design;
        for (std::uint64_t subset = 0; subset < segments; ++subset)
          for (std::size_t p = 0; p < dimension; ++p)
            std::ranges::copy(workspace.draws.values(inputs, subset, p),
                              design.driver(drivers[p]).begin() + static_cast<std::ptrdiff_t>(subset * n));
        design.evaluate(segments * n);

        const std::span<const double> y = design.column(metric);
        for (std::size_t r = 0; r < n; ++r) {
          bool finite = true;
          for (std::size_t subset = 0; subset < segments; ++subset) finite = finite && std::isfinite(y[subset * n + r]);
          if (!finite) {
            ++nonfinite[chunk];
            continue;
          }
          const double base = y[r];
          const std::span<double> cell = sums.cell(first + r);
          cell[count] += 1.0;
          cell[sum] += base - shift;
          cell[sum_squares] += (base - shift) * (base - shift);
          for (std::size_t subset = 1; subset < segments; ++subset) {
            const double difference = base - y[subset * n + r];
            cell[subsets + subset - 1] += 0.5 * difference * difference;
          }
        }
      },
      progress);

  // Reduce each batch's 2^D subset sums to D numerators (linear), then bootstrap the few that remain.
  const std::vector<double> batches = sums.batch_sums();
  const std::size_t batch_count = sums.batch_count(), reduced_size = reduced_drivers + dimension;
  std::vector<double> reduced(batch_count * reduced_size);
  tbb::parallel_for(std::size_t{0}, batch_count, [&](std::size_t b) {
    reduce(std::span<const double>(batches).subspan(b * sums.statistics(), sums.statistics()), dimension, weights,
           std::span<double>(reduced).subspan(b * reduced_size, reduced_size));
  });

  ShapleyEffects result;
  result.design.evaluations = base_trials * segments;
  for (const std::uint64_t count_in_chunk : nonfinite) result.design.nonfinite += count_in_chunk;
  const analysis::BootstrapEstimates estimates = analysis::bootstrap(
      reduced, reduced_size, dimension + 1,
      [dimension](std::span<const double> s, std::span<double> out) { estimate(s, dimension, out); }, resamples, seed,
      analysis::shapley_bootstrap_stream);
  for (std::size_t i = 0; i < dimension; ++i)
    result.drivers.push_back({drivers[i], estimates.estimates[i], estimates.intervals[i]});
  result.variance = estimates.estimates[dimension];
  return result;
}

}  // namespace guidance
