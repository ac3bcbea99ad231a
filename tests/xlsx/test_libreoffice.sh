#!/usr/bin/env bash
# The Excel workbook opened by a real spreadsheet program: LibreOffice, headless, reads run's workbook
# and exports its Summary sheet to CSV, whose values and percents check_workbook.py compares with the
# run's JSON. Exits 77 (CTest: skipped) without soffice: LibreOffice is optional, as installing it
# (libreoffice-calc-nogui) downloads about 160 MB beyond what the build and the other tests need.
#
# Usage: test_libreoffice.sh GUIDANCE_EXECUTABLE SOURCE_DIR WORK_DIR
set -euo pipefail
guidance=$1 source=$2 work=$3

if ! command -v soffice >/dev/null; then
  echo "SKIPPED: soffice is not installed (apt-get install libreoffice-calc-nogui to run this test)"
  exit 77
fi

rm -rf "$work"
mkdir -p "$work/csv"
cd "$source"
args=(run scenarios/juniper_q4_2012.yaml --trials 4000 --seed 11)
"$guidance" "${args[@]}" --format json --output "$work/run.json"
"$guidance" "${args[@]}" --format xlsx --output "$work/run.xlsx"
# The CSV filter's 12th option picks the sheet: 2, the Summary. The 9th, false, writes the values
# rather than the text shown. A profile of its own, so that a running LibreOffice is not disturbed.
timeout 300 soffice --headless --norestore -env:UserInstallation="file://$work/profile" \
  --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2' \
  --outdir "$work/csv" "$work/run.xlsx" >"$work/soffice.log" 2>&1 || { cat "$work/soffice.log"; exit 1; }
[ -s "$work/csv/run-Summary.csv" ] || { echo "FAIL: LibreOffice wrote no Summary sheet"; cat "$work/soffice.log"; exit 1; }
/usr/bin/python3 "$source/tests/xlsx/check_workbook.py" libreoffice "$work/csv/run-Summary.csv" "$work/run.json"
