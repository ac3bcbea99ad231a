// The batched bootstrap on its own: batches of trials in order, and 95% intervals that cover.
#include <catch2/catch.hpp>

#include <boost/math/distributions/normal.hpp>

#include "analysis/sensitivity/bootstrap.hpp"
#include "analysis/sensitivity_testing.hpp"
#include "guidance/random.hpp"

using namespace guidance;
using guidance::analysis::BatchedSums;

TEST_CASE("batches are consecutive trials, at most max_batches of them, and cells never straddle chunks") {
  const auto [rows, chunk] =
      GENERATE(std::pair{std::uint64_t{10}, std::size_t{4}}, std::pair{std::uint64_t{5000}, std::size_t{2048}},
               std::pair{std::uint64_t{1'000'000}, std::size_t{256}});
  CAPTURE(rows, chunk);
  BatchedSums sums(rows, 1, chunk);
  for (std::uint64_t row = 0; row < rows; ++row) sums.cell(row)[0] += static_cast<double>(row);
  const std::vector<double> batches = sums.batch_sums();
  CHECK(batches.size() == sums.batch_count());
  CHECK(sums.batch_count() <= analysis::max_batches);
  CHECK((sums.batch_count() > analysis::max_batches / 2 || sums.batch_count() == rows));
  CHECK(chunk % sums.cell_rows() == 0);
  // The first batch holds trials 0 .. k - 1 where k = rows per batch.
  const std::uint64_t per_batch = (rows + sums.batch_count() - 1) / sums.batch_count();
  CHECK(batches[0] == static_cast<double>(per_batch * (per_batch - 1) / 2));
  double total = 0.0;
  for (const double b : batches) total += b;
  CHECK(total == static_cast<double>(rows * (rows - 1) / 2));
}

TEST_CASE("the percentile bootstrap of a mean covers the true mean at the nominal rate") {
  // 500 runs of 500 standard normals each (their own seeds); the interval for the mean must cover 0
  // at 95% within 4.5 binomial standard errors (check_coverage).
  constexpr std::size_t runs = 500, n = 500;
  std::size_t covered = 0;
  for (std::uint64_t seed = 1; seed <= runs; ++seed) {
    std::vector<double> u(n);
    uniforms(seed, stream_id("test data"), 0, u);
    BatchedSums sums(n, 2, 512);
    for (std::size_t i = 0; i < n; ++i) {
      const std::span<double> cell = sums.cell(i);
      cell[0] += 1.0;
      cell[1] += quantile(boost::math::normal_distribution<double>(), u[i]);
    }
    const analysis::BootstrapEstimates mean = analysis::bootstrap(
        sums.batch_sums(), 2, 1, [](std::span<const double> s, std::span<double> out) { out[0] = s[1] / s[0]; }, 1000,
        seed, stream_id("test bootstrap"));
    covered += mean.intervals[0].low <= 0.0 && 0.0 <= mean.intervals[0].high;
  }
  guidance::test::check_coverage(covered, runs);
}

TEST_CASE("no interval is given from batches too few to resample") {
  // n batches of one trial each, of which `empty` count no trial (their outputs were not finite).
  const auto intervals = [](std::size_t n, std::size_t empty) {
    std::vector<double> batches;
    for (std::size_t b = 0; b < n; ++b) batches.insert(batches.end(), {b < empty ? 0.0 : 1.0, static_cast<double>(b)});
    return analysis::bootstrap(
               batches, 2, 1, [](std::span<const double> s, std::span<double> out) { out[0] = s[1] / s[0]; }, 1000, 1,
               stream_id("test bootstrap"))
        .intervals[0];
  };
  const std::size_t enough = analysis::min_bootstrap_batches;
  CHECK(std::isnan(intervals(enough - 1, 0).low));
  CHECK(std::isnan(intervals(enough - 1, 0).high));
  CHECK(std::isnan(intervals(enough + 2, 3).low));  // only enough - 1 count a trial
  const Interval ci = intervals(enough, 0);
  CHECK(ci.low < ci.high);
}
