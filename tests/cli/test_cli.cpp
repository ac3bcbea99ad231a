// The command line as a user meets it: exit statuses, messages on stderr, results on stdout or files.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli/cli_harness.hpp"

using guidance::test::scratch_dir;
using guidance::test::scratch_file;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {
guidance::test::Outcome cli(const std::string& args) { return guidance::test::guidance(args); }
const std::string flagship = "scenarios/juniper_q4_2012.yaml";
}

TEST_CASE("option --version and --help") {
  const auto version = cli("--version");
  CHECK(version.status == 0);
  CHECK_THAT(version.out, StartsWith("guidance "));
  for (const std::string command : {"validate", "run", "check"}) {
    CAPTURE(command);
    const auto help = cli(command + " --help");
    CHECK(help.status == 0);
    CHECK_THAT(help.out, Contains("Usage"));
  }
}

TEST_CASE("validate accepts every example scenario") {
  const std::string file = GENERATE("scenarios/juniper_q4_2012.yaml", "scenarios/coin_toss_revenue.yaml",
                                    "scenarios/cost_model.yaml");
  CAPTURE(file);
  const auto result = cli("validate " + file);
  CHECK(result.err.empty());
  CHECK(result.status == 0);
  CHECK_THAT(result.out, StartsWith(file + ": ok\n"));
}

TEST_CASE("validate rejects a bad file with status 2 and a located message") {
  const std::string path = scratch_file("bad.yaml", "name: x\ndrivers:\n  a: {dist: normal, mean: 1, sd: -2}\n");
  const auto result = cli("validate " + path);
  CHECK(result.status == 2);
  CHECK_THAT(result.err, StartsWith(path + ":3:"));
  CHECK_THAT(result.err, Contains("error: "));
  CHECK(result.out.empty());
}

TEST_CASE("run prints every range's probability on one screen") {
  const auto result = cli("run " + flagship + " --trials 20000");
  CHECK(result.status == 0);
  CHECK(result.err.empty());
  for (const std::string line : {"revenue", "gross_margin", "operating_margin", "eps", "all at once", "P(in)"})
    CHECK_THAT(result.out, Contains(line));
  std::istringstream lines(result.out);
  std::size_t count = 0;
  for (std::string line; std::getline(lines, line); ++count) {
    CAPTURE(line);
    // Columns: one per UTF-8 code point (the histograms' bars are multi-byte block characters).
    CHECK(std::count_if(line.begin(), line.end(), [](char c) { return (c & 0xC0) != 0x80; }) <= 80);
  }
  CHECK(count <= 40);
}

TEST_CASE("run --format json follows the documented shape") {
  const auto result = cli("run " + flagship + " --trials 10000 --seed 3 --format json");
  REQUIRE(result.status == 0);
  const auto json = nlohmann::json::parse(result.out);
  CHECK(json["scenario"] == "Juniper Networks Q4 2012 outlook (non-GAAP)");
  CHECK(json["trials"] == 10000);
  CHECK(json["seed"] == 3);
  for (const std::string name : {"revenue", "gross_margin", "opex", "other_income", "tax_rate", "diluted_shares",
                                 "gross_profit", "operating_income", "operating_margin", "net_income", "eps"}) {
    CAPTURE(name);
    const auto& variable = json["variables"][name];
    for (const std::string key : {"kind", "mean", "sd", "min", "max", "nonfinite", "percentiles"})
      CHECK(variable.contains(key));
    for (const std::string p : {"p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99"})
      CHECK(variable["percentiles"].contains(p));
  }
  REQUIRE(json["guidance"].size() == 4);
  for (const auto& line : json["guidance"])
    for (const std::string key : {"name", "low", "high", "p_in", "p_in_ci", "p_below", "p_above"}) CHECK(line.contains(key));
  CHECK(json["guidance_joint"].contains("p_in"));
  CHECK(json["guidance_joint"]["p_in_ci"].size() == 2);
}

TEST_CASE("the output is identical on any number of threads") {
  const std::string args = "run " + flagship + " --trials 30000 --format json";
  const auto one = cli(args + " --threads 1");
  const auto two = cli(args + " --threads 2");
  const auto eight = cli(args + " --threads 8");
  REQUIRE(one.status == 0);
  CHECK(one.out == two.out);
  CHECK(one.out == eight.out);
}

TEST_CASE("run --format csv has one row per variable") {
  const auto result = cli("run " + flagship + " --trials 1000 --format csv");
  REQUIRE(result.status == 0);
  CHECK_THAT(result.out, StartsWith("variable,kind,mean,mean_se,sd,min,max,count,nonfinite,p1,p5,p10,p25,p50,p75,p90,p95,p99\n"));
  CHECK(std::count(result.out.begin(), result.out.end(), '\n') == 12);
}

TEST_CASE("option --samples writes every trial, and --output writes the result to a file") {
  const auto samples = scratch_dir() / "samples.csv";
  const auto output = scratch_dir() / "result.json";
  const auto result = cli("run " + flagship + " --trials 500 --format json --samples '" + samples.string() +
                               "' --output '" + output.string() + "'");
  REQUIRE(result.status == 0);
  CHECK(result.out.empty());
  const std::string text = guidance::test::slurp(samples);
  CHECK_THAT(text, StartsWith("trial,revenue,gross_margin,opex,other_income,tax_rate,diluted_shares,gross_profit,"));
  CHECK(std::count(text.begin(), text.end(), '\n') == 501);
  CHECK(nlohmann::json::parse(guidance::test::slurp(output))["trials"] == 500);
}

TEST_CASE("run, check, compare, sweep, solve and propose stream the trials that do not fit in --memory and print the same bytes") {
  // 70,001 trials: one whole chunk of 65,536 and a partial one. juniper_fy2012 is dimensioned, with
  // given values and actuals.
  const std::string fy2012 = "scenarios/juniper_fy2012.yaml";
  const std::string command = GENERATE_COPY(
      "run --format json " + flagship, "run --format csv " + flagship, "run --format table " + flagship,
      "run --sampling sobol --format json " + flagship, "check --min-probability 0.3 " + flagship,
      "compare --format json " + flagship, "sweep --vary revenue.p90=1120:1140:10 --format json " + flagship,
      "solve --target 'p90(eps) = 0.225' --vary revenue.p90 " + flagship,
      "solve --target 'P(eps in guidance) = 68%' --vary opex.mode --bracket 536:559 --format json " + flagship,
      "run --format json " + fy2012, "run --format table " + fy2012, "check --min-probability 0.3 " + fy2012,
      "compare --format json " + fy2012, "propose --metric eps --format json " + flagship,
      "propose --metric eps --round 0.01 " + flagship, "propose --metric gross_margin --center 64% --round 0.1% " + flagship,
      "propose --metric 'revenue[Q4]' --confidence 0.95 --format json " + fy2012);
  CAPTURE(command);
  const auto kept = cli(command + " --trials 70001");
  REQUIRE(kept.status <= 1);  // check may fail a line
  const auto streamed = cli(command + " --trials 70001 --memory 1MiB --threads 1");
  CHECK(streamed.status == kept.status);
  CHECK(streamed.out == kept.out);
  CHECK(streamed.err == kept.err);
}

TEST_CASE("option --samples streams every trial in order when the run streams") {
  const auto kept = scratch_dir() / "kept.csv", streamed = scratch_dir() / "streamed.csv";
  REQUIRE(cli("run " + flagship + " --trials 70001 --samples '" + kept.string() + "'").status == 0);
  REQUIRE(cli("run " + flagship + " --trials 70001 --memory 1MiB --samples '" + streamed.string() + "'").status == 0);
  const std::string text = guidance::test::slurp(streamed);
  CHECK(std::count(text.begin(), text.end(), '\n') == 70'002);
  CHECK(text == guidance::test::slurp(kept));
}

TEST_CASE("option --memory takes a size such as 512MiB, 4gib, 2GB or a count of bytes") {
  for (const std::string size : {"1MiB", "512MiB", "2GB", "4gib", "1000000000"})
    CHECK(cli("run " + flagship + " --trials 100 --memory " + size).status == 0);
}

TEST_CASE("an output path that cannot be written is an error and leaves no file") {
  const auto result = cli("run " + flagship + " --trials 100 --output /nonexistent-dir/out.json");
  CHECK(result.status == 2);
  CHECK_THAT(result.err, StartsWith("error: cannot write `/nonexistent-dir/out.json`: "));
  CHECK_FALSE(std::filesystem::exists("/nonexistent-dir/out.json"));
}

TEST_CASE("an output that would overwrite the scenario or another output is refused before any work") {
  const std::string scenario =
      scratch_file("mine.yaml", guidance::test::slurp(GUIDANCE_SOURCE_DIR "/" + flagship));
  const auto same = cli("run '" + scenario + "' --trials 100 --output '" + scenario + "'");
  CHECK(same.status == 2);
  CHECK_THAT(same.err, StartsWith("error: --output `" + scenario + "` would overwrite the scenario file\nhint: "));
  CHECK(guidance::test::slurp(scenario) == guidance::test::slurp(GUIDANCE_SOURCE_DIR "/" + flagship));

  const auto out = scratch_dir() / "twice.json";
  const auto twice = cli("run " + flagship + " --trials 100 --output '" + out.string() + "' --samples '" +
                         (scratch_dir() / "." / "twice.json").string() + "'");
  CHECK(twice.status == 2);
  CHECK_THAT(twice.err, StartsWith("error: --output and --samples both name "));
  CHECK_FALSE(std::filesystem::exists(out));
  CHECK(cli("check '" + scenario + "' --trials 100 --output '" + scenario + "'").status == 2);
  CHECK(cli("propose '" + scenario + "' --metric eps --trials 100 --output '" + scenario + "'").status == 2);
}

TEST_CASE("option --output writes through a device and a symbolic link, and keeps a file's permissions") {
  CHECK(cli("run " + flagship + " --trials 100 --output /dev/null --samples /dev/null").status == 0);
  CHECK(std::filesystem::is_character_file("/dev/null"));

  const auto target = scratch_dir() / "kept.json", link = scratch_dir() / "link.json";
  std::filesystem::remove(target);
  std::filesystem::remove(link);
  { std::ofstream(target) << "old"; }
  std::filesystem::permissions(target, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::create_symlink(target.filename(), link);
  REQUIRE(cli("run " + flagship + " --trials 100 --format json --output '" + link.string() + "'").status == 0);
  CHECK(std::filesystem::is_symlink(link));
  CHECK(nlohmann::json::parse(guidance::test::slurp(target))["trials"] == 100);
  CHECK(std::filesystem::status(target).permissions() ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
}

TEST_CASE("check exits 0 when every line is likely enough, 1 when one is not, 2 on bad input") {
  CHECK(cli("check " + flagship + " --trials 5000 --min-probability 0").status == 0);
  const auto failing = cli("check " + flagship + " --trials 5000 --min-probability 0.99");
  CHECK(failing.status == 1);
  CHECK_THAT(failing.err, StartsWith("check failed: P(in) below 99% for "));
  CHECK(cli("check missing.yaml").status == 2);
  CHECK(cli("check " + flagship + " --min-probability 2").status == 2);
  CHECK(cli("check " + flagship + " --min-probability nan").status == 2);
  CHECK(cli("check " + flagship + " --trials 5000 --min-probability 99%").status == 1);
}

TEST_CASE("bad flags are refused with status 2 and a message") {
  struct Case {
    std::string args, message;
  };
  const Case c = GENERATE(Case{"--trials 0", "error: --trials must be at least 1, found 0\n"},
                          Case{"--trials -5", "error: --trials must be at least 1, found -5\n"},
                          Case{"--trials 1e13", "error: --trials must be at most 10^10, found 1e13\n"},
                          Case{"--trials 2.5", "error: --trials must be a whole number, found 2.5\n"},
                          Case{"--trials lots", "error: --trials must be a number, found `lots`\n"},
                          Case{"--sampling fast", "error: --sampling must be mc, lhs or sobol, found `fast`\n"},
                          Case{"--memory lots", "error: --memory: expected a size such as 4GiB, 512MiB or 2GB, found `lots`\n"},
                          Case{"--memory '4 furlongs'",
                               "error: --memory: expected a size such as 4GiB, 512MiB or 2GB, found `4 furlongs`\n"},
                          Case{"--memory 512KiB", "error: --memory: takes 1MiB to 1PiB, found 512KiB\n"},
                          Case{"--memory 0", "error: --memory: takes 1MiB to 1PiB, found 0\n"},
                          Case{"--memory -1GiB", "error: --memory: takes 1MiB to 1PiB, found -1GiB\n"},
                          Case{"--memory 2PiB", "error: --memory: takes 1MiB to 1PiB, found 2PiB\n"});
  CAPTURE(c.args);
  const auto result = cli("run " + flagship + " " + c.args);
  CHECK(result.status == 2);
  CHECK_THAT(result.err, StartsWith(c.message));
  CHECK(result.out.empty());
  CHECK(cli("run " + flagship + " --format xml").status == 2);
  CHECK(cli("frobnicate").status == 2);
  CHECK(cli("").status == 2);
}

TEST_CASE("an actual beyond every trial says how far, and one among no finite trial has no rank") {
  const auto far = cli("run " + flagship + " --trials 2000 --actual eps=0.5 --actual revenue=900");
  REQUIRE(far.status == 0);
  CHECK_THAT(far.out, Contains("\nactual eps = 0.5000: above every trial, "));
  CHECK_THAT(far.out, Contains(" sd above the mean\n"));
  CHECK_THAT(far.out, Contains("\nactual revenue = 900.0: below every trial, "));
  // A million sd and more in scientific notation: 1e308 was 300 digits of sd.
  const auto farthest = cli("run " + flagship + " --trials 2000 --actual revenue=1e308");
  CHECK_THAT(farthest.out, Contains("\nactual revenue = 1.000e+308: above every trial, 8.3e+306 sd above the mean\n"));
  const auto json = nlohmann::json::parse(cli("run " + flagship + " --trials 2000 --actual eps=0.5 --format json").out);
  CHECK(json["actuals"][0]["percentile_rank"] == 1.0);
  CHECK(json["actuals"][0]["outside"] == "above");
  CHECK(json["actuals"][0]["sd_from_mean"].get<double>() > 10.0);

  // Not a finite number in any trial: a constant 0 / 0 and a column of (revenue - revenue) / 0.
  const std::string folds = "tests/catalogue/inputs/metric_folds_to_nan.yaml";
  const auto none = cli("run " + folds + " --trials 1000");
  REQUIRE(none.status == 0);
  CHECK_THAT(none.out, Contains("\nactual ratio = 0.5000: no rank: not a finite number in any trial\n"));
  CHECK_THAT(none.out, Contains("\nactual margin = 0.5000: no rank: not a finite number in any trial\n"));
  CHECK_THAT(none.out, Contains("\nwarning: ratio is not a finite number in 1000 of 1000 trials"));
  const auto none_json = nlohmann::json::parse(cli("run " + folds + " --trials 1000 --format json").out);
  CHECK(none_json["actuals"][0]["percentile_rank"].is_null());
  CHECK(none_json["nonfinite_trials"] == 1000);
  CHECK(none_json["guidance"][0]["nonfinite"] == 1000);
}
