// `guidance sensitivity` as a user meets it: the default tornado and rank correlations, JSON and CSV,
// determinism across thread counts, and the flag errors with their exit status and hints.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli/cli_harness.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using guidance::test::scratch_dir;

namespace {

/// `guidance ARGS` (a using-declaration of guidance::test::guidance would clash with the namespace).
guidance::test::Outcome run(const std::string& args) { return guidance::test::guidance(args); }

const std::string flagship = "scenarios/juniper_q4_2012.yaml";
const std::string sensitivity = "sensitivity " + flagship + " --metric eps ";

/// Characters (UTF-8 code points) in a line.
std::size_t columns(const std::string& line) {
  return static_cast<std::size_t>(std::count_if(line.begin(), line.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

TEST_CASE("sensitivity --help lists its flags") {
  const auto help = run("sensitivity --help");
  CHECK(help.status == 0);
  for (const std::string flag : {"--metric", "--method", "--range", "--ignore-correlations", "--trials", "--seed",
                                 "--threads", "--format", "--output", "--sampling"})
    CHECK_THAT(help.out, Contains(flag));
}

TEST_CASE("by default: a tornado of bars and the rank correlations, in 80 columns") {
  const auto result = run(sensitivity + "--trials 20000");
  REQUIRE(result.status == 0);
  CHECK(result.err.empty());
  CHECK_THAT(result.out, StartsWith("Juniper Networks Q4 2012 outlook (non-GAAP)\nsensitivity of eps: 20,000 trials, "
                                    "seed 20121023\n"));
  CHECK_THAT(result.out, Contains("\ntornado: eps with each driver at its P10 and at its P90"));
  CHECK_THAT(result.out, Contains("\ncorrelation: Spearman rank correlation"));
  CHECK_THAT(result.out, Contains("█"));
  CHECK_THAT(result.out,
             Contains("\nnote: revenue, gross_margin and opex are correlated; the tornado and the spider\n"));
  CHECK(result.out.find("\nsobol: ") == std::string::npos);
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    CAPTURE(line);
    CHECK(columns(line) <= 80);
  }
}

TEST_CASE("option --format json has the requested methods' keys, and --range moves the tornado's ends") {
  const auto result =
      run(sensitivity + "--trials 5000 --method tornado,spider,shapley --range 25,75 --format json");
  REQUIRE(result.status == 0);
  const auto json = nlohmann::json::parse(result.out);
  CHECK(json["metric"] == "eps");
  CHECK(json["trials"] == 5000);
  CHECK(json["tornado"]["range"] == nlohmann::json::array({25.0, 75.0}));
  CHECK(json["spider"]["revenue"].front()["percentile"] == 25.0);
  CHECK(json["spider"]["revenue"].back()["percentile"] == 75.0);
  CHECK(json["shapley"].size() == 5);
  CHECK_FALSE(json.contains("correlation"));
  CHECK_FALSE(json.contains("sobol"));
}

TEST_CASE("option --sampling draws the correlation and regional trials, and says so") {
  const std::string args = sensitivity + "--trials 4000 --method correlation,regional";
  const auto lhs = run(args + " --sampling lhs");
  REQUIRE(lhs.status == 0);
  CHECK_THAT(lhs.out, StartsWith("Juniper Networks Q4 2012 outlook (non-GAAP)\nsensitivity of eps: 4,000 trials, "
                                 "seed 20121023, Latin hypercube sampling\n"));
  const auto lhs_json = nlohmann::json::parse(run(args + " --sampling lhs --format json").out);
  const auto mc_json = nlohmann::json::parse(run(args + " --format json").out);
  CHECK(lhs_json["sampling"] == "lhs");
  CHECK(mc_json["sampling"] == "mc");
  // Other trials, so other estimates of the same rank correlation.
  CHECK(lhs_json["correlation"]["revenue"]["spearman"] != mc_json["correlation"]["revenue"]["spearman"]);
}

TEST_CASE("the output is identical on any number of threads") {
  const std::string args = sensitivity + "--trials 6000 --method all --ignore-correlations --format json";
  const auto one = run(args + " --threads 1");
  const auto two = run(args + " --threads 2");
  REQUIRE(one.status == 0);
  CHECK(one.out == two.out);
}

TEST_CASE("option --format csv writes one row per driver and statistic, and --output a file") {
  const auto output = scratch_dir() / "sensitivity.csv";
  const auto result =
      run(sensitivity + "--trials 2000 --method correlation --format csv --output '" + output.string() + "'");
  REQUIRE(result.status == 0);
  CHECK(result.out.empty());
  const std::string csv = guidance::test::slurp(output);
  CHECK_THAT(csv, StartsWith("method,driver,statistic,value,ci_low,ci_high\ncorrelation,revenue,spearman,"));
  CHECK_THAT(csv, Contains("\ncorrelation,,evaluations,2000,,\ncorrelation,,nonfinite,0,,\n"));
}

TEST_CASE("flag errors exit 2 with a message and a hint") {
  SECTION("an unknown metric gets a did-you-mean") {
    const auto result = run("sensitivity " + flagship + " --metric epss");
    CHECK(result.status == 2);
    CHECK(result.err ==
          "--metric:1:1: error: unknown variable `epss`\n    epss\n    ^~~~\nhint: did you mean `eps`?\n");
  }
  SECTION("an unknown method lists the valid ones") {
    const auto result = run(sensitivity + "--method tornado,sobl");
    CHECK(result.status == 2);
    CHECK(result.err ==
          "error: unknown --method `sobl`\nhint: did you mean `sobol`? --method takes tornado, spider, "
          "correlation, sobol, shapley, regional or all, comma-separated\n");
  }
  SECTION("sobol refuses correlated drivers and points to shapley") {
    const auto result = run(sensitivity + "--method sobol");
    CHECK(result.status == 2);
    CHECK(result.err ==
          "error: sobol indices assume independent drivers, but revenue, gross_margin and opex are "
          "correlated\nhint: use the shapley method, whose effects stay right with correlated drivers, or "
          "ignore the correlations to compute the indices as if the drivers were independent\n");
  }
  SECTION("a bad range") {
    const auto result = run(sensitivity + "--range 90,10");
    CHECK(result.status == 2);
    CHECK_THAT(result.err, StartsWith("error: --range takes two percentiles LOW,HIGH with 0 < LOW < HIGH < 100, found "
                                      "`90,10`\n"));
  }
  SECTION("a constant metric") {
    const auto result = run("sensitivity " + flagship + " --metric tax_rate");
    CHECK(result.status == 2);
    CHECK_THAT(result.err, StartsWith("error: `tax_rate` is the same in every trial (32%): no driver moves it\n"));
  }
}

TEST_CASE("option --method all runs every method that applies and says which it skipped and why") {
  const auto table = run(sensitivity + "--trials 2000 --method all");
  REQUIRE(table.status == 0);
  CHECK(table.err.empty());
  for (const std::string section : {"\ntornado: ", "\nspider: ", "\ncorrelation: ", "\nshapley: ", "\nregional: "})
    CHECK_THAT(table.out, Contains(section));
  CHECK(table.out.find("\nsobol: ") == std::string::npos);
  CHECK_THAT(table.out, Contains("\nnote: sobol skipped: sobol indices assume independent drivers, but revenue,\n"
                                 "  gross_margin and opex are correlated; use the shapley method, whose effects\n"));

  const auto json = run(sensitivity + "--trials 2000 --method all --format json");
  REQUIRE(json.status == 0);
  CHECK_THAT(json.err, StartsWith("note: sobol skipped: sobol indices assume independent drivers"));
  const auto parsed = nlohmann::json::parse(json.out);
  CHECK_FALSE(parsed.contains("sobol"));
  REQUIRE(parsed["skipped"].size() == 1);
  CHECK(parsed["skipped"][0]["method"] == "sobol");
  CHECK(parsed["skipped"][0]["reason"] ==
        "sobol indices assume independent drivers, but revenue, gross_margin and opex are correlated");

  const auto html_path = scratch_dir() / "all.html";
  REQUIRE(run(sensitivity + "--trials 2000 --method all --report '" + html_path.string() + "'").status == 0);
  CHECK_THAT(guidance::test::slurp(html_path),
             Contains("<p class=\"note\">sobol skipped: sobol indices assume independent drivers"));
}

TEST_CASE("a design too small for an interval is refused with the minimum and a hint") {
  const auto result = run(sensitivity + "--trials 1 --method sobol --ignore-correlations");
  CHECK(result.status == 2);
  CHECK(result.err ==
        "error: sobol needs at least 6 trials, found 1: fewer leave its bootstrap too few distinct resamples for a "
        "95% interval\nhint: raise the trials: the intervals narrow as 1 / sqrt(trials), and 10,000 or more is usual\n");
  // Under all, such a method is skipped instead, and the rest still run.
  const auto all = run(sensitivity + "--trials 1 --method all --format json");
  REQUIRE(all.status == 0);
  const auto parsed = nlohmann::json::parse(all.out);
  CHECK(parsed.contains("tornado"));
  CHECK(parsed["skipped"].size() == 3);  // correlation, sobol, shapley
}
