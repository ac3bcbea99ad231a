// The flagship scenario (scenarios/juniper_q4_2012.yaml) as a hand-written program that knows nothing
// but that one model: the yardstick the engine's speed is measured against (docs/performance.md).
// It does what such a program would: one parallel loop over blocks of trials that draws (with the
// engine's block normal draws, the library call such a program would reuse),
// correlates, evaluates the formulas inline, stores each variable's column and takes the block's moments and
// guidance counts while the block is in cache; then exact percentiles of every column by a histogram
// pass that narrows each needed rank to one bin and a selection inside the gathered bins.
//
//   reference_flagship [TRIALS]    (default 10,000,000; seed 20121023)
//
// Same model as the scenario: normal revenue and gross margin from P10/P90, triangular opex, normal
// other income, 32% tax, normal share count (its truncation at 0 is 179 sd away and is a clamp here),
// rank correlations of 0.3 between revenue and gross margin and revenue and opex by a Gaussian copula.
// Its streams are its own, so its figures agree with `guidance run` to within Monte Carlo error.
#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <span>
#include <string>
#include <vector>

#include <tbb/combinable.h>
#include <tbb/parallel_for.h>

#include "dist/standard_normal.hpp"  // ppnd16, for the P10/P90 conversion
#include "guidance/distribution.hpp"
#include "guidance/random.hpp"

namespace {

constexpr std::size_t block = 4096;
constexpr std::uint64_t seed = 20121023;
constexpr int columns = 10;
const char* const names[columns] = {"revenue",          "gross_margin",     "opex",       "other_income",
                                    "diluted_shares",   "gross_profit",     "operating_income",
                                    "operating_margin", "net_income",       "eps"};
enum Column { revenue, gross_margin, opex, other_income, diluted_shares, gross_profit, operating_income,
              operating_margin, net_income, eps };

struct Guidance {
  Column column;
  double low, high;
};
constexpr std::array<Guidance, 4> guidance_lines = {{{revenue, 1100, 1130},
                                               {gross_margin, 0.635, 0.645},
                                               {operating_margin, 0.14, 0.16},
                                               {eps, 0.19, 0.22}}};

/// Moments of one block about its own mean, and its guidance counts.
struct BlockStats {
  std::array<double, columns> mean{}, squares{}, min{}, max{};
  std::array<std::uint64_t, guidance_lines.size()> inside{};
  std::uint64_t joint = 0;
};

void* huge_page_columns(std::size_t bytes) {
  constexpr std::size_t huge = std::size_t{2} << 20;
  bytes = (bytes + huge - 1) / huge * huge;
  void* memory = std::aligned_alloc(huge, bytes);
  if (memory == nullptr) std::exit(1);
  madvise(memory, bytes, MADV_HUGEPAGE);
  return memory;
}

/// The ranks' values among x[0, n) (no non-finite values here: the share count is far from 0).
std::vector<double> order_statistics(const double* x, std::size_t n, double lo, double hi,
                                     const std::vector<std::uint64_t>& ranks) {
  constexpr std::size_t bins = std::size_t{1} << 14;
  const double scale = static_cast<double>(bins) / (hi - lo);
  const auto bin_of = [&](double v) { return std::min(bins - 1, static_cast<std::size_t>((v - lo) * scale)); };
  tbb::combinable<std::vector<std::uint64_t>> local([] { return std::vector<std::uint64_t>(bins); });
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1 << 16), [&](const tbb::blocked_range<std::size_t>& r) {
    std::vector<std::uint64_t>& counts = local.local();
    for (std::size_t i = r.begin(); i != r.end(); ++i) ++counts[bin_of(x[i])];
  });
  std::vector<std::uint64_t> counts(bins);
  local.combine_each([&](const std::vector<std::uint64_t>& c) {
    for (std::size_t b = 0; b < bins; ++b) counts[b] += c[b];
  });
  // The bin of each rank, and the ranks before each bin.
  std::vector<std::int32_t> slot(bins, -1);
  std::vector<std::uint64_t> before(bins + 1);
  for (std::size_t b = 0; b < bins; ++b) before[b + 1] = before[b] + counts[b];
  std::vector<std::size_t> wanted;
  for (const std::uint64_t rank : ranks) {
    const auto b = static_cast<std::size_t>(std::upper_bound(before.begin(), before.end(), rank) - before.begin() - 1);
    if (slot[b] < 0) {
      slot[b] = static_cast<std::int32_t>(wanted.size());
      wanted.push_back(b);
    }
  }
  tbb::combinable<std::vector<std::vector<double>>> gathered(
      [&] { return std::vector<std::vector<double>>(wanted.size()); });
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1 << 16), [&](const tbb::blocked_range<std::size_t>& r) {
    auto& mine = gathered.local();
    for (std::size_t i = r.begin(); i != r.end(); ++i)
      if (const std::int32_t s = slot[bin_of(x[i])]; s >= 0) mine[static_cast<std::size_t>(s)].push_back(x[i]);
  });
  std::vector<std::vector<double>> values(wanted.size());
  gathered.combine_each([&](const std::vector<std::vector<double>>& g) {
    for (std::size_t s = 0; s < g.size(); ++s) values[s].insert(values[s].end(), g[s].begin(), g[s].end());
  });
  std::vector<double> result;
  for (const std::uint64_t rank : ranks) {
    const auto b = static_cast<std::size_t>(std::upper_bound(before.begin(), before.end(), rank) - before.begin() - 1);
    std::vector<double>& v = values[static_cast<std::size_t>(slot[b])];
    const auto nth = v.begin() + static_cast<std::ptrdiff_t>(rank - before[b]);
    std::nth_element(v.begin(), nth, v.end());
    result.push_back(*nth);
  }
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t trials = argc > 1 ? static_cast<std::size_t>(std::stod(argv[1])) : 10'000'000;
  const std::size_t blocks = (trials + block - 1) / block;

  // Drivers from the scenario: P10/P90 normals have sd = (P90 - P10) / (2 z_0.9).
  const double z90 = guidance::dist_detail::ppnd16(0.9);
  const double revenue_sd = 15 / z90, margin_sd = 0.005 / z90;
  // Rank correlation 0.3 -> Gaussian 2 sin(pi 0.3 / 6); Cholesky of [[1 r r] [r 1 0] [r 0 1]].
  const double r = 2 * std::sin(std::numbers::pi * 0.3 / 6);
  const double l22 = std::sqrt(1 - r * r), l32 = -r * r / l22, l33 = std::sqrt(1 - r * r - l32 * l32);

  auto* data = static_cast<double*>(huge_page_columns(sizeof(double) * columns * trials));
  const auto column = [&](int c) { return data + static_cast<std::size_t>(c) * trials; };
  std::vector<BlockStats> stats(blocks);

  tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) {
    const std::size_t first = b * block, n = std::min(block, trials - first);
    std::array<double*, columns> x;
    for (int c = 0; c < columns; ++c) x[c] = column(c) + first;
    for (std::uint32_t d = 0; d < 5; ++d) {
      const std::span<double> values(x[d], n);
      guidance::normals(seed, d, first, values);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const double z1 = x[revenue][i], z2 = x[gross_margin][i], z3 = x[opex][i];
      x[revenue][i] = 1115 + revenue_sd * z1;
      x[gross_margin][i] = 0.64 + margin_sd * (r * z1 + l22 * z2);
      const double u = 0.5 * std::erfc(-(r * z1 + l32 * z2 + l33 * z3) * std::numbers::sqrt2 / 2);
      x[opex][i] = u < 11.0 / 25.0 ? 535 + std::sqrt(u * 25 * 11) : 560 - std::sqrt((1 - u) * 25 * 14);
      x[other_income][i] = -5.7 + 4 * x[other_income][i];
      x[diluted_shares][i] = std::max(0.0, 536 + 3 * x[diluted_shares][i]);
      x[gross_profit][i] = x[revenue][i] * x[gross_margin][i];
      x[operating_income][i] = x[gross_profit][i] - x[opex][i];
      x[operating_margin][i] = x[operating_income][i] / x[revenue][i];
      x[net_income][i] = (x[operating_income][i] + x[other_income][i]) * (1 - 0.32);
      x[eps][i] = x[net_income][i] / x[diluted_shares][i];
    }
    BlockStats& s = stats[b];
    for (int c = 0; c < columns; ++c) {
      double sum = 0, lo = x[c][0], hi = x[c][0];
      for (std::size_t i = 0; i < n; ++i) sum += x[c][i], lo = std::min(lo, x[c][i]), hi = std::max(hi, x[c][i]);
      const double mean = sum / static_cast<double>(n);
      double squares = 0;
      for (std::size_t i = 0; i < n; ++i) squares += (x[c][i] - mean) * (x[c][i] - mean);
      s.mean[c] = mean, s.squares[c] = squares, s.min[c] = lo, s.max[c] = hi;
    }
    std::array<unsigned char, block> all;
    all.fill(1);
    for (std::size_t g = 0; g < guidance_lines.size(); ++g) {
      const double* v = x[guidance_lines[g].column];
      for (std::size_t i = 0; i < n; ++i) {
        const bool in = v[i] >= guidance_lines[g].low && v[i] <= guidance_lines[g].high;
        s.inside[g] += in;
        all[i] &= static_cast<unsigned char>(in);
      }
    }
    for (std::size_t i = 0; i < n; ++i) s.joint += all[i];
  });

  // Merge the blocks in order (Chan et al.'s pairwise update), then the percentiles column by column.
  const std::array<double, 9> levels = {1, 5, 10, 25, 50, 75, 90, 95, 99};
  std::vector<std::uint64_t> ranks;
  std::vector<double> fractions;
  for (const double p : levels) {
    const double h = static_cast<double>(trials - 1) * p / 100;
    const auto lower = static_cast<std::uint64_t>(h);
    ranks.insert(ranks.end(), {lower, std::min<std::uint64_t>(lower + 1, trials - 1)});
    fractions.push_back(h - static_cast<double>(lower));
  }
  std::printf("%zu trials\n%-17s %12s %12s", trials, "variable", "mean", "sd");
  for (const double p : levels) std::printf(" %11s%g", "P", p);
  std::printf("\n");
  for (int c = 0; c < columns; ++c) {
    double n = 0, mean = 0, squares = 0, lo = stats[0].min[c], hi = stats[0].max[c];
    for (std::size_t b = 0; b < blocks; ++b) {
      const double m = static_cast<double>(std::min(block, trials - b * block));
      const double delta = stats[b].mean[c] - mean;
      mean += delta * m / (n + m);
      squares += stats[b].squares[c] + delta * delta * n * m / (n + m);
      n += m;
      lo = std::min(lo, stats[b].min[c]);
      hi = std::max(hi, stats[b].max[c]);
    }
    const std::vector<double> x = order_statistics(column(c), trials, lo, hi, ranks);
    std::printf("%-17s %12.6g %12.6g", names[c], mean, std::sqrt(squares / (n - 1)));
    for (std::size_t k = 0; k < levels.size(); ++k)
      std::printf(" %12.6g", x[2 * k] + (x[2 * k + 1] - x[2 * k]) * fractions[k]);
    std::printf("\n");
  }
  std::array<std::uint64_t, guidance_lines.size()> inside{};
  std::uint64_t joint = 0;
  for (const BlockStats& s : stats) {
    for (std::size_t g = 0; g < guidance_lines.size(); ++g) inside[g] += s.inside[g];
    joint += s.joint;
  }
  for (std::size_t g = 0; g < guidance_lines.size(); ++g)
    std::printf("P(%s in [%g, %g]) = %.4f\n", names[guidance_lines[g].column], guidance_lines[g].low, guidance_lines[g].high,
                static_cast<double>(inside[g]) / static_cast<double>(trials));
  std::printf("P(all four) = %.4f\n", static_cast<double>(joint) / static_cast<double>(trials));
  std::free(data);
}
