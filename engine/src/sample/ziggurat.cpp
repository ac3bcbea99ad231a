#include "sample/ziggurat.hpp"

#include <cmath>

#include "guidance/random.hpp"
#include "sample/philox.hpp"
#include "simd/lanes_exp.hpp"
#include "simd/lanes_log.hpp"

namespace guidance::sample_detail {

namespace {

double log_of(double x) { return detail::lanes_log(detail::lanes_of(x))[0]; }

/// f(x) = exp(-x^2 / 2) for 0 <= x <= 40.
double density(double x) {
  const detail::ScaledExp e = detail::exp_of_sum(detail::lanes_of(-0.5 * x * x), detail::lanes_of(0.0));
  return e.value[0] * e.scale[0];
}

Ziggurat build() {
  constexpr int n = Ziggurat::layers;
  constexpr double r = Ziggurat::tail_start, v = Ziggurat::layer_area;
  double x[n + 1];
  x[0] = v / density(r);
  x[1] = r;
  // Layer i - 1 has area v: x_{i-1} (f(x_i) - f(x_{i-1})) = v.
  for (int i = 2; i < n; ++i) x[i] = std::sqrt(-2.0 * log_of(v / x[i - 1] + density(x[i - 1])));
  x[n] = 0.0;
  Ziggurat table;
  for (int i = 0; i < n; ++i) {
    table.scale[i] = x[i] * 0x1p-53;
    table.inner[i] = x[i + 1];
  }
  for (int i = 0; i <= n; ++i) table.height[i] = i == n ? 1.0 : density(x[i]);
  return table;
}

}  // namespace

const Ziggurat& ziggurat() {
  static const Ziggurat table = build();
  return table;
}

std::uint64_t retry_stream(std::uint64_t stream, std::uint64_t k) {
  constexpr std::uint64_t ziggurat_salt = 0x7a16'6a74'0000'0000ull;  // apart from the small salts of designs
  return salted_stream(stream, ziggurat_salt + k);
}

double ziggurat_normal(std::uint64_t seed, std::uint64_t stream, std::uint64_t trial, std::uint64_t word) {
  const Ziggurat& table = ziggurat();
  constexpr double r = Ziggurat::tail_start;
  std::uint64_t k = 0;
  for (;;) {
    double z;
    if (ziggurat_fast(table, word, z)) return z;
    const unsigned layer = word & 0xff;
    const bool negative = (word >> 8 & 1) != 0;
    auto extra = philox_pair(seed, retry_stream(stream, ++k), trial);
    if (layer == 0) {
      // Beyond R: x = R + a with a exponential of rate R, kept with probability exp(-a^2 / 2), which
      // the test b > a^2 / 2 with b exponential of rate 1 decides (Marsaglia 1964).
      for (;;) {
        const double a = -log_of(open_unit(extra[0])) / r;
        const double b = -log_of(open_unit(extra[1]));
        if (b + b > a * a) return negative ? -(r + a) : r + a;
        extra = philox_pair(seed, retry_stream(stream, ++k), trial);
      }
    }
    // The wedge: a height uniform over the layer's, kept when under the curve at x = |z|.
    const double height =
        table.height[layer] + open_unit(extra[0]) * (table.height[layer + 1] - table.height[layer]);
    if (height < density(std::fabs(z))) return z;
    word = extra[1];  // a new draw from the start
  }
}

}  // namespace guidance::sample_detail
