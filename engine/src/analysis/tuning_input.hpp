// What the guidance analytics read besides the scenario: numbers typed on the command line, and the
// scenario with one parameter set per variation.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "guidance/tuning.hpp"

namespace guidance::tuning_detail {

/// A decimal number as typed: [+-] digits [. digits] [(e|E) [+-] digits] [%].
struct Number {
  double value = 0.0;    // "63.5%" -> 0.635
  double written = 0.0;  // "63.5%" -> 63.5
  bool percent = false;
  int decimals = 0;      // decimal places of `written` ("1.2e-1" has 2); negative when its last digit
                         // is above the units ("1.5e3" has -2, "1e308" has -308)
};

/// The number in `text`, or nothing. A percent is folded into the exponent before conversion, so
/// "64.1%" rounds once, exactly as the loader reads it (dividing the double 64.1 by 100 would round
/// twice).
std::optional<Number> parse_number(std::string_view text);

/// An error at characters [first, first + length) of a command-line argument shown as `path`.
InputError argument_error(const std::shared_ptr<const SourceText>& argument, std::size_t first, std::size_t length,
                          std::string message, std::string hint = {});

/// "unknown variable `name`" at `where`, with "did you mean" among the model's drivers and metrics
/// as the hint, or `fallback_hint` when none is close.
[[noreturn]] void unknown_variable(const Model& model, const std::string& name, const SourceLocation& where,
                                   const std::string& fallback_hint);

/// `value` written as an override would write it ("1151.25", "64.3%"), and the value the loader reads.
ParameterValue written(double value, bool percent);

/// `source` with each variation's parameter set to its value (with_parameters, model.hpp), compiled.
/// An error the scenario gives for a setting is moved into that variation's `--vary` argument: on its
/// NAME.PARAM when it is about the name, otherwise on its values and prefixed with the point ("at
/// revenue.sd = -5: sd must be > 0, found -5").
Model load_point(const TuningSource& source, std::span<const Variation> vary,
                 std::span<const ParameterValue> values);

}  // namespace guidance::tuning_detail
