#!/usr/bin/env bash
# Ingest benchmark: N generated native mentions through `repute ingest`, against sqlite3's .import
# of the same rows as CSV into a table with the same keys and indexes (the unique key, the
# created/author/thread/reply indexes and the queue's status/target indexes, over a similar spread
# of keys; .import stores an empty field as '' rather than NULL, so the partial indexes test
# != '' where the store tests IS NOT NULL: the same rows are indexed). The search index is built after
# ingest, in bulk, by the inbox, so neither side has it.
# Like for like (since 2026-12-06): both sides are whole processes timed from outside, and the
# .import database gets the store's storage settings, set before the table is made: 16 KiB pages
# (a new store's, SQLiteStore), WAL, synchronous = NORMAL, and the ingest writer's 32 MiB page cache
# and wal_autocheckpoint of 10,000 pages. Until then .import had sqlite3's defaults (4 KiB pages, a
# 2 MiB cache, checkpoints every 1,000 pages).
# Both run in one session, one after the other, so their ratio is comparable on a noisy machine.
# Wall and CPU (user + system) seconds of each side, and their ratios.
# Uses the release build unless REPUTE_BIN names a binary.
# usage: scripts/bench-ingest.sh [N] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
rounds=${2:-1}
work=${BENCH_DIR:-/tmp/repute-bench}
mkdir -p "$work"
if [ ! -s "$work/m$n.jsonl" ] || [ "$(head -1 "$work/m$n.csv" | tr -cd ',' | wc -c)" -lt 15 ]; then
  python3 scripts/gen-mentions.py "$n" "$work/m$n.jsonl" "$work/m$n.csv"
fi
bin=${REPUTE_BIN:-}
if [ -z "$bin" ]; then
  swift build -c release --product repute >/dev/null
  bin=.build/release/repute
fi

cat > "$work/import.sql" <<SQL
PRAGMA page_size=16384;
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
PRAGMA cache_size=-32768;
PRAGMA wal_autocheckpoint=10000;
CREATE TABLE mentions (
  platform TEXT NOT NULL, external_id TEXT NOT NULL, url TEXT, author_handle TEXT NOT NULL,
  author_name TEXT, followers INTEGER, created_at TEXT NOT NULL, text TEXT NOT NULL, lang TEXT,
  in_reply_to TEXT, thread TEXT, staff INTEGER NOT NULL DEFAULT 0, raw TEXT NOT NULL,
  status TEXT NOT NULL, earliest_reply_at INTEGER, due_at INTEGER,
  UNIQUE (platform, external_id));
CREATE INDEX mentions_by_due ON mentions (due_at, earliest_reply_at) WHERE due_at != '';
CREATE INDEX mentions_by_earliest ON mentions (earliest_reply_at) WHERE due_at != '';
CREATE INDEX mentions_by_status ON mentions (status);
CREATE INDEX mentions_by_created ON mentions (created_at);
CREATE INDEX mentions_by_author ON mentions (author_handle);
CREATE INDEX mentions_by_thread ON mentions (platform, thread) WHERE thread != '';
CREATE INDEX mentions_by_reply ON mentions (platform, in_reply_to) WHERE in_reply_to != '';
.mode csv
.import $work/m$n.csv mentions
SQL

for r in $(seq 1 "$rounds"); do
  rm -f "$work"/import.sqlite*
  rm -rf "$work/store"
  /usr/bin/time -f "%e %M %U %S" -o "$work/t-import" sqlite3 "$work/import.sqlite" < "$work/import.sql" >/dev/null
  /usr/bin/time -f "%e %M %U %S" -o "$work/t-repute" "$bin" ingest --store "$work/store/repute.sqlite" "$work/m$n.jsonl" >/dev/null
  read -r ti mi ui si < "$work/t-import"
  read -r tr mr ur sr < "$work/t-repute"
  ci=$(echo "$ui + $si" | bc)
  cr=$(echo "$ur + $sr" | bc)
  rerun_start=$(date +%s.%N)
  "$bin" ingest --store "$work/store/repute.sqlite" "$work/m$n.jsonl" > "$work/rerun.out"
  rerun=$(echo "$(date +%s.%N) - $rerun_start" | bc)
  printf 'round %s: sqlite3 .import %ss, CPU %ss (%s MB) | repute ingest %ss, CPU %ss (%s MB) | ratio %.2f, CPU %.2f | re-ingest (all duplicates) %.1fs: %s\n' \
    "$r" "$ti" "$ci" "$((mi / 1024))" "$tr" "$cr" "$((mr / 1024))" "$(echo "$tr / $ti" | bc -l)" "$(echo "$cr / $ci" | bc -l)" \
    "$rerun" "$(tail -1 "$work/rerun.out")"
done
