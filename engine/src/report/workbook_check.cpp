#include "report/workbook_check.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <unzip.h>

#include "guidance/report.hpp"

namespace guidance {

namespace {

constexpr std::string_view cut_short_hint =
    "free some space in the output's directory, or raise the file-size limit (`ulimit -f`), and write it again";

/// What a part of the workbook reads back as, gathered as it streams by: a Trials sheet of a million
/// rows is hundreds of megabytes of XML, so only its ends are kept.
class PartScan {
 public:
  void add(std::string_view chunk) {
    if (head_.size() < head_size) head_.append(chunk.substr(0, head_size - head_.size()));
    // A cell's tag may straddle two chunks: carry the bytes that could start one, never a whole one.
    std::string joined = carry_;
    joined.append(chunk);
    for (std::size_t at = joined.find(cell_tag); at != std::string::npos; at = joined.find(cell_tag, at + 1)) ++cells_;
    carry_ = joined.substr(joined.size() - std::min(joined.size(), cell_tag.size() - 1));
    tail_.append(chunk);
    if (tail_.size() > 2 * tail_size) tail_.erase(0, tail_.size() - tail_size);
  }

  /// Whether the part runs from its XML declaration to the end tag of the element it opens with.
  bool whole_xml() const {
    constexpr std::string_view declaration = "<?xml";
    if (!head_.starts_with(declaration)) return false;
    const std::size_t end_of_declaration = head_.find("?>");
    const std::size_t root = head_.find('<', end_of_declaration == std::string::npos ? head_.size() : end_of_declaration);
    if (root == std::string::npos) return false;
    const std::size_t name_end = head_.find_first_of(" \t\r\n/>", root + 1);
    if (name_end == std::string::npos) return false;
    const std::string end_tag = "</" + head_.substr(root + 1, name_end - root - 1) + ">";
    const std::size_t last = tail_.find_last_not_of(" \t\r\n");
    return last != std::string::npos && std::string_view(tail_).substr(0, last + 1).ends_with(end_tag);
  }

  std::uint64_t cells() const { return cells_; }

 private:
  static constexpr std::size_t head_size = 1024;
  static constexpr std::size_t tail_size = 256;
  static constexpr std::string_view cell_tag = "<c r=\"";
  std::string head_, tail_, carry_;
  std::uint64_t cells_ = 0;
};

/// Sheet i's number from its part's name, xl/worksheets/sheet{i}.xml; 0 for any other part.
std::size_t sheet_number(std::string_view part) {
  constexpr std::string_view prefix = "xl/worksheets/sheet";
  if (!part.starts_with(prefix) || !part.ends_with(".xml")) return 0;
  std::size_t number = 0;
  for (const char digit : part.substr(prefix.size(), part.size() - prefix.size() - 4)) {
    if (digit < '0' || digit > '9') return 0;
    number = number * 10 + static_cast<std::size_t>(digit - '0');
  }
  return number;
}

[[noreturn]] void cut_short(std::string_view what) {
  throw WorkbookError(fmt::format("{} came out cut short (a temporary file could not be written whole)", what), 0,
                      std::string(cut_short_hint));
}

}  // namespace

void check_workbook_file(const std::string& file, const std::vector<WrittenSheet>& sheets) {
  const std::unique_ptr<void, int (*)(unzFile)> zip(unzOpen64(file.c_str()), unzClose);
  if (zip == nullptr) cut_short("the workbook");
  std::array<char, 1 << 16> buffer{};
  std::size_t sheets_seen = 0;
  for (int at = unzGoToFirstFile(zip.get()); at != UNZ_END_OF_LIST_OF_FILE; at = unzGoToNextFile(zip.get())) {
    if (at != UNZ_OK) cut_short("the workbook");
    std::array<char, 256> name{};
    if (unzGetCurrentFileInfo64(zip.get(), nullptr, name.data(), name.size(), nullptr, 0, nullptr, 0) != UNZ_OK ||
        unzOpenCurrentFile(zip.get()) != UNZ_OK)
      cut_short("the workbook");
    const std::string_view part = name.data();
    PartScan scan;
    int read = 0;
    while ((read = unzReadCurrentFile(zip.get(), buffer.data(), buffer.size())) > 0)
      scan.add(std::string_view(buffer.data(), static_cast<std::size_t>(read)));
    // unzCloseCurrentFile checks the part's CRC once the whole part has been read.
    if (read < 0 || unzCloseCurrentFile(zip.get()) != UNZ_OK) cut_short(fmt::format("its part {}", part));
    const std::size_t sheet = sheet_number(part);
    const bool xml = part.ends_with(".xml") || part.ends_with(".rels");
    if (sheet > 0 && sheet <= sheets.size()) {
      ++sheets_seen;
      if (!scan.whole_xml() || scan.cells() != sheets[sheet - 1].cells)
        cut_short(fmt::format("its sheet {}", sheets[sheet - 1].name));
    } else if (xml && !scan.whole_xml()) {
      cut_short(fmt::format("its part {}", part));
    }
  }
  if (sheets_seen != sheets.size()) cut_short("the workbook");
}

}  // namespace guidance
