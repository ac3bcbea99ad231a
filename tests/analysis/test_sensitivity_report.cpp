// sensitivity(): the requested methods only, checks before any work; and its renderings: a tornado in
// 80 columns, the documented JSON keys, one CSV row per driver and statistic.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analysis/sensitivity_testing.hpp"
#include "guidance/report.hpp"
#include "guidance/load.hpp"
#include "guidance/sensitivity.hpp"

using namespace guidance;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using guidance::test::index_of;

namespace {

Model flagship() { return build_model(load_scenario(GUIDANCE_SOURCE_DIR "/scenarios/juniper_q4_2012.yaml")); }

SensitivityOptions options_for(const Model& model, std::vector<SensitivityMethod> methods) {
  SensitivityOptions options;
  options.metric = index_of(model, "eps");
  options.methods = std::move(methods);
  options.run.trials = 4000;
  options.run.seed = 7;
  return options;
}

/// Characters (UTF-8 code points) in a line.
std::size_t columns(const std::string& line) {
  return static_cast<std::size_t>(std::count_if(line.begin(), line.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

TEST_CASE("sensitivity runs the requested methods once each, and nothing else") {
  const Model model = flagship();
  const SensitivityReport report = sensitivity(
      model, options_for(model, {SensitivityMethod::regional, SensitivityMethod::tornado, SensitivityMethod::tornado}));
  CHECK(report.tornado);
  CHECK(report.regional);
  CHECK_FALSE(report.spider);
  CHECK_FALSE(report.correlation);
  CHECK_FALSE(report.sobol);
  CHECK_FALSE(report.shapley);
  // tax_rate is a constant: five inputs; revenue, gross_margin and opex are in the copula.
  CHECK(report.inputs.size() == 5);
  CHECK(report.correlated.size() == 3);
}

TEST_CASE("sensitivity reports its progress across the sampling stages, and stops when told") {
  const Model model = flagship();
  SensitivityOptions options =
      options_for(model, {SensitivityMethod::tornado, SensitivityMethod::correlation, SensitivityMethod::regional,
                          SensitivityMethod::shapley, SensitivityMethod::sobol});
  options.ignore_correlations = true;
  options.run.trials = 200'000;
  // The Monte Carlo run (shared by correlation and regional), sobol's base trials, shapley's.
  REQUIRE(sensitivity_stages(model, options) == 3);
  CHECK(sensitivity_stages(model, options_for(model, {SensitivityMethod::tornado, SensitivityMethod::spider})) == 0);

  std::vector<std::uint64_t> calls;
  options.run.progress = [&](std::uint64_t done) {
    calls.push_back(done);
    return true;
  };
  const SensitivityReport watched = sensitivity(model, options);
  REQUIRE_FALSE(calls.empty());
  CHECK(std::is_sorted(calls.begin(), calls.end()));
  CHECK(calls.back() == 3 * options.run.trials);
  // Every stage ends with a call at its last trial (sometimes two: the last chunk's, and the final one).
  for (std::uint64_t stage = 1; stage <= 3; ++stage) CHECK(std::ranges::count(calls, stage * options.run.trials) >= 1);

  options.run.progress = nullptr;
  const SensitivityReport plain = sensitivity(model, options);
  REQUIRE(plain.sobol);
  REQUIRE(plain.shapley);
  REQUIRE(plain.correlation);
  for (std::size_t i = 0; i < plain.inputs.size(); ++i) {
    CHECK(watched.sobol->inputs[i].first == plain.sobol->inputs[i].first);
    CHECK(watched.shapley->inputs[i].effect == plain.shapley->inputs[i].effect);
    CHECK(watched.correlation->inputs[i].spearman == plain.correlation->inputs[i].spearman);
  }

  // Told to stop in the second stage (sobol): RunCancelled, and no call after the one that said stop.
  calls.clear();
  options.run.progress = [&](std::uint64_t done) {
    calls.push_back(done);
    return done <= options.run.trials;
  };
  CHECK_THROWS_AS(sensitivity(model, options), RunCancelled);
  REQUIRE_FALSE(calls.empty());
  CHECK(calls.back() > options.run.trials);
  CHECK(calls.back() <= 2 * options.run.trials);
}

TEST_CASE("sensitivity checks every method before running any") {
  const Model model = flagship();
  // 10^10 trials: the correlation's simulation would stop at once for lack of memory, with another
  // message. sobol's refusal of the flagship's correlations must come first.
  SensitivityOptions options = options_for(model, {SensitivityMethod::correlation, SensitivityMethod::sobol});
  options.run.trials = 10'000'000'000;
  CHECK_THROWS_WITH(sensitivity(model, options),
                    "sobol indices assume independent drivers, but revenue, gross_margin and opex are correlated");
}

TEST_CASE("a design too small to estimate anything is refused, with the minimum and the reason") {
  const Model model = flagship();
  SensitivityOptions options = options_for(model, {SensitivityMethod::shapley});
  options.run.trials = 5;
  CHECK_THROWS_WITH(sensitivity(model, options),
                    "shapley needs at least 6 trials, found 5: fewer leave its bootstrap too few distinct "
                    "resamples for a 95% interval");
  options.methods = {SensitivityMethod::sobol};
  options.ignore_correlations = true;
  CHECK_THROWS_WITH(sensitivity(model, options),
                    "sobol needs at least 6 trials, found 5: fewer leave its bootstrap too few distinct "
                    "resamples for a 95% interval");
  options.methods = {SensitivityMethod::correlation};
  options.run.trials = 2;
  CHECK_THROWS_WITH(sensitivity(model, options),
                    "correlation needs at least 3 trials, found 2: with fewer, every rank correlation is +1 or -1");
  // The one-at-a-time views sample nothing, regional describes whatever trials there are.
  options.methods = {SensitivityMethod::tornado, SensitivityMethod::spider, SensitivityMethod::regional};
  options.run.trials = 1;
  CHECK_NOTHROW(sensitivity(model, options));
  // At the minimum the design runs and its intervals are real ones.
  options.methods = {SensitivityMethod::shapley};
  options.run.trials = minimum_trials(SensitivityMethod::shapley);
  const SensitivityReport report = sensitivity(model, options);
  for (const ShapleyEffect& effect : report.shapley->inputs) CHECK(effect.ci.low <= effect.ci.high);
}

TEST_CASE("skip_inapplicable runs every method that applies and says why it left the others out") {
  const Model model = flagship();
  SensitivityOptions options =
      options_for(model, std::vector<SensitivityMethod>(std::begin(all_sensitivity_methods), std::end(all_sensitivity_methods)));
  options.skip_inapplicable = true;
  options.run.trials = 4;
  const SensitivityReport report = sensitivity(model, options);
  CHECK(report.tornado);
  CHECK(report.spider);
  CHECK(report.correlation);
  CHECK(report.regional);
  CHECK_FALSE(report.sobol);
  CHECK_FALSE(report.shapley);
  REQUIRE(report.skipped.size() == 2);
  CHECK(report.skipped[0].method == SensitivityMethod::sobol);
  CHECK(report.skipped[0].reason ==
        "sobol indices assume independent drivers, but revenue, gross_margin and opex are correlated");
  CHECK(report.skipped[1].method == SensitivityMethod::shapley);
  CHECK(report.skipped[1].reason ==
        "shapley needs at least 6 trials, found 4: fewer leave its bootstrap too few distinct resamples for a 95% "
        "interval");
  // Only the stages that run are counted for progress.
  CHECK(sensitivity_stages(model, options) == 1);
  // Said in every format.
  const std::string table = render_sensitivity_table(model, report);
  CHECK_THAT(table, Contains("\nnote: sobol skipped: sobol indices assume independent drivers, but revenue,\n"));
  const nlohmann::ordered_json json = sensitivity_json(model, report);
  REQUIRE(json["skipped"].size() == 2);
  CHECK(json["skipped"][0]["method"] == "sobol");
  CHECK(json["skipped"][1]["reason"] == report.skipped[1].reason);
  CHECK(json["skipped"][1]["hint"] == "raise the trials: the intervals narrow as 1 / sqrt(trials), and 10,000 or more is usual");
}

TEST_CASE("the table draws the tornado in 80 columns, then one table per method") {
  const Model model = flagship();
  std::vector<SensitivityMethod> all(std::begin(all_sensitivity_methods), std::end(all_sensitivity_methods));
  SensitivityOptions options = options_for(model, all);
  options.ignore_correlations = true;
  const SensitivityReport report = sensitivity(model, options);
  const std::string table = render_sensitivity_table(model, report);
  std::istringstream lines(table);
  for (std::string line; std::getline(lines, line);) {
    CAPTURE(line);
    CHECK(columns(line) <= 80);
  }
  CHECK_THAT(table,
             StartsWith("Juniper Networks Q4 2012 outlook (non-GAAP)\nsensitivity of eps: 4,000 trials, seed 7\n"));
  for (const std::string heading :
       {"\ntornado: ", "\nspider: ", "\ncorrelation: ", "\nsobol: ", "\nshapley: ", "\nregional: "})
    CHECK_THAT(table, Contains(heading));
  CHECK_THAT(table, Contains("█"));
  CHECK_THAT(table, Contains("\nnote: revenue, gross_margin and opex are correlated; the tornado and the spider\n"));
  CHECK_THAT(table, Contains("note: the sobol indices ignore the correlations, as asked"));
  // The biggest bar first.
  CHECK(table.find("  revenue ") < table.find("  diluted_shares "));
}

TEST_CASE("the JSON has the documented keys of the requested methods only") {
  const Model model = flagship();
  const SensitivityReport report = sensitivity(
      model, options_for(model, {SensitivityMethod::tornado, SensitivityMethod::spider, SensitivityMethod::correlation,
                                 SensitivityMethod::shapley, SensitivityMethod::regional}));
  const nlohmann::ordered_json json = sensitivity_json(model, report);
  for (const std::string key : {"scenario", "metric", "trials", "seed", "sampling", "tornado", "spider", "correlation", "shapley",
                                "regional", "designs", "notes"})
    CHECK(json.contains(key));
  CHECK_FALSE(json.contains("sobol"));
  CHECK(json["metric"] == "eps");
  CHECK(json["tornado"]["bars"].size() == 5);
  for (const std::string key : {"driver", "low_input", "high_input", "output_low", "output_high", "swing"})
    CHECK(json["tornado"]["bars"][0].contains(key));
  CHECK(json["spider"]["revenue"].size() == 9);
  CHECK(json["spider"]["revenue"][0]["percentile"] == 10.0);
  CHECK(json["correlation"]["opex"].contains("contribution"));
  CHECK(json["shapley"]["revenue"]["ci"].size() == 2);
  REQUIRE(json["regional"].size() == 2);
  CHECK(json["regional"][0]["guidance"] == "eps");
  CHECK(json["regional"][0]["side"] == "below");
  CHECK(json["designs"]["shapley"]["evaluations"] == 4000 * 32);
}

TEST_CASE("the CSV has one row per driver and statistic") {
  const Model model = flagship();
  const SensitivityReport report = sensitivity(model, options_for(model, {SensitivityMethod::tornado}));
  const std::string csv = render_sensitivity_csv(model, report);
  CHECK_THAT(csv, StartsWith("method,driver,statistic,value,ci_low,ci_high\ntornado,,base,"));
  // The base, 5 statistics for each of 5 drivers, and the design's two counts.
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 1 + 25 + 2);
  CHECK_THAT(csv, Contains("\ntornado,revenue,swing,"));
  CHECK_THAT(csv, Contains("\ntornado,,evaluations,11,,\n"));
}
