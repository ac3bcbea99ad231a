// Convergence, precision stopping and correlation repair as a user meets them on the command line.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli/cli_harness.hpp"

using guidance::test::scratch_file;
using guidance::test::slurp;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

/// `guidance ARGS` (the harness's function; its name is also our namespace's).
guidance::test::Outcome cli(const std::string& args) { return guidance::test::guidance(args); }

const std::string flagship = "scenarios/juniper_q4_2012.yaml";

/// The flagship with correlations that cannot hold together: gross margin and opex both move with
/// revenue but against each other.
std::string conflicting_flagship() {
  std::string text = slurp(GUIDANCE_SOURCE_DIR "/" + flagship);
  const std::string written = "  - [revenue, gross_margin, 0.3]\n  - [revenue, opex, 0.3]\n";
  const auto at = text.find(written);
  REQUIRE(at != std::string::npos);
  text.replace(at, written.size(),
               "  - [revenue, gross_margin, 0.9]\n  - [revenue, opex, 0.9]\n  - [gross_margin, opex, -0.9]\n");
  return scratch_file("conflicting.yaml", text);
}

}  // namespace

TEST_CASE("an invalid correlation matrix is refused, and repaired only on request, never silently") {
  const std::string file = conflicting_flagship();
  const auto refused = cli("run " + file + " --trials 2000");
  CHECK(refused.status == 2);
  CHECK_THAT(refused.err, Contains("error: the correlations do not form a valid correlation matrix"));
  CHECK_THAT(refused.err, Contains("hint: lower some of these correlations, or set `simulation: {repair_correlations: "
                                   "true}` to use the nearest valid matrix (or --repair-correlations)\n"));

  const auto repaired = cli("run " + file + " --trials 2000 --repair-correlations");
  CHECK(repaired.status == 0);
  CHECK_THAT(repaired.out, Contains("correlations repaired (nearest valid matrix, Higham 2002): rank correlation"));
  CHECK_THAT(repaired.out, Contains("  revenue ~ gross_margin"));
  CHECK_THAT(repaired.out, Contains("  gross_margin ~ opex                     -0.900"));

  const auto json = cli("run " + file + " --trials 2000 --repair-correlations --format json");
  REQUIRE(json.status == 0);
  const auto parsed = nlohmann::json::parse(json.out);
  REQUIRE(parsed["correlations"].size() == 3);
  CHECK(parsed["correlations"][2]["a"] == "gross_margin");
  CHECK(parsed["correlations"][2]["b"] == "opex");
  CHECK(parsed["correlations"][2]["requested"] == -0.9);
  CHECK(parsed["correlations"][2]["used"].get<double>() > -0.9);

  const auto validate = cli("validate " + file + " --repair-correlations");
  CHECK(validate.status == 0);
  CHECK_THAT(validate.out, Contains("repaired to the nearest valid one (rank, requested -> used)"));
  CHECK_THAT(validate.out, Contains("  gross_margin ~ opex: -0.900 -> "));
}

TEST_CASE("option --precision stops when the guidance probabilities are precise and reports why") {
  const auto result = cli("run " + flagship + " --precision 0.005 --format json");
  REQUIRE(result.status == 0);
  const auto json = nlohmann::json::parse(result.out);
  CHECK(json["precision"]["stopped_because"] == "precision reached");
  CHECK(json["precision"]["half_width"] == 0.005);
  CHECK(json["precision"]["largest_half_width"].get<double>() < 0.005);
  const auto trials = json["trials"].get<std::uint64_t>();
  CHECK(trials > 10'000);
  // The same trials in a plain run give the same numbers.
  const auto plain = cli("run " + flagship + " --format json --trials " + std::to_string(trials));
  auto plain_json = nlohmann::json::parse(plain.out);
  auto precise_json = json;
  precise_json.erase("precision");
  CHECK(plain_json == precise_json);

  const auto capped = cli("run " + flagship + " --precision 0.0005 --max-trials 20000");
  CHECK(capped.status == 0);
  CHECK_THAT(capped.out, Contains("at 20,000 trials: max trials"));
}

TEST_CASE("precision flags are checked") {
  const auto percentile = cli("run " + flagship + " --precision 0.01 --precision-percentiles 50,42");
  CHECK(percentile.status == 2);
  CHECK_THAT(percentile.err, StartsWith("error: --precision-percentiles takes percentiles that a run reports, found 42"));
  const auto alone = cli("run " + flagship + " --max-trials 1e6");
  CHECK(alone.status == 2);
  CHECK_THAT(alone.err, Contains("--max-trials requires --precision"));
  const auto zero = cli("run " + flagship + " --precision 0");
  CHECK(zero.status == 2);
  CHECK_THAT(zero.err, StartsWith("error: --precision must be a half-width between 0 and 1, found 0"));
  const auto no_trials = cli("run " + flagship + " --precision 0.01 --max-trials 0");
  CHECK(no_trials.status == 2);
  CHECK(no_trials.err == "error: --max-trials must be at least 1, found 0\n"
                         "hint: --max-trials takes a whole number such as 100000 or 1e6\n");
}

TEST_CASE("option --show-error adds the half-widths within 80 columns and says when they are approximate") {
  const std::string sampling = GENERATE("mc", "lhs");
  const auto result = cli("run " + flagship + " --trials 20000 --show-error --sampling " + sampling);
  REQUIRE(result.status == 0);
  CHECK_THAT(result.out, Contains("±: 95% half-widths (mean: 1.96 standard errors; percentiles: order statistics)"));
  CHECK((result.out.find("only approximate under this sampling") != std::string::npos) == (sampling == "lhs"));
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("±") == std::string::npos && line.find("iid formulas") == std::string::npos) continue;
    CAPTURE(line);
    // Display columns: UTF-8 continuation bytes take none.
    CHECK(std::count_if(line.begin(), line.end(), [](char c) { return (c & 0xC0) != 0x80; }) <= 80);
  }
  const auto json = nlohmann::json::parse(cli("run " + flagship + " --trials 2000 --format json --sampling " +
                                                   sampling).out);
  CHECK(json["se_method"] == (sampling == "mc" ? "iid" : "iid-approximate"));
  CHECK(json["guidance"][0]["p_below_ci"].size() == 2);
  CHECK(json["guidance"][0]["p_above_ci"].size() == 2);
}
