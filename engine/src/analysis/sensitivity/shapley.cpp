// Shapley effects of groups of inputs (Owen 2014; Song, Nelson & Staum 2016), with the conditional
// distributions of the Gaussian copula in closed form.
//
// For each subset J of the D inputs (a union of groups of driver elements), c(J) = E[Var(Y | X_-J)] is
// estimated from pairs of trials that share the elements outside J and draw the elements in J from
// their conditional distribution given the others: c(J) = E[(Y - Y_J)^2] / 2. The first trial of every
// pair is the base trial itself (SNS's N_I = 2 inner draws, one shared by all subsets), and an
// element's redraw uses the same random numbers in every subset (common random numbers), so that an
// input that neither enters the formula nor is correlated with one that does gets exactly 0. The
// Shapley effect of input i is
//   Sh_i = sum over J not holding i of (c(J + i) - c(J)) / (D C(D - 1, |J|)), divided by c(all),
// and the effects sum to 1. The exact-subset design evaluates every subset; the random-permutation
// design (SNS, section 4) evaluates, for each permutation of the inputs, the D nested subsets of its
// first 1, 2, ..., D inputs over N_O base trials, and credits each input with the increase of c as it
// joins: an unbiased estimate of the same sum.
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>

#include <tbb/parallel_for.h>

#include "analysis/sensitivity/bootstrap.hpp"
#include "analysis/sensitivity/common.hpp"
#include "analysis/sensitivity/conditional.hpp"
#include "analysis/sensitivity/design.hpp"
#include "dist/standard_normal.hpp"
#include "guidance/sensitivity.hpp"
#include "model/eigen_view.hpp"
#include "sample/sample_drivers.hpp"

namespace guidance {

namespace {

using Vector = std::vector<double>;

/// The inputs' driver elements, flat in input order: each one's variable, input and copula position.
struct Elements {
  std::vector<std::size_t> variable;
  std::vector<std::size_t> input;
  std::vector<std::ptrdiff_t> copula;  // position in model.copula, or -1
};

Elements locate_elements(const Model& model, std::span<const SensitivityInput> inputs) {
  Elements elements;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    for (const std::size_t d : inputs[i].variables) {
      const auto found = std::ranges::lower_bound(model.copula.drivers, d);
      const bool correlated = found != model.copula.drivers.end() && *found == d;
      elements.variable.push_back(d);
      elements.input.push_back(i);
      elements.copula.push_back(correlated ? found - model.copula.drivers.begin() : -1);
    }
  return elements;
}

/// The copula positions of the elements of the inputs in `redrawn` (one flag per input), ascending.
std::vector<std::size_t> copula_positions(const Elements& elements, const std::vector<bool>& redrawn) {
  std::vector<std::size_t> positions;
  for (std::size_t e = 0; e < elements.variable.size(); ++e)
    if (redrawn[elements.input[e]] && elements.copula[e] >= 0)
      positions.push_back(static_cast<std::size_t>(elements.copula[e]));
  std::ranges::sort(positions);
  return positions;
}

/// Standard normals for n trials from a driver's stream under `salt`.
void normals(std::uint64_t seed, std::uint64_t stream, std::uint64_t salt, std::uint64_t first, std::span<double> out) {
  uniforms(seed, salted_stream(stream, salt), first, out);
  for (double& x : out) x = dist_detail::ppnd16(x);
}

/// One chunk's draws: each element's base value and, for elements outside the copula, its redraw; for
/// the copula, the base trial's normals and the redraws' fresh normals, from which redraw() makes the
/// conditional redraws of any subset. Buffers hold `rows` trials and are reused from chunk to chunk.
class Draws {
 public:
  Draws(std::size_t elements, std::size_t copula, std::size_t rows)
      : base_(elements, Vector(rows)),
        redraw_(elements, Vector(rows)),
        independent_(copula, Vector(rows)),
        correlated_(copula, Vector(rows)),
        fresh_(copula, Vector(rows)) {}

  /// The bytes of the draws of `rows` trials and of `redrawn` columns of conditional redraws: two
  /// columns per element and three per copula position.
  static double bytes(std::size_t elements, std::size_t copula, double redrawn, std::size_t rows) {
    return (2.0 * static_cast<double>(elements) + 3.0 * static_cast<double>(copula) + redrawn) *
           static_cast<double>(rows * sizeof(double));
  }

  /// Draw trials [first, first + n), n <= rows.
  void draw(const Model& model, const Elements& elements, std::uint64_t seed, std::uint64_t first, std::size_t n) {
    n_ = n;
    for (std::size_t e = 0; e < elements.variable.size(); ++e) {
      const std::size_t d = elements.variable[e];
      const std::uint64_t stream = model.streams[d];
      const std::ptrdiff_t c = elements.copula[e];
      if (c < 0) {  // on its own: a uniform through the quantile
        for (const auto& [salt, values] : {std::pair{analysis::shapley_base_salt, &base_[e]},
                                           std::pair{analysis::shapley_redraw_salt, &redraw_[e]}}) {
          const std::span<double> column = std::span<double>(*values).first(n);
          uniforms(seed, salted_stream(stream, salt), first, column);
          quantile(model.distributions[d], column, column);
        }
        continue;
      }
      normals(seed, stream, analysis::shapley_base_salt, first, span(independent_[static_cast<std::size_t>(c)]));
      normals(seed, stream, analysis::shapley_redraw_salt, first, span(fresh_[static_cast<std::size_t>(c)]));
    }
    // The base trial's copula normals z = L e, and the elements' values.
    const SquareMatrix& lower = model.copula.cholesky;
    for (std::size_t c = 0; c < correlated_.size(); ++c) {
      std::ranges::fill(span(correlated_[c]), 0.0);
      for (std::size_t k = 0; k <= c; ++k)
        add_scaled(lower(c, k), independent_[k], correlated_[c]);
    }
    // Given values move the drawn normals' mean (Copula::shift), as in sample_drivers.
    for (std::size_t c = 0; c < model.copula.shift.size(); ++c)
      for (double& z : span(correlated_[c])) z += model.copula.shift[c];
    for (std::size_t e = 0; e < elements.variable.size(); ++e)
      if (elements.copula[e] >= 0)
        values_from_normals(model.distributions[elements.variable[e]],
                            span(correlated_[static_cast<std::size_t>(elements.copula[e])]), span(base_[e]));
  }

  /// The values of the copula positions conditional.redrawn given the others, z_J = offset + mean_map
  /// z_K + factor e_J: out[j] for position redrawn[j] (out holds at least as many columns of `rows`).
  void redraw(const Model& model, const analysis::GaussianConditional& conditional, std::vector<Vector>& out) const {
    for (std::size_t j = 0; j < conditional.redrawn.size(); ++j) {
      Vector& z = out[j];
      std::ranges::fill(span(z), conditional.offset(static_cast<Eigen::Index>(j)));
      const auto row = static_cast<Eigen::Index>(j);
      for (std::size_t k = 0; k < conditional.given.size(); ++k)
        add_scaled(conditional.mean_map(row, static_cast<Eigen::Index>(k)), correlated_[conditional.given[k]], z);
      for (std::size_t l = 0; l <= j; ++l)
        add_scaled(conditional.factor(row, static_cast<Eigen::Index>(l)), fresh_[conditional.redrawn[l]], z);
      values_from_normals(model.distributions[model.copula.drivers[conditional.redrawn[j]]], span(z), span(z));
    }
  }

  std::span<const double> base(std::size_t e) const { return span(base_[e]); }
  std::span<const double> redrawn(std::size_t e) const { return span(redraw_[e]); }
  std::span<const double> span(const Vector& v) const { return std::span<const double>(v).first(n_); }

 private:
  std::span<double> span(Vector& v) const { return std::span<double>(v).first(n_); }
  /// y += weight * x over the chunk.
  void add_scaled(double weight, const Vector& x, Vector& y) const {
    for (std::size_t r = 0; r < n_; ++r) y[r] += weight * x[r];
  }

  std::size_t n_ = 0;
  std::vector<Vector> base_, redraw_;
  std::vector<Vector> independent_, correlated_, fresh_;  // copula normals: base, correlated, redraw
};

/// The copula's normals given the others, for the positions `redrawn`: under their correlations, or,
/// when the copula is drawn given reported values, under the conditional covariance L L^T and mean
/// Copula::shift that the run draws from.
analysis::GaussianConditional copula_conditional(const Model& model, const std::vector<std::size_t>& redrawn) {
  const Copula& copula = model.copula;
  if (!copula.conditioned()) return analysis::gaussian_conditional(eigen_view(copula.gaussian), redrawn);
  const Eigen::MatrixXd lower = eigen_view(copula.cholesky);
  return analysis::gaussian_conditional(lower * lower.transpose(), redrawn, eigen_view(copula.shift));
}

/// Where each redrawn copula position's values are: column[position] of a conditional's redraws, or -1.
std::vector<std::ptrdiff_t> columns_of(const analysis::GaussianConditional& conditional, std::size_t copula) {
  std::vector<std::ptrdiff_t> column(copula, -1);
  for (std::size_t j = 0; j < conditional.redrawn.size(); ++j)
    column[conditional.redrawn[j]] = static_cast<std::ptrdiff_t>(j);
  return column;
}

/// Writes segment `segment` of the design: element e's base values, or its redraw when its input is in
/// `redrawn`, a copula element's from `conditional` (its columns, columns_of()).
void write_segment(const Draws& draws, const Elements& elements, const std::vector<bool>& redrawn,
                   const std::vector<Vector>* conditional, const std::vector<std::ptrdiff_t>* columns,
                   std::size_t segment, std::size_t n, analysis::Design& design) {
  for (std::size_t e = 0; e < elements.variable.size(); ++e) {
    std::span<const double> values = draws.base(e);
    if (redrawn[elements.input[e]])
      values = elements.copula[e] < 0
                   ? draws.redrawn(e)
                   : draws.span((*conditional)[static_cast<std::size_t>(
                         (*columns)[static_cast<std::size_t>(elements.copula[e])])]);
    std::ranges::copy(values, design.driver(elements.variable[e]).begin() + static_cast<std::ptrdiff_t>(segment * n));
  }
}

/// Whether row r of every one of `segments` segments of n rows is finite.
bool finite_row(std::span<const double> y, std::size_t segments, std::size_t n, std::size_t r) {
  for (std::size_t segment = 0; segment < segments; ++segment)
    if (!std::isfinite(y[segment * n + r])) return false;
  return true;
}

using analysis::count, analysis::sum, analysis::sum_squares, analysis::design_statistics;

// Statistics the estimates are made from: the count, sum and sum of squares of g = Y - shift over the
// base trials, c(all), and each input's Shapley numerator. The exact design sums c(J) per subset and
// reduces to these; the permutation design sums them directly.
enum Reduced : std::size_t { reduced_count, reduced_sum, reduced_sum_squares, reduced_all, reduced_inputs };

/// [effect_0, ..., effect_{D-1}, variance] from reduced sums.
void estimate(std::span<const double> s, std::size_t inputs, std::span<double> out) {
  const double n = s[reduced_count];
  if (n == 0) {  // every trial had a non-finite output: nothing to estimate
    std::ranges::fill(out, std::numeric_limits<double>::quiet_NaN());
    return;
  }
  for (std::size_t i = 0; i < inputs; ++i) out[i] = analysis::share(s[reduced_inputs + i], s[reduced_all]);
  out[inputs] = n > 1 ? (s[reduced_sum_squares] - s[reduced_sum] * s[reduced_sum] / n) / (n - 1) : 0.0;
}

/// The effects and the variance, with their bootstrap intervals, from reduced sums per batch.
ShapleyEffects effects(std::span<const double> reduced, std::size_t inputs, std::size_t resamples, std::uint64_t seed) {
  const analysis::BootstrapEstimates estimates = analysis::bootstrap(
      reduced, reduced_inputs + inputs, inputs + 1,
      [inputs](std::span<const double> s, std::span<double> out) { estimate(s, inputs, out); }, resamples, seed,
      analysis::shapley_bootstrap_stream);
  ShapleyEffects result;
  for (std::size_t i = 0; i < inputs; ++i) result.inputs.push_back({i, estimates.estimates[i], estimates.intervals[i]});
  result.variance = estimates.estimates[inputs];
  return result;
}

/// The metric at every driver's median, to centre the sums of squares (0 when not finite).
double centre(const Model& model, std::size_t metric) {
  const double shift = analysis::evaluate_moves(model, metric, {})[0];
  return std::isfinite(shift) ? shift : 0.0;
}

// ---- the exact-subset design ----------------------------------------------------------------------

// Per-trial statistics: the finite-row count, the sum and sum of squares of g, and for each non-empty
// subset J (1 .. 2^D - 1) the half squared difference (Y - Y_J)^2 / 2.
constexpr std::size_t subsets = design_statistics;

/// Shapley numerators from the subsets' sums (linear, so it applies to each batch's sums).
void reduce(std::span<const double> s, std::size_t inputs, std::span<const double> weights, std::span<double> out) {
  const std::uint64_t all = (std::uint64_t{1} << inputs) - 1;
  const auto c = [&](std::uint64_t subset) { return subset == 0 ? 0.0 : s[subsets + subset - 1]; };
  out[reduced_count] = s[count];
  out[reduced_sum] = s[sum];
  out[reduced_sum_squares] = s[sum_squares];
  out[reduced_all] = c(all);
  for (std::size_t i = 0; i < inputs; ++i) {
    const std::uint64_t bit = std::uint64_t{1} << i;
    double numerator = 0.0;
    for (std::uint64_t subset = 0; subset <= all; ++subset)
      if (!(subset & bit))
        numerator += weights[static_cast<std::size_t>(std::popcount(subset))] * (c(subset | bit) - c(subset));
    out[reduced_inputs + i] = numerator;
  }
}

/// Base trials per chunk: 2^14 rows per evaluation whatever D, so that the formulas run over full blocks.
std::size_t chunk_rows_for(std::size_t inputs) { return std::max<std::size_t>(1, (std::size_t{1} << 14) >> inputs); }

/// The inputs in the subset `mask`, one flag each.
std::vector<bool> flags(std::uint64_t mask, std::size_t inputs) {
  std::vector<bool> out(inputs);
  for (std::size_t i = 0; i < inputs; ++i) out[i] = (mask >> i) & 1;
  return out;
}

/// One chunk's workspace for the exact design: the draws, the conditional redraws of each subset of
/// the correlated inputs, and the design.
struct ExactWorkspace {
  Draws draws;
  std::vector<std::vector<Vector>> conditional;  // per mask over the correlated inputs (0 unused)
  analysis::Design design;
};

ShapleyEffects exact_shapley(const Model& model, std::span<const SensitivityInput> inputs, std::size_t metric,
                             std::uint64_t base_trials, std::uint64_t seed, std::size_t resamples,
                             const std::function<bool(std::uint64_t)>& progress) {
  const std::size_t dimension = inputs.size(), copula = model.copula.drivers.size();
  const Elements elements = locate_elements(model, inputs);
  // Conditionals per non-empty subset of the inputs with copula elements (2^C' of them, not one per
  // subset of copula positions), and each subset's mask of those bits.
  const std::vector<std::size_t> correlated = analysis::correlated_inputs(model, inputs);
  std::vector<analysis::GaussianConditional> conditionals;
  std::vector<std::vector<std::ptrdiff_t>> columns;
  for (std::uint64_t mask = 1; mask < (std::uint64_t{1} << correlated.size()); ++mask) {
    std::vector<bool> redrawn(dimension, false);
    for (std::size_t k = 0; k < correlated.size(); ++k) redrawn[correlated[k]] = (mask >> k) & 1;
    conditionals.push_back(copula_conditional(model, copula_positions(elements, redrawn)));
    columns.push_back(columns_of(conditionals.back(), copula));
  }
  const auto correlated_mask = [&](std::uint64_t subset) {
    std::uint64_t mask = 0;
    for (std::size_t k = 0; k < correlated.size(); ++k) mask |= ((subset >> correlated[k]) & 1) << k;
    return mask;
  };
  // Weight of a subset of size k: 1 / (D C(D - 1, k)) = k! (D - 1 - k)! / D!.
  std::vector<double> weights(dimension);
  for (std::size_t k = 0; k < dimension; ++k) {
    double binomial = 1.0;
    for (std::size_t j = 1; j <= k; ++j)
      binomial = binomial * static_cast<double>(dimension - 1 - k + j) / static_cast<double>(j);
    weights[k] = 1.0 / (static_cast<double>(dimension) * binomial);
  }
  const double shift = centre(model, metric);

  const std::size_t segments = std::size_t{1} << dimension, chunk_rows = chunk_rows_for(dimension);
  analysis::BatchedSums sums(base_trials, subsets + segments - 1, chunk_rows);
  std::vector<std::uint64_t> nonfinite((base_trials + chunk_rows - 1) / chunk_rows, 0);

  analysis::for_each_chunk(
      base_trials, chunk_rows,
      [&] {
        ExactWorkspace workspace{Draws(elements.variable.size(), copula, chunk_rows),
                                 std::vector<std::vector<Vector>>(conditionals.size() + 1),
                                 analysis::Design(model, segments * chunk_rows)};
        for (std::size_t mask = 1; mask <= conditionals.size(); ++mask)
          workspace.conditional[mask].assign(conditionals[mask - 1].redrawn.size(), Vector(chunk_rows));
        return workspace;
      },
      [&](ExactWorkspace& workspace, std::size_t chunk, std::uint64_t first, std::size_t n) {
        workspace.draws.draw(model, elements, seed, first, n);
        for (std::size_t mask = 1; mask <= conditionals.size(); ++mask)
          workspace.draws.redraw(model, conditionals[mask - 1], workspace.conditional[mask]);
        for (std::uint64_t subset = 0; subset < segments; ++subset) {
          const std::uint64_t mask = correlated_mask(subset);
          write_segment(workspace.draws, elements, flags(subset, dimension),
                        mask == 0 ? nullptr : &workspace.conditional[mask], mask == 0 ? nullptr : &columns[mask - 1],
                        subset, n, workspace.design);
        }
        workspace.design.evaluate(segments * n);

        const std::span<const double> y = workspace.design.column(metric);
        for (std::size_t r = 0; r < n; ++r) {
          if (!finite_row(y, segments, n, r)) {
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
  const std::size_t batch_count = sums.batch_count(), reduced_size = reduced_inputs + dimension;
  std::vector<double> reduced(batch_count * reduced_size);
  tbb::parallel_for(std::size_t{0}, batch_count, [&](std::size_t b) {
    reduce(std::span<const double>(batches).subspan(b * sums.statistics(), sums.statistics()), dimension, weights,
           std::span<double>(reduced).subspan(b * reduced_size, reduced_size));
  });

  ShapleyEffects result = effects(reduced, dimension, resamples, seed);
  result.design.evaluations = base_trials * segments;
  for (const std::uint64_t count_in_chunk : nonfinite) result.design.nonfinite += count_in_chunk;
  return result;
}

MemoryNeed exact_memory(const Model& model, std::span<const SensitivityInput> inputs) {
  const std::size_t dimension = inputs.size(), copula = model.copula.drivers.size();
  const Elements elements = locate_elements(model, inputs);
  const std::size_t correlated = analysis::correlated_inputs(model, inputs).size();
  const std::size_t segments = std::size_t{1} << dimension, chunk_rows = chunk_rows_for(dimension);
  // Per thread its draws, its conditional redraws (each of the C copula positions is redrawn in half of
  // the 2^C' subsets of the C' correlated inputs) and its design; the conditional distributions (a mean
  // map and a factor, each at most C x C, per subset); the sums, non-finite counts and reduced sums per
  // batch.
  const double redrawn = correlated == 0 ? 0.0 : static_cast<double>(copula) * std::ldexp(1.0, static_cast<int>(correlated) - 1);
  const double workspace = Draws::bytes(elements.variable.size(), copula, redrawn, chunk_rows) +
                           analysis::Design::bytes(model, segments * chunk_rows);
  const double conditionals = std::ldexp(1.0, static_cast<int>(correlated)) * 2.0 *
                              static_cast<double>(copula * copula) * sizeof(double);
  const double reduced = static_cast<double>(analysis::max_batches * (reduced_inputs + dimension) * sizeof(double));
  const MemoryNeed nonfinite{sizeof(std::uint64_t) / static_cast<double>(chunk_rows), 0.0};
  return analysis::BatchedSums::memory(subsets + segments - 1, chunk_rows) + nonfinite +
         MemoryNeed{0.0, workspace * static_cast<double>(worker_threads()) + conditionals + reduced} +
         evaluation_memory(model);
}

// ---- the random-permutation design ------------------------------------------------------------------

/// The permutations and the base trials of each: m = min(requested, base_trials) permutations of
/// N_O = ceil(base_trials / m) trials (the last may have fewer).
struct Permutations {
  std::uint64_t count = 0;
  std::size_t trials_each = 0;
};

Permutations permutations_for(std::uint64_t base_trials, std::size_t requested) {
  const std::uint64_t wanted = std::clamp<std::uint64_t>(requested, 1, base_trials);
  const std::uint64_t each = (base_trials + wanted - 1) / wanted;
  return {(base_trials + each - 1) / each, static_cast<std::size_t>(each)};
}

/// Permutation k of D inputs: Fisher-Yates from D uniforms at trial k x D of its own stream, so that it
/// depends on the seed and k alone.
std::vector<std::size_t> permutation(std::uint64_t seed, std::uint64_t k, std::size_t inputs) {
  std::vector<std::size_t> order(inputs);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::vector<double> u(inputs);
  uniforms(seed, analysis::shapley_permutation_stream, k * inputs, u);
  for (std::size_t i = inputs; i-- > 1;)
    std::swap(order[i], order[std::min(i, static_cast<std::size_t>(u[i] * static_cast<double>(i + 1)))]);
  return order;
}

struct PermutationWorkspace {
  Draws draws;
  std::vector<Vector> conditional;  // the current subset's conditional redraws
  analysis::Design design;
};

ShapleyEffects permutation_shapley(const Model& model, std::span<const SensitivityInput> inputs, std::size_t metric,
                                   std::uint64_t base_trials, std::uint64_t seed, std::size_t resamples,
                                   std::size_t requested, const std::function<bool(std::uint64_t)>& progress) {
  const std::size_t dimension = inputs.size(), copula = model.copula.drivers.size();
  const Elements elements = locate_elements(model, inputs);
  const std::vector<std::size_t> correlated = analysis::correlated_inputs(model, inputs);
  const Permutations plan = permutations_for(base_trials, requested);
  const std::size_t rows = plan.trials_each, segments = dimension + 1;
  const double shift = centre(model, metric);
  // Sums per permutation (a cell each), batched over consecutive permutations: the bootstrap resamples
  // whole permutations, which are independent, while trials within one share it.
  analysis::BatchedSums sums(plan.count, reduced_inputs + dimension, 1);
  std::vector<std::uint64_t> nonfinite(plan.count, 0);

  analysis::for_each_chunk(
      base_trials, rows,
      [&] {
        return PermutationWorkspace{Draws(elements.variable.size(), copula, rows),
                                    std::vector<Vector>(copula, Vector(rows)),
                                    analysis::Design(model, segments * rows)};
      },
      [&](PermutationWorkspace& workspace, std::size_t k, std::uint64_t first, std::size_t n) {
        const std::vector<std::size_t> order = permutation(seed, k, dimension);
        workspace.draws.draw(model, elements, seed, first, n);
        // Segment 0 is the base trial; segment j redraws the first j inputs of the permutation, each
        // conditionally on the rest (a new conditional only when the input joining has copula elements).
        std::vector<bool> redrawn(dimension, false);
        write_segment(workspace.draws, elements, redrawn, nullptr, nullptr, 0, n, workspace.design);
        std::vector<std::ptrdiff_t> columns;
        for (std::size_t j = 1; j <= dimension; ++j) {
          const std::size_t joining = order[j - 1];
          redrawn[joining] = true;
          if (std::ranges::binary_search(correlated, joining)) {
            const analysis::GaussianConditional conditional =
                copula_conditional(model, copula_positions(elements, redrawn));
            workspace.draws.redraw(model, conditional, workspace.conditional);
            columns = columns_of(conditional, copula);
          }
          write_segment(workspace.draws, elements, redrawn, &workspace.conditional, &columns, j, n, workspace.design);
        }
        workspace.design.evaluate(segments * n);

        const std::span<const double> y = workspace.design.column(metric);
        const std::span<double> cell = sums.cell(k);
        for (std::size_t r = 0; r < n; ++r) {
          if (!finite_row(y, segments, n, r)) {
            ++nonfinite[k];
            continue;
          }
          const double base = y[r];
          cell[reduced_count] += 1.0;
          cell[reduced_sum] += base - shift;
          cell[reduced_sum_squares] += (base - shift) * (base - shift);
          double before = 0.0;  // c of the inputs already redrawn
          for (std::size_t j = 1; j <= dimension; ++j) {
            const double difference = base - y[j * n + r];
            const double after = 0.5 * difference * difference;
            cell[reduced_inputs + order[j - 1]] += after - before;
            before = after;
          }
          cell[reduced_all] += before;
        }
      },
      progress);

  ShapleyEffects result = effects(sums.batch_sums(), dimension, resamples, seed);
  result.permutations = static_cast<std::size_t>(plan.count);
  result.design.evaluations = base_trials * segments;
  for (const std::uint64_t count_in_permutation : nonfinite) result.design.nonfinite += count_in_permutation;
  return result;
}

MemoryNeed permutation_memory(const Model& model, std::span<const SensitivityInput> inputs, std::uint64_t base_trials,
                              std::size_t requested) {
  const std::size_t dimension = inputs.size(), copula = model.copula.drivers.size();
  std::size_t elements = 0;
  for (const SensitivityInput& input : inputs) elements += input.variables.size();
  const Permutations plan = permutations_for(std::max<std::uint64_t>(base_trials, 1), requested);
  const std::size_t rows = plan.trials_each, segments = dimension + 1;
  // Per thread its draws, a subset's conditional redraws and distribution, and its design; the sums
  // and non-finite count per permutation, and the batches' sums.
  const double workspace = Draws::bytes(elements, copula, static_cast<double>(copula), rows) +
                           2.0 * static_cast<double>(copula * copula) * sizeof(double) +
                           analysis::Design::bytes(model, segments * rows);
  const double statistics = static_cast<double>((reduced_inputs + dimension) * sizeof(double));
  const double sums = static_cast<double>(plan.count) * (statistics + sizeof(std::uint64_t)) +
                      static_cast<double>(analysis::max_batches) * statistics;
  return MemoryNeed{0.0, workspace * static_cast<double>(worker_threads()) + sums} + evaluation_memory(model);
}

bool exact(std::span<const SensitivityInput> inputs, std::optional<std::size_t> permutations) {
  return !permutations && inputs.size() <= max_exact_shapley_inputs;
}

}  // namespace

MemoryNeed analysis::shapley_memory(const Model& model, std::span<const SensitivityInput> inputs,
                                    std::uint64_t base_trials, std::optional<std::size_t> permutations) {
  return exact(inputs, permutations)
             ? exact_memory(model, inputs)
             : permutation_memory(model, inputs, base_trials, permutations.value_or(default_shapley_permutations));
}

ShapleyEffects shapley_effects(const Model& model, std::span<const SensitivityInput> inputs, std::size_t metric,
                               std::uint64_t base_trials, std::uint64_t seed, std::size_t resamples,
                               std::optional<std::size_t> permutations,
                               const std::function<bool(std::uint64_t)>& progress) {
  analysis::check_metric(model, metric);
  analysis::check_permutations(permutations);
  analysis::check_trials(SensitivityMethod::shapley, base_trials);
  if (exact(inputs, permutations)) return exact_shapley(model, inputs, metric, base_trials, seed, resamples, progress);
  return permutation_shapley(model, inputs, metric, base_trials, seed, resamples,
                             permutations.value_or(default_shapley_permutations), progress);
}

}  // namespace guidance
