#!/usr/bin/env bash
# Whole-process comparison of a run that keeps its trials with the same run streamed (--memory 1MiB
# forces streaming): the flagship at TRIALS (default 10 million), ROUNDS pairs (default 6) run in
# alternating order, then one streamed run at LARGE trials (default 10^8; LARGE=0 skips it). Prints
# each one's median wall, user and system time and peak memory (/usr/bin/time) and the median of the
# pairs' wall-time ratios. Needs time (apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${TRIALS:-10000000}
rounds=${ROUNDS:-6}
large=${LARGE:-100000000}
build=${BUILD_DIR:-build}
log=$(mktemp)
trap 'rm -f "$log" "$log.time"' EXIT

# Appends "name trials wall_seconds user_seconds system_seconds peak_kib" to the log.
measure() {
  local name=$1 count=$2
  shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$log.time" "$build/cli/guidance" run scenarios/juniper_q4_2012.yaml \
    --trials "$count" --format json "$@" >/dev/null
  echo "$name $count $(cat "$log.time")" >>"$log"
}

for round in $(seq "$rounds"); do
  if ((round % 2)); then
    measure kept "$trials"
    measure streamed "$trials" --memory 1MiB
  else
    measure streamed "$trials" --memory 1MiB
    measure kept "$trials"
  fi
  echo "round $round of $rounds done" >&2
done
if ((large > 0)); then measure streamed "$large" --memory 1MiB; fi

python3 - "$log" <<'PY'
import os, statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "unknown CPU")
print(f"flagship on {os.cpu_count()} cores of {cpu}; medians")
for name, count in dict.fromkeys((row[0], row[1]) for row in rows):
    chosen = [row for row in rows if row[0] == name and row[1] == count]
    wall, user, system, peak = ([float(row[k]) for row in chosen] for k in (2, 3, 4, 5))
    print(f"  {name:8s} {int(count):>13,} trials  wall {statistics.median(wall):7.2f} s   user "
          f"{statistics.median(user):7.2f} s   system {statistics.median(system):5.2f} s   "
          f"peak {statistics.median(peak) / 1024:6.0f} MiB   ({len(chosen)} runs)")
kept = [row for row in rows if row[0] == "kept"]
streamed = [row for row in rows if row[0] == "streamed" and row[1] == kept[0][1]]
ratios = [max(float(s[2]), 0.01) / max(float(k[2]), 0.01) for k, s in zip(kept, streamed)]
print(f"  streamed / kept wall time, median of the pairs: {statistics.median(ratios):.2f}")
large = [row for row in rows if row[0] == "streamed" and row[1] != kept[0][1]]
if large:
    scale = float(large[0][1]) / float(kept[0][1])
    kept_wall = statistics.median(float(k[2]) for k in kept)
    print(f"  streamed at {int(large[0][1]):,} / ({scale:g} x the kept median) wall time: "
          f"{float(large[0][2]) / (scale * kept_wall):.2f}")
PY
