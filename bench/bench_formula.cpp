// The formula executor on the flagship scenario's metrics, over blocks of 2048 trials, in trials per
// second; beside it the same arithmetic written by hand as one fused loop, as the bound to compare with.
#include <benchmark/benchmark.h>

#include <vector>

#include "formula/instructions.hpp"
#include "guidance/formula.hpp"

namespace {

using guidance::formula::Definition;
using guidance::formula::Input;

constexpr std::size_t block = 2048;
constexpr double tax_rate = 0.32;

// Driver columns with plausible values (millions of dollars; shares in millions).
struct Drivers {
  std::vector<double> revenue, gross_margin, opex, other_income, diluted_shares;

  Drivers() {
    for (std::size_t i = 0; i < block; ++i) {
      const double wiggle = static_cast<double>(i % 97) / 97.0 - 0.5;
      revenue.push_back(1115.0 + 15.0 * wiggle);
      gross_margin.push_back(0.64 + 0.005 * wiggle);
      opex.push_back(527.0 + 5.0 * wiggle);
      other_income.push_back(2.0 + wiggle);
      diluted_shares.push_back(530.0 + wiggle);
    }
  }
};

void flagship_program(benchmark::State& state) {
  const std::vector<Input> inputs = {{"revenue"}, {"gross_margin"}, {"opex"}, {"other_income"},
                                     {"tax_rate", tax_rate}, {"diluted_shares"}};
  const std::vector<Definition> metrics = {
      {"gross_profit", "revenue * gross_margin", {}, {}},
      {"operating_income", "gross_profit - opex", {}, {}},
      {"operating_margin", "operating_income / revenue", {}, {}},
      {"net_income", "(operating_income + other_income) * (1 - tax_rate)", {}, {}},
      {"eps", "net_income / diluted_shares", {}, {}},
  };
  const guidance::formula::Program program = guidance::formula::compile(inputs, metrics);

  Drivers drivers;
  std::vector<std::vector<double>> columns(program.register_count, std::vector<double>(block));
  columns[0] = drivers.revenue;
  columns[1] = drivers.gross_margin;
  columns[2] = drivers.opex;
  columns[3] = drivers.other_income;
  columns[5] = drivers.diluted_shares;
  std::vector<double*> registers;
  for (auto& column : columns) registers.push_back(column.data());

  for (auto _ : state) {
    guidance::formula::execute(program, registers, block);
    benchmark::DoNotOptimize(columns.back().data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(block));
  state.counters["instructions"] = static_cast<double>(program.code.size());
}
BENCHMARK(flagship_program);

void flagship_handwritten(benchmark::State& state) {
  Drivers drivers;
  std::vector<double> gross_profit(block), operating_income(block), operating_margin(block),
      net_income(block), eps(block);
  for (auto _ : state) {
    for (std::size_t i = 0; i < block; ++i) {
      gross_profit[i] = drivers.revenue[i] * drivers.gross_margin[i];
      operating_income[i] = gross_profit[i] - drivers.opex[i];
      operating_margin[i] = operating_income[i] / drivers.revenue[i];
      net_income[i] = (operating_income[i] + drivers.other_income[i]) * (1 - tax_rate);
      eps[i] = net_income[i] / drivers.diluted_shares[i];
    }
    benchmark::DoNotOptimize(eps.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(block));
}
BENCHMARK(flagship_handwritten);

}  // namespace

BENCHMARK_MAIN();
