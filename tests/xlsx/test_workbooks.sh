#!/usr/bin/env bash
# The Excel workbook read back: each command that writes one (run, compare, sweep, sensitivity,
# propose) runs with --format xlsx and with --format json at the same seed, and check_workbook.py
# (Debian's python3 and python3-openpyxl) finds every value of the JSON in the workbook, in the right
# number format, with its charts. Each workbook is written twice and must be byte for byte the same.
# Exits 77 (CTest: skipped) without python3-openpyxl, unless GUIDANCE_REQUIRE_TEST_TOOLS is set
# (./setup.sh test sets it, so CI never skips).
#
# Usage: test_workbooks.sh GUIDANCE_EXECUTABLE SOURCE_DIR WORK_DIR
set -euo pipefail
guidance=$1 source=$2 work=$3
python=/usr/bin/python3

if ! "$python" -c "import openpyxl" 2>/dev/null; then
  echo "SKIPPED: Debian's python3-openpyxl is not installed (./setup.sh test installs it)"
  [ -n "${GUIDANCE_REQUIRE_TEST_TOOLS:-}" ] && exit 1
  exit 77
fi

rm -rf "$work"
mkdir -p "$work"
cd "$source"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
scenario=scenarios/juniper_q4_2012.yaml
common=(--trials 4000 --seed 11)

# case NAME KIND ARGS...: the command's JSON and workbook (twice), then the check.
case_() {
  local name=$1 kind=$2
  shift 2
  "$guidance" "$@" "${common[@]}" --format json --output "$work/$name.json" 2>/dev/null || fail "$name: json failed"
  # The same file name both times: the About sheet records the command line.
  "$guidance" "$@" "${common[@]}" --format xlsx --output "$work/$name.xlsx" 2>/dev/null || fail "$name: xlsx failed"
  mv "$work/$name.xlsx" "$work/$name.first.xlsx"
  "$guidance" "$@" "${common[@]}" --format xlsx --output "$work/$name.xlsx" 2>/dev/null || fail "$name: xlsx failed"
  cmp -s "$work/$name.xlsx" "$work/$name.first.xlsx" || fail "$name: two runs wrote different bytes"
}

case_ run run run "$scenario"
"$python" "$source/tests/xlsx/check_workbook.py" run "$work/run.xlsx" "$work/run.json" || fail "run"

# Each metric's display (currency, percent and digits, an indicator) as its cells' number format.
case_ display run run tests/data/scenarios/good/display_metrics.yaml
"$python" "$source/tests/xlsx/check_workbook.py" display "$work/display.xlsx" "$work/display.json" || fail "display"

# With --samples alone, the trials go to a Trials sheet; the same trials as --samples FILE.csv.
"$guidance" run "$scenario" "${common[@]}" --samples "$work/trials.csv" >/dev/null || fail "trials: csv failed"
"$guidance" run "$scenario" "${common[@]}" --format xlsx --output "$work/trials.xlsx" --samples || fail "trials: xlsx failed"
"$python" "$source/tests/xlsx/check_workbook.py" run "$work/trials.xlsx" "$work/run.json" "$work/trials.csv" || fail "trials"

case_ compare compare compare "$scenario"
"$python" "$source/tests/xlsx/check_workbook.py" compare "$work/compare.xlsx" "$work/compare.json" || fail "compare"

case_ sweep sweep sweep "$scenario" --vary revenue.p90=1120:1150:10
"$python" "$source/tests/xlsx/check_workbook.py" sweep "$work/sweep.xlsx" "$work/sweep.json" || fail "sweep"

# Every method: --ignore-correlations lets sobol run on the flagship's correlated drivers.
case_ sensitivity sensitivity sensitivity "$scenario" --metric eps --method all --ignore-correlations
"$python" "$source/tests/xlsx/check_workbook.py" sensitivity "$work/sensitivity.xlsx" "$work/sensitivity.json" ||
  fail "sensitivity"

case_ propose propose propose "$scenario" --metric eps --round 0.01
"$python" "$source/tests/xlsx/check_workbook.py" propose "$work/propose.xlsx" "$work/propose.json" "$work/run.json" ||
  fail "propose"

if [ "$failures" -gt 0 ]; then
  echo "$failures failures; the workbooks are in $work"
  exit 1
fi
echo "every workbook equals its command's JSON"
