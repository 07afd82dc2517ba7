#!/usr/bin/env bash
# Issue 18, "the inbox's loop stays responsive while the network is slow": the inbox's keys against
# a PostgreSQL server in another network namespace, over a link with 0, 50 and 150 ms more round
# trip, and the link cut mid-use (docs/benchmarks-log.md, "The inbox over a slow link").
#
#   scripts/bench-slow-link.sh [NAME=REPUTE_DEV_BINARY]...   (default: base=.build/debug/repute-dev)
#
# The server (a throwaway cluster) and a delaying proxy (scripts/slow-link-proxy.py: this kernel
# has no netem) run in one namespace, the bench (`REPUTE_BENCH_NET=1 repute-dev inbox-bench`, see
# Sources/ReputeDev/NetBench.swift) in another, joined by a veth pair; the cut is the client's end
# of the pair set down, as in scripts/net-survive-test.sh. Each delay runs every binary given, one
# after the other, on the same store: compare them within a delay (the machine is shared).
# DELAYS="0 50 150" and MENTIONS=3000 by default. Needs root, psql and the debug build.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bins=("$@")
[ ${#bins[@]} -gt 0 ] || bins=("base=$root/.build/debug/repute-dev")
repute=${REPUTE_BIN:-$root/.build/debug/repute}
delays=${DELAYS:-0 50 150}
mentions=${MENTIONS:-3000}
work=$(mktemp -d /tmp/repute-slow.XXXXXX)
chmod 0755 "$work"
srv=rssrv$$ cli=rscli$$ vs=rss$$ vc=rsc$$
proxy_pid=
export REPUTE_NOW=2026-11-24T12:00:00Z LANG=C.UTF-8

cleanup() {
  local status=$?
  [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null || true
  REPUTE_PG_DIR=$work/pg bash "$root/scripts/pg-throwaway.sh" stop >/dev/null 2>&1 || true
  ip link del "$vs" 2>/dev/null || true
  ip netns del "$srv" 2>/dev/null || true
  ip netns del "$cli" 2>/dev/null || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$srv"
ip netns add "$cli"
ip link add "$vs" type veth peer name "$vc"
ip link set "$vs" netns "$srv"
ip link set "$vc" netns "$cli"
ip -n "$srv" addr add 10.231.88.1/24 dev "$vs"
ip -n "$cli" addr add 10.231.88.2/24 dev "$vc"
for ns in "$srv" "$cli"; do ip -n "$ns" link set lo up; done
ip -n "$srv" link set "$vs" up
ip -n "$cli" link set "$vc" up

su=$(REPUTE_PG_DIR=$work/pg REPUTE_PG_NETNS=$srv bash scripts/pg-throwaway.sh start)
port=$(cat "$work/pg/port")
sql() { psql "host=$work/pg/sock port=$port user=postgres dbname=${2:-postgres}" -v ON_ERROR_STOP=1 -qAtX -c "$1"; }
password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
sql "CREATE ROLE anna LOGIN PASSWORD '$password'"
sql "CREATE DATABASE webcare"
"$repute" demo --seed-only --store "$work/demo.sqlite" >/dev/null
"$repute" migrate --from "$work/demo.sqlite" --to "$su&dbname=webcare" >/dev/null
python3 scripts/gen-mentions.py "$mentions" "$work/m.jsonl" >/dev/null
"$repute" ingest --store "$su&dbname=webcare" "$work/m.jsonl" >/dev/null
echo "slow-link: $(sql "SELECT count(*) FROM repute.mentions" webcare) mentions on the server"

proxy_port=$((port + 1))
for delay in $delays; do
  ip netns exec "$srv" python3 scripts/slow-link-proxy.py 10.231.88.1 "$proxy_port" "$port" "$delay" &
  proxy_pid=$!
  sleep 1
  for named in "${bins[@]}"; do
    name=${named%%=*} bin=${named#*=}
    echo "=== delay ${delay} ms, $name ($bin)"
    ip netns exec "$cli" env PGPASSWORD="$password" REPUTE_BENCH_NET=1 REPUTE_BENCH_SEARCH=0 \
      REPUTE_BENCH_CUT="ip -n $cli link set $vc down" REPUTE_BENCH_RESTORE="ip -n $cli link set $vc up" \
      "$bin" inbox-bench --store "postgres://anna@10.231.88.1:$proxy_port/webcare?sslmode=disable" \
      --in-place --as Anna --ui-lang en >"$work/out.txt" 2>&1 || { cat "$work/out.txt"; exit 1; }
    grep -E '^(net:|first frame|mentions)' "$work/out.txt"
    ip -n "$cli" link set "$vc" up
    sleep 1
  done
  kill "$proxy_pid"
  wait "$proxy_pid" 2>/dev/null || true
  proxy_pid=
done
