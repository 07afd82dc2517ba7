#!/usr/bin/env bash
# A person's side on the server (PersonStore, PersonChangeSource, NoticeStore), EXPLAINed at
# 100,000 mentions: a fresh schema made with `repute init` (all server migrations), the seed
# written by SQL (scripts/sql/pg-person-seed.sql: 50,000 authors, one person of three linked
# identities with 3,000 posts and the team's work on a tenth of them, a person whose posts are all
# 60 days old or more, 20,000 notices), then
# EXPLAIN ANALYZE of the statements `ServerStore+Person`, `+PersonChanges` and `+Notices` send,
# with values bound as the store binds them (scripts/sql/pg-person-explain.sql).
# usage: scripts/explain-pg-person.sh URL [SCHEMA]   (URL as REPUTE_TEST_PG_URL; needs psql and a
# built .build/debug/repute; the schema is dropped first when it exists)
set -euo pipefail
cd "$(dirname "$0")/.."
url=$1
schema=${2:-bench_person}
psql "$url" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" 2>/dev/null
.build/debug/repute init --store "$url$(case "$url" in *\?*) echo '&' ;; *) echo '?' ;; esac)schema=$schema"
start=$(date +%s.%N)
psql "$url" -q -v ON_ERROR_STOP=1 -v schema="$schema" -f scripts/sql/pg-person-seed.sql
echo "seeded in $(echo "$(date +%s.%N) - $start" | bc) s"
psql "$url" -v ON_ERROR_STOP=1 -v schema="$schema" -f scripts/sql/pg-person-explain.sql
