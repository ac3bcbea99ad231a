#include "progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "guidance/report.hpp"
#include "guidance/simulate.hpp"
#include "signals.hpp"

namespace guidance::cli {

namespace {

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
  begin_work();
}

ProgressReporter::~ProgressReporter() {
  if (running_) end_work();
  erase();
}

std::function<bool(std::uint64_t)> ProgressReporter::callback() {
  return [this](std::uint64_t done) { return update(done); };
}

bool ProgressReporter::update(std::uint64_t done) {
  if (stop_requested() != 0) return false;
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
  const int signal = running_ ? end_work() : stop_requested();
  running_ = false;
  if (signal != 0) throw RunCancelled();
}

}  // namespace guidance::cli
