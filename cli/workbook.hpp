// `--format xlsx`: the Excel workbook of run, compare, sweep, sensitivity and propose
// (docs/output-format.md, "workbook"), written through the staged outputs (outputs.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "options.hpp"

namespace guidance::cli {

/// Before any work: throws InputError when --format xlsx has no --output file (a workbook is a file,
/// not text for stdout or a terminal), or its output is a pipe (a ZIP file is written with seeks).
void check_workbook_output(const RunFlags& flags);

/// Before simulating: throws InputError when a Trials sheet would need more rows than Excel has
/// (`trials`, the most the run may have), with a hint to write the trials as CSV instead.
void check_trials_sheet(std::uint64_t trials);

/// Write the workbook to `path` with `write` (one of report.hpp's write_*_workbook, given the file to
/// write): staged as every output, a failure of libxlsxwriter an InputError naming `path` (exit 2).
void write_workbook(const std::string& path, const std::function<void(const std::string& file)>& write);

}  // namespace guidance::cli
