// propose over trials that are not kept (a small RunOptions::memory, or a run shared by processes)
// against propose over the kept trials: the rendered table and JSON must be the same bytes, for every
// example scenario, confidences from 0.5 to 0.999, published ranges rounded and centred, and trial
// counts of 1, under a chunk, and over three chunks ending on a partial one.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "formula/rounding.hpp"
#include "guidance/report.hpp"
#include "guidance/tuning.hpp"
#include "simulate/stream_scenarios.hpp"
#include "simulate/thread_cluster.hpp"

using namespace guidance;

namespace {

/// A budget no column fits in: the run streams.
constexpr std::uint64_t streaming_memory = 1;

std::string proposal_outputs(const Model& model, const ProposalRun& run) {
  return proposal_json(model, run.report, run.proposal).dump() + render_proposal(model, run.report, run.proposal);
}

std::string proposed(const Model& model, const RunOptions& options, std::size_t metric, double confidence,
                     const PublishOptions& publish) {
  return proposal_outputs(model, run_proposal(model, options, metric, confidence, publish));
}

/// The message of the InputError that work throws.
template <class Work>
std::string propose_refusal(Work work) {
  try {
    work();
  } catch (const InputError& error) {
    return error.render();
  }
  return "no error";
}

/// A step of a power of ten near the metric's spread, and a center on it near its median.
PublishOptions publishing(const Model& model, const RunOptions& options, std::size_t metric, bool round, bool center) {
  const Summary summary = run_report(model, options).variables[metric];  // a copy: the report is a temporary
  const double step = std::pow(10.0, std::round(std::log10(summary.sd > 0 ? summary.sd : 1.0)) - 1);
  PublishOptions publish;
  if (round) publish.step = step;
  if (center) publish.center = formula::round_to(summary.percentiles[4], step);
  return publish;
}

void check_streamed_equals_kept(const Model& model, const RunOptions& options, std::size_t metric, double confidence,
                                const PublishOptions& publish) {
  RunOptions streaming = options;
  streaming.memory = streaming_memory;
  REQUIRE_FALSE(keeps_trials(model, streaming));
  REQUIRE(keeps_trials(model, options));
  CHECK(proposed(model, streaming, metric, confidence, publish) == proposed(model, options, metric, confidence, publish));
}

}  // namespace

TEST_CASE("a streamed proposal is the kept one, for every scenario") {
  const std::string name =
      GENERATE("juniper_q4_2012", "juniper_fy2012", "nvidia_q4_fy2023", "cost_model", "coin_toss_revenue");
  const std::uint64_t trials = GENERATE(1, 1'000, 200'001);
  // Each confidence with its own way of publishing: none, rounded, centred, centred and rounded.
  const auto [confidence, round, center] = GENERATE(table<double, bool, bool>(
      {{0.5, false, false}, {0.8, true, false}, {0.95, false, true}, {0.999, true, true}}));
  CAPTURE(name, trials, confidence, round, center);
  const Model model = testing::example_model(name);
  const RunOptions options{.trials = trials, .seed = 20121023};
  for (const GuidanceRange& line : model.guidance) {
    if (!model.variables[line.variable].stochastic) continue;
    CAPTURE(model.variables[line.variable].name);
    check_streamed_equals_kept(model, options, line.variable, confidence,
                               publishing(model, options, line.variable, round, center));
    break;  // the first guided metric; the hazards below cover the rest
  }
}

TEST_CASE("a streamed proposal is the kept one for non-finite values, ties, signed zeros and constants") {
  const Model model = testing::hazards_model();
  const std::string metric = GENERATE("ratio", "tied", "zero", "flat");
  const std::uint64_t trials = GENERATE(3, 70'001);
  const double confidence = GENERATE(0.5, 0.8);
  const bool center = GENERATE(false, true);
  CAPTURE(metric, trials, confidence, center);
  const RunOptions options{.trials = trials, .seed = 5};
  PublishOptions publish{.step = 0.5};
  if (center) publish.center = 0.25;
  check_streamed_equals_kept(model, options, static_cast<std::size_t>(model.find(metric)), confidence, publish);
}

TEST_CASE("a streamed proposal refuses what the kept one refuses, in the same words") {
  const Model model = testing::hazards_model();
  RunOptions options{.trials = 10'000, .seed = 5};
  const auto ratio = static_cast<std::size_t>(model.find("ratio"));
  const std::string too_many = propose_refusal([&] { run_proposal(model, options, ratio, 0.95); });
  const std::string certain = propose_refusal([&] { run_proposal(model, options, ratio, 1.0); });
  CHECK(too_many.find("`ratio` is a finite number in only") != std::string::npos);
  CHECK(certain.find("the confidence must be between 0 and 1 (exclusive), found 1") != std::string::npos);
  options.memory = streaming_memory;
  CHECK(propose_refusal([&] { run_proposal(model, options, ratio, 0.95); }) == too_many);
  CHECK(propose_refusal([&] { run_proposal(model, options, ratio, 1.0); }) == certain);
}

TEST_CASE("a proposal shared by 1, 2 or 3 processes is the one process's") {
  const Model model = testing::example_model("juniper_q4_2012");
  const RunOptions options{.trials = 200'001, .seed = 3};
  const auto eps = static_cast<std::size_t>(model.find("eps"));
  const PublishOptions publish = publishing(model, options, eps, true, true);
  const std::string alone = proposed(model, options, eps, 0.8, publish);
  const std::size_t processes = GENERATE(1, 2, 3);
  CAPTURE(processes);
  testing::ThreadGroup group(processes);
  const std::vector<std::string> outputs = group.run<std::string>([&](const Cluster& cluster) {
    RunOptions mine = options;
    mine.cluster = &cluster;
    return proposed(model, mine, eps, 0.8, publish);
  });
  for (const std::string& output : outputs) CHECK(output == alone);
}
