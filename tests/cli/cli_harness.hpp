// Runs the `guidance` executable as a user would, capturing stdout, stderr and the exit status.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace guidance::test {

struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A fresh scratch directory per test process.
inline std::filesystem::path scratch_dir() {
  static const std::filesystem::path dir = [] {
    auto path = std::filesystem::temp_directory_path() / ("guidance-cli-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
    return path;
  }();
  return dir;
}

/// Run `guidance ARGS` (a shell-quoted argument string) from the source directory. `stdout_to`, when
/// given, is the redirection of stdout in place of the captured file (">/dev/full", ">&-"), and
/// `before` a shell command run first in the same shell ("ulimit -f 1;").
inline Outcome guidance(const std::string& args, const std::string& stdout_to = "", const std::string& before = "") {
  const auto out = scratch_dir() / "stdout", err = scratch_dir() / "stderr";
  std::filesystem::remove(out);
  const std::string command = "cd '" GUIDANCE_SOURCE_DIR "' && " + before + " NO_COLOR=1 '" GUIDANCE_CLI "' " + args +
                              " " + (stdout_to.empty() ? ">'" + out.string() + "'" : stdout_to) + " 2>'" +
                              err.string() + "' </dev/null";
  const int raw = std::system(command.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw), slurp(out), slurp(err)};
}

/// Write a file into the scratch directory and return its path.
inline std::string scratch_file(const std::string& name, const std::string& text) {
  const auto path = scratch_dir() / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

}  // namespace guidance::test
