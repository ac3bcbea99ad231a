// A run analysed without keeping its trials: fixed chunks of trials are sampled again in every pass
// and handed to the same parts analyze() is made of (report_parts.hpp, stats/summary_parts.hpp,
// OrderStatisticSelection), in the same chunks, so the report is analyze()'s bit for bit. Integer
// counts merge in any order; floating-point partials are kept per chunk and folded in chunk order.
// Several processes (RunOptions::cluster) each sample a consecutive share of the chunks in every
// pass and combine what they found after it: the counts summed, the chunks' partials gathered in
// chunk order; so every process folds the same partials in the same order as one process would.
#include <algorithm>
#include <cstring>
#include <optional>
#include <stdexcept>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include "guidance/simulate.hpp"
#include "simulate/passes.hpp"
#include "simulate/progress_meter.hpp"
#include "simulate/report_parts.hpp"
#include "stats/order_statistics.hpp"
#include "stats/summary_parts.hpp"

namespace guidance {

namespace {

using detail::ChunkTrials;
using detail::one;
using detail::Passes;
using detail::sum_over_processes;
using detail::values;
using stats_detail::chunk_count;
using stats_detail::chunk_size;

using FirstHistograms = std::vector<std::optional<stats_detail::ProvisionalHistogram>>;

/// Per variable, the first histogram of its percentiles' selection, to count in the moments' pass: over
/// the range of its finite values in the run's first chunk, which every process samples for itself
/// (a few milliseconds). None where that chunk has fewer than two distinct finite values.
FirstHistograms first_histograms(const Model& model, const Passes& passes) {
  const ChunkTrials first = passes.first_chunk();
  FirstHistograms histograms(model.variables.size());
  for (std::size_t v = 0; v < model.variables.size(); ++v)
    if (model.variables[v].stochastic)
      histograms[v] = stats_detail::ProvisionalHistogram::from_sample(values(first.trials, v));
  return histograms;
}

/// Summaries of every variable: the chunks' moments in chunk order, then the percentiles' selection,
/// from the first histograms counted with the moments, one pass over the chunks serving every
/// variable still narrowing (or as many as fit in RunOptions::narrowing_memory).
std::vector<Summary> summaries(const Model& model, const RunOptions& options,
                               const std::vector<std::vector<stats_detail::ChunkMoments>>& moments,
                               const FirstHistograms& first, Passes& passes) {
  const std::uint64_t trials = options.trials;
  std::vector<Summary> out(model.variables.size());
  std::vector<std::optional<stats_detail::OrderStatisticSelection>> selections(model.variables.size());
  for (std::size_t v = 0; v < model.variables.size(); ++v) {
    if (!model.variables[v].stochastic) {
      out[v] = detail::constant_summary(model.variables[v].constant_value, trials);
      continue;
    }
    out[v] = stats_detail::moments_summary(moments[v]);
    // As analyze() does: every stochastic variable's selection shares one budget.
    const stats_detail::Extent extent = stats_detail::summary_extent(out[v]);
    const std::vector<std::uint64_t> ranks = stats_detail::summary_ranks(out[v].count);
    if (first[v]) selections[v].emplace(trials, extent, ranks, model.stochastic_count(), *first[v]);
    else selections[v].emplace(trials, extent, ranks, model.stochastic_count());
  }
  for (;;) {
    // The variables still narrowing, as many as the pass's budget holds (at least one): a model of
    // many variables makes more passes rather than hold more. Every process groups them alike.
    std::vector<std::size_t> narrowing;
    std::uint64_t bytes = 0;
    for (std::size_t v = 0; v < selections.size(); ++v) {
      if (!selections[v] || selections[v]->done()) continue;
      bytes += selections[v]->pass_bytes();
      if (!narrowing.empty() && bytes > options.narrowing_memory) break;
      narrowing.push_back(v);
    }
    if (narrowing.empty()) break;
    for (const std::size_t v : narrowing) selections[v]->begin_pass();
    passes.run([&](std::size_t c, const SimulationResult& chunk) {
      for (const std::size_t v : narrowing) selections[v]->visit(c, values(chunk, v));
    });
    for (const std::size_t v : narrowing) selections[v]->end_pass(passes.cluster());
  }
  for (std::size_t v = 0; v < selections.size(); ++v)
    if (selections[v]) stats_detail::set_percentiles(out[v], std::move(*selections[v]).results());
  return out;
}

/// The charts `charts` asks for, in one more pass.
void add_streamed_charts(const Model& model, RunReport& report, Charts charts, Passes& passes) {
  std::vector<std::pair<std::size_t, HistogramBins>> wanted;  // guidance line, bins
  for (std::size_t g = 0; g < report.guidance.size(); ++g)
    if (const std::optional<HistogramBins> bins = detail::wanted_chart(model, report, report.guidance[g], charts))
      wanted.emplace_back(g, *bins);
  if (wanted.empty()) return;
  const auto empty = [&] {
    std::vector<Histogram> histograms;
    for (const auto& [g, bins] : wanted) histograms.push_back({bins, std::vector<std::uint64_t>(bins.count)});
    return histograms;
  };
  tbb::enumerable_thread_specific<std::vector<Histogram>> partial(empty);
  passes.run([&](std::size_t, const SimulationResult& chunk) {
    std::vector<Histogram>& mine = partial.local();
    for (std::size_t i = 0; i < wanted.size(); ++i) {
      const Histogram part = histogram(values(chunk, report.guidance[wanted[i].first].variable), wanted[i].second);
      mine[i].merge(part);
    }
  });
  std::vector<Histogram> total = empty();
  for (const std::vector<Histogram>& thread : partial)
    for (std::size_t i = 0; i < wanted.size(); ++i) total[i].merge(thread[i]);
  std::vector<std::span<std::uint64_t>> counters;
  for (Histogram& chart : total)
    counters.insert(counters.end(), {chart.counts, one(chart.below), one(chart.above), one(chart.finite), one(chart.nonfinite)});
  sum_over_processes(passes.cluster(), counters);
  for (std::size_t i = 0; i < wanted.size(); ++i) detail::set_chart(report.guidance[wanted[i].first], std::move(total[i]));
}

}  // namespace

MemoryNeed streamed_run_memory(const Model& model) {
  const auto stochastic = static_cast<double>(model.stochastic_count());
  const double chunk = stochastic * chunk_size * sizeof(double);
  // Per thread, a chunk and the first histograms; one chunk more, sampled for their ranges.
  const double first_histograms = stochastic * static_cast<double>(stats_detail::ProvisionalHistogram::bytes());
  const MemoryNeed per_thread =
      evaluation_memory(model) +
      MemoryNeed{0.0, (chunk + first_histograms) * static_cast<double>(worker_threads()) + chunk};
  // Per variable and chunk: its moments, and a selection pass's gathered values' vector per cell.
  const double per_chunk = sizeof(stats_detail::ChunkMoments) + 4 * reported_percentiles.size() * sizeof(std::vector<double>);
  const MemoryNeed selection =
      stats_detail::streamed_order_statistics_memory(4 * reported_percentiles.size(), model.stochastic_count()) +
      MemoryNeed{per_chunk / chunk_size, 0.0};
  return per_thread + selection * stochastic;
}

bool keeps_trials(const Model& model, const RunOptions& options) {
  const std::uint64_t budget = options.memory > 0 ? options.memory : default_memory_budget();
  const std::uint64_t trials = options.trials;
  if (!can_stream(model)) return true;
  if (shared(options.cluster)) return false;  // streamed, each process runs its share
  if (trials_memory(model).bytes(trials) <= static_cast<double>(budget)) return true;
  // Streaming has a workspace of its own: where that does not fit either, the smaller need is the one
  // the memory check states.
  const MemoryNeed streamed = streamed_run_memory(model);
  return !fits_in_memory(streamed, trials) && run_memory(model).bytes(trials) <= streamed.bytes(trials);
}

RunReport run_report(const Model& model, const RunOptions& options, Charts charts) {
  return keeps_trials(model, options) ? analyze(model, simulate(model, options), charts) : stream_run(model, options, charts);
}

MemoryNeed run_report_memory(const Model& model, const RunOptions& options) {
  return keeps_trials(model, options) ? run_memory(model) : streamed_run_memory(model);
}

RunOptions run_reports_options(std::size_t models, const RunOptions& options) {
  RunOptions each = options;
  if (shared(options.cluster) && models >= options.cluster->size()) each.cluster = nullptr;
  return each;
}

std::vector<RunReport> run_reports(std::span<const Model* const> models, const RunOptions& options, Charts charts) {
  const RunOptions each = run_reports_options(models.size(), options);
  std::vector<RunReport> reports(models.size());
  if (each.cluster == options.cluster) {
    for (std::size_t m = 0; m < models.size(); ++m) reports[m] = run_report(*models[m], each, charts);
    return reports;
  }
  const ChunkShare mine = chunk_share(models.size(), options.cluster);
  std::vector<std::byte> bytes;  // per report of this process's share: its length, then its bytes
  for (std::size_t m = mine.first; m < mine.last; ++m) {
    const std::vector<std::byte> report = report_to_bytes(run_report(*models[m], each, charts));
    const std::uint64_t length = report.size();
    const auto* length_bytes = reinterpret_cast<const std::byte*>(&length);
    bytes.insert(bytes.end(), length_bytes, length_bytes + sizeof length);
    bytes.insert(bytes.end(), report.begin(), report.end());
  }
  // The shares in rank order are the models in order.
  const std::vector<std::byte> all = options.cluster->gather(bytes);
  std::size_t at = 0;
  for (RunReport& report : reports) {
    std::uint64_t length = 0;
    std::memcpy(&length, all.data() + at, sizeof length);
    at += sizeof length;
    report = report_from_bytes(std::span(all).subspan(at, static_cast<std::size_t>(length)));
    at += static_cast<std::size_t>(length);
  }
  return reports;
}

RunReport stream_run(const Model& model, const RunOptions& options, Charts charts) {
  if (options.trials == 0) throw InputError({}, "the number of trials must be at least 1");
  if (!can_stream(model)) throw std::logic_error("stream_run: the scenario's discrete correlations need every trial");
  check_memory("a run", streamed_run_memory(model), options.trials);
  // The moments' pass (which counts the percentiles' first histograms) and, usually, one gathering
  // pass; the charts' pass when there are charts.
  Passes passes(model, options, charts == Charts::none ? 2 : 3);
  const std::uint64_t trials = options.trials;

  std::vector<std::size_t> stochastic;
  for (std::size_t v = 0; v < model.variables.size(); ++v)
    if (model.variables[v].stochastic) stochastic.push_back(v);
  std::vector<std::vector<stats_detail::ChunkMoments>> moments(model.variables.size());
  for (const std::size_t v : stochastic) moments[v].resize(chunk_count(trials));
  tbb::enumerable_thread_specific<detail::GuidanceCounts> counts([&] { return detail::GuidanceCounts(model.guidance.size()); });
  tbb::enumerable_thread_specific<std::vector<stats_detail::RankCounts>> ranks(
      [&] { return std::vector<stats_detail::RankCounts>(model.actuals.size()); });
  FirstHistograms first = first_histograms(model, passes);
  tbb::enumerable_thread_specific<FirstHistograms> first_counts(first);
  passes.run([&](std::size_t c, const SimulationResult& chunk) {
    FirstHistograms& histograms = first_counts.local();
    for (const std::size_t v : stochastic) {
      moments[v][c] = stats_detail::chunk_moments(values(chunk, v));
      if (histograms[v]) histograms[v]->add(values(chunk, v), moments[v][c].extent.nonfinite == 0);
    }
    // Every stochastic variable may be non-finite: which are is known only after this pass.
    counts.local().merge(detail::count_guidance(model, chunk, stochastic));
    std::vector<stats_detail::RankCounts>& mine = ranks.local();
    for (std::size_t a = 0; a < model.actuals.size(); ++a) {
      const auto v = static_cast<std::size_t>(model.find(model.actuals[a].name));
      if (model.variables[v].stochastic) mine[a].add(values(chunk, v), model.actuals[a].value);
    }
  });
  detail::GuidanceCounts total(model.guidance.size());
  for (const detail::GuidanceCounts& thread : counts) total.merge(thread);
  std::vector<stats_detail::RankCounts> rank(model.actuals.size());
  for (const std::vector<stats_detail::RankCounts>& thread : ranks)
    for (std::size_t a = 0; a < rank.size(); ++a) rank[a].merge(thread[a]);
  for (const FirstHistograms& thread : first_counts)
    for (const std::size_t v : stochastic)
      if (first[v]) first[v]->merge(*thread[v]);
  if (shared(options.cluster)) {
    std::vector<std::span<std::uint64_t>> counters = {total.inside,           total.below,
                                                      total.above,            total.nonfinite,
                                                      one(total.joint_inside), one(total.nonfinite_trials)};
    for (stats_detail::RankCounts& actual : rank)
      counters.insert(counters.end(), {one(actual.finite), one(actual.below), one(actual.equal)});
    for (std::optional<stats_detail::ProvisionalHistogram>& histogram : first)
      if (histogram) counters.push_back(histogram->counts());
    sum_over_processes(options.cluster, counters);
    const ChunkShare mine = passes.share();
    for (const std::size_t v : stochastic)
      moments[v] = gather_values<stats_detail::ChunkMoments>(
          *options.cluster, std::span(moments[v]).subspan(mine.first, mine.last - mine.first));
  }
  std::vector<double> actual_ranks;
  for (std::size_t a = 0; a < model.actuals.size(); ++a) {
    const auto v = static_cast<std::size_t>(model.find(model.actuals[a].name));
    const double x = model.actuals[a].value;
    actual_ranks.push_back(model.variables[v].stochastic ? rank[a].rank(x) : detail::constant_rank(model, v, x));
  }

  RunReport report = detail::assemble_report(model, trials, passes.plan(), summaries(model, options, moments, first, passes),
                                             total, actual_ranks);
  add_streamed_charts(model, report, charts, passes);
  passes.finish();
  return report;
}

void stream_trials(const Model& model, const RunOptions& options,
                   const std::function<void(std::uint64_t first, const SimulationResult& chunk)>& write) {
  if (options.trials == 0) throw InputError({}, "the number of trials must be at least 1");
  const SamplingPlan plan{options.sampling, options.seed, options.trials, 0};
  const std::size_t batch = 2 * static_cast<std::size_t>(worker_threads());
  std::vector<ChunkTrials> chunks;
  for (std::size_t i = 0; i < batch; ++i) chunks.emplace_back(model);
  detail::ProgressMeter meter(options.progress);
  const std::size_t total = chunk_count(options.trials);
  for (std::size_t start = 0; start < total; start += batch) {
    const std::size_t end = std::min(total, start + batch);
    tbb::parallel_for(start, end, [&](std::size_t c) {
      const std::uint64_t first = std::uint64_t{c} * chunk_size;
      chunks[c - start].run(model, plan, first, static_cast<std::size_t>(std::min<std::uint64_t>(chunk_size, options.trials - first)));
    });
    for (std::size_t c = start; c < end; ++c) {
      write(std::uint64_t{c} * chunk_size, chunks[c - start].trials);
      meter.add(chunks[c - start].trials.trials);
      if (meter.stopped()) throw RunCancelled();
    }
  }
  if (!meter.finish(options.trials)) throw RunCancelled();
}

}  // namespace guidance
