// What a signal does to a run: every signal that ends a command-line program in practice (Ctrl-C,
// `kill`, `timeout`, a closed terminal, a CPU-time limit) ends it the way Ctrl-C does.
//
//   install_signal_handling();          // first thing in main, before any thread starts
//   begin_work();                       // a signal now asks the work to stop
//   ... simulate, polling stop_requested() ...
//   if (int signal = end_work()) ...    // the signal that arrived during the work, else 0
//
// At any other moment a signal removes the temporary files registered with remove_on_signal(),
// prints ending_message() on stderr and exits with status 128 + the signal's number. A signal the
// process inherited as ignored (`nohup` ignores SIGHUP) stays ignored. SIGPIPE and SIGXFSZ are
// ignored, so that a write to a closed pipe or past a file-size limit fails with EPIPE or EFBIG and
// the writer reports it (outputs.hpp).
#pragma once

#include <mutex>
#include <string>

namespace guidance::cli {

/// Handles SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGALRM, SIGUSR1, SIGUSR2, SIGXCPU and SIGVTALRM on a
/// thread of its own (so it may take locks and free memory), and ignores SIGPIPE and SIGXFSZ.
void install_signal_handling();

/// The work of a command starts: until end_work(), a first signal only sets stop_requested(); a
/// second ends the process at once.
void begin_work();
/// The signal that arrived during the work, 0 until one does. Lock-free: for the progress callback.
int stop_requested();
/// The work is over: the signal that arrived during it (0 for none); from now on a signal ends the
/// process at once.
int end_work();

/// "interrupted" for SIGINT, "interrupted by SIGTERM" for the others: the line printed on stderr.
std::string ending_message(int signal);

/// Held while a temporary file is created or the outputs are renamed into place: a signal waits for
/// it, so that it never acts halfway through either.
std::unique_lock<std::mutex> hold_signals();
/// With hold_signals() held: a signal removes `path` before ending the process.
void remove_on_signal(const std::string& path);
/// With hold_signals() held: `path` was renamed or removed, a signal no longer touches it.
void forget_on_signal(const std::string& path);
/// With hold_signals() held: the outputs are in place and the run is over; a signal from now on is
/// ignored, so that the exit status does not say "interrupted" of a run whose outputs were written.
void ignore_signals();

}  // namespace guidance::cli
