// Column: the result's storage keeps its values through resize() and moves, in small and huge-page
// storage alike.
#include <catch2/catch.hpp>

#include <numeric>
#include <span>
#include <utility>

#include "guidance/simulate.hpp"

using guidance::Column;

namespace {

void fill_with_positions(std::span<double> values) { std::iota(values.begin(), values.end(), 0.0); }

bool holds_positions(std::span<const double> values) {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i] != static_cast<double>(i)) return false;
  return true;
}

}  // namespace

TEST_CASE("a column keeps its values when it grows into huge-page storage and when it shrinks") {
  Column column(1000);
  fill_with_positions(column);
  column.resize(1'000'000);  // 8 MB: past the 4 MiB from which storage is in huge pages
  REQUIRE(column.size() == 1'000'000);
  CHECK(holds_positions(std::span<const double>(column).first(1000)));
  fill_with_positions(column);
  column.resize(10);
  CHECK(column.size() == 10);
  CHECK(holds_positions(column));
  column.resize(2'000'000);
  CHECK(holds_positions(std::span<const double>(column).first(10)));
}

TEST_CASE("a moved column leaves its source empty") {
  Column source(3);
  fill_with_positions(source);
  const double* storage = source.data();
  Column moved(std::move(source));
  CHECK(source.empty());
  CHECK(moved.data() == storage);
  CHECK(holds_positions(moved));
  Column assigned(5);
  assigned = std::move(moved);
  CHECK(moved.empty());
  CHECK(assigned.size() == 3);
  CHECK(holds_positions(assigned));
  source.resize(4);  // a moved-from column is usable
  CHECK(source.size() == 4);
}
