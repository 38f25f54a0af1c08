#!/usr/bin/env bash
# before-after.sh BEFORE_JAR AFTER_JAR -- the same load against two daemon builds, alternating
# (before, after, before, after, ...) so a noisy machine hurts both alike; prints each run and the
# medians of delivered/s and daemon CPU ms per message with the after/before ratios.
#
#   PAIRS (3), N (10000 messages), SIZE (2KB), WARMUP (2000), DURABILITY (fsync), OUT (/tmp/sluice-before-after)
# Needs bench/target/sluice-bench.jar (mvn -q -DskipTests package -pl bench -am). Every run is bounded
# (timeout 300 s) and stops its own daemon and sink.
set -u
[ $# -eq 2 ] || { echo "usage: $0 BEFORE_JAR AFTER_JAR" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
before=$1 after=$2
PAIRS=${PAIRS:-3}; N=${N:-10000}; SIZE=${SIZE:-2KB}; WARMUP=${WARMUP:-2000}; DURABILITY=${DURABILITY:-fsync}
OUT=${OUT:-/tmp/sluice-before-after}; mkdir -p "$OUT"; RES="$OUT/results.txt"; : > "$RES"
bench="$here/bin/sluice-bench"
for jar in "$before" "$after"; do [ -f "$jar" ] || { echo "no such jar: $jar" >&2; exit 2; }; done
run() { local label=$1 jar=$2 line
  line=$(timeout 300 "$bench" run --jar "$jar" --name "$label" --out "$OUT/runs/$label-$(date +%s%N)" \
    --durability "$DURABILITY" --size "$SIZE" -n "$N" -c 10 --warmup "$WARMUP" | grep '^RESULT')
  [ -n "$line" ] && echo "$line" | tee -a "$RES"; }
for i in $(seq "$PAIRS"); do run before "$before"; run after "$after"; done
median() { grep "name=$1 " "$RES" | grep -o " $2=[0-9.]*" | cut -d= -f2 | sort -n \
  | awk '{a[NR]=$1} END{if (NR) print a[int((NR+1)/2)]}'; }
for f in delivered_per_s daemon_cpu_ms_per_msg; do
  b=$(median before $f); a=$(median after $f)
  echo "$f: before median $b, after median $a, after/before $(awk -v a="$a" -v b="$b" 'BEGIN{if (b>0) printf "%.3f", a/b}')"
done
