#!/usr/bin/env bash
# Build the libFuzzer targets (CMake preset `fuzz`: clang-14 with ASan and UBSan, in build-fuzz or
# $BUILD_DIR) and run each for SECONDS (default 60), both at once (one core each).
#
#   fuzz/run.sh 60        what CI runs
#   fuzz/run.sh 3600      an hour each; docs/reliability.md says how to fuzz longer and in parallel
#
# The checked-in seeds (fuzz/corpus/NAME) are only read; what the fuzzer learns goes to
# BUILD_DIR/corpus/NAME, so a later run continues from it. A crash, a leak, an input slower than 10 s
# or one needing more than 2 GB is saved as BUILD_DIR/artifacts/NAME/crash-* (or leak-, timeout-,
# oom-); reproduce it with `BUILD_DIR/fuzz/fuzz_NAME FILE`. Exit status 1 when any target found one.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build_dir=${BUILD_DIR:-build-fuzz}
targets=(load formula)

cmake --preset fuzz -B "$build_dir" >/dev/null
cmake --build "$build_dir" --target "${targets[@]/#/fuzz_}"

run() {
  local name=$1
  mkdir -p "$build_dir/corpus/$name" "$build_dir/artifacts/$name"
  "$build_dir/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
    -dict="fuzz/$name.dict" -artifact_prefix="$build_dir/artifacts/$name/" -print_final_stats=1 \
    "$build_dir/corpus/$name" "fuzz/corpus/$name" >"$build_dir/fuzz_$name.log" 2>&1
}

declare -A pids
for name in "${targets[@]}"; do
  run "$name" &
  pids[$name]=$!
done
status=0
for name in "${targets[@]}"; do
  log="$build_dir/fuzz_$name.log"
  if wait "${pids[$name]}"; then
    echo "fuzz_$name: ok: ${seconds} s, $(sed -n 's/^stat::number_of_executed_units: *//p' "$log") inputs, no finding"
  else
    status=1
    echo "fuzz_$name: FINDING (log: $log; inputs: $build_dir/artifacts/$name/)"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|.*uncaught exception|.*deadly signal|.*Test unit written)' "$log" | head -20
  fi
done
exit $status
