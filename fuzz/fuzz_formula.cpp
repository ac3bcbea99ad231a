// libFuzzer target: the formula compiler on arbitrary text, and the executor on what it accepts
// (guidance::fuzz::formula_one). A crash, an exception other than InputError, a sanitizer report, a
// hang, or a broken promise of the executor (reported, then abort) is a finding.
#include <cstdio>
#include <cstdlib>

#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string broken = guidance::fuzz::formula_one(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!broken.empty()) {
    std::fprintf(stderr, "fuzz_formula: %s\n", broken.c_str());
    std::abort();  // libFuzzer saves the input
  }
  return 0;
}
