#include "args/list.hpp"

namespace guidance::args {

std::vector<ListItem> split_list(std::string_view argument, char separator, std::size_t first) {
  std::vector<ListItem> items;
  for (std::size_t start = first;;) {
    std::size_t end = argument.find(separator, start);
    if (end == std::string_view::npos) end = argument.size();
    std::size_t left = start, right = end;
    while (left < right && argument[left] == ' ') ++left;
    while (right > left && argument[right - 1] == ' ') --right;
    items.push_back({std::string(argument.substr(left, right - left)), left});
    if (end == argument.size()) return items;
    start = end + 1;
  }
}

}  // namespace guidance::args
