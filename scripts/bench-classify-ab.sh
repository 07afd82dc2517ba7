#!/usr/bin/env bash
# Classification A/B benchmark: `repute classify --file` of each given binary on the same N native
# mentions (made from the shared airline tweets, as scripts/bench-classify.sh does), in rounds,
# each run pinned to core 0 (`taskset -c 0`) and timed from outside (wall, and CPU = user + sys).
# The order of the binaries is reversed every other round, so neither always runs first. Also
# checks that every binary wrote the same output, byte for byte. Prints each run, then each
# binary's best and median mentions/s by CPU time and by wall time.
# usage: scripts/bench-classify-ab.sh N ROUNDS BINARY...
set -euo pipefail
cd "$(dirname "$0")/.."
n=$1
rounds=$2
shift 2
work=${BENCH_DIR:-/tmp/repute-bench}
corpus=${REPUTE_CORPORA:-../shared/corpora}/airline-tweets-en/Tweets.csv
mkdir -p "$work"
[ -f "$corpus" ] || { echo "bench-classify-ab: $corpus not found (the shared corpora are not shipped)"; exit 0; }
[ -s "$work/air$n.jsonl" ] || python3 scripts/airline-to-jsonl.py "$corpus" "$n" "$work/air$n.jsonl"
: > "$work/ab-results"
for r in $(seq 1 "$rounds"); do
  bins=("$@")
  if [ $((r % 2)) -eq 0 ]; then mapfile -t bins < <(printf '%s\n' "$@" | tac); fi
  for bin in "${bins[@]}"; do
    out="$work/ab-$(echo "$bin" | md5sum | cut -c1-8).jsonl"
    /usr/bin/time -f "%e %U %S" -o "$work/t" taskset -c 0 "$bin" classify --store "$work/no-store.sqlite" \
      --file "$work/air$n.jsonl" > "$out"
    read -r w u s < "$work/t"
    cpu=$(echo "$u + $s" | bc)
    printf 'round %s, load %s: %s: wall %ss = %.0f/s, CPU %ss = %.0f/s\n' "$r" "$(cut -d' ' -f1 /proc/loadavg)" \
      "$bin" "$w" "$(echo "$n / $w" | bc -l)" "$cpu" "$(echo "$n / $cpu" | bc -l)"
    printf '%s %s %s\n' "$bin" "$(echo "$n / $cpu" | bc -l)" "$(echo "$n / $w" | bc -l)" >> "$work/ab-results"
  done
done
first="$work/ab-$(echo "$1" | md5sum | cut -c1-8).jsonl"
for bin in "$@"; do
  out="$work/ab-$(echo "$bin" | md5sum | cut -c1-8).jsonl"
  if cmp -s "$first" "$out"; then same="same output as the first"; else same="OUTPUT DIFFERS from the first"; fi
  cpu=$(awk -v b="$bin" '$1 == b { print $2 }' "$work/ab-results" | sort -n)
  wall=$(awk -v b="$bin" '$1 == b { print $3 }' "$work/ab-results" | sort -n)
  k=$(echo "$cpu" | wc -l)
  printf '%s: CPU best %.0f/s, median %.0f/s; wall best %.0f/s, median %.0f/s (%s runs; %s)\n' "$bin" \
    "$(echo "$cpu" | tail -1)" "$(echo "$cpu" | sed -n "$(((k + 1) / 2))p")" \
    "$(echo "$wall" | tail -1)" "$(echo "$wall" | sed -n "$(((k + 1) / 2))p")" "$k" "$same"
done
