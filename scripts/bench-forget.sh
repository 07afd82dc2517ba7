#!/usr/bin/env bash
# Erasure under load: N generated mentions (scripts/gen-mentions.py), plus 1,000 that name one
# author as @handle and 1,000 replies to their first post that name them by display name; the
# search index filled as an inbox fills it. Then `forget` and `purge` run while a second process
# ingests one mention and replies to one in a loop; every write of that loop is timed, and the
# longest is what a teammate would have waited. A baseline loop without erasure comes first.
# usage: scripts/bench-forget.sh [N] [PURGE_DAYS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200000}
days=${2:-3}
work=${BENCH_DIR:-/tmp/repute-bench-forget}
mkdir -p "$work"
[ -s "$work/m$n.jsonl" ] || python3 scripts/gen-mentions.py "$n" "$work/m$n.jsonl"
swift build -c release --product repute >/dev/null
bin=$PWD/.build/release/repute
export REPUTE_USER=bench XDG_CONFIG_HOME=/nonexistent/repute-bench
# The generated clock ends at 1,790,000,000 + 3 N seconds; the bench runs "now" just after.
now=$(python3 -c "import time; print(time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(1790000000 + 3 * $n + 3600)))")
export REPUTE_NOW=$now

# The forgotten author: the first line's; 1,000 @-mentions and 1,000 replies by others.
python3 - "$work/m$n.jsonl" "$work/extra.jsonl" "$work/who" <<'PY'
import json, sys
first = json.loads(open(sys.argv[1]).readline())
handle, name, post = first["author"]["handle"], first["author"]["name"], first["id"]
out = open(sys.argv[2], "w")
for i in range(2000):
    rec = {"platform": first["platform"], "id": f"x{i}", "author": {"handle": f"other{i}", "name": "Piet"},
           "created_at": first["created_at"], "lang": "nl"}
    if i % 2:
        rec["text"], rec["in_reply_to"] = f"Sterkte {name}, bij mij ook", post
    else:
        rec["text"] = f"Net als @{handle} wacht ik al een uur"
    out.write(json.dumps(rec) + "\n")
open(sys.argv[3], "w").write(handle)
PY
who=$(cat "$work/who")

rm -rf "$work/store"
store=$work/store/repute.sqlite
start=$(date +%s.%N)
"$bin" ingest --store "$store" "$work/m$n.jsonl" "$work/extra.jsonl" >/dev/null
echo "ingest of $((n + 2000)) mentions: $(echo "$(date +%s.%N) - $start" | bc) s"
sqlite3 "$store" >/dev/null "PRAGMA busy_timeout=10000;
  INSERT INTO mention_search (rowid, text, handle)
    SELECT m.id, m.text, a.handle FROM mentions m JOIN authors a ON a.id = m.author_id;
  UPDATE store_meta SET value = (SELECT max(id) FROM mentions) WHERE key = 'search_indexed_upto';"
# A recent mention that purge keeps, so the replies go on being written.
reply_to=$(sqlite3 "$store" "SELECT max(id) FROM mentions WHERE external_id NOT LIKE 'x%'")

# The teammate: one ingest and one reply at a time, each timed (ms), until told to stop.
load() {
  local i=0
  : >"$work/waits-$1"
  while [ ! -e "$work/stop" ]; do
    printf '{"platform":"mastodon","id":"load-%s-%s","author":{"handle":"load"},"created_at":"%s","text":"Nog steeds vertraging %s"}\n' \
      "$1" "$i" "$now" "$i" >"$work/one.jsonl"
    local t0=$(date +%s%N)
    "$bin" ingest --store "$store" "$work/one.jsonl" >/dev/null 2>>"$work/load-errors"
    local t1=$(date +%s%N)
    "$bin" reply --store "$store" "$reply_to" --text "We kijken ernaar ($i)" --yes >/dev/null 2>>"$work/load-errors" || true
    local t2=$(date +%s%N)
    echo "ingest $(((t1 - t0) / 1000000))" >>"$work/waits-$1"
    echo "reply $(((t2 - t1) / 1000000))" >>"$work/waits-$1"
    i=$((i + 1))
  done
}
longest() { sort -k2 -n "$work/waits-$1" | tail -1; }
: >"$work/load-errors"

rm -f "$work/stop"; load base & pid=$!
sleep 10; touch "$work/stop"; wait $pid
echo "baseline (no erasure), $(wc -l <"$work/waits-base") writes, longest: $(longest base) ms"

rm -f "$work/stop"; load erase & pid=$!
sleep 2
start=$(date +%s.%N)
"$bin" forget --store "$store" --author "$who" --yes >"$work/forget.out"
echo "forget @$who: $(echo "$(date +%s.%N) - $start" | bc) s: $(tr '\n' ' ' <"$work/forget.out")"
start=$(date +%s.%N)
"$bin" purge --store "$store" --older-than "$days" --yes >"$work/purge.out"
echo "purge --older-than $days: $(echo "$(date +%s.%N) - $start" | bc) s: $(head -1 "$work/purge.out")"
sleep 2; touch "$work/stop"; wait $pid
echo "during forget and purge, $(wc -l <"$work/waits-erase") writes, longest: $(longest erase) ms"
echo "failed writes: $(grep '^repute:' "$work/load-errors" | sort | uniq -c || true)"
echo "store: $(du -b "$store" | cut -f1) bytes, WAL $(du -b "$store-wal" 2>/dev/null | cut -f1 || echo 0) bytes"
