#!/usr/bin/env bash
# Whole-process comparison of one process with two threads against `mpirun -np 2` with one thread per
# process, the flagship streamed (--memory 1MiB) at TRIALS (default 10^8), ROUNDS pairs (default 4)
# in alternating order. Prints each one's median wall, user and system time and peak memory per
# process (/usr/bin/time) and the median of the pairs' wall-time ratios. Needs time and Open MPI
# (apt-get install time openmpi-bin) and a build with MPI (docs/cluster.md).
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${TRIALS:-100000000}
rounds=${ROUNDS:-4}
build=${BUILD_DIR:-build}
log=$(mktemp)
trap 'rm -f "$log" "$log.time"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
run=("$build/cli/guidance" run scenarios/juniper_q4_2012.yaml --trials "$trials" --format json --memory 1MiB)

# Appends "name wall_seconds user_seconds system_seconds peak_kib" to the log.
measure() {
  local name=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$log.time" "$@" >/dev/null
  echo "$name $(cat "$log.time")" >>"$log"
}

for round in $(seq "$rounds"); do
  if ((round % 2)); then
    measure threads "${run[@]}" --threads 2
    measure mpirun mpirun -q -np 2 "${run[@]}" --threads 1
  else
    measure mpirun mpirun -q -np 2 "${run[@]}" --threads 1
    measure threads "${run[@]}" --threads 2
  fi
  echo "round $round of $rounds done" >&2
done

python3 - "$log" "$trials" <<'PY'
import os, statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "unknown CPU")
print(f"flagship, {int(sys.argv[2]):,} trials streamed, on {os.cpu_count()} cores of {cpu}; medians")
labels = {"threads": "1 process, 2 threads", "mpirun": "mpirun -np 2, 1 thread each"}
for name in ("threads", "mpirun"):
    chosen = [row for row in rows if row[0] == name]
    wall, user, system, peak = ([float(row[k]) for row in chosen] for k in (1, 2, 3, 4))
    print(f"  {labels[name]:28s} wall {statistics.median(wall):7.2f} s   user {statistics.median(user):7.2f} s   "
          f"system {statistics.median(system):5.2f} s   peak {statistics.median(peak) / 1024:6.0f} MiB   ({len(chosen)} runs)")
threads = [row for row in rows if row[0] == "threads"]
mpirun = [row for row in rows if row[0] == "mpirun"]
ratios = [float(m[1]) / float(t[1]) for t, m in zip(threads, mpirun)]
print(f"  mpirun / threads wall time, median of the pairs: {statistics.median(ratios):.2f}")
PY
