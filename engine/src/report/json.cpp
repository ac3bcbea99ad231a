// The documented JSON of a run (docs/output-format.md). Keys keep the scenario's order.
#include <cmath>

#include <fmt/format.h>

#include "guidance/report.hpp"
#include "report/format.hpp"

namespace guidance {

namespace {

using Json = nlohmann::ordered_json;

Json variable_json(const Variable& variable, const Summary& summary) {
  Json percentiles = Json::object(), percentiles_ci = Json::object();
  for (std::size_t p = 0; p < reported_percentiles.size(); ++p) {
    const std::string key = fmt::format("p{}", reported_percentiles[p]);
    percentiles[key] = json_number(summary.percentiles[p]);
    percentiles_ci[key] = json_interval(summary.percentile_ci[p]);
  }
  Json out{{"kind", variable.kind == VariableKind::driver ? "driver" : "metric"},
              {"constant", !variable.stochastic},
              {"percent", variable.percent},
              {"mean", json_number(summary.mean)},
              {"mean_se", json_number(summary.mean_se)},
              {"sd", json_number(summary.sd)},
              {"min", json_number(summary.min)},
              {"max", json_number(summary.max)},
              {"count", summary.count},
              {"nonfinite", summary.nonfinite},
              {"percentiles", percentiles},
              {"percentiles_ci", percentiles_ci}};
  if (variable.given) out["given"] = true;  // a reported value (`given:`), or computed from such values only
  return out;
}

/// "above" or "below" for a figure beyond every finite trial (rank exactly 1 or 0), else null.
Json outside_trials(const ActualRank& actual) {
  if (actual.percentile_rank == 1.0) return "above";
  if (actual.percentile_rank == 0.0) return "below";
  return nullptr;
}

}  // namespace

nlohmann::ordered_json run_json(const Model& model, const RunReport& report) {
  Json variables = Json::object();
  for (std::size_t v = 0; v < model.variables.size(); ++v)
    variables[model.variables[v].name] = variable_json(model.variables[v], report.variables[v]);

  Json guidance = Json::array();
  for (std::size_t g = 0; g < report.guidance.size(); ++g) {
    const GuidanceProbability& line = report.guidance[g];
    guidance.push_back({{"name", line.name},
                        {"low", json_number(line.low)},
                        {"high", json_number(line.high)},
                        {"text", format_range(model.guidance[g])},
                        {"p_in", line.p_in},
                        {"p_in_ci", json_interval(line.p_in_ci)},
                        {"p_below", line.p_below},
                        {"p_below_ci", json_interval(line.p_below_ci)},
                        {"p_above", line.p_above},
                        {"p_above_ci", json_interval(line.p_above_ci)},
                        {"nonfinite", line.nonfinite}});
  }

  Json out{{"scenario", model.name},
           {"variant", model.variant},
           {"units", model.units},
           {"trials", report.trials},
           {"seed", report.seed},
           {"sampling", sampling_key(report.sampling)},
           {"se_method", report.sampling == Sampling::monte_carlo ? "iid" : "iid-approximate"},
           {"variables", variables},
           {"guidance", guidance},
           {"guidance_joint", {{"p_in", report.joint_p_in}, {"p_in_ci", json_interval(report.joint_p_in_ci)}}},
           {"nonfinite_trials", report.nonfinite_trials}};
  if (const std::vector<CorrelationPair>& pairs = model.copula.repairs; !pairs.empty()) {
    Json correlations = Json::array();
    for (const CorrelationPair& pair : pairs)
      correlations.push_back({{"a", pair.a}, {"b", pair.b}, {"requested", pair.requested}, {"used", pair.used}});
    out["correlations"] = correlations;
  }
  if (!report.discrete_correlations.empty()) {
    Json pairs = Json::array();
    for (const AchievedCorrelation& pair : report.discrete_correlations)
      pairs.push_back({{"a", model.variables[pair.a].name},
                       {"b", model.variables[pair.b].name},
                       {"requested", pair.requested},
                       {"achieved", json_number(pair.achieved)}});
    out["discrete_correlations"] = pairs;
  }
  if (report.precision) {
    const PrecisionStop& stop = *report.precision;
    out["precision"] = {{"half_width", stop.half_width},
                        {"max_trials", stop.max_trials},
                        {"stopped_because", stop.reached ? "precision reached" : "max trials"},
                        {"rounds", stop.rounds},
                        {"largest_half_width", json_number(stop.largest)},
                        {"largest_at", stop.largest_at}};
  }
  if (!report.actuals.empty()) {
    Json actuals = Json::array();
    for (const ActualRank& actual : report.actuals)
      actuals.push_back({{"name", actual.name},
                         {"value", actual.value},
                         {"percentile_rank", json_number(actual.percentile_rank)},
                         {"sd_from_mean", json_number(actual.sd_from_mean)},
                         {"outside", outside_trials(actual)}});
    out["actuals"] = actuals;
  }
  return out;
}

}  // namespace guidance
