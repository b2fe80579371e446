#!/bin/sh
# Opens kap's three sample reports in headless Chromium and fails when a page renders blank or
# the browser logs anything from the page (a script error, a Content-Security-Policy violation,
# any console message: kap's pages have no script, so the console must stay silent).
#
#   chromium_check.sh SAMPLES_EXE WORK_DIR
#
# SAMPLES_EXE is kap_export_samples (tests/export/write_samples.cpp). Chromium is found as
# $KAP_CHROMIUM, else `chromium` (Debian's package) or `chromium-browser`; without one the check
# is skipped with exit code 77. Two controls keep the check honest: a blank page gives the size
# of a blank screenshot, and a page with a deliberate script error must be caught, or the check
# fails as blind. Screenshots stay in WORK_DIR/*.png for people to look at.

set -u

samples=${1:?usage: chromium_check.sh SAMPLES_EXE WORK_DIR}
work=${2:?usage: chromium_check.sh SAMPLES_EXE WORK_DIR}

browser=${KAP_CHROMIUM:-}
if [ -z "$browser" ]; then
  for b in chromium chromium-browser; do
    if command -v "$b" >/dev/null 2>&1; then
      browser=$b
      break
    fi
  done
fi
if [ -z "$browser" ]; then
  echo "SKIP: no Chromium found (install Debian's 'chromium' package, or set KAP_CHROMIUM)"
  exit 77
fi

rm -rf "$work"
mkdir -p "$work/pages" || exit 1
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# run_browser NAME MODE FILE: MODE is "screenshot" (-> WORK/NAME.png) or "dom" (-> WORK/NAME.dom.html).
# The browser's log goes to WORK/NAME.MODE.log. Every run gets a fresh profile.
run_browser() {
  name=$1
  mode=$2
  file=$3
  profile=$(mktemp -d "$work/profile.XXXXXX") || return 1
  set -- --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --disable-extensions --user-data-dir="$profile" \
    --window-size=1200,1600 --enable-logging=stderr --v=0
  if [ "$mode" = screenshot ]; then
    timeout 120 "$browser" "$@" --screenshot="$work/$name.png" "file://$file" \
      >"$work/$name.$mode.out" 2>"$work/$name.$mode.log"
  else
    timeout 120 "$browser" "$@" --dump-dom "file://$file" >"$work/$name.dom.html" 2>"$work/$name.$mode.log"
  fi
  rc=$?
  rm -rf "$profile"
  return $rc
}

# Messages a page caused: console output, uncaught errors, CSP violations.
page_messages() {
  grep -E ':CONSOLE|Uncaught|Content Security Policy|Refused to' "$1"
}

file_size() { wc -c <"$1" | tr -d ' '; }

# png_dimensions FILE -> "WIDTH HEIGHT" from the IHDR chunk, or nothing when not a PNG.
png_dimensions() {
  sig=$(od -An -tx1 -N8 "$1" | tr -d ' \n')
  [ "$sig" = 89504e470d0a1a0a ] || return 1
  w=$(od -An -tu1 -j16 -N4 "$1" | awk '{print ($1 * 16777216) + ($2 * 65536) + ($3 * 256) + $4}')
  h=$(od -An -tu1 -j20 -N4 "$1" | awk '{print ($1 * 16777216) + ($2 * 65536) + ($3 * 256) + $4}')
  echo "$w $h"
}

echo "browser: $browser ($("$browser" --version 2>/dev/null | tail -n 1))"
"$samples" "$work/pages" >/dev/null || { echo "FAIL: $samples could not write the sample pages"; exit 1; }

# Control 1: a blank page, for the size of a blank screenshot.
printf '%s\n' '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/><title>blank</title></head><body></body></html>' \
  >"$work/pages/blank.html"
run_browser blank screenshot "$work/pages/blank.html" || fail "blank control: the browser failed"
[ -s "$work/blank.png" ] || { echo "FAIL: no screenshot of the blank control; see $work/blank.screenshot.log"; exit 1; }
blank_size=$(file_size "$work/blank.png")

# Control 2: a script error must show in the log, or this check cannot see errors at all.
printf '%s\n' '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/><title>control</title></head><body><p>control</p><script>throw new Error("kap-control-error");</script></body></html>' \
  >"$work/pages/control.html"
run_browser control dom "$work/pages/control.html" || fail "error control: the browser failed"
if ! grep -q 'kap-control-error' "$work/control.dom.log"; then
  fail "the browser log does not show a deliberate script error: this check would be blind (see $work/control.dom.log)"
fi

# The reports, each with the number of charts it must have.
for spec in session:4 course:1 cohort:2; do
  name=${spec%%:*}
  charts=${spec##*:}
  page="$work/pages/$name.html"
  [ -s "$page" ] || { fail "$name: $page was not written"; continue; }

  run_browser "$name" screenshot "$page" || fail "$name: the browser exited with an error taking the screenshot"
  png="$work/$name.png"
  if [ ! -s "$png" ]; then
    fail "$name: no screenshot (see $work/$name.screenshot.log)"
  else
    dims=$(png_dimensions "$png") || dims=""
    [ "$dims" = "1200 1600" ] || fail "$name: screenshot is not a 1200x1600 PNG (got '${dims:-not a PNG}')"
    size=$(file_size "$png")
    # A blank (one-colour) 1200x1600 screenshot compresses to a few kB; kap's pages, with text
    # and charts, to well over 50 kB.
    if [ "$size" -lt $((blank_size * 4)) ] || [ "$size" -lt 30000 ]; then
      fail "$name: the screenshot looks blank ($size bytes; a blank page gives $blank_size)"
    fi
    echo "$name: screenshot $png ($size bytes; blank $blank_size)"
  fi
  if messages=$(page_messages "$work/$name.screenshot.log"); then
    fail "$name: the page logged messages while rendering:"
    echo "$messages"
  fi

  run_browser "$name" dom "$page" || fail "$name: the browser exited with an error dumping the DOM"
  dom="$work/$name.dom.html"
  found=$(grep -o '<svg' "$dom" | wc -l | tr -d ' ')
  [ "$found" -eq "$charts" ] || fail "$name: the rendered DOM has $found <svg> charts, expected $charts"
  grep -q 'not medical advice' "$dom" || fail "$name: the rendered DOM lacks the 'not medical advice' line"
  if grep -qi '<script' "$dom"; then fail "$name: the rendered DOM has a <script>"; fi
  if messages=$(page_messages "$work/$name.dom.log"); then
    fail "$name: the page logged messages while loading:"
    echo "$messages"
  fi
done

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed; logs and screenshots are in $work"
  exit 1
fi
echo "ok: 3 reports rendered in headless Chromium without errors; screenshots in $work"
