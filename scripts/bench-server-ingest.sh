#!/usr/bin/env bash
# Ingest on PostgreSQL against `psql \copy` (issue 18's budget: at a million mentions no slower
# than 1.5x `psql \copy` of the same rows into a table with the same indexes, on the same server).
#
# One throwaway cluster of its own (scripts/pg-throwaway.sh in $BENCH_DIR/pg, stopped at the end),
# N native JSON Lines mentions from scripts/gen-mentions.py, and a release build of `repute`. Per
# round, on the same server, one after the other:
#   1. `repute ingest --store URL FILE` into a fresh store schema (`bench_store`, `repute init`
#      with the default policy in force, so repeats fold as on a new file store);
#   2. the rows it stored, exported as CSV (untimed) without their search documents, then `psql
#      \copy` of that CSV into `bench_copy.mentions`, made `LIKE bench_store.mentions INCLUDING
#      ALL` (the same columns, keys and indexes, the search column's GIN index too) with the
#      store's own `BEFORE INSERT` trigger that builds each row's search document
#      (`bench_store.mentions_search()`, which reads the handle from `bench_store.authors`): the
#      store's table builds the document the GIN index holds as a row arrives, so the reference
#      does too (like for like: the same rows, the same indexes, the same documents, checked);
#   3. for the record, `\copy` of the same rows with their documents made (in the CSV, no
#      trigger) into `bench_made.mentions`: the stricter reference used before 2026-12-07's
#      session 10 (`made` in the output; not the budget's figure).
# Each side is a whole process under /usr/bin/time: wall seconds (the budget's figure) and CPU
# seconds, the client's and the server's (the whole cluster's, from /proc: the postmaster and its
# children, ended ones included; autovacuum off, so neither side pays for the other's vacuum).
# Prints both sides and the ratios.
#
# usage: scripts/bench-server-ingest.sh [N] [ROUNDS]        (N defaults to 100000)
# env:   BENCH_DIR     work folder (default /tmp/repute-bench-server): the input, the cluster
#        REPUTE_BIN    a repute to run (default: a release build, see BENCH_SCRATCH)
#        BENCH_SCRATCH the release build's --scratch-path (default $BENCH_DIR/rel)
#        BENCH_NO_BUILD=1  use the built binary as it is
#        BENCH_KEEP=1  leave the cluster running (its URL is printed) for a look afterwards
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
rounds=${2:-1}
work=${BENCH_DIR:-/tmp/repute-bench-server}
mkdir -p "$work"
work=$(cd "$work" && pwd)
scratch=${BENCH_SCRATCH:-$work/rel}
if [ -z "${REPUTE_BIN:-}" ]; then
  if [ -z "${BENCH_NO_BUILD:-}" ]; then
    swift build -c release --scratch-path "$scratch" --product repute >/dev/null
  fi
  REPUTE_BIN=$scratch/release/repute
fi
[ -s "$work/m$n.jsonl" ] || python3 scripts/gen-mentions.py "$n" "$work/m$n.jsonl"

export REPUTE_PG_DIR=$work/pg
bash scripts/pg-throwaway.sh stop
url=$(bash scripts/pg-throwaway.sh start)
[ -n "${BENCH_KEEP:-}" ] || trap 'bash scripts/pg-throwaway.sh stop' EXIT
# The CSV is written and read by psql (the client), so the cluster's user needs no access to it.
export PGOPTIONS="-c client_min_messages=warning"
run_psql() { psql -X -q -v ON_ERROR_STOP=1 "$url" "$@"; }
store_url="$url&schema=bench_store"
# No autovacuum: after a million rows it would vacuum and analyse the store's tables (and merge
# their search index's pending entries) while the other side is timed, on that side's bill.
run_psql -c "ALTER SYSTEM SET autovacuum = off" -c "SELECT pg_reload_conf()" >/dev/null

# Waits until no other client's backend runs: a backend ends a moment after its client, and
# until the postmaster has reaped it its CPU time is counted nowhere.
backends_gone() {
  local i
  for i in $(seq 1 100); do
    [ "$(run_psql -t -A -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")" = 0 ] && return
    sleep 0.1
  done
}

# The cluster's CPU seconds so far: the postmaster's own and its ended children's (fields 14-17 of
# /proc/PID/stat), and its running children's.
cluster_cpu() {
  local pm
  pm=$(head -1 "$REPUTE_PG_DIR/data/postmaster.pid")
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v pm="$pm" -v hz="$(getconf CLK_TCK)" '
    { pid = $1; sub(/^.*\) /, ""); split($0, f, " ")
      if (f[2] == pm) t += f[12] + f[13]
      if (pid == pm) t += f[12] + f[13] + f[14] + f[15] }
    END { printf "%.2f\n", t / hz }'
}

for r in $(seq 1 "$rounds"); do
  run_psql -c "DROP SCHEMA IF EXISTS bench_copy CASCADE; DROP SCHEMA IF EXISTS bench_made CASCADE; DROP SCHEMA IF EXISTS bench_store CASCADE"
  "$REPUTE_BIN" init --store "$store_url" >/dev/null
  # `repute init` on a server puts no policy in force: the default one, as a new file store has.
  if [ "$(run_psql -t -A -c "SELECT count(*) FROM bench_store.policies")" = 0 ]; then
    policy_store="$work/policy.sqlite"
    rm -f "$policy_store"*
    "$REPUTE_BIN" init --store "$policy_store" >/dev/null
    policy=$(sqlite3 "$policy_store" "SELECT source FROM policies ORDER BY version DESC LIMIT 1")
    rm -f "$policy_store"*
    echo "INSERT INTO bench_store.policies (version, source, applied_at, applied_by) VALUES (1, :'src', 0, 'bench')" |
      run_psql -v src="$policy"
  fi
  run_psql -c "CHECKPOINT"
  s0=$(cluster_cpu)
  /usr/bin/time -f "%e %M %U %S" -o "$work/t-store" "$REPUTE_BIN" ingest --store "$store_url" "$work/m$n.jsonl" \
    >"$work/store.out"
  backends_gone
  s1=$(cluster_cpu)
  # Every column but the search document, which the reference's trigger builds as the store's does.
  cols=$(run_psql -t -A -c "SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position)
    FROM information_schema.columns WHERE table_schema = 'bench_store' AND table_name = 'mentions'
      AND column_name <> 'search'")
  run_psql -c "\\copy (SELECT $cols FROM bench_store.mentions ORDER BY id) TO '$work/rows.csv' WITH (FORMAT csv)"
  run_psql -c "\\copy (SELECT * FROM bench_store.mentions ORDER BY id) TO '$work/made.csv' WITH (FORMAT csv)"
  run_psql -c "CREATE SCHEMA bench_copy; CREATE TABLE bench_copy.mentions (LIKE bench_store.mentions INCLUDING ALL)" \
    -c "CREATE TRIGGER mentions_search BEFORE INSERT ON bench_copy.mentions FOR EACH ROW EXECUTE FUNCTION bench_store.mentions_search()" \
    -c "CREATE SCHEMA bench_made; CREATE TABLE bench_made.mentions (LIKE bench_store.mentions INCLUDING ALL); CHECKPOINT"
  c0=$(cluster_cpu)
  /usr/bin/time -f "%e %M %U %S" -o "$work/t-copy" \
    psql -X -q -v ON_ERROR_STOP=1 "$url" -c "\\copy bench_copy.mentions ($cols) FROM '$work/rows.csv' WITH (FORMAT csv)"
  backends_gone
  c1=$(cluster_cpu)
  run_psql -c "CHECKPOINT"
  m0=$(cluster_cpu)
  /usr/bin/time -f "%e %M %U %S" -o "$work/t-made" \
    psql -X -q -v ON_ERROR_STOP=1 "$url" -c "\\copy bench_made.mentions FROM '$work/made.csv' WITH (FORMAT csv)"
  backends_gone
  m1=$(cluster_cpu)
  read -r tm _ um sm <"$work/t-made"
  made_s=$(echo "$m1 - $m0 + $um + $sm" | bc)
  # The reference's documents are the store's, row for row.
  differ=$(run_psql -t -A -c "SELECT count(*) FROM bench_store.mentions s JOIN bench_copy.mentions c USING (id)
    WHERE s.search IS DISTINCT FROM c.search")
  read -r tc _ uc sc <"$work/t-copy"
  read -r ts ms us ss <"$work/t-store"
  rows=$(run_psql -t -A -c "SELECT (SELECT count(*) FROM bench_store.mentions) || ' / ' || (SELECT count(*) FROM bench_copy.mentions)")
  client_c=$(echo "$uc + $sc" | bc)
  client_s=$(echo "$us + $ss" | bc)
  server_c=$(echo "$c1 - $c0" | bc)
  server_s=$(echo "$s1 - $s0" | bc)
  printf 'round %s, %s mentions: psql \\copy %ss wall, CPU %ss + server %ss | repute ingest %ss wall, CPU %ss (%s MB) + server %ss | wall ratio %.2f, CPU ratio %.2f, server CPU ratio %.2f | made: %ss wall, CPU %ss, wall ratio %.2f | documents differing %s | rows %s | load %s | %s\n' \
    "$r" "$n" "$tc" "$client_c" "$server_c" "$ts" "$client_s" "$((ms / 1024))" "$server_s" \
    "$(echo "$ts / $tc" | bc -l)" "$(echo "($client_s + $server_s) / ($client_c + $server_c)" | bc -l)" \
    "$(echo "$server_s / $server_c" | bc -l)" "$tm" "$made_s" "$(echo "$ts / $tm" | bc -l)" "$differ" \
    "$rows" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(tail -1 "$work/store.out")"
done
rm -f "$work/rows.csv" "$work/made.csv"
if [ -n "${BENCH_KEEP:-}" ]; then echo "cluster left running: $url (REPUTE_PG_DIR=$REPUTE_PG_DIR)"; fi
