// The one splitter of comma (or colon) lists on the command line: --scenarios base,bear, --vary's
// values, --percentiles 10,50,90, --method tornado,sobol.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace guidance::args {

/// One item of a list, trimmed of spaces, and where it starts in the argument.
struct ListItem {
  std::string text;
  std::size_t first = 0;  // offset in the argument
};

/// The items of `argument` from offset `first` on, between `separator`s, each trimmed of spaces. An
/// empty argument is one empty item; an empty item is kept (the caller names what it expected there).
std::vector<ListItem> split_list(std::string_view argument, char separator, std::size_t first = 0);

}  // namespace guidance::args
