// A decimal number as a person types it, read by the loader's rules: what a command-line value, a
// Python argument or a solve target holds.
//
//   read_decimal("63.5%")  -> {.value = 0.635, .written = 63.5, .percent = true, .decimals = 1}
//   read_decimal("1.2e3")  -> {.value = 1200, .written = 1200, .percent = false, .decimals = -2}
//   read_decimal("1,115")  -> nullopt
#pragma once

#include <optional>
#include <string_view>

namespace guidance {

/// [+-] digits [. digits] [(e|E) [+-] digits] [%], finite.
struct Decimal {
  double value = 0.0;    // "63.5%" -> 0.635
  double written = 0.0;  // "63.5%" -> 63.5
  bool percent = false;
  int decimals = 0;      // decimal places of `written` ("1.2e-1" has 2); negative when its last digit
                         // is above the units ("1.5e3" has -2, "1e308" has -308)
};

/// The number in `text`, or nothing (no digits, other characters, an exponent of more than six
/// digits unless the number is zero, a value beyond the doubles). A percent is folded into the exponent before conversion, so
/// "64.1%" rounds once, exactly as the loader reads it (dividing the double 64.1 by 100 would round
/// twice).
std::optional<Decimal> read_decimal(std::string_view text);

}  // namespace guidance
