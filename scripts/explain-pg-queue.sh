#!/usr/bin/env bash
# The queue's statements on the server, EXPLAINed on a seed of 100,000 mentions: a fresh schema
# made with `repute init` (all server migrations), the seed written by SQL
# (scripts/sql/pg-queue-seed.sql: 5000 authors, three in five on a clock, one in twenty muted, one
# in a thousand with a rare word), then EXPLAIN ANALYZE of the statements `ServerStore+Queue`
# sends, with their values bound as the store binds them (scripts/sql/pg-queue-explain.sql).
# usage: scripts/explain-pg-queue.sh URL [SCHEMA]   (URL as REPUTE_TEST_PG_URL; needs psql and a
# built .build/debug/repute; the schema is dropped first when it exists)
set -euo pipefail
cd "$(dirname "$0")/.."
url=$1
schema=${2:-bench_queue}
psql "$url" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" 2>/dev/null
.build/debug/repute init --store "$url$(case "$url" in *\?*) echo '&' ;; *) echo '?' ;; esac)schema=$schema"
start=$(date +%s.%N)
psql "$url" -q -v schema="$schema" -f scripts/sql/pg-queue-seed.sql
echo "seeded in $(echo "$(date +%s.%N) - $start" | bc) s"
psql "$url" -v schema="$schema" -f scripts/sql/pg-queue-explain.sql
