#!/usr/bin/env bash
# targets.sh -- the issue-7 target figures with medians (about 4 min): fsync / 2 KB / no DKIM at
# full speed (REPEAT runs), then at half of that median accepted rate (REPEAT runs, p99
# inject->250), and fsync / 2 KB / RSA-2048 (REPEAT runs, delivered/s vs the raw sign rate).
# Every run bounded; daemons stopped by PID. Needs the jars (mvn -q -DskipTests package -pl bench,daemon -am).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${OUT:-/tmp/sluice-targets}; REPEAT=${REPEAT:-3}; RAW_RSA=${RAW_RSA:-1433}
bench="$here/bin/sluice-bench"; mkdir -p "$OUT/keys"; RES="$OUT/results.txt"; : > "$RES"
[ -f "$OUT/keys/rsa2048.pem" ] || "$here/bin/sluice" dkim keygen --domain bench.test --selector bench --algo rsa2048 --out "$OUT/keys/rsa2048.pem" >/dev/null
run() { local name=$1 line try; shift
  for try in 1 2; do
    echo "# $name (try $try)" >&2
    line=$(timeout 300 "$bench" run --name "$name" --out "$OUT/runs/$name-$(date +%s%N)" "$@" | grep '^RESULT')
    [ -n "$line" ] && { echo "$line" >> "$RES"; return; }
  done; }
field() { grep "name=$1 " "$RES" | grep -o " $2=[0-9.]*" | cut -d= -f2 | sort -n | awk '{a[NR]=$1} END{if (NR) print a[int((NR+1)/2)]}'; }
for _ in $(seq "$REPEAT"); do run full --durability fsync --size 2KB -n 10000 -c 10 --warmup 2000; done
half=$(awk -v m="$(field full accepted_per_s)" 'BEGIN{printf "%d", m/2}')
for _ in $(seq "$REPEAT"); do run half --durability fsync --size 2KB -n $(( half * 5 )) -c 10 --rate "$half" --warmup 2000; done
for _ in $(seq "$REPEAT"); do run rsa --durability fsync --size 2KB -n 5000 -c 10 --warmup 1000 --dkim-key "$OUT/keys/rsa2048.pem"; done
echo "full: median accepted/s $(field full accepted_per_s), delivered/s $(field full delivered_per_s), cpu ms/msg $(field full daemon_cpu_ms_per_msg)"
echo "half rate ($half/s offered): median p99 inject->250 $(field half inject_to_250_p99_ms) ms (target < 5), p50 $(field half inject_to_250_p50_ms) ms"
echo "rsa2048: median delivered/s $(field rsa delivered_per_s) = $(awk -v d="$(field rsa delivered_per_s)" -v r="$RAW_RSA" 'BEGIN{printf "%.0f", 100*d/r}') % of the raw sign rate $RAW_RSA/s (target >= 80 %), cpu ms/msg $(field rsa daemon_cpu_ms_per_msg)"
