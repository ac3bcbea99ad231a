#include "workbook.hpp"

#include <cstdio>

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
  if (flags.format != "xlsx" || (!flags.output.empty() && flags.output != "-")) return;
  throw InputError({}, "--format xlsx writes an Excel workbook, which needs --output FILE",
                   "for example --format xlsx --output q4.xlsx");
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
                       "check that the directory exists and is writable");
    }
  });
}

}  // namespace guidance::cli
