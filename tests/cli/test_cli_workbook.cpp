// `--format xlsx`: the Excel workbook's refusals and its writing as the other outputs'. Its contents
// are read back by tests/xlsx/check_workbook.py (the test "report: the Excel workbooks read back").
#include <catch2/catch.hpp>

#include <filesystem>

#include "cli/cli_harness.hpp"

using guidance::test::scratch_dir;
using Catch::Matchers::Contains;

namespace {
guidance::test::Outcome cli(const std::string& args, const std::string& before = "") {
  return guidance::test::guidance(args, "", before);
}
const std::string flagship = "scenarios/juniper_q4_2012.yaml";

/// Files in the scratch directory whose names start with `prefix` (a staged temporary left behind).
int files_starting(const std::string& prefix) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(scratch_dir()))
    count += entry.path().filename().string().starts_with(prefix);
  return count;
}
}  // namespace

TEST_CASE("a workbook needs --output, on every command that writes one") {
  for (const std::string command : {"run " + flagship, "compare " + flagship, "sweep " + flagship + " --vary revenue.p90=1130,1140",
                                    "sensitivity " + flagship + " --metric eps", "propose " + flagship + " --metric eps"}) {
    CAPTURE(command);
    for (const std::string output : {"", " --output -"}) {
      const auto result = cli(command + " --trials 100 --format xlsx" + output);
      CHECK(result.status == 2);
      CHECK(result.err ==
            "error: --format xlsx writes an Excel workbook, which needs --output FILE\n"
            "hint: for example --format xlsx --output q4.xlsx\n");
      CHECK(result.out.empty());
    }
  }
  CHECK(cli("solve " + flagship + " --target 'P(eps >= 0.22) = 50%' --vary revenue.p90 --format xlsx").status == 2);
}

TEST_CASE("the trials go to the workbook with --samples and no file, and only there") {
  const auto alone = cli("run " + flagship + " --trials 100 --samples");
  CHECK(alone.status == 2);
  CHECK(alone.err ==
        "error: --samples needs a file name, or --format xlsx to put the trials in the workbook\n"
        "hint: for example --samples trials.csv\n");

  // Refused before the run: a million trials would take seconds, the refusal none.
  const auto workbook = scratch_dir() / "big.xlsx";
  const auto big = cli("run " + flagship + " --trials 1048576 --format xlsx --output '" + workbook.string() + "' --samples");
  CHECK(big.status == 2);
  CHECK(big.err ==
        "error: a workbook's Trials sheet holds at most 1,048,575 trials (Excel's rows), found 1,048,576\n"
        "hint: run fewer trials (with --precision, a smaller --max-trials), or write the trials to a CSV file: "
        "--samples trials.csv\n");
  const auto precise = cli("run " + flagship + " --precision 0.01 --format xlsx --output '" + workbook.string() + "' --samples");
  CHECK(precise.status == 2);
  CHECK_THAT(precise.err, Contains("found 10,000,000\n"));
  CHECK_FALSE(std::filesystem::exists(workbook));
}

TEST_CASE("a workbook is the same bytes for the same run, and a failed write leaves nothing") {
  // The same file name both times, since the About sheet records the command line.
  const auto workbook = scratch_dir() / "same.xlsx";
  const std::string command = "run " + flagship + " --trials 1000 --format xlsx --output '" + workbook.string() + "'";
  REQUIRE(cli(command).status == 0);
  const std::string bytes = guidance::test::slurp(workbook);
  CHECK(bytes.starts_with("PK"));  // a zip file, as every .xlsx
  std::filesystem::remove(workbook);
  REQUIRE(cli(command).status == 0);
  CHECK(bytes == guidance::test::slurp(workbook));

  const auto limited = scratch_dir() / "limited.xlsx";
  const auto result = cli("run " + flagship + " --trials 1000 --format xlsx --output '" + limited.string() + "'", "ulimit -f 4;");
  CHECK(result.status == 2);
  CHECK(result.err == "error: cannot write `" + limited.string() +
                          "`: File too large\nhint: the output is larger than the file-size limit (see `ulimit -f`)\n");
  CHECK_FALSE(std::filesystem::exists(limited));
  CHECK(files_starting(".limited.xlsx.tmp") == 0);

  const auto missing = cli("run " + flagship + " --trials 100 --format xlsx --output /nonexistent-dir/q4.xlsx");
  CHECK(missing.status == 2);
  CHECK(missing.err ==
        "error: cannot write `/nonexistent-dir/q4.xlsx`: No such file or directory\n"
        "hint: check that the directory exists and is writable\n");
  CHECK(cli("run " + flagship + " --trials 100 --format xlsx --output /dev/null").status == 0);
}
