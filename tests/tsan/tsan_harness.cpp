// ThreadSanitizer harness: the engine's thread-safe pieces called from plain std::threads on one shared
// Model, with every result compared bit for bit with the single-threaded one.
//
// Why not simply run the test suite under TSan: the engine's parallel loops run on oneTBB, and Debian's
// libtbb is not built with TSan, so TSan cannot see its synchronisation and reports races inside it
// that are not there (uxlfoundation/oneTBB issue 1290). Here the threads are std::threads, whose
// start and join TSan understands, and oneTBB's own parallelism is limited to one thread, so that every
// hand-off between threads is one TSan sees. What is checked is the engine's own shared state: the Model
// and the distributions, programs and copula in it are only read; sampling, the formula executor and the
// statistics write only what their caller hands them.
//
// Exit status 0 when every result matches; 1 with a message per mismatch; TSan's own status (66) on a
// race.
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <tbb/global_control.h>

#include "guidance/load.hpp"
#include "guidance/random.hpp"
#include "guidance/simulate.hpp"
#include "guidance/stats.hpp"
#include "sample/sample_drivers.hpp"

using namespace guidance;

namespace {

constexpr unsigned thread_count = 4;
constexpr std::uint64_t trials = 50'000;  // 25 blocks: every thread gets several, and a partial one
const std::string scenario_path = GUIDANCE_SOURCE_DIR "/scenarios/juniper_q4_2012.yaml";

std::atomic<int> failures = 0;  // expect() is called from the threads

void expect(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "tsan_harness: MISMATCH: %s\n", what.c_str());
    ++failures;
  }
}

bool same(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

/// Bit-identical columns (memcmp may not be given the null data of an empty column).
bool same(std::span<const double> a, std::span<const double> b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size_bytes()) == 0);
}

bool same(const Summary& a, const Summary& b) {
  bool equal = a.count == b.count && a.nonfinite == b.nonfinite && same(a.mean, b.mean) &&
               same(a.mean_se, b.mean_se) && same(a.sd, b.sd) && same(a.min, b.min) && same(a.max, b.max);
  for (std::size_t p = 0; p < a.percentiles.size(); ++p)
    equal = equal && same(a.percentiles[p], b.percentiles[p]) && same(a.percentile_ci[p].low, b.percentile_ci[p].low) &&
            same(a.percentile_ci[p].high, b.percentile_ci[p].high);
  return equal;
}

/// Run work(t) on `threads` std::threads (t = 0 .. threads-1) and wait for them.
void on_threads(unsigned threads, const std::function<void(unsigned)>& work) {
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work, t);
  for (std::thread& thread : pool) thread.join();
}

/// Every trial of the model under `plan`, the blocks shared round-robin among `threads` threads, each
/// with its own scratch registers: what simulate() does, with std::threads instead of oneTBB.
std::vector<std::vector<double>> sample_and_evaluate(const Model& model, const SamplingPlan& plan, unsigned threads) {
  const std::size_t variables = model.variables.size();
  std::vector<std::vector<double>> columns(variables);
  for (std::size_t v = 0; v < variables; ++v)
    if (model.variables[v].stochastic) columns[v].resize(trials);
  const std::uint64_t blocks = (trials + block_trials - 1) / block_trials;

  on_threads(threads, [&](unsigned t) {
    std::vector<double> scratch((model.program.register_count - variables) * block_trials);
    std::vector<double*> registers(model.program.register_count);
    for (std::size_t r = variables; r < registers.size(); ++r)
      registers[r] = scratch.data() + (r - variables) * block_trials;
    for (std::uint64_t block = t; block < blocks; block += threads) {
      const std::uint64_t first = block * block_trials;
      const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(block_trials, trials - first));
      for (std::size_t v = 0; v < variables; ++v) registers[v] = columns[v].empty() ? nullptr : columns[v].data() + first;
      sample_drivers(model, plan, first, n, std::span(registers).first(model.driver_count));
      formula::execute(model.program, registers, n);
    }
  });
  return columns;
}

void check_sampling(const Model& model) {
  for (const Sampling method : {Sampling::monte_carlo, Sampling::latin_hypercube, Sampling::sobol}) {
    const SamplingPlan plan{method, 20121023, trials, 0};
    const auto serial = sample_and_evaluate(model, plan, 1);
    const auto parallel = sample_and_evaluate(model, plan, thread_count);
    for (std::size_t v = 0; v < serial.size(); ++v)
      expect(same(serial[v], parallel[v]), "sampling method " + std::to_string(static_cast<int>(method)) + ", variable " + model.variables[v].name);
  }
}

void check_statistics(const Model& model, const SimulationResult& result) {
  const std::size_t variables = model.variables.size();
  std::vector<Summary> serial(variables), parallel(variables), shared(thread_count);
  for (std::size_t v = 0; v < variables; ++v) serial[v] = summarize(result.column(v));
  const std::vector<double> probabilities = {0.0, 0.001, 0.5, 0.975, 1.0};
  const std::size_t eps = static_cast<std::size_t>(model.find("eps"));
  const std::vector<double> percentiles = exact_percentiles(result.column(eps), probabilities);
  const Interval interval = percentile_interval(result.column(eps), 0.9);
  const double rank = percentile_rank(result.column(eps), 0.2);
  const Interval wilson = wilson_interval(1234, trials);

  on_threads(thread_count, [&](unsigned t) {
    // Disjoint columns per thread, then one column every thread reads at once.
    for (std::size_t v = t; v < variables; v += thread_count) parallel[v] = summarize(result.column(v));
    shared[t] = summarize(result.column(eps));
    const std::vector<double> mine = exact_percentiles(result.column(eps), probabilities);
    for (std::size_t p = 0; p < mine.size(); ++p) expect(same(mine[p], percentiles[p]), "exact_percentiles");
    const Interval my_interval = percentile_interval(result.column(eps), 0.9);
    expect(same(my_interval.low, interval.low) && same(my_interval.high, interval.high), "percentile_interval");
    expect(same(percentile_rank(result.column(eps), 0.2), rank), "percentile_rank");
    const Interval my_wilson = wilson_interval(1234, trials);
    expect(same(my_wilson.low, wilson.low) && same(my_wilson.high, wilson.high), "wilson_interval");
  });
  for (std::size_t v = 0; v < variables; ++v) expect(same(serial[v], parallel[v]), "summarize " + model.variables[v].name);
  for (const Summary& s : shared) expect(same(s, serial[eps]), "summarize of a shared column");
}

/// The whole run, several at once on one Model: the Model must be only read.
void check_concurrent_runs(const Model& model, const SimulationResult& reference, const RunReport& report) {
  std::vector<SimulationResult> results(thread_count);
  std::vector<RunReport> reports(thread_count);
  on_threads(thread_count, [&](unsigned t) {
    results[t] = simulate(model, {.trials = trials, .seed = 20121023});
    reports[t] = analyze(model, results[t]);
  });
  for (unsigned t = 0; t < thread_count; ++t) {
    for (std::size_t v = 0; v < model.variables.size(); ++v) {
      expect(same(reference.column(v), results[t].column(v)), "concurrent simulate, variable " + model.variables[v].name);
      expect(same(report.variables[v], reports[t].variables[v]), "concurrent analyze, variable " + model.variables[v].name);
    }
    expect(report.joint_inside == reports[t].joint_inside, "concurrent analyze, joint probability");
  }
}

/// Loading and compiling the same file on several threads at once (yaml-cpp, the formula compiler and
/// the correlation factor keep no shared state).
void check_loading(const Model& model) {
  std::vector<Model> models(thread_count);
  on_threads(thread_count, [&](unsigned t) { models[t] = build_model(load_scenario(scenario_path)); });
  for (const Model& other : models) {
    expect(other.variables.size() == model.variables.size() && other.program.register_count == model.program.register_count &&
               other.copula.cholesky == model.copula.cholesky && other.streams == model.streams,
           "concurrent load_scenario + build_model");
  }
}

}  // namespace

int main() {
  const tbb::global_control serial_tbb(tbb::global_control::max_allowed_parallelism, 1);
  try {
    const Model model = build_model(load_scenario(scenario_path));
    const SimulationResult result = simulate(model, {.trials = trials, .seed = 20121023});
    const RunReport report = analyze(model, result);
    check_sampling(model);
    check_statistics(model, result);
    check_concurrent_runs(model, result, report);
    check_loading(model);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "tsan_harness: %s\n", error.what());
    return 1;
  }
  std::printf("tsan_harness: %s (%u threads, %llu trials)\n", failures.load() == 0 ? "ok" : "FAILED", thread_count,
              static_cast<unsigned long long>(trials));
  return failures == 0 ? 0 : 1;
}
