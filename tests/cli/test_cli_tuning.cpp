// `guidance compare`, `sweep`, `solve` and `propose` as a user meets them: shapes, tables that fit 80
// columns, exit statuses and messages, and the same output on any number of threads.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/cli_harness.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

const std::string flagship = "scenarios/juniper_q4_2012.yaml";

guidance::test::Outcome cli(const std::string& args) { return guidance::test::guidance(args); }

/// Every line of a table fits an 80-column terminal.
void check_width(const std::string& text) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    CAPTURE(line);
    CHECK(line.size() <= 80);
  }
}

}  // namespace

TEST_CASE("the tuning commands have help") {
  const std::string command = GENERATE("compare", "sweep", "solve", "propose");
  CAPTURE(command);
  const auto help = cli(command + " --help");
  CHECK(help.status == 0);
  CHECK_THAT(help.out, Contains("Usage"));
}

TEST_CASE("compare: base and every variant side by side") {
  const auto table = cli("compare " + flagship + " --trials 5000");
  REQUIRE(table.status == 0);
  CHECK(table.err.empty());
  check_width(table.out);
  CHECK_THAT(table.out, Contains("3 variants, the same trials in each (common random numbers)"));
  for (const std::string text : {"base", "bear", "bull", "P(in)", "all at once", "eps", "P90"}) CHECK_THAT(table.out, Contains(text));

  const auto json = cli("compare " + flagship + " --trials 5000 --scenarios bull,base --format json");
  REQUIRE(json.status == 0);
  const auto parsed = nlohmann::ordered_json::parse(json.out);
  REQUIRE(parsed.size() == 1);
  REQUIRE(parsed["variants"].size() == 2);
  CHECK(parsed["variants"].begin().key() == "bull");  // in the order asked for
  CHECK(parsed["variants"]["bull"]["variant"] == "bull");
  CHECK(parsed["variants"]["base"]["trials"] == 5000);
  CHECK(parsed["variants"]["base"]["guidance"].size() == 4);
  // The base column is the base run, bit for bit.
  const auto run = cli("run " + flagship + " --trials 5000 --format json");
  CHECK(nlohmann::ordered_json::parse(run.out) == parsed["variants"]["base"]);
}

TEST_CASE("compare refuses unknown variants, a bad list, --scenario and CSV") {
  const auto unknown = cli("compare " + flagship + " --scenarios base,beer");
  CHECK(unknown.status == 2);
  CHECK(unknown.err == flagship + ": error: unknown variant `beer`\nhint: did you mean `bear`?\n");
  CHECK(unknown.out.empty());
  const auto list = cli("compare " + flagship + " --scenarios base,,bull");
  CHECK(list.status == 2);
  CHECK_THAT(list.err, StartsWith("--scenarios:1:6: error: expected a variant name, found nothing\n"));
  const auto empty = cli("compare " + flagship + " --scenarios ''");  // not taken for "all"
  CHECK(empty.status == 2);
  CHECK_THAT(empty.err, StartsWith("--scenarios:1:1: error: expected a variant name, found nothing\n"));
  const auto single = cli("compare " + flagship + " --scenario bear");
  CHECK(single.status == 2);
  CHECK(single.err == "error: compare takes the variants to compare with --scenarios, found --scenario bear\n"
                      "hint: e.g. --scenarios base,bear\n");
  const auto csv = cli("compare " + flagship + " --format csv");
  CHECK(csv.status == 2);
  CHECK(csv.err == "error: --format: csv not in {table,json,xlsx}\nhint: see `guidance compare --help` for its arguments and "
                   "flags\n");
}

TEST_CASE("sweep: a table for one --vary, a grid for two") {
  const auto table = cli("sweep " + flagship + " --trials 3000 --vary revenue.p90=1120:1150:10 --metric eps");
  REQUIRE(table.status == 0);
  check_width(table.out);
  for (const std::string text : {"revenue.p90 from 1,120 to 1,150 (4 values)", "P(in) of each guidance line",
                                 "percentiles", "eps P50", "1,140"})
    CHECK_THAT(table.out, Contains(text));

  const auto grid = cli("sweep " + flagship + " --trials 2000 --vary revenue.p90=1120,1140 --vary opex.max=550:570:10");
  REQUIRE(grid.status == 0);
  check_width(grid.out);
  CHECK_THAT(grid.out, Contains("revenue.p90 \\ opex.max"));
  CHECK_THAT(grid.out, Contains("P(in) eps 0.19 to 0.22"));

  const auto json = cli("sweep " + flagship + " --trials 2000 --vary tax_rate=30%:34%:2% --format json");
  REQUIRE(json.status == 0);
  const auto parsed = nlohmann::json::parse(json.out);
  CHECK(parsed["vary"][0]["name"] == "tax_rate");
  CHECK(parsed["vary"][0]["values"] == nlohmann::json::array({0.30, 0.32, 0.34}));
  REQUIRE(parsed["points"].size() == 3);
  for (const auto& point : parsed["points"]) {
    CHECK(point["values"].contains("tax_rate"));
    CHECK(point["variables"].contains("eps"));
    CHECK(point["guidance"].size() == 4);
  }
  // The point at the file's own tax rate is the base run.
  const auto run = cli("run " + flagship + " --trials 2000 --format json");
  CHECK(nlohmann::json::parse(run.out)["guidance"] == parsed["points"][1]["guidance"]);
}

TEST_CASE("sweep and solve move a driver by its shift, without changing its shape") {
  // Each point of the sweep is the run with --set revenue.shift=VALUE.
  const auto sweep = cli("sweep " + flagship + " --trials 2000 --vary revenue.shift=0:20:10 --format json");
  REQUIRE(sweep.status == 0);
  const auto points = nlohmann::json::parse(sweep.out)["points"];
  REQUIRE(points.size() == 3);
  for (const int shift : {0, 10, 20}) {
    CAPTURE(shift);
    const auto run = cli("run " + flagship + " --trials 2000 --format json --set revenue.shift=" + std::to_string(shift));
    const auto parsed = nlohmann::json::parse(run.out);
    CHECK(parsed["guidance"] == points[shift / 10]["guidance"]);
    CHECK(parsed["variables"]["eps"] == points[shift / 10]["variables"]["eps"]);
  }
  // A shift moves the mean by exactly itself, so solve finds the shift that puts the mean at 1125.
  const auto solve = cli("solve " + flagship +
                         " --trials 4000 --target 'mean(revenue) = 1125' --vary revenue.shift --bracket -20:20 --format json");
  REQUIRE(solve.status == 0);
  const auto solution = nlohmann::json::parse(solve.out);
  const double value = solution["value"];
  const auto base = nlohmann::json::parse(cli("run " + flagship + " --trials 4000 --format json").out);
  CHECK_THAT(value, Catch::Matchers::WithinAbs(1125.0 - base["variables"]["revenue"]["mean"].get<double>(), 0.05));
  const auto check = cli("run " + flagship + " --trials 4000 --format json --set revenue.shift=" + nlohmann::json(value).dump());
  const auto at = nlohmann::json::parse(check.out)["variables"]["revenue"];
  CHECK(at["mean"] == solution["achieved"]);
  // The same shape: only the rounding of x + shift differs.
  CHECK_THAT(at["sd"].get<double>(), Catch::Matchers::WithinRel(base["variables"]["revenue"]["sd"].get<double>(), 1e-9));
  // Without --bracket the search starts from the current shift (0) and steps by the driver's sd.
  const auto outward = cli("solve " + flagship +
                           " --trials 4000 --target 'mean(revenue) = 1125' --vary revenue.shift --format json");
  REQUIRE(outward.status == 0);
  CHECK_THAT(nlohmann::json::parse(outward.out)["value"].get<double>(), Catch::Matchers::WithinAbs(value, 0.05));
  // A scale is searched only above 0.
  const auto scaled = cli("solve " + flagship + " --trials 2000 --target 'mean(revenue) = 1' --vary revenue.scale");
  CHECK(scaled.status == 2);
  CHECK_THAT(scaled.err, Catch::Matchers::Contains("`revenue.scale` is a scale, above 0"));
}

TEST_CASE("sweep refuses a bad --vary with one located error") {
  struct Case {
    std::string vary, error;
  };
  const Case c = GENERATE(
      Case{"revenue.p90=1120:1150", "--vary:1:13: error: expected START:STOP:STEP, found `1120:1150`\n"},
      Case{"revenue.p90", "--vary:1:1: error: `revenue.p90` has no values to sweep\n"},
      Case{"revnue.p90=1120,1130", "--vary:1:1: error: unknown driver `revnue`\n    revnue.p90=1120,1130\n    ^~~~~~\n"
                                   "hint: did you mean `revenue`?\n"},
      Case{"revenue.mean=1110,1120", "--vary:1:9: error: `mean` cannot be combined with `p10` and `p90`\n"});
  CAPTURE(c.vary);
  const auto result = cli("sweep " + flagship + " --trials 1000 --vary " + c.vary);
  CHECK(result.status == 2);
  CHECK_THAT(result.err, StartsWith(c.error));
  CHECK(result.out.empty());
}

TEST_CASE("solve: goal seek to Monte Carlo precision") {
  const auto table = cli("solve " + flagship + " --trials 4000 --target 'P(eps >= 0.22) = 50%' --vary revenue.p90");
  REQUIRE(table.status == 0);
  check_width(table.out);
  for (const std::string text : {"solve P(eps >= 0.22) = 50%", "revenue.p90 = ", "(the scenario has 1,130)",
                                 "achieved", "95% interval", "bisection steps", "common random numbers"})
    CHECK_THAT(table.out, Contains(text));

  const auto json = cli("solve " + flagship +
                             " --trials 4000 --target 'p50(eps) = 0.2' --vary opex.mode --bracket 536:559 --format json");
  REQUIRE(json.status == 0);
  const auto parsed = nlohmann::json::parse(json.out);
  for (const std::string key : {"target", "vary", "value", "achieved", "achieved_ci", "bracket", "iterations"})
    CHECK(parsed.contains(key));
  CHECK(parsed["vary"] == "opex.mode");
  CHECK(parsed["target"]["statistic"] == "percentile");
  const double value = parsed["value"], low = parsed["achieved_ci"][0], high = parsed["achieved_ci"][1];
  CHECK(low <= 0.2);
  CHECK(0.2 <= high);
  CHECK(parsed["bracket"][0] <= value);
  CHECK(value <= parsed["bracket"][1]);
  // A run at the solution reproduces the achieved percentile.
  const auto check = cli("run " + flagship + " --trials 4000 --format json --set opex.mode=" +
                              nlohmann::json(value).dump());
  CHECK(nlohmann::json::parse(check.out)["variables"]["eps"]["percentiles"]["p50"] == parsed["achieved"]);
}

TEST_CASE("solve refuses an unreachable target and a bad target") {
  const auto unreachable = cli("solve " + flagship +
                                    " --trials 2000 --target 'P(eps >= 0.22) = 0.99' --vary revenue.p90 --bracket 1130:1140");
  CHECK(unreachable.status == 2);
  CHECK_THAT(unreachable.err, StartsWith("--bracket:1:1: error: P(eps >= 0.22) = 0.99 is not reached inside the bracket 1130:1140: "
                                         "revenue.p90 = 1130 gives "));
  CHECK_THAT(unreachable.err, Contains("hint: widen the bracket, or leave it out to search around the current value\n"));

  const auto bad = cli("solve " + flagship + " --target 'P(epss >= 0.2) = 0.5' --vary revenue.p90");
  CHECK(bad.status == 2);
  CHECK(bad.err == "--target:1:3: error: unknown variable `epss`\n    P(epss >= 0.2) = 0.5\n      ^~~~\n"
                   "hint: did you mean `eps`?\n");
}

TEST_CASE("propose: the range to publish and where each published range sits") {
  const auto table = cli("propose " + flagship + " --trials 5000 --metric eps --confidence 80%");
  REQUIRE(table.status == 0);
  check_width(table.out);
  for (const std::string text : {"ranges for eps that hold it with probability 80.0%", "narrowest", "central",
                                 "published", "every guidance line", "operating_margin"})
    CHECK_THAT(table.out, Contains(text));

  const auto json = cli("propose " + flagship + " --trials 5000 --metric eps --confidence 0.9 --format json");
  REQUIRE(json.status == 0);
  const auto parsed = nlohmann::json::parse(json.out);
  CHECK(parsed["metric"] == "eps");
  CHECK(parsed["confidence"] == 0.9);
  CHECK(parsed["narrowest"].size() == 2);
  CHECK(parsed["central"].size() == 2);
  CHECK(parsed["guidance"]["name"] == "eps");
  CHECK(parsed["guidance"]["low"] == 0.19);
  CHECK(parsed["lines"].size() == 4);
}

TEST_CASE("propose refuses a confidence outside (0, 1) and an unknown metric") {
  const std::string confidence = GENERATE("0", "1", "1.5", "-0.5", "100%");
  CAPTURE(confidence);
  const auto result = cli("propose " + flagship + " --metric eps --confidence " + confidence);
  CHECK(result.status == 2);
  CHECK(result.err == "error: --confidence must be between 0 and 1 (exclusive), found " + confidence +
                          "\nhint: write a fraction such as 0.8, or a percent such as 80%\n");
  const auto unknown = cli("propose " + flagship + " --metric epss");
  CHECK(unknown.status == 2);
  CHECK(unknown.err == "--metric:1:1: error: unknown variable `epss`\n    epss\n    ^~~~\nhint: did you mean `eps`?\n");
}

TEST_CASE("propose --round and --center: the range to publish, in the outlook's words") {
  const auto rounded = cli("propose " + flagship + " --trials 5000 --metric eps --round 0.01 --format json");
  REQUIRE(rounded.status == 0);
  const auto outward = nlohmann::json::parse(rounded.out);
  const auto& publish = outward["publish"];
  const double low = publish["range"][0], high = publish["range"][1];
  CHECK(low <= double(outward["narrowest"][0]));
  CHECK(high >= double(outward["narrowest"][1]));
  CHECK(low == std::round(low * 100) / 100);
  CHECK(high == std::round(high * 100) / 100);
  CHECK(publish["words"] == fmt::format("{:.2f} to {:.2f}", low, high));
  CHECK(publish["center"].is_null());
  CHECK(publish["step"] == 0.01);
  CHECK(double(publish["p_in"]) >= 0.8);

  const auto centred = cli("propose " + flagship + " --trials 5000 --metric gross_margin --center 64% --round 0.1%");
  REQUIRE(centred.status == 0);
  check_width(centred.out);
  CHECK_THAT(centred.out, Contains("  to publish  64.0% ± 50bp      80.2%"));

  const auto none = cli("propose " + flagship + " --trials 500 --metric eps --format json");
  CHECK(nlohmann::json::parse(none.out)["publish"].is_null());
}

TEST_CASE("propose words a currency metric with the file's sign and scale, and the words read back") {
  const std::string text =
      "name: money\nunits: USD millions\nsimulation: {trials: 5000, seed: 3}\n"
      "drivers:\n  revenue: {dist: normal, range: \"$6.00B ± 2%\"}\n"
      "metrics:\n  op: {formula: revenue - 1780, format: currency}\n";
  const auto write = [](const std::string& name, const std::string& content) {
    const std::string path = (guidance::test::scratch_dir() / name).string();
    std::ofstream(path) << content;
    return path;
  };
  const std::string file = write("money.yaml", text);
  const auto rounded = cli("propose " + file + " --metric op --round 10 --format json");
  REQUIRE(rounded.status == 0);
  const auto publish = nlohmann::json::parse(rounded.out)["publish"];
  const double low = publish["range"][0], high = publish["range"][1];
  const auto money = [](double x) { return fmt::format("${},{:03}M", static_cast<int>(x) / 1000, static_cast<int>(x) % 1000); };
  CHECK(publish["words"] == money(low) + " to " + money(high));
  const auto centred = cli("propose " + file + " --metric op --center 4220 --round 10 --format json");
  REQUIRE(centred.status == 0);
  const std::string words = nlohmann::json::parse(centred.out)["publish"]["words"];
  CHECK_THAT(words, StartsWith("$4,220M ± $"));
  // Each reads back as a guidance line with the same ends.
  for (const auto& [published, json] : {std::pair{std::string(publish["words"]), rounded.out}, std::pair{words, centred.out}}) {
    const auto run = cli("run " + write("back.yaml", text + "guidance:\n  op: \"" + published + "\"\n") + " --format json");
    REQUIRE(run.status == 0);
    const auto line = nlohmann::json::parse(run.out)["guidance"][0];
    CHECK(line["text"] == published);
    CHECK(line["low"] == nlohmann::json::parse(json)["publish"]["range"][0]);
    CHECK(line["high"] == nlohmann::json::parse(json)["publish"]["range"][1]);
  }
}

TEST_CASE("propose refuses a --round that is not above 0 and a --center that is not finite") {
  const auto step = cli("propose " + flagship + " --metric eps --round 0");
  CHECK(step.status == 2);
  CHECK(step.err == "error: --round must be a number above 0, found 0\nhint: write the step to round the range's "
                    "ends to, such as --round 0.01 (the cent) or --round 0.1% (a tenth of a point)\n");
  const auto center = cli("propose " + flagship + " --metric eps --center inf");
  CHECK(center.status == 2);
  CHECK(center.err == "error: --center must be a finite number, found inf\nhint: write the figure to centre the "
                      "range on, such as --center 0.04 or --center 72.5%\n");
}

TEST_CASE("the tuning commands give the same output on any number of threads") {
  const std::string command = GENERATE(
      std::string("compare ") + "scenarios/juniper_q4_2012.yaml --trials 6000",
      std::string("sweep ") + "scenarios/juniper_q4_2012.yaml --trials 6000 --vary gross_margin.p90=64%:65%:0.5%",
      std::string("solve ") + "scenarios/juniper_q4_2012.yaml --trials 6000 --target 'P(eps in guidance) = 0.7' "
                              "--vary other_income.sd",
      std::string("propose ") + "scenarios/juniper_q4_2012.yaml --trials 6000 --metric operating_margin");
  CAPTURE(command);
  const auto one = cli(command + " --format json --threads 1");
  const auto two = cli(command + " --format json --threads 2");
  REQUIRE(one.status == 0);
  CHECK(one.out == two.out);
  CHECK(cli(command + " --threads 1").out == cli(command + " --threads 2").out);
}

TEST_CASE("dimensioned scenarios: --given fixes an element, --vary and --metric name elements") {
  const std::string fiscal_year = "scenarios/juniper_fy2012.yaml";
  // --given replaces what the file gives (Q3) and adds what it does not (Q4), spaces ignored.
  const auto run = cli("run " + fiscal_year + " --trials 1000 --format json --given 'revenue[Q4]=1120' --given 'revenue[ Q3 ]=1100'");
  REQUIRE(run.status == 0);
  const auto variables = nlohmann::json::parse(run.out)["variables"];
  CHECK(variables["revenue[Q4]"]["given"] == true);
  CHECK(variables["revenue[Q4]"]["mean"] == 1120.0);
  CHECK(variables["revenue[Q3]"]["mean"] == 1100.0);
  CHECK(variables["operating_income[Q4]"]["constant"] == false);

  const auto bad = cli("run " + fiscal_year + " --given 'revenue[Q5]=1120'");
  CHECK(bad.status == 2);
  CHECK_THAT(bad.err, StartsWith("--given:1:1: error: unknown driver `revenue[Q5]` in `given`"));

  const auto sweep = cli("sweep " + fiscal_year + " --trials 2000 --vary 'revenue[Q4].p90=1120:1140:10' --metric fy_eps");
  CHECK(sweep.status == 0);
  CHECK_THAT(sweep.out, Contains("revenue[Q4].p90"));
  check_width(sweep.out);

  const auto solve = cli("solve " + fiscal_year + " --trials 2000 --target 'P(eps[Q4] >= 0.21) = 50%' --vary 'revenue[Q4].p90'");
  CHECK(solve.status == 0);
  CHECK_THAT(solve.out, Contains("revenue[Q4].p90"));
}
