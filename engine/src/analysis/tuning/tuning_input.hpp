// What sweep and solve share: errors placed in the caller's text, and the model at a point (the
// scenario with one parameter set per variation).
#pragma once

#include <memory>
#include <span>
#include <string>

#include "guidance/tuning.hpp"

namespace guidance::tuning_detail {

/// An error at characters [first, first + length) of a one-line text shown as its path.
InputError text_error(const std::shared_ptr<const SourceText>& text, std::size_t first, std::size_t length,
                      std::string message, std::string hint = {});

/// "unknown variable `name`" at `where`, with "did you mean" among the model's drivers and metrics
/// as the hint, or `fallback_hint` when none is close.
[[noreturn]] void unknown_variable(const Model& model, const std::string& name, const SourceLocation& where,
                                   const std::string& fallback_hint);

/// `value` written as a person would write it ("1151.25", "64.3%"), and the value the loader reads.
ParameterValue written(double value, bool percent);

/// `source` with each variation's parameter set to its value (with_parameters, model.hpp), compiled.
/// An error the scenario gives for a setting is moved to where the caller wrote that variation: on
/// its name_where when it is about the name, otherwise on its values_where and prefixed with the point
/// ("at revenue.sd = -5: sd must be > 0, found -5").
Model load_point(const TuningSource& source, std::span<const Variation> vary,
                 std::span<const ParameterValue> values);

}  // namespace guidance::tuning_detail
