#!/usr/bin/env bash
# Classification benchmark: N native mentions made from the shared airline tweets (evaluation only,
# read from ../shared/corpora, never copied) through `repute classify --file` (JSON in, JSON out,
# advice included), and the same texts through VADER (pip package vaderSentiment) in one CPython
# process, side by side in one run. `taskset -c 0` pins each to one core.
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
swift build -c release --product repute >/dev/null
start=$(date +%s.%N)
/usr/bin/time -f "%U %S" -o "$work/t-classify" taskset -c 0 .build/release/repute classify --store "$work/no-store.sqlite" --file "$work/air$n.jsonl" > "$work/classified.jsonl"
repute=$(echo "$(date +%s.%N) - $start" | bc)
read -r cu cs < "$work/t-classify"
cpu=$(echo "$cu + $cs" | bc)
vader=$(taskset -c 0 python3 - "$work/air$n.jsonl" <<'PY'
import json, sys, time
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
texts = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8")]
a = SentimentIntensityAnalyzer()
t = time.perf_counter()
for s in texts:
    a.polarity_scores(s)
print(time.perf_counter() - t)
PY
)
printf 'repute classify --file (one core, JSON in and out, advice): %d mentions in %.2fs = %.0f/s (CPU time %.2fs = %.0f/s)\n' "$n" "$repute" "$(echo "$n / $repute" | bc -l)" "$cpu" "$(echo "$n / $cpu" | bc -l)"
printf 'VADER 3.3.2 polarity_scores (CPython, one core, texts only): %d texts in %.2fs = %.0f/s\n' "$n" "$vader" "$(echo "$n / $vader" | bc -l)"
