#include "cluster.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <tbb/info.h>

#if GUIDANCE_MPI
#include <mpi.h>
#endif

#include "guidance/diagnostics.hpp"
#include "outputs.hpp"

namespace guidance::cli {

namespace {

/// How long a rank that failed waits for rank 0 to report the same failure and end the job.
constexpr auto rank_zero_grace = std::chrono::seconds(3);

/// A number from the environment, or `otherwise`.
long environment_number(const char* name, long otherwise) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return otherwise;
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  return *end == '\0' ? value : otherwise;
}

/// This process's rank and the job's size as a launcher's environment states them (Open MPI's mpirun,
/// MPICH's Hydra, Slurm's srun with PMI or PMIx); size 0 where it does not say.
struct LaunchedAs {
  long rank = 0;
  long size = 0;
};

std::optional<LaunchedAs> launched_as() {
  for (const auto& [rank, size] : {std::pair{"OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"},
                                   std::pair{"PMI_RANK", "PMI_SIZE"}, std::pair{"PMIX_RANK", "SLURM_NTASKS"}})
    if (std::getenv(rank) != nullptr) return LaunchedAs{environment_number(rank, 0), environment_number(size, 0)};
  return std::nullopt;
}

/// What every rank but 0 writes to stderr, held until leave_cluster(), and stderr itself.
struct HeldBack {
  std::ostringstream messages;
  std::streambuf* cerr_buffer = nullptr;  // std::cerr's own, given back before `messages` goes
  int stderr_descriptor = -1;
  long rank = 0;
  long size = 1;
};
std::unique_ptr<HeldBack> held;

/// Rank `rank` of `size` other than 0: no outputs, stderr held back.
void keep_quiet(long rank, long size) {
  held = std::make_unique<HeldBack>();
  held->rank = rank;
  held->size = size;
  write_no_outputs();
  held->cerr_buffer = std::cerr.rdbuf(held->messages.rdbuf());
  // The descriptor itself too, for what is written to it directly (the progress bar, libraries).
  held->stderr_descriptor = ::dup(STDERR_FILENO);
  const int null = ::open("/dev/null", O_WRONLY);
  if (null >= 0) {
    ::dup2(null, STDOUT_FILENO);  // --help, --version
    ::dup2(null, STDERR_FILENO);
    ::close(null);
  }
}

#if GUIDANCE_MPI
/// The processes of MPI_COMM_WORLD. Every call is collective, from the thread that joined the job.
/// MPI's default error handler ends the whole job on a failed call.
class MpiCluster final : public Cluster {
 public:
  MpiCluster() {
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    rank_ = static_cast<std::size_t>(rank);
    size_ = static_cast<std::size_t>(size);
    MPI_Comm node;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node);
    int on_node = 1;
    MPI_Comm_size(node, &on_node);
    MPI_Comm_free(&node);
    on_this_machine_ = static_cast<unsigned>(on_node);
  }
  /// The job's processes on this machine, this one included.
  unsigned on_this_machine() const { return on_this_machine_; }
  std::size_t rank() const override { return rank_; }
  std::size_t size() const override { return size_; }

  void sum(std::span<std::uint64_t> values) const override {
    constexpr std::size_t most = std::size_t{1} << 30;  // MPI counts are ints
    for (std::size_t first = 0; first < values.size(); first += most) {
      const std::span<std::uint64_t> part = values.subspan(first, std::min(most, values.size() - first));
      MPI_Allreduce(MPI_IN_PLACE, part.data(), static_cast<int>(part.size()), MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
    }
  }

  std::vector<std::byte> gather(std::span<const std::byte> mine) const override {
    const auto count = static_cast<unsigned long long>(mine.size());
    std::vector<unsigned long long> counts(size_);
    MPI_Allgather(&count, 1, MPI_UNSIGNED_LONG_LONG, counts.data(), 1, MPI_UNSIGNED_LONG_LONG, MPI_COMM_WORLD);
    std::vector<int> sizes(size_), offsets(size_);
    unsigned long long total = 0;
    for (std::size_t r = 0; r < size_; ++r) {
      // Every rank sees the same counts, so every rank throws here or none does.
      if (counts[r] > INT_MAX || total + counts[r] > INT_MAX)
        throw std::length_error("a shared run gathered more than 2 GiB at once");
      sizes[r] = static_cast<int>(counts[r]);
      offsets[r] = static_cast<int>(total);
      total += counts[r];
    }
    std::vector<std::byte> all(total);
    MPI_Allgatherv(mine.data(), static_cast<int>(count), MPI_BYTE, all.data(), sizes.data(), offsets.data(), MPI_BYTE,
                   MPI_COMM_WORLD);
    return all;
  }

 private:
  std::size_t rank_ = 0;
  std::size_t size_ = 1;
  unsigned on_this_machine_ = 1;
};

bool joined = false;
std::unique_ptr<MpiCluster> processes;
#endif

}  // namespace

void join_cluster() {
  const std::optional<LaunchedAs> launched = launched_as();
  if (!launched || (launched->rank == 0 && launched->size == 1)) return;  // alone: MPI is not needed
#if GUIDANCE_MPI
  int provided = 0;
  // Funneled: only the thread that runs the command calls MPI; oneTBB's workers never do.
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  joined = true;
  auto world = std::make_unique<MpiCluster>();
  if (world->rank() > 0) keep_quiet(static_cast<long>(world->rank()), static_cast<long>(world->size()));
  if (world->size() > 1) processes = std::move(world);
#else
  if (launched->rank == 0 && launched->size == 0) return;  // a job of unknown size: taken as alone
  if (launched->rank > 0) keep_quiet(launched->rank, launched->size);
  throw InputError({}, "an MPI launcher started several copies of a guidance built without MPI",
                   "install libopenmpi-dev and build again (./setup.sh does both), or run guidance without mpirun");
#endif
}

bool started_by_launcher() { return launched_as().has_value(); }

const Cluster* cluster() {
#if GUIDANCE_MPI
  return processes.get();
#else
  return nullptr;
#endif
}

unsigned default_threads() {
#if GUIDANCE_MPI
  // oneTBB's count follows this process's affinity mask, which the launcher may have narrowed.
  if (processes) return std::max(1U, static_cast<unsigned>(tbb::info::default_concurrency()) / processes->on_this_machine());
#endif
  return 0;
}

int leave_cluster(int status) {
  const bool normal = status == 0 || status == 1;
#if GUIDANCE_MPI
  if (joined && normal) MPI_Finalize();
#endif
  if (held == nullptr) return status;
  std::cerr.rdbuf(held->cerr_buffer);
  if (normal) return status;
  std::this_thread::sleep_for(rank_zero_grace);
  // Still running: rank 0 did not fail, so this rank's error is its own.
  const std::string text = fmt::format("rank {} of {}: {}", held->rank, held->size, held->messages.str());
  [[maybe_unused]] const ssize_t written = ::write(held->stderr_descriptor, text.data(), text.size());
  return status;
}

}  // namespace guidance::cli
