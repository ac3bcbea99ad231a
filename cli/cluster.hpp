// The MPI job `guidance` runs in when an MPI launcher started it (`mpirun -np 4 guidance run ...`,
// Slurm's `srun`): its processes share every streamed run (guidance/cluster.hpp), and rank 0 alone
// writes the outputs and the messages. docs/cluster.md says how to run it and what is exact.
//
//   join_cluster();                     // in main, after install_signal_handling()
//   options.cluster = cluster();        // null outside a job of several processes
//   return leave_cluster(status);       // last thing in main
#pragma once

#include "guidance/cluster.hpp"

namespace guidance::cli {

/// Join the job this process was started in, if a launcher's environment says so; otherwise do
/// nothing. On every rank but 0, from now on the outputs are not written (write_output, outputs.hpp)
/// and stderr is held back (see leave_cluster). Throws InputError when a launcher started a build
/// without MPI: each process would run the whole job alone.
void join_cluster();

/// Whether an MPI launcher started this process. Open MPI's mpirun hands its processes a pseudo-terminal
/// for stdout wherever mpirun's own stdout goes, so a terminal there says nothing: no colours.
bool started_by_launcher();

/// The job's processes; null when this process is alone (no job, or a job of one).
const Cluster* cluster();

/// Worker threads per process when --threads is not given: in a job, the machine's cores shared out
/// between the job's processes on it (so that `mpirun -np 2` on two cores does not run four threads);
/// 0 (every core) otherwise.
unsigned default_threads();

/// The status this process exits with, having left the job. A command that ended normally (status 0
/// or 1) leaves with MPI_Finalize. Any other status leaves without it, which makes the launcher end
/// every process, so that none waits for ever for one that failed: rank 0 has printed its error; a
/// rank that failed while rank 0 did not (a file missing on its machine, memory exhausted) first gives
/// rank 0 a few seconds to report the same error and end the job itself, then prints its own, named by
/// its rank.
int leave_cluster(int status);

}  // namespace guidance::cli
