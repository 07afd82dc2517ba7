#!/usr/bin/env bash
# Ingest A/B benchmark: sqlite3's .import, then each given repute binary, in rounds; the order of
# the binaries is reversed every other round and `sync` runs before each timing, so one binary's
# write-back does not land on the next. Prints wall and CPU time (user + sys), the store's size
# and the ratios against the .import of the same round.
# Needs the files of a `scripts/bench-ingest.sh N` run in the same BENCH_DIR (input and import.sql,
# whose .import uses the store's page size, journal mode, cache and checkpoint interval: see there).
# usage: scripts/bench-ingest-ab.sh N ROUNDS BINARY...
set -euo pipefail
n=$1
rounds=$2
shift 2
work=${BENCH_DIR:-/tmp/repute-bench}
[ -s "$work/m$n.jsonl" ] && [ -s "$work/import.sql" ] && grep -q "m$n.csv" "$work/import.sql" || {
  echo "run scripts/bench-ingest.sh $n first (BENCH_DIR=$work)" >&2
  exit 2
}
grep -q "page_size=16384" "$work/import.sql" || {
  echo "$work/import.sql is from before 2026-12-06 (4 KiB pages): run scripts/bench-ingest.sh $n again" >&2
  exit 2
}
for r in $(seq 1 "$rounds"); do
  rm -f "$work"/import.sqlite*
  sync
  /usr/bin/time -f "%e %U %S" -o "$work/t" sqlite3 "$work/import.sqlite" < "$work/import.sql" >/dev/null
  read -r ti ui si < "$work/t"
  printf 'round %s, load %s: sqlite3 .import %ss, CPU %.1fs\n' "$r" "$(cut -d' ' -f1 /proc/loadavg)" "$ti" \
    "$(echo "$ui + $si" | bc)"
  bins=("$@")
  if [ $((r % 2)) -eq 0 ]; then mapfile -t bins < <(printf '%s\n' "$@" | tac); fi
  for bin in "${bins[@]}"; do
    rm -rf "$work/ab-store"
    sync
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$bin" ingest --store "$work/ab-store/repute.sqlite" \
      "$work/m$n.jsonl" >/dev/null
    read -r t u s m < "$work/t"
    size=$(du -cm "$work"/ab-store/repute.sqlite* | tail -1 | cut -f1)
    printf '  %s: %ss, CPU %.1fs, %s MB RSS, store and WAL %s MB | ratio %.2f, CPU ratio %.2f\n' "$bin" "$t" \
      "$(echo "$u + $s" | bc)" "$((m / 1024))" "$size" "$(echo "$t / $ti" | bc -l)" \
      "$(echo "($u + $s) / ($ui + $si)" | bc -l)"
  done
done
