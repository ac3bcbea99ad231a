#!/usr/bin/env bash
# Whole-process comparison of `guidance run` with the same model hard-coded in C++ (the yardstick,
# bench/reference_flagship.cpp) and in numpy + scipy, at TRIALS (default 10 million). ROUNDS rounds
# (default 6) run the three in turn, each round in another order, so that a drift in the machine's
# speed touches all three alike; it prints the machine's CPU, each program's median wall, user and
# system time and peak memory (/usr/bin/time) and the median of the round-by-round ratios of wall
# time. System time is where a program pays for fresh memory (docs/performance.md).
# Needs python3-numpy, python3-scipy and time (apt-get install python3-numpy python3-scipy time).
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${TRIALS:-10000000}
rounds=${ROUNDS:-6}
build=${BUILD_DIR:-build}
log=$(mktemp)
trap 'rm -f "$log" "$log.time"' EXIT

# Appends "program wall_seconds user_seconds system_seconds peak_kib" to the log.
measure() {
  local name=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$log.time" "$@" >/dev/null
  echo "$name $(cat "$log.time")" >>"$log"
}

run() {
  case $1 in
    guidance) measure guidance "$build/cli/guidance" run scenarios/juniper_q4_2012.yaml --trials "$trials" ;;
    hand-written) measure hand-written "$build/bench/reference_flagship" "$trials" ;;
    numpy) measure numpy /usr/bin/python3 bench/numpy_flagship.py "$trials" ;;
  esac
}

# Each round runs the three in another of their six orders. On a virtual machine whose host takes back
# the memory a guest frees, the program that runs right after numpy (which frees 1.7 GB) can spend 0.3
# to 0.5 s more in the kernel getting its memory backed again, whichever program it is; with one fixed
# order (or one order turned round, which keeps who follows whom) the same program would pay that in
# most rounds. Over six rounds each C++ program follows numpy equally often.
orders=("guidance hand-written numpy" "numpy hand-written guidance" "hand-written numpy guidance"
        "guidance numpy hand-written" "numpy guidance hand-written" "hand-written guidance numpy")
for round in $(seq "$rounds"); do
  for program in ${orders[$(((round - 1) % 6))]}; do run "$program"; done
  echo "round $round of $rounds done" >&2
done

python3 - "$log" "$trials" <<'PY'
import os, statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
names = ("guidance", "hand-written", "numpy")
wall, user, system, peak = ({name: [float(row[k]) for row in rows if row[0] == name] for name in names} for k in (1, 2, 3, 4))
cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "unknown CPU")
print(f"{int(float(sys.argv[2])):,} trials, {len(wall['guidance'])} rounds on {os.cpu_count()} cores of {cpu}; medians")
for name in wall:
    print(f"  {name:13s} wall {statistics.median(wall[name]):6.2f} s   user {statistics.median(user[name]):6.2f} s   "
          f"system {statistics.median(system[name]):5.2f} s   peak {statistics.median(peak[name]) / 1024:6.0f} MiB")
def ratio(a, b):
    return statistics.median(x / y for x, y in zip(wall[a], wall[b]))
print(f"  numpy / guidance        {ratio('numpy', 'guidance'):5.1f}x")
print(f"  numpy / hand-written    {ratio('numpy', 'hand-written'):5.1f}x")
print(f"  guidance / hand-written {ratio('guidance', 'hand-written'):5.2f}")
PY
