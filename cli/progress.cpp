#include "progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "guidance/report.hpp"
#include "guidance/simulate.hpp"

namespace guidance::cli {

namespace {

// Read by the signal handler: lock-free atomics are safe there.
std::atomic<bool> interrupt_requested{false};
std::atomic<int> running_reporters{0};
// The path to remove ("" for none) and a lock on it, so that the handler, on whichever thread it runs,
// never reads a path half written. The handler only tries the lock (on the thread that holds it,
// waiting would never end) and never releases it: it ends the process. What it skips is a change of
// path, made while no temporary file exists.
std::atomic<bool> removal_locked{false};
char removal_path[PATH_MAX] = "";
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free);

extern "C" void on_interrupt(int) {
  if (running_reporters.load() > 0) {
    interrupt_requested.store(true);
    return;
  }
  if (!removal_locked.exchange(true) && removal_path[0] != '\0') ::unlink(removal_path);  // async-signal-safe
  constexpr char message[] = "interrupted\n";
  [[maybe_unused]] const auto written = ::write(STDERR_FILENO, message, sizeof message - 1);
  ::_exit(130);
}

constexpr auto delay = std::chrono::seconds(1);                  // no bar for work shorter than this
constexpr auto redraw_interval = std::chrono::milliseconds(100);

bool stderr_is_interactive() {
  const char* ci = std::getenv("CI");
  const char* term = std::getenv("TERM");
  return ::isatty(STDERR_FILENO) && (ci == nullptr || *ci == '\0') && !(term && std::strcmp(term, "dumb") == 0);
}

/// The terminal speaks UTF-8 (the locale's variables name it), so block characters show.
bool utf8_locale() {
  for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    const char* value = std::getenv(name);
    if (value && *value) return std::strstr(value, "UTF-8") || std::strstr(value, "utf8") || std::strstr(value, "UTF8");
  }
  return false;
}

std::size_t terminal_columns() {
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

std::string rate_text(double per_second) {
  if (per_second >= 1e9) return fmt::format("{:.1f}G", per_second / 1e9);
  if (per_second >= 1e6) return fmt::format("{:.1f}M", per_second / 1e6);
  if (per_second >= 1e3) return fmt::format("{:.0f}k", per_second / 1e3);
  return fmt::format("{:.0f}", per_second);
}

std::string duration_text(double seconds) {
  const auto s = static_cast<std::uint64_t>(std::ceil(seconds));
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m {:02}s", s / 60, s % 60);
  return fmt::format("{}h {:02}m", s / 3600, s % 3600 / 60);
}

}  // namespace

void remove_on_interrupt(const char* path) {
  while (removal_locked.exchange(true)) {
    // The handler holds it, on another thread, and is ending the process.
  }
  const bool fits = path != nullptr && std::strlen(path) < sizeof removal_path;
  std::strcpy(removal_path, fits ? path : "");
  removal_locked.store(false);
}

void install_interrupt_handler() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &action, nullptr);
}

std::string progress_line(std::uint64_t done, std::uint64_t total, std::chrono::duration<double> elapsed,
                          std::size_t columns, bool unicode) {
  done = std::min(done, total);
  const double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  const double seconds = elapsed.count();
  std::string tail = fmt::format("{} of {} trials", group_thousands(std::to_string(done)), group_thousands(std::to_string(total)));
  if (seconds > 0 && done > 0) {
    const double rate = static_cast<double>(done) / seconds;
    tail += fmt::format(" · {} trials/s · {} left", rate_text(rate),
                        duration_text(static_cast<double>(total - done) / rate));
  }
  const std::string head = fmt::format("{:>4.0f}% ", std::floor(fraction * 100.0));
  // The middle dot is one column but two bytes; without Unicode it becomes a comma.
  if (!unicode) {
    for (std::size_t at; (at = tail.find(" · ")) != std::string::npos;) tail.replace(at, 4, ", ");
  }
  const std::size_t used = head.size() + 2 + display_columns(tail) + 1;  // the last column stays empty: no wrap
  const std::size_t width = columns > used + 10 ? std::min<std::size_t>(columns - used, 40) : 10;

  std::string bar;
  const double cells = fraction * static_cast<double>(width);
  const auto full = static_cast<std::size_t>(cells);
  if (unicode) {
    static constexpr const char* eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    for (std::size_t i = 0; i < full; ++i) bar += "█";
    const auto partial = full < width ? static_cast<std::size_t>((cells - static_cast<double>(full)) * 8) : 0;
    if (partial > 0) bar += eighths[partial];
    bar += std::string(width - full - (partial > 0 ? 1 : 0), ' ');
  } else {
    bar = std::string(full, '#') + std::string(width - full, '-');
  }
  return fmt::format("{}{}  {}", head, unicode ? bar : "[" + bar + "]", tail);
}

ProgressReporter::ProgressReporter(std::uint64_t trials, std::uint64_t runs)
    : trials_(trials),
      total_(trials * runs),
      start_(Clock::now()),
      run_start_(start_),
      last_draw_(start_),
      enabled_(stderr_is_interactive()),
      unicode_(utf8_locale()) {
  ++running_reporters;
}

ProgressReporter::~ProgressReporter() {
  if (running_) --running_reporters;
  erase();
}

std::function<bool(std::uint64_t)> ProgressReporter::callback() {
  return [this](std::uint64_t done) { return update(done); };
}

bool ProgressReporter::update(std::uint64_t done) {
  if (interrupt_requested.load()) return false;
  if (!enabled_) return true;
  const Clock::time_point now = Clock::now();
  // A count smaller than the last one is the next run starting (compare runs one per variant).
  if (done < last_done_) {
    ++completed_runs_;
    run_start_ = now;
  }
  last_done_ = done;
  if (now - start_ < delay || now - last_draw_ < redraw_interval) return true;
  last_draw_ = now;
  const std::size_t columns = terminal_columns();
  std::string line;
  if (total_ > 0) {
    line = progress_line(completed_runs_ * trials_ + done, total_, now - start_, columns, unicode_);
  } else {
    const std::string run = fmt::format("run {} ", completed_runs_ + 1);
    line = run + progress_line(done, trials_, now - run_start_, columns - std::min(columns, run.size()), unicode_);
  }
  const std::string text = "\r" + line + "\x1b[K";
  [[maybe_unused]] const auto written = ::write(STDERR_FILENO, text.data(), text.size());
  drawn_ = true;
  return true;
}

void ProgressReporter::erase() {
  if (!drawn_) return;
  constexpr char clear[] = "\r\x1b[K";
  [[maybe_unused]] const auto written = ::write(STDERR_FILENO, clear, sizeof clear - 1);
  drawn_ = false;
}

void ProgressReporter::finish() {
  erase();
  if (running_) {
    running_ = false;
    --running_reporters;
  }
  if (interrupt_requested.load()) throw RunCancelled();
}

}  // namespace guidance::cli
