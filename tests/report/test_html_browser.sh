#!/usr/bin/env bash
# The HTML report as a person meets it: headless Chromium, with every host unreachable, opens the
# flagship's report from a file, takes a screenshot and dumps the DOM it built. Passes when the page
# loads without a console or network error, every chart is in the DOM with a bar per histogram bin,
# and the screenshot is a full-size, non-trivial PNG. Exits 77 (CTest: skipped) without Chromium.
#
# Usage: test_html_browser.sh GUIDANCE_EXECUTABLE SOURCE_DIR WORK_DIR
# The pages, screenshots and Chromium's logs stay in WORK_DIR for a look.
set -euo pipefail
guidance=$1 source=$2 work=$3

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "SKIPPED: chromium is not installed (./setup.sh test installs it)"
  exit 77
fi

rm -rf "$work"
mkdir -p "$work"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
count() { grep -o -- "$1" "$2" | wc -l; }

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars
       --host-resolver-rules="MAP * ~NOTFOUND" --enable-logging=stderr --v=0)

# render NAME: screenshot and DOM of $work/NAME.html, with their logs.
render() {
  local name=$1
  timeout 120 "$browser" "${flags[@]}" --window-size=1200,3000 --screenshot="$work/$name.png" \
    "file://$work/$name.html" >"$work/$name.screenshot.log" 2>&1 || fail "$name: chromium --screenshot failed"
  timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$work/$name.html" \
    >"$work/$name.dom.html" 2>"$work/$name.dom.log" || fail "$name: chromium --dump-dom failed"
  if grep -E "CONSOLE|Uncaught|net::ERR_|Failed to load" "$work/$name.screenshot.log" "$work/$name.dom.log"; then
    fail "$name: the page logged an error (above)"
  fi
  grep -q "</html>" "$work/$name.dom.html" || fail "$name: no DOM was dumped"
  check_png "$work/$name.png"
}

# check_png FILE: a PNG of the window's size (IHDR width and height), more than a blank page weighs.
check_png() {
  local png=$1
  [ -s "$png" ] || { fail "$png: no screenshot"; return; }
  [ "$(od -An -tx1 -N8 "$png" | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "$png: not a PNG"
  local size
  size=$(od -An -tu1 -j16 -N8 "$png" | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}')
  [ "$size" = "1200x3000" ] || fail "$png: $size, expected 1200x3000"
  [ "$(stat -c %s "$png")" -gt 60000 ] || fail "$png: $(stat -c %s "$png") bytes, too small to hold the charts"
}

cd "$source"

# run: per guidance line a histogram and a CDF, a bar per bin.
"$guidance" run scenarios/juniper_q4_2012.yaml --trials 20000 --report "$work/run.html" >/dev/null
render run
svgs=$(count '<svg ' "$work/run.dom.html")
[ "$svgs" -eq 8 ] || fail "run: $svgs <svg> elements in the DOM, expected 8 (4 guidance lines x 2 charts)"
bars=$(count 'class="bar \(in\|out\)"' "$work/run.dom.html")
written=$(count 'class="bar \(in\|out\)"' "$work/run.html")
[ "$bars" -eq "$written" ] && [ "$bars" -ge 120 ] ||
  fail "run: $bars histogram bars in the DOM, $written in the file (expected equal, at least 4 x 30)"
[ "$(count 'class="bar in"' "$work/run.dom.html")" -ge 40 ] || fail "run: too few bars inside the guidance ranges"
[ "$(count 'class="cdf"' "$work/run.dom.html")" -eq 4 ] || fail "run: expected 4 CDF lines"
[ "$(count 'class="p-in"' "$work/run.dom.html")" -eq 4 ] || fail "run: expected P(in) on 4 histograms"
grep -q '<h1>Juniper Networks Q4 2012 outlook (non-GAAP)</h1>' "$work/run.dom.html" || fail "run: no title"

# A fiscal year over quarters: a fan chart per metric over the quarter dimension (operating income,
# net income, EPS), with the given quarters as dots and the Q4 guidance on EPS as a box.
"$guidance" run scenarios/juniper_fy2012.yaml --trials 20000 --report "$work/fy.html" >/dev/null
render fy
[ "$(count 'class="fan-outer"' "$work/fy.dom.html")" -eq 3 ] || fail "fy: expected 3 fan charts (P5-P95 bands)"
[ "$(count 'class="fan-median"' "$work/fy.dom.html")" -eq 3 ] || fail "fy: expected 3 fan medians"
[ "$(count 'class="fan-fixed"' "$work/fy.dom.html")" -eq 9 ] || fail "fy: expected 9 given quarters as dots (3 x Q1-Q3)"
[ "$(count 'class="fan-range"' "$work/fy.dom.html")" -eq 1 ] || fail "fy: expected the Q4 EPS guidance as one box"

# A metric over segment x quarter: one fan chart per segment, along the quarter dimension (declared
# first), beside the four charts of the metrics over quarters alone.
"$guidance" run tests/data/scenarios/good/segments_by_quarter.yaml --trials 20000 --report "$work/segments.html" >/dev/null
render segments
[ "$(count 'class="fan-outer"' "$work/segments.dom.html")" -eq 8 ] || fail "segments: expected 8 fan charts (5 over quarter + 3 segments)"
for segment in routing switching security; do
  grep -q "share\[$segment\] by quarter" "$work/segments.dom.html" || fail "segments: no fan chart of share[$segment]"
done

# sensitivity and compare, when this build has their --report.
if "$guidance" sensitivity --help 2>/dev/null | grep -q -- '--report'; then
  "$guidance" sensitivity scenarios/juniper_q4_2012.yaml --metric eps --trials 5000 --report "$work/sensitivity.html" >/dev/null
  render sensitivity
  drivers=$(count 'class="tornado-low" x' "$work/sensitivity.dom.html")
  [ "$drivers" -ge 5 ] || fail "sensitivity: $drivers tornado bars (with the legend's), expected one per driver"
else
  echo "note: sensitivity has no --report in this build"
fi
if "$guidance" compare --help 2>/dev/null | grep -q -- '--report'; then
  "$guidance" compare scenarios/juniper_q4_2012.yaml --trials 5000 --report "$work/compare.html" >/dev/null
  render compare
  [ "$(count 'class="series s0"' "$work/compare.dom.html")" -eq 8 ] || fail "compare: expected 8 overlaid base series"
else
  echo "note: compare has no --report in this build"
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed; pages, screenshots and logs in $work"
  exit 1
fi
echo "the reports load in Chromium with every chart; screenshots in $work"
