#include "args/errors.hpp"

#include "guidance/model.hpp"

namespace guidance::args {

InputError command_line_error(const InputError& error) {
  if (dynamic_cast<const InvalidCorrelations*>(&error) == nullptr) return error;
  return InputError(error.where(), error.message(), error.hint() + " (or --repair-correlations)");
}

}  // namespace guidance::args
