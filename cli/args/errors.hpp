// Engine errors as the command line words them: where a command-line option is the answer to a
// refusal, the hint names it (the engine names no flag). The Python module words its errors the same.
#pragma once

#include "guidance/diagnostics.hpp"

namespace guidance::args {

/// `error`, or for a refusal an option answers (InvalidCorrelations: --repair-correlations) the same
/// error with the option added to its hint.
InputError command_line_error(const InputError& error);

}  // namespace guidance::args
