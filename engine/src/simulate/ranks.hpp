// Spearman rank correlations, for the analyses (sensitivity's correlation) and for a run's check of
// the correlations its copula reached.
#pragma once

#include <span>

#include "guidance/memory.hpp"
#include "guidance/simulate.hpp"

namespace guidance::detail {

/// Rank of each value among `values` (1-based; tied values share their average rank), minus the mean
/// rank (n + 1) / 2: centred ranks, so that the sums of their products stay small. Linear in n (a
/// radix sort). Values must be finite.
Column centred_ranks(std::span<const double> values);

/// The most centred_ranks() holds at once, beside its input: a radix sort's two arrays of (key,
/// position) and the order it returns. Its result (8 bytes per value) then replaces them.
MemoryNeed centred_ranks_memory();

/// The most rank_correlation() holds at once: the first column's ranks while the second's are made.
MemoryNeed rank_correlation_memory();

/// Pearson correlation of two centred columns of equal length, by sums over fixed chunks merged in
/// chunk order (the same bits on any number of threads); 0 when either does not vary.
double centred_correlation(std::span<const double> x, std::span<const double> y);

/// Spearman's rank correlation of two finite columns of equal length, ties at their average rank.
double rank_correlation(std::span<const double> x, std::span<const double> y);

}  // namespace guidance::detail
