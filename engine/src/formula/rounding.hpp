// Rounding as reported figures are rounded: to the nearest multiple of a decimal step, halves away from
// zero, judged on the decimal digits a double prints as (its shortest decimal that reads back as it),
// not on its binary value. So round_to(0.125, 0.01) = 0.13, round_to(1.005, 0.01) = 1.01 and
// round_to(0.215, 0.01) = 0.22, as the figure written in a report would round, although the doubles
// nearest 1.005 and 0.215 lie just below the half. The result is the double nearest the decimal multiple
// (round_to(0.2249, 0.01) is the double 0.22, as the literal 0.22 is), so it compares equal to a bound
// written with the same digits. docs/formula-language.md states the rule; guidance lines with
// `reported_to` use the same function.
#pragma once

#include <charconv>
#include <cmath>
#include <limits>

namespace guidance::formula {

namespace rounding_detail {

// 10^0 .. 10^22, each exact in a double.
inline double power_of_ten(int d) {
  static constexpr double powers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  return powers[d];
}

// GCC's 128-bit integer, which -Wpedantic would flag at every use.
__extension__ using uint128 = unsigned __int128;

// |x| / (m / 10^d), rounded half up, computed on x's shortest decimal: exact, for the rare quotients
// near a half. Returns -1 when the numbers do not fit 128 bits (the caller keeps its binary answer).
inline double decimal_half_up(double x, double m, int d) {
  char text[32];
  const auto [end, status] = std::to_chars(text, text + sizeof text, std::fabs(x), std::chars_format::scientific);
  if (status != std::errc()) return -1;
  uint128 digits = 0;
  int count = 0;
  const char* p = text;
  for (; p < end && *p != 'e'; ++p) {
    if (*p == '.') continue;
    digits = digits * 10 + static_cast<unsigned>(*p - '0');
    ++count;
  }
  int exponent = 0;
  std::from_chars(p + 1 + (p[1] == '+'), end, exponent);
  // |x| = digits x 10^(exponent - count + 1); step = m x 10^-d.
  const int shift = exponent - count + 1 + d;
  if (shift > 20 || shift < -20) return -1;
  uint128 numerator = digits, denominator = static_cast<uint128>(m);
  for (int i = 0; i < shift; ++i) numerator *= 10;
  for (int i = 0; i > shift; --i) denominator *= 10;
  const uint128 whole = numerator / denominator;
  const uint128 rest = numerator % denominator;
  return static_cast<double>(whole + (2 * rest >= denominator ? 1 : 0));
}

}  // namespace rounding_detail

/// x rounded to the nearest multiple of `step` (> 0), halves away from zero (see above). NaN when x or
/// step is NaN or step is not a positive finite number; an infinite x is returned as it is.
inline double round_to(double x, double step) {
  using namespace rounding_detail;
  if (!(step > 0) || !std::isfinite(step) || x != x) return std::numeric_limits<double>::quiet_NaN();
  if (!std::isfinite(x)) return x;
  // step = m / 10^d with m whole (0.005 = 5 / 10^3), when it has at most 22 decimals and m < 2^53.
  int d = 0;
  double m = step;
  for (; d <= 22; ++d) {
    m = step * power_of_ten(d);
    if (m < 0x1p53 && m == std::floor(m) && m / power_of_ten(d) == step) break;
  }
  if (d > 22) {  // no short decimal step (1/3): plain binary rounding
    const double multiple = std::floor(std::fabs(x) / step + 0.5);
    return multiple == 0 ? 0.0 : std::copysign(multiple * step, x);
  }
  const double scale = power_of_ten(d);
  const double q = std::fabs(x) * scale / m;
  if (q >= 0x1p52) return x;  // no fraction of a step is left to round
  const double below = std::floor(q);
  const double fraction = q - below;
  // q carries at most a few roundings of |x| (relative error below 1e-15): outside this band the
  // binary quotient and x's decimal digits fall on the same side of the half.
  const double band = 1e-9 + q * 1e-14;
  double multiple = below + (fraction > 0.5 ? 1 : 0);
  if (std::fabs(fraction - 0.5) <= band) {
    const double exact = decimal_half_up(x, m, d);
    if (exact >= 0) multiple = exact;
  }
  // A multiple of zero is +0, not -0: a reported -0.00 is 0.00.
  return multiple == 0 ? 0.0 : std::copysign(multiple * m / scale, x);
}

/// x rounded to `digits` decimals (a whole number from -22 to 22; 2 rounds to the cent, -3 to the
/// thousand), as round_to(x, 10^-digits). NaN for other digits.
inline double round_digits(double x, double digits) {
  if (!(digits == std::floor(digits)) || digits < -22 || digits > 22) return std::numeric_limits<double>::quiet_NaN();
  const int d = static_cast<int>(digits);
  return d >= 0 ? round_to(x, 1.0 / rounding_detail::power_of_ten(d)) : round_to(x, rounding_detail::power_of_ten(-d));
}

}  // namespace guidance::formula
