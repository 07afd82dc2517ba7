#!/usr/bin/env bash
# What notices cost at ingest (issue 16): N generated mentions (scripts/gen-mentions.py) are
# ingested into two stores seeded alike with their first 1,000: "quiet", where nobody watches and
# no reply is out (the notices' code reads two EXISTS per batch and nothing more: ingest as before
# notices), and "busy", where 200 authors are watched and 500 seeded mentions have a sent reply, so
# every new mention is looked up by author and every threaded one by its parent and our reply's
# post id. Prints each run's wall and CPU seconds (user + system: less swayed by a loaded machine)
# and the busy/quiet ratio of the CPU seconds, alternating the two ROUNDS times.
# Uses the release build unless REPUTE_BIN names a binary.
# usage: scripts/bench-notices.sh [N] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
rounds=${2:-2}
work=${BENCH_DIR:-/tmp/repute-bench}
mkdir -p "$work"
[ -s "$work/m$n.jsonl" ] || python3 scripts/gen-mentions.py "$n" "$work/m$n.jsonl" "$work/m$n.csv"
head -1000 "$work/m$n.jsonl" > "$work/notices-seed.jsonl"
tail -n +1001 "$work/m$n.jsonl" > "$work/notices-rest.jsonl"
bin=${REPUTE_BIN:-}
if [ -z "$bin" ]; then
  swift build -c release --product repute >/dev/null
  bin=.build/release/repute
fi
export REPUTE_NOW=2026-11-24T12:00:00Z

seed() {  # $1: store folder, $2: busy or quiet
  rm -rf "$1"
  "$bin" ingest --store "$1/repute.sqlite" "$work/notices-seed.jsonl" >/dev/null
  if [ "$2" = busy ]; then
    sqlite3 "$1/repute.sqlite" <<SQL
INSERT INTO watched_authors (author_id, since, watched_by)
  SELECT id, 0, 'Anna' FROM authors ORDER BY id LIMIT 200;
INSERT INTO outbox (mention_id, responder, kind, text, status, created_at, updated_at, idempotency_key,
  platform_post_id)
  SELECT id, 'Bram', 'reply', 'Dank je!', 'sent', 0, 0, 'bench-' || id, 'post-' || id
  FROM mentions ORDER BY id LIMIT 500;
SQL
  fi
}

declare -A total=([quiet]=0 [busy]=0)
for r in $(seq 1 "$rounds"); do
  for kind in quiet busy; do
    seed "$work/notices-$kind" "$kind"
    /usr/bin/time -f "%e %U %S" -o "$work/t-notices" "$bin" ingest --store "$work/notices-$kind/repute.sqlite" \
      "$work/notices-rest.jsonl" >/dev/null
    read -r wall user sys < "$work/t-notices"
    t=$(python3 -c "print(round($user + $sys, 2))")
    made=$(sqlite3 "$work/notices-$kind/repute.sqlite" "SELECT count(*) FROM notices")
    echo "round $r $kind: ${wall}s wall, ${t}s CPU, $made notices"
    total[$kind]=$(python3 -c "print(${total[$kind]} + $t)")
  done
done
python3 -c "print(f'busy/quiet CPU: {${total[busy]} / ${total[quiet]}:.3f} ($rounds rounds, $((n - 1000)) mentions each)')"
