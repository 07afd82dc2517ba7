#!/usr/bin/env bash
# Classification benchmark: N native mentions made from the shared airline tweets (evaluation only,
# read from ../shared/corpora, never copied), classified by two whole processes, side by side in one
# run, each pinned to core 0 (`taskset -c 0`) and timed from outside with /usr/bin/time (wall, and
# CPU = user + sys), so both sides pay the same: start-up, reading the same JSON Lines file, parsing
# every line, judging it and writing one JSON line per mention to a file.
#   - `repute classify --file` (category, confidence, signals, rules and the full advice);
#   - CPython with VADER (pip package vaderSentiment): json.loads per line, polarity_scores on the
#     text, json.dumps of the id and the four scores per line.
# The ratio to read is repute's mentions/s over VADER's, both whole processes. VADER's inner loop
# (polarity_scores alone, timed inside Python) is printed too, for the figures from before
# 2026-12-06, which compared that loop with repute's whole process: it is not like for like.
# Uses the release build unless REPUTE_BIN names a binary.
# usage: scripts/bench-classify.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200000}
work=${BENCH_DIR:-/tmp/repute-bench}
corpus=${REPUTE_CORPORA:-../shared/corpora}/airline-tweets-en/Tweets.csv
mkdir -p "$work"
[ -f "$corpus" ] || { echo "bench-classify: $corpus not found (the shared corpora are not shipped)"; exit 0; }
python3 -c "import vaderSentiment" 2>/dev/null || pip install -q vaderSentiment
python3 scripts/airline-to-jsonl.py "$corpus" "$n" "$work/air$n.jsonl"
bin=${REPUTE_BIN:-}
if [ -z "$bin" ]; then
  swift build -c release --product repute >/dev/null
  bin=.build/release/repute
fi
cat > "$work/vader-classify.py" <<'PY'
import json, sys, time
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
a = SentimentIntensityAnalyzer()
inner = 0.0
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in src:
        m = json.loads(line)
        t = time.perf_counter()
        s = a.polarity_scores(m["text"])
        inner += time.perf_counter() - t
        out.write(json.dumps({"platform": m["platform"], "id": m["id"], **s}, separators=(",", ":")) + "\n")
with open(sys.argv[3], "w") as f:
    f.write(f"{inner}\n")
PY
/usr/bin/time -f "%e %U %S" -o "$work/t-classify" taskset -c 0 "$bin" classify --store "$work/no-store.sqlite" \
  --file "$work/air$n.jsonl" > "$work/classified.jsonl"
/usr/bin/time -f "%e %U %S" -o "$work/t-vader" taskset -c 0 python3 "$work/vader-classify.py" "$work/air$n.jsonl" \
  "$work/vader.jsonl" "$work/t-vader-inner"
read -r rw ru rs < "$work/t-classify"
read -r vw vu vs < "$work/t-vader"
vinner=$(cat "$work/t-vader-inner")
rcpu=$(echo "$ru + $rs" | bc)
vcpu=$(echo "$vu + $vs" | bc)
printf 'load %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'repute classify --file, whole process (one core, JSON in and out, advice): %d mentions in %.2fs = %.0f/s (CPU %.2fs = %.0f/s)\n' \
  "$n" "$rw" "$(echo "$n / $rw" | bc -l)" "$rcpu" "$(echo "$n / $rcpu" | bc -l)"
printf 'VADER polarity_scores, whole CPython process (one core, JSON in and out): %d mentions in %.2fs = %.0f/s (CPU %.2fs = %.0f/s)\n' \
  "$n" "$vw" "$(echo "$n / $vw" | bc -l)" "$vcpu" "$(echo "$n / $vcpu" | bc -l)"
printf 'ratio, whole process against whole process: wall %.2f, CPU %.2f (repute mentions/s over VADER mentions/s)\n' \
  "$(echo "$vw / $rw" | bc -l)" "$(echo "$vcpu / $rcpu" | bc -l)"
printf '  (for reference only, not comparable with the lines above: VADER inner loop alone %.2fs = %.0f/s)\n' \
  "$vinner" "$(echo "$n / $vinner" | bc -l)"
