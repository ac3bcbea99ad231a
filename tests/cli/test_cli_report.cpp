// Reports people look at, from the command line: --report, the table's histograms, colour only on a
// terminal, the progress bar only on a terminal; and every signal that ends a run ends it cleanly.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "cli/cli_harness.hpp"

using guidance::test::scratch_dir;
using guidance::test::slurp;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

const std::string flagship = "scenarios/juniper_q4_2012.yaml";

/// `guidance ARGS` with stdout and stderr captured (cli_harness.hpp).
guidance::test::Outcome run_cli(const std::string& args) { return guidance::test::guidance(args); }

std::size_t count(std::string_view text, std::string_view piece) {
  std::size_t n = 0;
  for (std::size_t at = text.find(piece); at != std::string_view::npos; at = text.find(piece, at + piece.size())) ++n;
  return n;
}

/// Run `guidance ARGS` under a pseudo-terminal (util-linux `script`), so that stdout and stderr are
/// a terminal; `environment` is prepended (e.g. "NO_COLOR=1"). Returns what the terminal received.
std::string on_terminal(const std::string& environment, const std::string& args) {
  const auto screen = scratch_dir() / "screen";
  const std::string inner = "cd '" GUIDANCE_SOURCE_DIR "' && env -u CI -u NO_COLOR TERM=xterm LANG=C.UTF-8 " +
                            environment + " '" GUIDANCE_CLI "' " + args;
  const std::string command = "script -qec \"" + inner + "\" /dev/null >'" + screen.string() + "' 2>&1 </dev/null";
  REQUIRE(std::system(command.c_str()) == 0);
  return slurp(screen);
}

/// A scenario slow enough to interrupt: PERT drivers (a Beta quantile each) over many trials.
/// About a microsecond per trial on one thread: sixteen PERT drivers in a chain of rank correlations
/// (the copula's normal CDF and the PERT's quantile for each, and a 16 x 16 triangular solve).
std::string slow_scenario() {
  std::string yaml = "name: slow\ndrivers:\n";
  std::string total = "d0", correlations;
  for (int d = 0; d < 16; ++d) {
    yaml += fmt::format("  d{}: {{dist: pert, min: {}, mode: {}, max: {}}}\n", d, d, d + 1, d + 4);
    if (d > 0) {
      total += fmt::format(" + d{}", d);
      correlations += fmt::format("  - [d{}, d{}, 0.3]\n", d - 1, d);
    }
  }
  yaml += "correlations:\n" + correlations + "metrics:\n  total: " + total + "\nguidance:\n  total: [150, 170]\n";
  return guidance::test::scratch_file("slow.yaml", yaml);
}

}  // namespace

TEST_CASE("run --report writes a self-contained HTML page with the charts") {
  const auto page = scratch_dir() / "q4.html";
  const auto result = run_cli("run " + flagship + " --trials 20000 --report '" + page.string() + "'");
  REQUIRE(result.status == 0);
  CHECK(result.err.empty());
  CHECK_THAT(result.out, Contains("all at once"));  // the table still goes to stdout
  const std::string html = slurp(page);
  CHECK_THAT(html, StartsWith("<!DOCTYPE html>"));
  CHECK(count(html, "<svg ") == 8);
  CHECK(count(html, "<rect class=\"bar in\"") > 40);
  CHECK(html.find("<script") == std::string::npos);
  CHECK_THAT(html, Contains("<pre>guidance run scenarios/juniper_q4_2012.yaml --trials 20000 --report "));
  CHECK_THAT(html, Contains("<dd>20,000</dd>"));
}

TEST_CASE("run refuses a --report file name that is not .html, before any work") {
  const auto result = run_cli("run " + flagship + " --report out.pdf");
  CHECK(result.status == 2);
  CHECK(result.err == "error: --report writes an HTML page, so its file name must end in .html, found `out.pdf`\n"
                      "hint: for example --report q4-outlook.html\n");
  CHECK_FALSE(std::filesystem::exists(std::filesystem::path(GUIDANCE_SOURCE_DIR) / "out.pdf"));
}

TEST_CASE("run's table draws a histogram per guided metric, and --ascii keeps it to ASCII") {
  const auto unicode = run_cli("run " + flagship + " --trials 20000");
  REQUIRE(unicode.status == 0);
  CHECK_THAT(unicode.out, Contains("\n  eps  0.19 to 0.22  P(in) "));
  CHECK_THAT(unicode.out, Contains("█"));
  CHECK_THAT(unicode.out, Contains("═"));

  const auto ascii = run_cli("run " + flagship + " --trials 20000 --ascii");
  REQUIRE(ascii.status == 0);
  CHECK(std::all_of(ascii.out.begin(), ascii.out.end(), [](char c) { return static_cast<unsigned char>(c) < 128; }));
  CHECK_THAT(ascii.out, Contains("\n  eps  0.19 to 0.22  P(in) "));
  CHECK_THAT(ascii.out, Contains("#"));
}

TEST_CASE("colour only on a terminal, and never with NO_COLOR") {
  // Piped (the harness sets NO_COLOR; here without it too).
  const auto piped = run_cli("run " + flagship + " --trials 2000");
  CHECK(piped.out.find('\x1b') == std::string::npos);
  const auto file = scratch_dir() / "piped.txt";
  REQUIRE(std::system(("cd '" GUIDANCE_SOURCE_DIR "' && env -u NO_COLOR '" GUIDANCE_CLI "' run " + flagship +
                       " --trials 2000 >'" + file.string() + "' 2>&1")
                          .c_str()) == 0);
  CHECK(slurp(file).find('\x1b') == std::string::npos);

  // On a terminal: colour, unless NO_COLOR is set (to anything).
  CHECK_THAT(on_terminal("", "run " + flagship + " --trials 2000"), Contains("\x1b["));
  CHECK(on_terminal("NO_COLOR=1", "run " + flagship + " --trials 2000").find('\x1b') == std::string::npos);
}

TEST_CASE("a progress bar on a terminal for work longer than a second, and none in CI or piped") {
  const std::string slow = slow_scenario();
  // A few seconds on one thread.
  const std::string args = "run '" + slow + "' --trials 2e6 --threads 1 --format json";
  const std::string screen = on_terminal("NO_COLOR=1", args);
  CHECK_THAT(screen, Contains(" of 2,000,000 trials"));
  CHECK_THAT(screen, Contains(" trials/s · "));
  CHECK_THAT(screen, Contains("\r\x1b[K"));  // erased when done

  CHECK(on_terminal("NO_COLOR=1 CI=true", args).find("trials/s") == std::string::npos);
  const auto piped = run_cli(args);
  REQUIRE(piped.status == 0);
  CHECK(piped.err.empty());

  // sensitivity too (its engine test covers the counting across several sampling stages).
  const std::string sensitivity_screen = on_terminal(
      "NO_COLOR=1", "sensitivity '" + slow + "' --metric total --method correlation --trials 2e6 --threads 1 --format json");
  CHECK_THAT(sensitivity_screen, Contains(" of 2,000,000 trials"));
  CHECK_THAT(sensitivity_screen, Contains("\r\x1b[K"));

  // solve, whose number of runs is known only when its search ends: the current run's bar, numbered.
  const std::string solve_screen =
      on_terminal("NO_COLOR=1", "solve '" + slow + "' --target 'P(total >= 141) = 0.5' --vary d0.max --bracket 2:10 "
                                "--trials 6e5 --threads 1 --format json");
  CHECK_THAT(solve_screen, Contains("\rrun "));
  CHECK_THAT(solve_screen, Contains(" of 600,000 trials · "));
  CHECK_THAT(solve_screen, Contains("\r\x1b[K"));
}

namespace {

/// How the child's standard streams and signals start.
struct ChildSetup {
  int stdout_descriptor = -1;  // -1: /dev/null
  bool ignore_hangup = false;  // as `nohup` starts it
};

/// Starts `guidance ARGS` with stderr to `err`, no stdin, and stdout as `setup` says.
pid_t start(std::vector<std::string> args, const std::filesystem::path& err, ChildSetup setup = {}) {
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    const int fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, STDERR_FILENO);
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, STDIN_FILENO);
    ::dup2(setup.stdout_descriptor >= 0 ? setup.stdout_descriptor : null, STDOUT_FILENO);
    if (setup.ignore_hangup) ::signal(SIGHUP, SIG_IGN);
    std::vector<char*> argv{const_cast<char*>(GUIDANCE_CLI)};
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(GUIDANCE_CLI, argv.data());
    ::_exit(127);
  }
  return child;
}

/// The exit status of `child`. Bounded: the child must end within 20 s, else the test kills it and
/// fails.
int wait_for(pid_t child) {
  int raw = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  pid_t done = 0;
  while ((done = ::waitpid(child, &raw, WNOHANG)) == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (done == 0) {
    ::kill(child, SIGKILL);
    ::waitpid(child, &raw, 0);
    FAIL("the run did not end within 20 s");
  }
  REQUIRE(WIFEXITED(raw));  // it exited, not killed by the signal
  return WEXITSTATUS(raw);
}

/// `signal` to `child`, then its exit status.
int interrupt(pid_t child, int signal = SIGINT) {
  REQUIRE(::kill(child, signal) == 0);
  return wait_for(child);
}

/// Waits (at most 60 s) until `path` exists: an output is being written.
void wait_until_exists(const std::filesystem::path& path) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!std::filesystem::exists(path) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  REQUIRE(std::filesystem::exists(path));
}

/// No temporary file of an output named `name` is left in the scratch directory.
void check_no_temporary(const std::string& name) {
  for (const auto& entry : std::filesystem::directory_iterator(scratch_dir()))
    CHECK_FALSE(entry.path().filename().string().starts_with("." + name));
}

/// The line a signal prints: every signal that ends a run ends it the way Ctrl-C does.
struct Ending {
  int signal;
  std::string message;
};
const std::vector<Ending> endings = {{SIGINT, "interrupted\n"},
                                     {SIGTERM, "interrupted by SIGTERM\n"},
                                     {SIGHUP, "interrupted by SIGHUP\n"},
                                     {SIGQUIT, "interrupted by SIGQUIT\n"},
                                     {SIGXCPU, "interrupted by SIGXCPU\n"}};

/// A scenario of 61 columns: 200,000 trials make a samples file of about 100 MB, a fraction of a
/// second to write.
std::string wide_scenario() {
  std::string yaml = "name: wide\ndrivers:\n  a: {dist: normal, mean: 1, sd: 1}\nmetrics:\n";
  for (int m = 0; m < 60; ++m) yaml += fmt::format("  m{}: a * {}\n", m, m + 1);
  return guidance::test::scratch_file("wide.yaml", yaml);
}

}  // namespace

TEST_CASE("a signal stops a long run with status 128 + n and its message, and replaces no file") {
  const auto& [signal, message] = GENERATE(from_range(endings));
  CAPTURE(message);
  const auto output = scratch_dir() / "kept.json";
  const auto report = scratch_dir() / "never.html";
  const auto err = scratch_dir() / "interrupted.err";
  std::filesystem::remove(report);
  guidance::test::scratch_file("kept.json", "old\n");

  const pid_t child = start({"run", slow_scenario(), "--trials", "2e7", "--threads", "2", "--format", "json",
                             "--output", output.string(), "--report", report.string()},
                            err);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // well into the run (ten seconds or more)
  CHECK(interrupt(child, signal) == 128 + signal);
  CHECK(slurp(err) == message);
  CHECK(slurp(output) == "old\n");
  CHECK_FALSE(std::filesystem::exists(report));
  check_no_temporary("kept");
  check_no_temporary("never");
}

TEST_CASE("a signal while the outputs are written removes every temporary file and replaces no file") {
  const auto& [signal, message] = GENERATE(from_range(endings));
  CAPTURE(message);
  const auto samples = scratch_dir() / "cut.csv";
  const auto output = scratch_dir() / "cut.json";
  const auto err = scratch_dir() / "cut.err";
  guidance::test::scratch_file("cut.csv", "old samples\n");
  guidance::test::scratch_file("cut.json", "old\n");

  const pid_t child = start({"run", wide_scenario(), "--trials", "2e5", "--format", "json", "--samples",
                             samples.string(), "--output", output.string()},
                            err);
  wait_until_exists(scratch_dir() / fmt::format(".cut.csv.tmp{}", child));  // the samples are being written
  CHECK(interrupt(child, signal) == 128 + signal);
  CHECK(slurp(err) == message);
  CHECK(slurp(samples) == "old samples\n");
  CHECK(slurp(output) == "old\n");
  check_no_temporary("cut.");
}

TEST_CASE("a signal after one output is written and before the next leaves every old file in place") {
  // The samples and the report are written to their temporary files, then the run waits to open the
  // FIFO given as --output (no reader ever comes): the files are replaced together at the end or not at all.
  const auto samples = scratch_dir() / "staged.csv";
  const auto report = scratch_dir() / "staged.html";
  const auto fifo = scratch_dir() / "staged.fifo";
  const auto err = scratch_dir() / "staged.err";
  guidance::test::scratch_file("staged.csv", "old samples\n");
  guidance::test::scratch_file("staged.html", "old report\n");
  std::filesystem::remove(fifo);
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);

  const pid_t child = start({"run", wide_scenario(), "--trials", "2e5", "--samples", samples.string(), "--report",
                             report.string(), "--output", fifo.string()},
                            err);
  wait_until_exists(scratch_dir() / fmt::format(".staged.html.tmp{}", child));  // the samples are staged
  CHECK(interrupt(child, SIGTERM) == 128 + SIGTERM);
  CHECK(slurp(err) == "interrupted by SIGTERM\n");
  CHECK(slurp(samples) == "old samples\n");
  CHECK(slurp(report) == "old report\n");
  check_no_temporary("staged.");
  std::filesystem::remove(fifo);
}

TEST_CASE("a run whose stdout reader has gone ends quietly with status 141 and replaces no file") {
  // As `guidance run ... | head` when head has exited: the pipe's read end is closed before the run writes.
  const auto samples = scratch_dir() / "piped.csv";
  const auto err = scratch_dir() / "piped.err";
  guidance::test::scratch_file("piped.csv", "old samples\n");
  int pipe_ends[2];
  REQUIRE(::pipe(pipe_ends) == 0);
  ::close(pipe_ends[0]);
  const pid_t child = start({"run", wide_scenario(), "--trials", "2e4", "--samples", samples.string()}, err,
                            {.stdout_descriptor = pipe_ends[1]});
  ::close(pipe_ends[1]);
  CHECK(wait_for(child) == 128 + SIGPIPE);
  CHECK(slurp(err).empty());
  CHECK(slurp(samples) == "old samples\n");
  check_no_temporary("piped.csv");
}

TEST_CASE("a signal the run inherited as ignored stays ignored (nohup)") {
  const auto samples = scratch_dir() / "nohup.csv";
  const auto err = scratch_dir() / "nohup.err";
  std::filesystem::remove(samples);
  const pid_t child = start({"run", wide_scenario(), "--trials", "2e5", "--format", "json", "--samples",
                             samples.string()},
                            err, {.ignore_hangup = true});
  wait_until_exists(scratch_dir() / fmt::format(".nohup.csv.tmp{}", child));
  CHECK(interrupt(child, SIGHUP) == 0);
  CHECK(slurp(err).empty());
  CHECK(std::filesystem::file_size(samples) > 50'000'000);
  check_no_temporary("nohup.csv");
}
