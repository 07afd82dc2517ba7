#!/usr/bin/env bash
# Migrate benchmark (issue 18): a store of N generated mentions (repute ingest) copied onto a
# PostgreSQL store with `repute migrate`, copied again (nothing to copy: the skip path), and back
# into a new store file; each step timed from outside (wall, user + system CPU) with its rate in
# mentions a second. Each step's own report must say every table is equal (exit 0).
# Or, with STORE=path, an existing store instead of a generated one (opened read-only; it must be
# at this repute's schema). The server: $REPUTE_BENCH_PG_URL, else $REPUTE_TEST_PG_URL (a
# scripts/pg-throwaway.sh cluster); the copy goes into a schema of its own, dropped at the end.
# Uses .build/debug/repute unless REPUTE_BIN names a binary.
# usage: scripts/bench-migrate.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
work=${BENCH_DIR:-/tmp/repute-bench}/migrate
url=${REPUTE_BENCH_PG_URL:-${REPUTE_TEST_PG_URL:?set REPUTE_BENCH_PG_URL or REPUTE_TEST_PG_URL}}
bin=${REPUTE_BIN:-.build/debug/repute}
export REPUTE_NOW=${REPUTE_NOW:-2026-12-07T12:00:00Z}
mkdir -p "$work"
if [ -n "${STORE:-}" ]; then
  store=$STORE
  n=$(sqlite3 "file:$store?mode=ro" 'SELECT count(*) FROM mentions')
else
  store=$work/m$n.sqlite
  if [ ! -s "$store" ]; then
    [ -s "$work/m$n.jsonl" ] || python3 scripts/gen-mentions.py "$n" "$work/m$n.jsonl"
    "$bin" ingest --store "$store" "$work/m$n.jsonl" >/dev/null
  fi
fi
schema=bench_migrate_$$
target="$url&schema=$schema"
case "$url" in *\?*) ;; *) target="$url?schema=$schema" ;; esac
archive=$work/archive-$$.sqlite
cleanup() {
  psql -q "$url" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
  rm -f "$archive" "$archive-wal" "$archive-shm"
}
trap cleanup EXIT

step() {
  local name=$1; shift
  local t=$work/time.$$
  /usr/bin/time -f '%e %U %S %M' -o "$t" "$bin" migrate "$@" --json >"$work/$name.json"
  read -r wall user sys rss <"$t"
  python3 - "$name" "$n" "$wall" "$user" "$sys" "$rss" "$work/$name.json" <<'PY'
import json, sys
name, n, wall, user, sys_, rss, path = sys.argv[1:]
report = json.load(open(path))
print(f"{name:10} {float(wall):7.1f} s wall  {float(user) + float(sys_):7.1f} s CPU  "
      f"{int(n) / float(wall):8.0f} mentions/s  {int(rss) // 1024} MB RSS  "
      f"copied {report['copied']}, skipped {report['skipped']}, equal {report['equal']}")
PY
  rm -f "$t"
}
echo "migrate of $n mentions ($store), $(date -u +%FT%TZ), $("$bin" --version 2>/dev/null || echo repute)"
step up --from "$store" --to "$target"
step again --from "$store" --to "$target"
step down --from "$target" --to "$archive"
