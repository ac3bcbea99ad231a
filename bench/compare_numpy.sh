#!/usr/bin/env bash
# Whole-process comparison of `guidance run` with the same model hard-coded in C++ (the yardstick,
# bench/reference_flagship.cpp) and in numpy + scipy, all at TRIALS (default 10 million), one after
# the other, with /usr/bin/time -v's wall time and peak memory.
# Needs python3-numpy and python3-scipy (apt-get install python3-numpy python3-scipy time).
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${TRIALS:-10000000}
build=${BUILD_DIR:-build}
measure() {
  /usr/bin/time -v "$@" >/dev/null 2>/tmp/guidance-time.$$ || { cat /tmp/guidance-time.$$; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ {w=$2} /Maximum resident set size/ {m=$2} END {printf "wall %s  peak %.0f MiB\n", w, m/1024}' /tmp/guidance-time.$$
}
echo "guidance run, $trials trials:  $(measure "$build/cli/guidance" run scenarios/juniper_q4_2012.yaml --trials "$trials")"
echo "hand-written C++, $trials trials: $(measure "$build/bench/reference_flagship" "$trials")"
echo "numpy + scipy, $trials trials: $(measure /usr/bin/python3 bench/numpy_flagship.py "$trials")"
rm -f /tmp/guidance-time.$$
