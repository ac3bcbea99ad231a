// A command's outputs (stdout, --output, --samples, --report): every write checked, and the files
// written whole or not at all, all together.
//
//   write_output(samples, write_csv);   // staged: a temporary file beside `samples`, synced to disk
//   write_output("", table);            // stdout: written and checked at once
//   commit_outputs();                   // main, once the command succeeded: every staged file renamed
//                                       // into place, then their directories synced
//
// A failed write throws InputError naming where the output was going (exit status 2); a pipe whose
// reader has gone throws ReaderGone (exit status 141, quietly, as `cat` and `seq` end).
#pragma once

#include <exception>
#include <functional>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace guidance::cli {

/// Stdout, or a pipe given as an output, was closed by its reader (`guidance run ... | head`).
struct ReaderGone : std::exception {
  const char* what() const noexcept override { return "the reader of the output has gone"; }
};

/// First thing in main: std::cout writes through a buffer that keeps the first error, and a standard
/// stream the caller closed (`>&-`) is opened on /dev/null the wrong way round, so that writing to it
/// fails with EBADF instead of into the next file the run opens.
void prepare_standard_streams();

/// Write an output. "" or "-" is stdout, written at once; a device or a pipe (/dev/null, a FIFO) is
/// written at once too; a file is staged in a temporary file beside it (beside the file a symbolic
/// link names), synced to disk, and put in place by commit_outputs(). An existing file's permissions
/// are kept. Throws InputError or ReaderGone; a file that fails leaves nothing behind.
void write_output(const std::string& path, const std::function<void(std::ostream&)>& write);
void write_output(const std::string& path, const std::string& text);
/// Write an output that a library writes to a file it names itself (the Excel workbook): `write` gets
/// the file to write, the staged temporary for a file, else the device itself, and returns the errno of
/// a failed write or 0. Errors as write_output; std::invalid_argument for stdout ("" or "-"), which the
/// command refuses before any work.
void write_output_file(const std::string& path, const std::function<int(const std::string& file)>& write);

/// From now on write_output() and write_output_file() write nothing: this process is not the one of
/// its MPI job that writes (cluster.hpp).
void write_no_outputs();

/// Rename every staged file over its target and sync their directories: each file is replaced
/// atomically and durably. From its start a signal is ignored, so that the run ends with its own
/// status. Throws InputError when a rename fails.
void commit_outputs();
/// Remove every staged file, replacing nothing: the command failed.
void discard_outputs();

/// Flush std::cout (outputs, and what else went through it: --help) and throw InputError or
/// ReaderGone when any write to it failed.
void flush_stdout();

/// Before any work: throws InputError when an output (flag name, path; "" and "-" are stdout) would
/// overwrite the scenario file, or names the same file as another output.
void check_output_paths(const std::string& scenario_file,
                        std::initializer_list<std::pair<std::string_view, std::string_view>> outputs);

}  // namespace guidance::cli
