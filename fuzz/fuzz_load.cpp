// libFuzzer target: the scenario loader on arbitrary bytes, then the model builder and a short run
// (guidance::fuzz::load_one). A crash, an exception other than InputError, a sanitizer report, a hang
// (-timeout) or a leak is a finding.
#include <tbb/global_control.h>

#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // One thread: libFuzzer measures coverage and time per input, and oneTBB's workers add nothing here.
  static const tbb::global_control one_thread(tbb::global_control::max_allowed_parallelism, 1);
  guidance::fuzz::load_one(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
