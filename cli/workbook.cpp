#include "workbook.hpp"

#include <cstdio>

#include <sys/stat.h>

#include <fmt/format.h>

#include "guidance/report.hpp"

namespace guidance::cli {

namespace {

/// libxlsxwriter also prints its errors on C's `stderr`, naming the temporary file; the command
/// reports them once, in its own words, so that stream points at /dev/null while it writes. Only the
/// C stream moves: descriptor 2, where a signal's message and std::cerr go, does not.
class QuietLibraryErrors {
 public:
  QuietLibraryErrors() {
    if (sink_ != nullptr) stderr = sink_;
  }
  ~QuietLibraryErrors() {
    stderr = saved_;
    if (sink_ != nullptr) std::fclose(sink_);
  }
  QuietLibraryErrors(const QuietLibraryErrors&) = delete;
  QuietLibraryErrors& operator=(const QuietLibraryErrors&) = delete;

 private:
  std::FILE* saved_ = stderr;
  std::FILE* sink_ = std::fopen("/dev/null", "we");
};

}  // namespace

void check_workbook_output(const RunFlags& flags) {
  if (flags.format != "xlsx") return;
  if (flags.output.empty() || flags.output == "-")
    throw InputError({}, "--format xlsx writes an Excel workbook, which needs --output FILE",
                     "for example --format xlsx --output q4.xlsx");
  // A workbook is a ZIP file, written with seeks back to its headers: a pipe (a FIFO, /dev/stdout
  // into `| cat`) would get the first part of it and then "Illegal seek".
  struct stat target {};
  if (::stat(flags.output.c_str(), &target) == 0 && (S_ISFIFO(target.st_mode) || S_ISSOCK(target.st_mode)))
    throw InputError({}, fmt::format("--format xlsx writes an Excel workbook, which cannot go to the pipe `{}`", flags.output),
                     "write it to a file: --output q4.xlsx");
}

void check_trials_sheet(std::uint64_t trials) {
  if (trials <= max_workbook_trials) return;
  throw InputError({}, fmt::format("a workbook's Trials sheet holds at most {} trials (Excel's rows), found {}",
                                   group_thousands(std::to_string(max_workbook_trials)), group_thousands(std::to_string(trials))),
                   "run fewer trials (with --precision, a smaller --max-trials), or write the trials to a CSV file: "
                   "--samples trials.csv");
}

void write_workbook(const std::string& path, const std::function<void(const std::string& file)>& write) {
  write_output_file(path, [&](const std::string& file) {
    try {
      const QuietLibraryErrors quiet;
      write(file);
      return 0;
    } catch (const WorkbookError& error) {
      // A failed write is reported as every output's is (the disk is full, a file-size limit); what
      // else libxlsxwriter refuses, in its words.
      if (error.system_error != 0) return error.system_error;
      throw InputError({}, fmt::format("cannot write `{}`: {}", path, error.what()),
                       error.hint.empty() ? "check that the directory exists and is writable" : error.hint);
    }
  });
}

}  // namespace guidance::cli
