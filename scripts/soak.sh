#!/usr/bin/env bash
# A team's store under a long, mixed load (issue 13): two inboxes open in tmux, three writers
# (two ingest streams, one responder replying to what they bring), and every minute a `forget`
# of one generated author and a `purge` of what is older than the retention, for SECONDS.
# Every write is timed from the writer's side (a whole `repute` process); at the end the script
# counts what the writers were told was stored against what the store holds.
#
# It reports: writes, lost writes (told stored, not in the store), failed writes, writes that
# took over a second and the longest (whole processes: on a loaded machine mostly CPU), the waits
# for the write lock itself (a probe takes it five times a second: what erasure must not hold),
# and whether both inboxes were still running. Exit 1 when anything was lost or failed, or a wait
# for the lock passed a second.
#
# usage: scripts/soak.sh [SECONDS] [N]   (default 600 s on a store of N = 50,000 mentions)
#        REPUTE_BIN=path skips the release build; SOAK_DIR sets the work folder.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
n=${2:-50000}
work=${SOAK_DIR:-/tmp/repute-soak}
command -v tmux >/dev/null || { echo "soak: needs tmux" >&2; exit 2; }
if [ -z "${REPUTE_BIN:-}" ]; then
  swift build -c release --product repute >/dev/null
  REPUTE_BIN=$PWD/.build/release/repute
fi
bin=$REPUTE_BIN
rm -rf "$work"
mkdir -p "$work"
python3 scripts/gen-mentions.py "$n" "$work/seed.jsonl"
export XDG_CONFIG_HOME=/nonexistent/repute-soak REPUTE_USER=Soak
# One pinned moment just after the generated mentions (they end at 1,790,000,000 + 3 N s), so the
# run means the same at any hour; the load's own mentions are stamped with it too.
now=$(python3 -c "import time; print(time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(1790000000 + 3 * $n + 600)))")
export REPUTE_NOW=$now
store=$work/store/repute.sqlite
"$bin" ingest --store "$store" "$work/seed.jsonl" >/dev/null
# Retention that takes the oldest fifth of the seed with each purge as the cutoff moves: the
# generated mentions span 3 N seconds, so "older than D days" with D shrinking by a step per purge.
span_days=$(python3 -c "print(max(1, int(3 * $n / 86400)))")

# Two inboxes, as two teammates would have them open.
export TMUX_TMPDIR=$work
for who in anna bram; do
  tmux -L "soak-$who" -f /dev/null new-session -d -x 120 -y 30 \
    "env LANG=C.UTF-8 TERM=tmux-256color REPUTE_NOW=$now $bin inbox --store $store --as $who --ui-lang en; echo EXITED \$?; sleep 3600"
done

# Each write: one process, timed in ms; its outcome in a log the report reads.
timed() {  # timed LOG WHAT command...
  local log=$1 what=$2
  shift 2
  local t0 t1 status=0
  t0=$(date +%s%N)
  "$@" >"$work/$what.out" 2>"$work/$what.err" || status=$?
  t1=$(date +%s%N)
  echo "$what $status $(((t1 - t0) / 1000000))" >>"$work/$log"
  return $status
}

ingest_stream() {  # ingest_stream NAME PLATFORM
  local i=0 line
  : >"$work/stored-$1"
  while [ ! -e "$work/stop" ]; do
    line=$(printf '{"platform":"%s","id":"soak-%s-%d","author":{"handle":"soak%s%d"},"created_at":"%s","lang":"nl","text":"Mijn trein is weer vertraagd en niemand bij de balie weet iets (%s %d)"}' \
      "$2" "$1" "$i" "$1" "$((i % 50))" "$now" "$1" "$i")
    echo "$line" >"$work/$1.jsonl"
    if timed "writes-$1" "ingest-$1" "$bin" ingest --store "$store" "$work/$1.jsonl" \
      && grep -q "ingested 1 new" "$work/ingest-$1.out"; then
      echo "$2 soak-$1-$i" >>"$work/stored-$1"
    fi
    i=$((i + 1))
  done
}

responder() {  # answers what the first stream stored, one reply each, oldest first
  local done=0 id
  : >"$work/replied"
  while [ ! -e "$work/stop" ]; do
    local next
    next=$(sed -n "$((done + 1))p" "$work/stored-a" 2>/dev/null | cut -d' ' -f2)
    if [ -z "$next" ]; then sleep 0.2; continue; fi
    id=$(sqlite3 -cmd ".timeout 10000" "$store" "SELECT id FROM mentions WHERE external_id = '$next'")
    if timed writes-reply reply "$bin" reply --store "$store" "$id" --yes \
      --text "Wat vervelend, sorry voor de vertraging. We zoeken uit wat er misging en laten het je vandaag weten."; then
      echo "$id" >>"$work/replied"
    fi
    done=$((done + 1))
  done
}

probe() {  # the wait for the store itself: how long taking the write lock takes, 5 times a second
  : >"$work/probe"
  while [ ! -e "$work/stop" ]; do
    local t0 t1
    t0=$(date +%s%N)
    sqlite3 -cmd ".timeout 10000" "$store" "BEGIN IMMEDIATE; COMMIT;" >/dev/null 2>>"$work/probe.err" || echo "failed" >>"$work/probe"
    t1=$(date +%s%N)
    echo "$(((t1 - t0) / 1000000))" >>"$work/probe"
    sleep 0.2
  done
}

eraser() {  # every minute: forget one generated author, then purge the oldest part of the seed
  local k=0 days=$span_days
  while [ ! -e "$work/stop" ]; do
    sleep 60
    [ -e "$work/stop" ] && break
    timed writes-erase forget "$bin" forget --store "$store" --author "user$((k * 7 + 3))" --yes || true
    days=$((days > 1 ? days - 1 : 1))
    timed writes-erase purge "$bin" purge --store "$store" --older-than "$days" --yes || true
    k=$((k + 1))
  done
}

rm -f "$work/stop"
ingest_stream a mastodon &
p1=$!
ingest_stream b bluesky &
p2=$!
responder &
p3=$!
eraser &
p4=$!
probe &
p5=$!
sleep "$seconds"
touch "$work/stop"
wait $p1 $p2 $p3 $p4 $p5

# What the writers were told was stored, against the store.
lost=0
for s in a b; do
  while read -r platform ext; do
    found=$(sqlite3 -cmd ".timeout 10000" "$store" "SELECT count(*) FROM mentions WHERE platform = '$platform' AND external_id = '$ext'")
    [ "$found" = 1 ] || lost=$((lost + 1))
  done <"$work/stored-$s"
done
replied=$(wc -l <"$work/replied")
in_outbox=$(sqlite3 -cmd ".timeout 10000" "$store" "SELECT count(DISTINCT mention_id) FROM outbox WHERE responder = 'Soak'")
[ "$in_outbox" -ge "$replied" ] || lost=$((lost + replied - in_outbox))

cat "$work"/writes-* >"$work/all-writes"
writes=$(grep -cv '^forget\|^purge' "$work/all-writes" || true)
failed=$(awk '$2 != 0 && $1 !~ /^(forget|purge)$/' "$work/all-writes" | wc -l)
slow=$(awk '$3 > 1000 && $1 !~ /^(forget|purge)$/' "$work/all-writes" | wc -l)
longest=$(awk '$1 !~ /^(forget|purge)$/ { if ($3 > m) { m = $3; w = $1 } } END { print m " ms (" w ")" }' "$work/all-writes")
erasures=$(grep -c '^forget\|^purge' "$work/all-writes" || true)
last=$(tail -1 "$work/stored-a" | cut -d' ' -f2)
inboxes=0
for who in anna bram; do
  screen=$(tmux -L "soak-$who" capture-pane -p -t 0 2>/dev/null || true)
  if ! grep -q EXITED <<<"$screen" && grep -q "Repute" <<<"$screen"; then inboxes=$((inboxes + 1)); fi
  tmux -L "soak-$who" kill-server 2>/dev/null || true
done

echo "soak: $seconds s on $n mentions, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "writes: $writes (ingest a: $(wc -l <"$work/stored-a") stored, ingest b: $(wc -l <"$work/stored-b") stored, replies: $replied)"
echo "forget and purge runs: $erasures"
echo "lost writes: $lost"
echo "failed writes: $failed$( [ "$failed" -gt 0 ] && echo " ($(sort "$work"/*.err | uniq -c | sort -rn | head -3 | tr '\n' ' '))")"
echo "writes over 1 s (whole processes, CPU included): $slow; longest: $longest"
probes=$(wc -l <"$work/probe")
probe_slow=$(awk '$1 == "failed" || $1 > 1000' "$work/probe" | wc -l)
probe_longest=$(sort -n "$work/probe" | tail -1)
echo "waits for the write lock: $probes probes, $probe_slow over 1 s, longest $probe_longest ms"
echo "inboxes still running: $inboxes of 2 (last arrival: $last)"
[ "$lost" = 0 ] && [ "$failed" = 0 ] && [ "$probe_slow" = 0 ] && [ "$inboxes" = 2 ]
