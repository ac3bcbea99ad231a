#!/usr/bin/env bash
# `guidance` under mpirun, as a cluster user runs it: the outputs of 1, 2 and 3 processes are the
# bytes of the program run without mpirun (a trial count of five chunks, shared unevenly); a bad
# scenario fails every rank with one message and status 2; a rank that fails alone names itself and
# ends the job; a rank killed mid-run ends the job within seconds instead of leaving it hanging.
# Open MPI refuses to run as root unless told to: said here, not globally (CI runs as root).
#
# Usage: test_mpi.sh GUIDANCE_EXECUTABLE MPIEXEC SOURCE_DIR WORK_DIR
set -uo pipefail
guidance=$1 mpiexec=$2 source=$3 work=$4
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Two cores may run three processes: oversubscribed, and each process on one thread by default.
mpirun() { timeout 120 "$mpiexec" -q --oversubscribe -np "$@"; }

rm -rf "$work"
mkdir -p "$work"
cd "$source"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# same NAME PROCESSES ARGS...: the outputs (stdout, --output and --report files, exit status) under
# mpirun with each of PROCESSES processes equal those without it.
same() {
  local name=$1 processes=$2
  shift 2
  (cd "$work" && mkdir -p "$name-alone" && cd "$name-alone" && "$guidance" "$@" > stdout 2> stderr; echo $? > status)
  for n in $processes; do
    (cd "$work" && mkdir -p "$name-$n" && cd "$name-$n" && mpirun "$n" "$guidance" "$@" > stdout 2> stderr; echo $? > status)
    if ! diff -r "$work/$name-alone" "$work/$name-$n" > "$work/$name-$n.diff"; then
      fail "$name on $n processes differs from one process without mpirun ($work/$name-$n.diff)"
    fi
  done
}

trials=300001  # five chunks of 65,536 trials, the last partial
flagship=$source/scenarios/juniper_q4_2012.yaml
fiscal_year=$source/scenarios/juniper_fy2012.yaml
same run-json "1 2 3" run "$flagship" --trials $trials --format json
same run-table "3" run "$flagship" --trials $trials
same run-files "2 3" run "$fiscal_year" --trials $trials --format csv --output out.csv --report report.html
same run-lhs "3" run "$fiscal_year" --trials $trials --sampling lhs --format json
same check "3" check "$flagship" --trials $trials --min-probability 60%
same compare "3" compare "$flagship" --trials $trials --format json
same sweep "3" sweep "$flagship" --trials 140001 --vary revenue.p90=1120:1140:10 --format json
same solve "2 3" solve "$flagship" --trials 140001 --target 'p90(eps) = 0.225' --vary revenue.p90 --format json
same propose "1 2 3" propose "$flagship" --trials $trials --metric eps --center 0.3 --round 0.01 --format json
# Kept in memory on every process (--precision): the same output, if no faster.
same precision "2" run "$flagship" --precision 0.02 --format json

# A bad scenario: the same error on every rank, printed once, status 2.
printf 'name: bad\ndrivers:\n  a: {dist: normal, mean: 1}\n' > "$work/bad.yaml"
mpirun 3 "$guidance" run "$work/bad.yaml" > /dev/null 2> "$work/bad.stderr"
status=$?
[ "$status" = 2 ] || fail "a bad scenario under mpirun exits $status, not 2"
[ "$(grep -c 'error: missing `sd`' "$work/bad.stderr")" = 1 ] || fail "a bad scenario's error is not printed once: $(cat "$work/bad.stderr")"

# Rank 1 alone fails (its file is missing on its machine): it names itself, and the job ends.
start=$SECONDS
mpirun 3 sh -c 'if [ "$OMPI_COMM_WORLD_RANK" = 1 ]; then exec "$0" run missing.yaml; else exec "$0" run "$1" --trials 1e9; fi' \
  "$guidance" "$flagship" > /dev/null 2> "$work/alone.stderr"
status=$?
[ "$status" = 2 ] || fail "a rank failing alone ends the job with $status, not 2"
grep -q '^rank 1 of 3: missing.yaml: error: cannot read the file' "$work/alone.stderr" ||
  fail "a rank failing alone does not say so: $(cat "$work/alone.stderr")"
[ $((SECONDS - start)) -le 30 ] || fail "a rank failing alone took $((SECONDS - start)) s to end the job"

# A rank killed mid-run: the whole job ends, with an error status, within seconds.
"$mpiexec" --oversubscribe -np 3 "$guidance" run "$flagship" --trials 1e10 > /dev/null 2> "$work/killed.stderr" &
launcher=$!
# The launcher's child processes running guidance, from /proc (procps may not be installed).
ranks_of() {
  local stat
  for stat in /proc/[0-9]*/stat; do
    local pid=${stat#/proc/} fields
    pid=${pid%/stat}
    read -r -a fields < "$stat" 2> /dev/null || continue
    [ "${fields[3]}" = "$1" ] && grep -qa "run" "/proc/$pid/cmdline" 2> /dev/null && echo "$pid"
  done
}
victim=""
for _ in $(seq 100); do  # up to 10 s for the ranks to start
  ranks=$(ranks_of "$launcher")
  victim=$(echo "$ranks" | tail -1)
  [ "$(echo "$ranks" | grep -c .)" = 3 ] && break
  sleep 0.1
done
if [ -z "$victim" ]; then
  fail "the ranks of the killed job did not start"
  kill -9 "$launcher"
else
  sleep 1
  kill -9 "$victim"
  killed=$SECONDS
  for _ in $(seq 300); do kill -0 "$launcher" 2> /dev/null || break; sleep 0.1; done
  if kill -0 "$launcher" 2> /dev/null; then
    fail "the job still runs 30 s after one of its ranks was killed"
    for rank in $(ranks_of "$launcher"); do kill -9 "$rank"; done
    kill -9 "$launcher"
  fi
  wait "$launcher"
  status=$?
  [ "$status" != 0 ] || fail "a job with a killed rank exits 0"
  grep -q 'exited on signal 9' "$work/killed.stderr" || fail "the killed rank is not reported: $(cat "$work/killed.stderr")"
  echo "the job ended $((SECONDS - killed)) s after a rank was killed, with status $status"
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "mpirun: every output the same on 1, 2 and 3 processes; failures end the job"
