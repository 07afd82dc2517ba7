#!/usr/bin/env bash
# Open inboxes on the team's server under others' commits (issues 17 and 18), as
# Tests/InboxE2ETests/TeamLoadE2ETests.swift has them, measured: INBOXES inboxes open in tmux as one
# person (Anna, login role `anna`) on a PostgreSQL store of N mentions; a quiet phase; then a
# writer that stores BATCH mentions per commit every PACE seconds (one `repute ingest -` fed
# through a pipe: each pause closes a batch, one commit) for SECONDS.
#
# Prints per inbox the CPU (utime + stime, % of a core) over the quiet phase and under the writes,
# the commits made, and, when the server loads pg_stat_statements, the statements Anna's inboxes
# ran under the writes, per commit and per inbox, by statement (the writer is the superuser).
#
# usage: BENCH_PG_URL=URL REPUTE_BIN=path scripts/bench-server-inbox.sh [INBOXES] [SECONDS] [PACE] [N] [BATCH]
#        (default 5 inboxes, 30 s, 0.3 s, 2,000 mentions, 3 a commit)
#   URL: the server as its superuser, e.g. `scripts/pg-throwaway.sh url` of a cluster started with
#   REPUTE_PG_OPTIONS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all".
#   The bench makes a database of its own (bench_inbox, dropped first) and the login role `anna`.
#   BENCH_PERF=FILE: `perf record -g` of the first inbox over the writes, into FILE.
#   BENCH_EVENTS=EVENTS: `perf stat -e EVENTS` of the first inbox over the writes (uprobes made
#   with `perf probe -x BIN --add 'draw=$s7InboxUI0A3AppC4drawyyF'` count calls: frames, looks).
#   BENCH_QUIET=SECONDS: the quiet phase (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
inboxes=${1:-5}
seconds=${2:-30}
pace=${3:-0.3}
n=${4:-2000}
batch=${5:-3}
quiet=${BENCH_QUIET:-10}
url=${BENCH_PG_URL:?set BENCH_PG_URL to the server as its superuser (scripts/pg-throwaway.sh url)}
bin=${REPUTE_BIN:?set REPUTE_BIN to the repute binary}
command -v tmux >/dev/null || { echo "bench-server-inbox: needs tmux" >&2; exit 2; }
command -v psql >/dev/null || { echo "bench-server-inbox: needs psql" >&2; exit 2; }
work=${BENCH_DIR:-/tmp/repute-bench-server-inbox}
rm -rf "$work"
mkdir -p "$work"
hz=$(getconf CLK_TCK)
export XDG_CONFIG_HOME=/nonexistent/repute-bench REPUTE_NOW=2026-11-24T12:00:00Z
db=bench_inbox
psql_super() { psql -X -q -t -A "$url" "$@"; }
psql_store() { psql -X -q -t -A "$url&dbname=$db" "$@"; }
store="$url&dbname=$db"
# The inboxes log in as Anna's role (the socket trusts it, as in scripts/pg-throwaway.sh).
anna_store=${store/postgres@/anna@}

psql_super -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
psql_super -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'anna') THEN CREATE ROLE anna LOGIN; END IF; END \$\$" >/dev/null
psql_super -c "CREATE DATABASE $db" >/dev/null
"$bin" init --store "$store" >/dev/null
"$bin" team add anna --name Anna --role supervisor --store "$store" >/dev/null
line() {  # line K: a complaint on Mastodon, two minutes old, as TeamLoadE2ETests writes them
  printf '{"platform":"mastodon","id":"team-%d","author":{"handle":"pendel%d"},"created_at":"2026-11-24T11:58:00Z","lang":"nl","text":"Mijn trein is weer vertraagd en niemand bij de balie weet iets (%d)"}\n' \
    "$1" "$(($1 % 400))" "$1"
}
for k in $(seq 0 $((n - 1))); do line "$k"; done >"$work/seed.jsonl"
"$bin" ingest --store "$store" "$work/seed.jsonl" >/dev/null

export TMUX_TMPDIR=$work
tmux -L bench-srv kill-server 2>/dev/null || true
for i in $(seq 1 "$inboxes"); do
  tmux -L bench-srv -f /dev/null new-session -d -s "in$i" -x 120 -y 30 \
    "exec env LANG=C.UTF-8 TERM=tmux-256color REPUTE_NOW=$REPUTE_NOW $bin inbox --store '$anna_store' --ui-lang en"
done
trap 'tmux -L bench-srv kill-server 2>/dev/null || true' EXIT
pids=()
for i in $(seq 1 "$inboxes"); do pids+=("$(tmux -L bench-srv display-message -p -t "in$i" '#{pane_pid}')"); done
for _ in $(seq 1 100); do
  tmux -L bench-srv capture-pane -p -t "in$inboxes" | grep -q pendel && break
  sleep 0.2
done
sleep 2
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
snapshot() {  # each inbox's ticks, on one line
  local out=() p
  for p in "${pids[@]}"; do out+=("$(ticks "$p")"); done
  echo "${out[*]}"
}
pct() {  # pct "BEFORE…" "AFTER…" SECONDS: each inbox's % of a core
  python3 -c "
b=[int(x) for x in '$1'.split()]; a=[int(x) for x in '$2'.split()]
print(' '.join('%.2f' % (100.0 * (y - x) / $hz / $3) for x, y in zip(b, a)))"
}

before=$(snapshot)
t0=$(date +%s.%N)
sleep "$quiet"
after=$(snapshot)
idle=$(pct "$before" "$after" "$(echo "$(date +%s.%N) - $t0" | bc)")

stats=0
if psql_store -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null 2>&1 &&
  psql_store -c "SELECT pg_stat_statements_reset()" >/dev/null 2>&1; then
  stats=1
fi
counter0=$(psql_store -c "SELECT n FROM repute.change_counter" 2>/dev/null || echo 0)
mentions0=$(psql_store -c "SELECT count(*) FROM repute.mentions")
writer() {  # BATCH lines every PACE seconds until the stop
  local k=$n
  while [ ! -e "$work/stop" ]; do
    for _ in $(seq 1 "$batch"); do line "$k"; k=$((k + 1)); done
    echo 1 >>"$work/rounds"
    sleep "$pace"
  done
}
: >"$work/rounds"
rm -f "$work/stop"
(writer | "$bin" ingest --store "$store" - >"$work/ingest.out" 2>&1) &
writing=$!
if [ -n "${BENCH_PERF:-}" ]; then
  # The pane runs the inbox itself (`exec env … repute inbox`): its pid is the pane's.
  perf record -g -o "$BENCH_PERF" -p "${pids[0]}" -- sleep "$seconds" >/dev/null 2>&1 &
fi
if [ -n "${BENCH_EVENTS:-}" ]; then
  perf stat -e "$BENCH_EVENTS" -p "${pids[0]}" -o "$work/events" -- sleep "$seconds" >/dev/null 2>&1 &
fi
before=$(snapshot)
t0=$(date +%s.%N)
sleep "$seconds"
after=$(snapshot)
elapsed=$(echo "$(date +%s.%N) - $t0" | bc)
touch "$work/stop"
wait "$writing" || true
wait 2>/dev/null || true
busy=$(pct "$before" "$after" "$elapsed")
rounds=$(wc -l <"$work/rounds")
mentions1=$(psql_store -c "SELECT count(*) FROM repute.mentions")
counter1=$(psql_store -c "SELECT n FROM repute.change_counter" 2>/dev/null || echo 0)
stored=$((mentions1 - mentions0))
commits=$(python3 -c "print(max(1, round($stored / $batch)))")
echo "inboxes $inboxes, $n mentions, ${seconds}s of writes: $stored mentions stored in about $commits commits ($(python3 -c "print('%.1f' % ($commits / $elapsed))")/s), change counter +$((counter1 - counter0))"
echo "idle % of a core per inbox:  $idle"
echo "writes % of a core per inbox: $busy"
python3 -c "
i=[float(x) for x in '$idle'.split()]; b=[float(x) for x in '$busy'.split()]
print('mean idle %.2f %%, under writes %.2f %%, max %.2f %%' % (sum(i)/len(i), sum(b)/len(b), max(b)))"
if [ -n "${BENCH_EVENTS:-}" ]; then
  sleep 1
  echo "the first inbox under the writes (perf stat):"
  grep -E '^ +[0-9,]+ ' "$work/events" || true
fi
if [ "$stats" = 1 ]; then
  echo "statements of anna's inboxes under the writes, per commit per inbox (calls / commits / inboxes):"
  psql_store -F ' | ' -c "
    SELECT to_char(calls::numeric / $commits / $inboxes, 'FM990.00'), calls,
      to_char(total_exec_time / calls, 'FM990.000') || ' ms',
      left(regexp_replace(query, '\s+', ' ', 'g'), 110)
    FROM pg_stat_statements WHERE userid = 'anna'::regrole ORDER BY calls DESC"
  psql_store -c "
    SELECT 'all: ' || to_char(sum(calls)::numeric / $commits / $inboxes, 'FM990.00') || ' statements per commit per inbox'
    FROM pg_stat_statements WHERE userid = 'anna'::regrole"
fi
