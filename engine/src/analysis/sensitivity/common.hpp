// What every sensitivity method checks first, and the random streams of the designs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "guidance/memory.hpp"
#include "guidance/model.hpp"
#include "guidance/random.hpp"
#include "guidance/sensitivity.hpp"

namespace guidance::analysis {

/// Salts of the drivers' streams (random.hpp) in each design, so that designs are independent of each
/// other yet reproducible. Salt 0 gives the trials of `run`.
inline constexpr std::uint64_t sobol_a_salt = 0;
inline constexpr std::uint64_t sobol_b_salt = 1;
inline constexpr std::uint64_t shapley_base_salt = 2;
inline constexpr std::uint64_t shapley_redraw_salt = 3;
/// Bootstrap streams: names with a space, which no driver can have.
inline constexpr std::uint64_t sobol_bootstrap_stream = stream_id("sobol bootstrap");
inline constexpr std::uint64_t shapley_bootstrap_stream = stream_id("shapley bootstrap");
inline constexpr std::uint64_t shapley_permutation_stream = stream_id("shapley permutations");

/// The metric must be a variable that varies (so some driver has a distribution). Throws
/// std::invalid_argument for an index out of range, InputError for a constant.
void check_metric(const Model& model, std::size_t metric);

/// Throws std::invalid_argument unless 0 < low < high < 1.
void check_range(double low, double high);

/// The inputs with an element in the copula, as indices into `inputs`.
std::vector<std::size_t> correlated_inputs(const Model& model, std::span<const SensitivityInput> inputs);

/// Sobol indices need independent drivers: throws InputError naming the correlated inputs, unless
/// the caller chose to ignore the correlations.
void check_independent(const Model& model, std::span<const SensitivityInput> inputs, bool ignore_correlations);

/// Throws InputError when a requested number of Shapley permutations is below
/// min_bootstrap_permutations (nullopt: the automatic design, always fine).
void check_permutations(std::optional<std::size_t> permutations);


/// Throws InputError when `method` has fewer trials than minimum_trials(method), saying why it needs
/// them.
void check_trials(SensitivityMethod method, std::uint64_t trials);

/// Each method's memory at its peak (sensitivity_memory() picks one by method).
MemoryNeed tornado_memory(const Model& model, std::span<const SensitivityInput> inputs);
MemoryNeed spider_memory(const Model& model, std::span<const SensitivityInput> inputs, std::size_t points);
MemoryNeed correlation_memory(const Model& model, std::span<const SensitivityInput> inputs);
MemoryNeed regional_memory(const Model& model);
MemoryNeed sobol_memory(const Model& model, std::span<const SensitivityInput> inputs);
MemoryNeed shapley_memory(const Model& model, std::span<const SensitivityInput> inputs, std::uint64_t base_trials,
                          std::optional<std::size_t> permutations);

/// value / scale, or 0 when scale is not positive (a metric that does not vary has no shares).
inline double share(double value, double scale) { return scale > 0.0 ? value / scale : 0.0; }

}  // namespace guidance::analysis
