#!/usr/bin/env bash
# What a short command costs (issue 17): `repute reply`, `claim`, `ingest` of 50 lines and a usage
# error (`--version`, the cost of starting at all) on a 50 k store, for each given release binary:
#   1. instructions under `valgrind --tool=callgrind` (the same under any load), on a copy of the
#      binary stripped of debug info (valgrind 3.19 cannot read Swift's DWARF), a fresh copy of the
#      store per command;
#   2. CPU (user + sys) and wall per command, the mean of 30 runs in one timed loop (finer than
#      `time`'s 10 ms per run), the binaries alternating, ROUNDS rounds.
# The store: `scripts/gen-mentions.py 50000`, ingested by the first binary with REPUTE_NOW pinned
# just after the mentions, then empty ingests until the overdue rules have caught up (2,000
# escalations a pass), so ingest is measured in its steady state; 60 mentions of the team
# bench's stream to reply to and claim. Kept in WORK (default /tmp/repute-short) between runs.
# usage: scripts/bench-short-commands.sh ROUNDS BINARY...
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=$1
shift
work=${WORK:-/tmp/repute-short}
export REPUTE_NOW=2026-09-23T08:03:20Z XDG_CONFIG_HOME=/nonexistent/repute-bench REPUTE_USER=Bench
text="Wat vervelend, sorry voor de vertraging. We zoeken uit wat er misging en laten het je vandaag weten."
line() {
  printf '{"platform":"mastodon","id":"team-%d","author":{"handle":"pendel%d"},"created_at":"%s","lang":"nl","text":"Mijn trein is weer vertraagd en niemand bij de balie weet iets (%d)"}\n' \
    "$1" "$(($1 % 400))" "$REPUTE_NOW" "$1"
}
mkdir -p "$work"
seed=$work/seed.sqlite
if [ ! -s "$seed" ]; then
  python3 scripts/gen-mentions.py 50000 "$work/seed.jsonl"
  rm -f "$work"/s.sqlite*
  "$1" init --store "$work/s.sqlite" --name Bench >/dev/null
  "$1" ingest --store "$work/s.sqlite" "$work/seed.jsonl" >/dev/null
  for k in $(seq 900001 900060); do line "$k"; done >"$work/targets.jsonl"
  "$1" ingest --store "$work/s.sqlite" "$work/targets.jsonl" >/dev/null
  : >"$work/empty.jsonl"
  last=-1
  while n=$(sqlite3 "$work/s.sqlite" "SELECT count(*) FROM escalations") && [ "$n" != "$last" ]; do
    last=$n
    "$1" ingest --store "$work/s.sqlite" "$work/empty.jsonl" >/dev/null
  done
  sqlite3 "$work/s.sqlite" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  cp "$work/s.sqlite" "$seed"
fi
fresh() { rm -rf "$work/run"; mkdir -p "$work/run"; cp "$seed" "$work/run/s.sqlite"; echo "$work/run/s.sqlite"; }
batch() { for k in $(seq "$1" $(($1 + 49))); do line "$k"; done >"$work/run/b$2.jsonl"; }
ids() { sqlite3 "$1" "SELECT id FROM mentions WHERE external_id LIKE 'team-9%' ORDER BY id" >"$work/run/ids"; }

echo "instructions (callgrind):"
for bin in "$@"; do
  strip --strip-debug -o "$work/nd" "$bin"
  for cmd in reply claim ingest50 version; do
    s=$(fresh)
    ids "$s"
    batch 100000 0
    case $cmd in
      reply) args=(reply --store "$s" "$(sed -n 1p "$work/run/ids")" --yes --text "$text") ;;
      claim) args=(claim --store "$s" "$(sed -n 1p "$work/run/ids")") ;;
      ingest50) args=(ingest --store "$s" "$work/run/b0.jsonl") ;;
      version) args=(--version) ;;
    esac
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$work/nd" "${args[@]}" >/dev/null 2>&1 || true
    printf '  %-40s %-9s %s\n' "$bin" "$cmd" "$(awk '/^totals:/ { print $2 }' "$work/cg.out")"
  done
done

echo "CPU and wall per run, mean of 30 (load $(cut -d' ' -f1-3 /proc/loadavg)):"
for r in $(seq 1 "$rounds"); do
  for bin in "$@"; do
    s=$(fresh)
    ids "$s"
    for k in $(seq 0 29); do batch $((200000 + r * 10000 + k * 50)) "$k"; done
    for cmd in reply claim ingest50 version; do
      /usr/bin/time -f '%U %S %e' -o "$work/t" bash -c '
        mapfile -t ids < "$3/ids"
        for k in $(seq 0 29); do
          case $4 in
            reply) "$0" reply --store "$1" "${ids[$k]}" --yes --text "$2" >/dev/null 2>&1 ;;
            claim) "$0" claim --store "$1" "${ids[$((k + 30))]}" >/dev/null ;;
            ingest50) "$0" ingest --store "$1" "$3/b$k.jsonl" >/dev/null ;;
            version) "$0" --version >/dev/null 2>&1 || true ;;
          esac
        done' "$bin" "$s" "$text" "$work/run" "$cmd"
      read -r u sy e < <(tail -1 "$work/t")
      printf '  round %s %-40s %-9s CPU %5.1f ms (user %5.1f, sys %5.1f), wall %6.1f ms, load %s\n' "$r" "$bin" "$cmd" \
        "$(echo "($u + $sy) * 1000 / 30" | bc -l)" "$(echo "$u * 1000 / 30" | bc -l)" \
        "$(echo "$sy * 1000 / 30" | bc -l)" "$(echo "$e * 1000 / 30" | bc -l)" "$(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done
