#include "signals.hpp"

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstring>
#include <thread>
#include <vector>

#include <fmt/format.h>

namespace guidance::cli {

namespace {

constexpr int handled[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGALRM, SIGUSR1, SIGUSR2, SIGXCPU, SIGVTALRM};

struct SignalState {
  std::mutex mutex;
  std::vector<std::string> temporaries;
  int work = 0;           // begin_work() calls not yet ended
  bool ignoring = false;  // ignore_signals() was called
};

// Never destroyed: the watching thread may take its lock while the process runs its exit handlers.
SignalState& shared() {
  static auto* state = new SignalState;
  return *state;
}

std::atomic<int> requested{0};  // the signal that arrived during the work

[[noreturn]] void end_process(int signal, const std::vector<std::string>& temporaries) {
  for (const std::string& path : temporaries) ::unlink(path.c_str());
  const std::string message = ending_message(signal) + "\n";
  [[maybe_unused]] const auto written = ::write(STDERR_FILENO, message.data(), message.size());
  ::_exit(128 + signal);
}

// A thread that only waits for signals: unlike a handler, it may lock, allocate and format.
void watch(sigset_t signals) {
  for (;;) {
    int signal = 0;
    if (::sigwait(&signals, &signal) != 0) continue;
    SignalState& state = shared();
    const std::lock_guard lock(state.mutex);  // waits out a file being created or the outputs' commit
    if (state.ignoring) continue;
    // The first signal during the work lets it stop at its next progress report; a second one ends
    // the process at once, for work that reports seldom.
    int none = 0;
    if (state.work > 0 && requested.compare_exchange_strong(none, signal)) continue;
    end_process(signal, state.temporaries);
  }
}

}  // namespace

void install_signal_handling() {
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGXFSZ, SIG_IGN);
  sigset_t signals;
  sigemptyset(&signals);
  for (const int signal : handled) {
    struct sigaction current {};
    if (::sigaction(signal, nullptr, &current) == 0 && current.sa_handler != SIG_IGN) sigaddset(&signals, signal);
  }
  // Blocked here, before any other thread starts, and so in every thread: only sigwait takes them.
  ::pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread(watch, signals).detach();
}

void begin_work() {
  const std::lock_guard lock(shared().mutex);
  ++shared().work;
}

int stop_requested() { return requested.load(); }

int end_work() {
  const std::lock_guard lock(shared().mutex);
  --shared().work;
  return requested.load();
}

std::string ending_message(int signal) {
  if (signal == SIGINT) return "interrupted";
  const char* name = ::sigabbrev_np(signal);
  return name ? fmt::format("interrupted by SIG{}", name) : fmt::format("interrupted by signal {}", signal);
}

std::unique_lock<std::mutex> hold_signals() { return std::unique_lock(shared().mutex); }

void remove_on_signal(const std::string& path) { shared().temporaries.push_back(path); }

void forget_on_signal(const std::string& path) { std::erase(shared().temporaries, path); }

void ignore_signals() { shared().ignoring = true; }

}  // namespace guidance::cli
