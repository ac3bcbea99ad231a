// Reading a finished workbook back: libxlsxwriter assembles each part in a temporary file that it
// writes without checking, so a full disk or a file-size limit can leave a part cut short, or with a
// stretch missing from its middle, in a workbook it reports as written.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace guidance {

/// A worksheet as it was written: its name, and the cells given a value (what libxlsxwriter stores).
struct WrittenSheet {
  std::string name;
  std::uint64_t cells = 0;
};

/// Throws WorkbookError (report.hpp) unless the workbook at `file` reads back whole: every part passes
/// its CRC, every XML part runs from its declaration to its root's end tag, and worksheet i (1-based,
/// xl/worksheets/sheet{i}.xml) holds sheets[i - 1].cells cells.
void check_workbook_file(const std::string& file, const std::vector<WrittenSheet>& sheets);

}  // namespace guidance
