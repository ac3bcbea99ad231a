// The tuning commands' arguments (compare, sweep, solve, propose) read into the engine's typed values
// (tuning.hpp). Every error is an InputError pointing into the argument, shown under its flag
// ("--vary:1:13: error: ..."), or naming the flag when the argument is one number.
//
//   Variation p90 = parse_variation("revenue.p90=1120:1140:5");  // 1120, 1125, 1130, 1135, 1140
//   Bracket bracket = parse_bracket("30%:40%");
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "guidance/report.hpp"
#include "guidance/tuning.hpp"

namespace guidance::args {

/// The index of the variable called `name`, given to `flag` ("--metric"). Throws InputError pointing
/// at the name, with "did you mean" among the model's drivers and metrics.
std::size_t find_variable(const Model& model, const std::string& name, const std::string& flag);

/// "--scenarios a,b,c" -> {"a", "b", "c"}. Throws InputError (path "--scenarios") for an empty name or
/// a name given twice.
std::vector<std::string> parse_variant_list(const std::string& argument);

/// `--vary NAME.PARAM=START:STOP:STEP` (STOP included when a whole number of steps away),
/// `--vary NAME.PARAM=v1,v2,...`, or `--vary NAME.PARAM` (solve); NAME alone is a constant driver.
/// Throws InputError pointing into it (path "--vary"): no name, a value that is not a number,
/// START:STOP:STEP with a STEP <= 0 or STOP < START, percents mixed with plain numbers, more than
/// max_sweep_points values. The variation's name_where and values_where point into the argument.
Variation parse_variation(const std::string& argument);

/// `--bracket LO:HI` with LO < HI (path "--bracket" in errors; Bracket::where is the argument).
Bracket parse_bracket(const std::string& argument);

/// A probability given to `flag` ("0.8" or "80%"); throws InputError naming the flag unless it is in
/// [0, 1], or strictly between 0 and 1 when `exclusive`.
double parse_probability(const std::string& text, std::string_view flag, bool exclusive);

/// `--round STEP` ("0.01", or "0.1%" for a tenth of a point): a finite number above 0. Throws
/// InputError naming the flag, with a hint.
double parse_round_step(const std::string& text);

/// `--center X` ("0.04", "72.5%"): a finite number. Throws InputError naming the flag, with a hint.
double parse_center(const std::string& text);

/// `--metric` names (find_variable) and `--percentiles 10,50,90` (each one of reported_percentiles;
/// path "--percentiles" in errors). Throws InputError.
TuningTable parse_tuning_table(const Model& model, std::span<const std::string> variables,
                               const std::string& percentiles);

}  // namespace guidance::args
