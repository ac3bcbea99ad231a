#!/usr/bin/env bash
# Whole-process comparison of `guidance run` with the same model hard-coded in C++ (the yardstick,
# bench/reference_flagship.cpp) and in numpy + scipy, at TRIALS (default 10 million). ROUNDS rounds
# (default 6; an odd number is rounded up) run the three in turn, so that a drift in the machine's speed touches all three alike;
# it prints the machine's CPU, each program's median wall, user and system time and peak memory
# (/usr/bin/time) and the medians of the round-by-round ratios of wall time. System time is where a
# program pays for fresh memory (docs/performance.md).
# Needs python3-numpy, python3-scipy and time (apt-get install python3-numpy python3-scipy time).
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${TRIALS:-10000000}
rounds=${ROUNDS:-6}
rounds=$(((rounds + 1) / 2 * 2))  # even: each C++ program runs right after numpy in half the rounds
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

# Each round runs numpy first, then the two C++ programs, in one order in odd rounds and the other in
# even ones. On a virtual machine whose host takes back the memory a guest frees, the program that
# runs right after numpy (which frees 1.7 GB) spends 0.3 to 0.5 s more in the kernel getting its
# memory backed again, whichever program it is, and so does one that starts about two seconds after
# numpy ends (the guest hands the freed pages back with that delay; docs/performance.md). In this
# schedule each C++ program runs right after numpy in half the rounds and second (0.4 to 1 s after
# numpy ends) in the other half, so both pay alike; the summary gives both positions' medians.
orders=("numpy guidance hand-written" "numpy hand-written guidance")
for round in $(seq "$rounds"); do
  for program in ${orders[$(((round - 1) % 2))]}; do run "$program"; done
  echo "round $round of $rounds done" >&2
done

python3 - "$log" "$trials" <<'PY'
import os, statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "unknown CPU")
rounds = [rows[i:i + 3] for i in range(0, len(rows), 3)]
print(f"{int(float(sys.argv[2])):,} trials, {len(rounds)} rounds on {os.cpu_count()} cores of {cpu}; medians")
def runs(name, position=None):
    """The runs of `name`, all or only those at `position` (1: right after numpy, 2: second)."""
    return [(round_[0], row) for round_ in rounds for k, row in enumerate(round_)
            if row[0] == name and (position is None or k == position)]
def line(label, chosen):
    wall, user, system, peak = ([float(row[k]) for _, row in chosen] for k in (1, 2, 3, 4))
    print(f"  {label:31s} wall {statistics.median(wall):6.2f} s   user {statistics.median(user):6.2f} s   "
          f"system {statistics.median(system):5.2f} s   peak {statistics.median(peak) / 1024:6.0f} MiB")
line("numpy", runs("numpy"))
for name in ("guidance", "hand-written"):
    line(f"{name}, second", runs(name, 2))
    line(f"{name}, right after numpy", runs(name, 1))
    line(f"{name}, all rounds", runs(name))
def wall(row):
    return max(float(row[1]), 0.01)  # /usr/bin/time's resolution: a tiny run reads 0.00
def ratio(name, position):
    return statistics.median(wall(numpy) / wall(row) for numpy, row in runs(name, position))
for position, label in ((2, "second"), (None, "all rounds")):
    print(f"  {'numpy / guidance (' + label + ')':38s} {ratio('guidance', position):5.1f}x")
    print(f"  {'numpy / hand-written (' + label + ')':38s} {ratio('hand-written', position):5.1f}x")
pairs = [wall(g) / wall(h) for round_ in rounds for g in round_ for h in round_
         if g[0] == "guidance" and h[0] == "hand-written"]
print(f"  {'guidance / hand-written (all rounds)':38s} {statistics.median(pairs):5.2f}")
PY
