// Counter-based uniforms: the real Philox4x32-10, a pure function of (seed, stream, trial), uniform
// and independent across streams.
#include <algorithm>
#include <functional>
#include <cmath>
#include <random>
#include <vector>

#include <Random123/philox.h>
#include <catch2/catch.hpp>

#include "guidance/random.hpp"
#include "sample/philox.hpp"
#include "sample/ziggurat.hpp"
#include "special_values.hpp"

using namespace guidance;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

/// Pearson correlation of two equally long columns.
double correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) mx += x[i] / n, my += y[i] / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

std::vector<double> stream_values(std::uint64_t seed, std::uint64_t stream, std::size_t n, std::uint64_t first = 0) {
  std::vector<double> values(n);
  uniforms(seed, stream, first, values);
  return values;
}

}  // namespace

TEST_CASE("the generator is Random123's Philox4x32-10 (its known-answer vectors)", "[random]") {
  using Philox = r123::Philox4x32_R<10>;
  struct Vector {
    Philox::ctr_type counter;
    Philox::key_type key;
    Philox::ctr_type expected;
  };
  // Random123 1.14, examples/kat_vectors: philox4x32 10 counter key -> output.
  const Vector v = GENERATE(
      Vector{{{0, 0, 0, 0}}, {{0, 0}}, {{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}}},
      Vector{{{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}}, {{0xffffffff, 0xffffffff}},
             {{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}}},
      Vector{{{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}}, {{0xa4093822, 0x299f31d0}},
             {{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}}});
  CHECK(Philox()(v.counter, v.key) == v.expected);
}

TEST_CASE("uniform() is the published Philox output, mapped to the odd multiples of 2^-53", "[random]") {
  // Seed 0, stream 0, trials 0 and 1: counter (0, 0, 0, 0), key (0, 0); trial 0 takes output words
  // 0 and 1 (low half first), trial 1 words 2 and 3; u = (2 (w >> 12) + 1) / 2^53.
  const auto expected = [](std::uint64_t word) { return static_cast<double>(2 * (word >> 12) + 1) * 0x1p-53; };
  CHECK(uniform(0, 0, 0) == expected(0xe169c58d6627e8d5ull));
  CHECK(uniform(0, 0, 1) == expected(0x9b00dbd8bc57ac4cull));
}

TEST_CASE("pinned values: a seed gives the same numbers in every version", "[random]") {
  // Computed once with this implementation and pinned: a change here changes every result.
  const std::uint64_t revenue = stream_id("revenue");
  CHECK(uniform(42, revenue, 0) == 0x1.e86541f05adcfp-1);
  CHECK(uniform(42, revenue, 1) == 0x1.70e49ff1d3af9p-1);
  CHECK(uniform(42, revenue, 123'456'789) == 0x1.724237eabba48p-4);
  CHECK(uniform(7, stream_id("gross_margin", 3), 10'000'000'000) == 0x1.d6e76cec0a4b8p-4);
}

TEST_CASE("the block loop's baseline and AVX-512 builds agree bit for bit, and with uniform()", "[random]") {
  // Every machine must draw the same trials, whichever build the CPU picks. Pairs whose counter
  // crosses a 32-bit boundary check the carry into the counter's second word.
  const std::uint64_t stream = stream_id("revenue");
  const std::uint64_t first_pair = GENERATE(std::uint64_t{0}, std::uint64_t{0xffffffff} - 100, std::uint64_t{1} << 40);
  const std::size_t pairs = GENERATE(std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{1031});
  std::vector<double> baseline(2 * pairs), avx512(2 * pairs);
  sample_detail::uniform_pairs_baseline(42, stream, first_pair, pairs, baseline.data());
  if (!sample_detail::uniform_pairs_avx512(42, stream, first_pair, pairs, avx512.data())) SUCCEED("no AVX-512 here");
  else CHECK(guidance::test::same_bits(baseline, avx512));
  for (std::size_t k = 0; k < baseline.size(); ++k) CHECK(baseline[k] == uniform(42, stream, 2 * first_pair + k));
}

TEST_CASE("stream ids: FNV-1a of the name, salted by a bijection", "[random]") {
  // FNV-1a 64 of "" and of "a" (the published test values), then x ^ (x >> 31).
  CHECK(stream_id("") == (0xcbf29ce484222325ull ^ (0xcbf29ce484222325ull >> 31)));
  CHECK(stream_id("a") == (0xaf63dc4c8601ec8cull ^ (0xaf63dc4c8601ec8cull >> 31)));
  const std::string name = GENERATE("revenue", "cogs", "opex", "");
  const std::uint64_t salt = GENERATE(0u, 1u, 2u, 0xffffffffffffffffull);
  CHECK(salted_stream(stream_id(name), salt) == stream_id(name, salt));
  if (salt != 0) CHECK(stream_id(name, salt) != stream_id(name));
  static_assert(stream_id("revenue") != stream_id("revenue", 1));
}

TEST_CASE("any cut of the trials into blocks gives the same uniforms and the same normals", "[random]") {
  struct Sequence {
    const char* name;
    double (*one)(std::uint64_t, std::uint64_t, std::uint64_t);
    void (*block)(std::uint64_t, std::uint64_t, std::uint64_t, std::span<double>);
  };
  const Sequence sequence = GENERATE(Sequence{"uniforms", &uniform, &uniforms}, Sequence{"normals", &normal, &normals});
  CAPTURE(sequence.name);
  constexpr std::size_t n = 10'000;
  const std::uint64_t seed = 2024, stream = stream_id("revenue");
  std::vector<double> reference(n);
  for (std::size_t t = 0; t < n; ++t) reference[t] = sequence.one(seed, stream, t);

  SECTION("fixed block sizes, odd and even") {
    const std::size_t block = GENERATE(1, 2, 3, 7, 64, 1000, 2047, 2048, 4999, 10'000);
    std::vector<double> cut(n);
    for (std::size_t first = 0; first < n; first += block)
      sequence.block(seed, stream, first, std::span(cut).subspan(first, std::min(block, n - first)));
    CHECK(cut == reference);
  }
  SECTION("random cut points") {
    std::mt19937_64 engine(GENERATE(1, 2, 3, 4, 5));
    std::vector<std::size_t> cuts = {0, n};
    for (int i = 0; i < 40; ++i) cuts.push_back(engine() % n);
    std::sort(cuts.begin(), cuts.end());
    std::vector<double> cut(n);
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i)
      sequence.block(seed, stream, cuts[i], std::span(cut).subspan(cuts[i], cuts[i + 1] - cuts[i]));
    CHECK(cut == reference);
  }
}

TEST_CASE("uniforms lie on the open grid and pass Kolmogorov-Smirnov and chi-square", "[random]") {
  constexpr std::size_t n = 1'000'000;
  std::vector<double> u = stream_values(GENERATE(1u, 99u), stream_id("revenue"), n);
  CHECK(std::all_of(u.begin(), u.end(), [](double x) {
    const double scaled = x * 0x1p53;  // an odd integer in [1, 2^53 - 1]
    return scaled >= 1 && scaled <= 0x1p53 - 1 && std::fmod(scaled, 2.0) == 1.0;
  }));
  // Chi-square over 1000 equal bins: 999 degrees of freedom, mean 999, sd sqrt(2 * 999) = 44.7;
  // accept within 5 sd (a false alarm about once in 3.5 million runs).
  std::vector<double> bins(1000);
  for (const double x : u) bins[static_cast<std::size_t>(x * 1000)] += 1;
  double chi2 = 0;
  for (const double count : bins) chi2 += (count - n / 1000.0) * (count - n / 1000.0) / (n / 1000.0);
  CHECK_THAT(chi2, WithinAbs(999, 5 * std::sqrt(2 * 999.0)));
  // Kolmogorov-Smirnov: P(sqrt(n) D > x) ~ 2 exp(-2 x^2); x = 2.69 for a false alarm rate of 1e-6.
  std::sort(u.begin(), u.end());
  double d = 0;
  for (std::size_t i = 0; i < n; ++i) d = std::max({d, u[i] - double(i) / n, double(i + 1) / n - u[i]});
  CHECK(std::sqrt(double(n)) * d < 2.69);
}

TEST_CASE("streams, seeds and neighbouring trials are uncorrelated", "[random]") {
  // The correlation of n independent pairs has standard error 1/sqrt(n) = 0.001; accept 4.5 of them.
  constexpr std::size_t n = 1'000'000;
  const double tolerance = 4.5 / std::sqrt(double(n));
  const std::uint64_t revenue = stream_id("revenue");
  const std::vector<double> base = stream_values(1, revenue, n);
  SECTION("another name") { CHECK_THAT(correlation(base, stream_values(1, stream_id("cogs"), n)), WithinAbs(0, tolerance)); }
  SECTION("the next stream id") { CHECK_THAT(correlation(base, stream_values(1, revenue + 1, n)), WithinAbs(0, tolerance)); }
  SECTION("a salt") { CHECK_THAT(correlation(base, stream_values(1, stream_id("revenue", 1), n)), WithinAbs(0, tolerance)); }
  SECTION("the next seed") { CHECK_THAT(correlation(base, stream_values(2, revenue, n)), WithinAbs(0, tolerance)); }
  SECTION("the next trial (the two halves of one Philox call, and across calls)") {
    const std::vector<double> shifted = stream_values(1, revenue, n, 1);
    CHECK_THAT(correlation(base, shifted), WithinAbs(0, tolerance));
  }
}

// ---- normals: the ziggurat ------------------------------------------------------------------------

namespace {

std::vector<double> stream_normals(std::uint64_t seed, std::uint64_t stream, std::size_t n, std::uint64_t first = 0) {
  std::vector<double> values(n);
  normals(seed, stream, first, values);
  return values;
}

/// Phi(x) - Phi(y) for 0 <= y <= x, in the upper tail without cancellation.
double normal_mass(double y, double x) {
  return 0.5 * (std::erfc(y / std::sqrt(2.0)) - std::erfc(x / std::sqrt(2.0)));
}

/// Pearson's chi-square of counts against expected counts, as a z-score: (chi2 - df) / sqrt(2 df),
/// which is near N(0, 1) for many degrees of freedom.
double chi_square_z(const std::vector<double>& counts, const std::vector<double>& expected) {
  double chi2 = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) chi2 += (counts[i] - expected[i]) * (counts[i] - expected[i]) / expected[i];
  const double df = static_cast<double>(counts.size() - 1);
  return (chi2 - df) / std::sqrt(2 * df);
}

}  // namespace

TEST_CASE("the ziggurat's layers: equal areas that close at 0", "[random][normal]") {
  const sample_detail::Ziggurat& table = sample_detail::ziggurat();
  constexpr int n = sample_detail::Ziggurat::layers;
  constexpr double r = sample_detail::Ziggurat::tail_start, v = sample_detail::Ziggurat::layer_area;
  const auto f = [](double x) { return std::exp(-0.5 * x * x); };
  const auto edge = [&](int i) { return i == n ? 0.0 : table.scale[i] * 0x1p53; };
  // The base: its rectangle to R plus the tail, whose area is sqrt(pi / 2) erfc(R / sqrt 2).
  CHECK_THAT(r * f(r) + std::sqrt(std::acos(-1.0) / 2) * std::erfc(r / std::sqrt(2.0)), WithinRel(v, 1e-14));
  CHECK_THAT(edge(0) * f(r), WithinRel(v, 1e-14));
  CHECK(table.inner[0] == r);
  for (int i = 1; i < n; ++i) {
    CAPTURE(i);
    CHECK(edge(i + 1) < edge(i));
    CHECK(table.inner[i] == edge(i + 1));
    CHECK_THAT(table.height[i], WithinRel(f(edge(i)), 1e-15));
    // Layer i is [0, x_i] x [f(x_i), f(x_{i+1})]: area V, the last one up to f(0) = 1 included.
    CHECK_THAT(edge(i) * ((i + 1 == n ? 1.0 : f(edge(i + 1))) - f(edge(i))), WithinRel(v, 1e-11));
  }
  CHECK(table.height[n] == 1.0);
}

TEST_CASE("normals: the block loop's builds agree bit for bit with normal(), through every path", "[random][normal]") {
  // 2 x 300,000 trials pass through every branch: the fast path, the wedge accepted, the wedge rejected
  // and the draw begun again, and the tail; the counts below show that each was taken.
  const std::uint64_t stream = stream_id("revenue");
  const std::uint64_t first_pair = GENERATE(std::uint64_t{0}, std::uint64_t{0xffffffff} - 100, std::uint64_t{1} << 40);
  const std::size_t pairs = GENERATE(std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{1031}, std::size_t{300'001});
  std::vector<double> baseline(2 * pairs), avx512(2 * pairs);
  sample_detail::normal_pairs_baseline(42, stream, first_pair, pairs, baseline.data());
  if (!sample_detail::normal_pairs_avx512(42, stream, first_pair, pairs, avx512.data())) SUCCEED("no AVX-512 here");
  else CHECK(guidance::test::same_bits(baseline, avx512));

  const sample_detail::Ziggurat& table = sample_detail::ziggurat();
  std::size_t fast = 0, wedge_kept = 0, redrawn = 0, tail = 0, mismatches = 0;
  for (std::size_t k = 0; k < baseline.size(); ++k) {
    const std::uint64_t trial = 2 * first_pair + k;
    mismatches += baseline[k] == normal(42, stream, trial) ? 0 : 1;
    const std::uint64_t word = sample_detail::random_bits(42, stream, trial);
    double z;
    if (sample_detail::ziggurat_fast(table, word, z)) ++fast;
    else if ((word & 0xff) == 0) ++tail;
    else if (baseline[k] == z) ++wedge_kept;
    else ++redrawn;
  }
  CHECK(mismatches == 0);
  if (pairs == 300'001) {
    CHECK(fast > 0.98 * static_cast<double>(baseline.size()));
    CHECK(wedge_kept > 1000);
    CHECK(redrawn > 100);
    CHECK(tail > 50);
  }
}

TEST_CASE("pinned normals: a seed gives the same draws in every version", "[random][normal]") {
  // Computed once with this implementation and pinned: a change here changes every Monte Carlo result.
  const std::uint64_t revenue = stream_id("revenue");
  CHECK(normal(42, revenue, 0) == -0x1.4423f4326222dp+0);
  CHECK(normal(42, revenue, 1) == -0x1.2c645f9b7f57dp-1);
  CHECK(normal(42, revenue, 123'456'789) == 0x1.a00e17230b29ep-3);
  CHECK(normal(7, stream_id("gross_margin", 3), 10'000'000'000) == -0x1.9c0eef2248babp-5);
}

TEST_CASE("normals have the normal's mass in every layer, its shape inside them, and its tail", "[random][normal]") {
  // 20 million draws. Each check is a chi-square z-score or a count's deviation in standard errors,
  // accepted within 5 (a false alarm about once in 3.5 million runs for each).
  constexpr std::size_t n = 20'000'000;
  const std::vector<double> z = stream_normals(GENERATE(1u, 77u), stream_id("revenue"), n);
  const sample_detail::Ziggurat& table = sample_detail::ziggurat();
  constexpr int layers = sample_detail::Ziggurat::layers;
  constexpr double r = sample_detail::Ziggurat::tail_start;

  SECTION("the mass between consecutive layer edges x_i (the wedges' share included), and beyond R") {
    // Bins: [x_{i+1}, x_i) of |z| for the layers above the base, then [R, inf).
    std::vector<double> edges;  // descending: x_1 = R, ..., x_255
    for (int i = 1; i < layers; ++i) edges.push_back(table.scale[i] * 0x1p53);
    std::vector<double> counts(edges.size() + 1), expected(edges.size() + 1);
    for (const double x : z) {
      const double a = std::fabs(x);
      const auto bin = static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), a, std::greater<>()) - edges.begin());
      counts[bin] += 1;  // bin 0: beyond R; bin j: [x_{j+1}, x_j)
    }
    expected[0] = n * 2 * normal_mass(r, INFINITY);
    for (std::size_t j = 1; j <= edges.size(); ++j)
      expected[j] = n * 2 * normal_mass(j < edges.size() ? edges[j] : 0.0, edges[j - 1]);
    CHECK(std::abs(chi_square_z(counts, expected)) < 5);
  }
  SECTION("2,000 equally likely bins: the shape inside the layers") {
    constexpr std::size_t bins = 2000;
    std::vector<double> counts(bins), expected(bins, double(n) / bins);
    for (const double x : z) {
      const double u = 0.5 * std::erfc(-x / std::sqrt(2.0));
      counts[std::min(bins - 1, static_cast<std::size_t>(u * bins))] += 1;
    }
    CHECK(std::abs(chi_square_z(counts, expected)) < 5);
  }
  SECTION("the tail beyond R, its shape and its far end") {
    std::vector<double> beyond;
    for (const double x : z)
      if (std::fabs(x) > r) beyond.push_back(std::fabs(x));
    // About 5,200 draws beyond R: their count, and their spread over bins of the conditional tail.
    const double tail = 2 * normal_mass(r, INFINITY);
    CHECK(std::abs(static_cast<double>(beyond.size()) - n * tail) < 5 * std::sqrt(n * tail));
    const std::vector<double> cuts = {r, 3.75, 3.9, 4.1, 4.4, INFINITY};
    std::vector<double> counts(cuts.size() - 1), expected(cuts.size() - 1);
    for (const double x : beyond) counts[static_cast<std::size_t>(std::upper_bound(cuts.begin(), cuts.end(), x) - cuts.begin() - 1)] += 1;
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i) expected[i] = n * 2 * normal_mass(cuts[i], cuts[i + 1]);
    CHECK(std::abs(chi_square_z(counts, expected)) < 5);
    // Beyond 4.5: about 136 expected.
    const double far = 2 * normal_mass(4.5, INFINITY);
    const auto beyond_far = std::count_if(beyond.begin(), beyond.end(), [](double x) { return x > 4.5; });
    CHECK(std::abs(static_cast<double>(beyond_far) - n * far) < 5 * std::sqrt(n * far));
  }
  SECTION("symmetric, with the normal's moments") {
    double sum = 0, squares = 0, fourth = 0, positive = 0;
    for (const double x : z) {
      sum += x;
      squares += x * x;
      fourth += x * x * x * x;
      positive += x > 0 ? 1 : 0;
    }
    const double root_n = std::sqrt(double(n));
    CHECK(std::abs(sum / n) < 5 / root_n);                   // sd of the mean: 1 / sqrt(n)
    CHECK(std::abs(squares / n - 1) < 5 * std::sqrt(2.0) / root_n);  // sd of z^2: sqrt(2)
    CHECK(std::abs(fourth / n - 3) < 5 * std::sqrt(96.0) / root_n);  // sd of z^4: sqrt(105 - 9)
    CHECK(std::abs(positive / n - 0.5) < 5 * 0.5 / root_n);
  }
}

TEST_CASE("normal draws of neighbouring trials, streams and seeds are uncorrelated", "[random][normal]") {
  constexpr std::size_t n = 1'000'000;
  const double tolerance = 4.5 / std::sqrt(double(n));
  const std::uint64_t revenue = stream_id("revenue");
  const std::vector<double> base = stream_normals(1, revenue, n);
  CHECK_THAT(correlation(base, stream_normals(1, stream_id("cogs"), n)), WithinAbs(0, tolerance));
  CHECK_THAT(correlation(base, stream_normals(2, revenue, n)), WithinAbs(0, tolerance));
  CHECK_THAT(correlation(base, stream_normals(1, revenue, n, 1)), WithinAbs(0, tolerance));
  // The same trial's uniform: the normal is drawn from the same word, but not as its quantile.
  CHECK_THAT(correlation(base, stream_values(1, revenue, n)), WithinAbs(0, tolerance));
}
