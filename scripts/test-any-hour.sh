#!/usr/bin/env bash
# Runs the test suite under faketime at the moments the wall clock is most likely to trip a test:
# a Sunday night, the nights the clocks change in Europe/Amsterdam, New Year's Eve across midnight
# and a leap day. LiveTests run once without faketime (URLSession hangs under libfaketime).
# Usage: scripts/test-any-hour.sh [--filter SUITE]   (after `swift build --build-tests`)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v faketime >/dev/null || { echo "install Debian's faketime first" >&2; exit 2; }
moments=(
  "2026-12-06 23:30:00"  # Sunday night, outside every service hour
  "2027-03-28 00:59:30"  # UTC: 01:59:30 in Amsterdam, half a minute before the clocks go forward
  "2027-10-31 00:59:30"  # UTC: 02:59:30 CEST in Amsterdam, before the clocks go back
  "2026-12-31 22:59:45"  # UTC: a quarter minute before midnight on New Year's Eve in Amsterdam
  "2026-12-31 23:59:45"  # UTC: the same in UTC
  "2028-02-29 12:00:00"  # a leap day
)
filter=(--skip LiveTests)
[ "${1:-}" = "--filter" ] && filter=(--filter "$2")
status=0
log=$(mktemp -d)
for moment in "${moments[@]}"; do
  echo "== $moment UTC"
  out="$log/${moment// /T}.log"
  if ! TZ=UTC faketime -f "@$moment" swift test --skip-build "${filter[@]}" >"$out" 2>&1; then
    status=1
    grep -E "recorded an issue|✘ Test run" "$out" | head -20
  fi
  grep -E "^✔ Test run|Test run with" "$out" | tail -n 1
done
echo "logs: $log"
exit $status
