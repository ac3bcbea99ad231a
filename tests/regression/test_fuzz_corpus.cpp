// The fuzzers' checked-in corpora (fuzz/corpus/load, fuzz/corpus/formula: the seeds, and every input
// that once crashed a fuzzer) replayed through the fuzzers' own code, so that the ordinary and the
// sanitizer test suites check them on every run, with GCC as well as clang.
#include <catch2/catch.hpp>

#include <tbb/global_control.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fuzz/targets.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> corpus(const std::string& name) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(GUIDANCE_SOURCE_DIR) / "fuzz" / "corpus" / name))
    files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("every scenario of the loader's corpus loads, or fails with an InputError") {
  const std::vector<fs::path> files = corpus("load");
  REQUIRE(files.size() > 30);
  const tbb::global_control one_thread(tbb::global_control::max_allowed_parallelism, 1);
  for (const fs::path& file : files) {
    INFO(file.filename().string());
    CHECK_NOTHROW(guidance::fuzz::load_one(read(file)));
  }
}

TEST_CASE("every formula of the formula corpus compiles and keeps the executor's promises, or fails with an InputError") {
  const std::vector<fs::path> files = corpus("formula");
  REQUIRE(files.size() > 30);
  for (const fs::path& file : files) {
    INFO(file.filename().string());
    std::string broken;
    CHECK_NOTHROW(broken = guidance::fuzz::formula_one(read(file)));
    CHECK(broken == "");
  }
}
