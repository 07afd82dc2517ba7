#!/usr/bin/env bash
# bench-inbox-ab.sh BASE NEW [SECONDS]: two builds side by side in one run (issue 17). Four inboxes on
# one copy of the team bench's indexed 200 k seed (SEED, default the one bench-team.sh keeps), BASE and
# NEW each once filtered to rss and once the whole queue, under a 50/s ingest stream and RESP (2)
# responders replying in a loop; prints each inbox's CPU % idle and under the load. PERF=N records
# inbox N (0-3) with perf into BENCH_DIR/perf.data.
set -u
base=$1; new=$2; seconds=${3:-60}; resp=${RESP:-2}
w=${BENCH_DIR:-/tmp/repute-bench-inbox-ab}; rm -rf $w/store $w/run; mkdir -p $w/store $w/run
cp ${SEED:-/tmp/repute-bench-team/seed-200000.sqlite} $w/store/repute.sqlite; chmod 600 $w/store/repute.sqlite
store=$w/store/repute.sqlite
export XDG_CONFIG_HOME=/nonexistent/repute-bench REPUTE_USER=Bench
now=$(python3 -c "import time; print(time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(1790000000 + 3 * 200000 + 600)))")
export REPUTE_NOW=$now TMUX_TMPDIR=$w
tmux -L ab kill-server 2>/dev/null
names=(base-rss new-rss base-all new-all); bins=($base $new $base $new)
for i in 0 1 2 3; do
  tmux -L ab -f /dev/null new-session -d -s in$i -x 120 -y 40 \
    "exec env LANG=C.UTF-8 TERM=tmux-256color REPUTE_NOW=$now ${bins[$i]} inbox --store $store --as Bench --ui-lang en"
done
sleep 5
for i in 0 1; do tmux -L ab send-keys -t in$i f; sleep 0.3; tmux -L ab send-keys -t in$i rss Enter; done
sleep 2
pids=(); for i in 0 1 2 3; do pids+=($(tmux -L ab display-message -p -t in$i '#{pane_pid}')); done
ticks() { awk '{ print $14 + $15 }' /proc/$1/stat; }
line() { printf '{"platform":"mastodon","id":"team-%d","author":{"handle":"pendel%d"},"created_at":"%s","lang":"nl","text":"Mijn trein is weer vertraagd en niemand bij de balie weet iets (%d)"}\n' $1 $(($1 % 400)) $now $1; }
idle0=(); for p in ${pids[@]}; do idle0+=($(ticks $p)); done; sleep 10
idle1=(); for p in ${pids[@]}; do idle1+=($(ticks $p)); done
t0=(); for p in ${pids[@]}; do t0+=($(ticks $p)); done; start=$(date +%s)
[ -n "${PERF:-}" ] && { perf record -e cpu-clock --call-graph dwarf,16384 -F 999 -p ${pids[$PERF]} -o $w/perf.data >/dev/null 2>&1 & pp=$!; }
( k=0; while [ $(( $(date +%s) - start )) -lt $seconds ]; do
    for j in 1 2 3 4 5 6 7 8 9 10; do line $k; k=$((k+1)); done > $w/run/b.jsonl
    $new ingest --store $store $w/run/b.jsonl >/dev/null 2>&1; sleep 0.15; done ) &
ing=$!
rs=()
for r in $(seq 0 $((resp-1))); do
( n=$r; while [ $(( $(date +%s) - start )) -lt $seconds ]; do
    id=$(sqlite3 -cmd ".timeout 5000" $store "SELECT id FROM mentions WHERE external_id = 'team-$n'")
    if [ -z "$id" ]; then sleep 0.2; continue; fi
    $new reply --store $store $id --yes --text "Wat vervelend, sorry voor de vertraging. We zoeken het uit." >/dev/null 2>&1
    n=$((n+resp)); done ) &
rs+=($!)
done
wait $ing ${rs[@]}
[ -n "${PERF:-}" ] && { kill -INT $pp; wait $pp 2>/dev/null; }
t1=(); for p in ${pids[@]}; do t1+=($(ticks $p)); done; el=$(( $(date +%s) - start ))
hz=$(getconf CLK_TCK)
for i in 0 1 2 3; do
  python3 -c "print('%-9s idle %.2f %%  load %.2f %%' % ('${names[$i]}', 100*(${idle1[$i]}-${idle0[$i]})/$hz/10, 100*(${t1[$i]}-${t0[$i]})/$hz/$el))"
done
echo "over ${el}s; stored $(sqlite3 $store "SELECT count(*) FROM mentions WHERE external_id LIKE 'team-%'"), replies $(sqlite3 $store "SELECT count(*) FROM outbox"), load $(cut -d' ' -f1 /proc/loadavg)"
tmux -L ab kill-server
