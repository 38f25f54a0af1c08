#!/usr/bin/env bash
# compare.sh -- reproduces the table in docs/benchmarks.md in one sitting (about 10-15 min on
# 2 cores). Every run is bounded (counts + timeouts) and stops by itself; only processes this
# script starts are stopped, by PID.
#
#   1. the limit: postfix smtp-source -> smtp-sink (2/20/100 KB, 10 sessions, connection reuse)
#   2. the bench tool's own limit: sluice-bench run --direct (injector -> bench sink, no daemon)
#   3. postfix as a relay to smtp-sink (the shared peer-baseline.sh; 2 KB; RUN_HARAKA=1 adds Haraka)
#   4. Sluice (sluice-bench run: bench sink + daemon jar + injector): fsync and mmap x no DKIM,
#      RSA-2048, Ed25519 x 2/20/100 KB, 10 connections (throughput) and 1 connection (latency),
#      plus fsync/2 KB/no DKIM at half its measured maximum rate (the p99 inject->250 target)
#   5. prints the markdown table (medians when a row was measured more than once)
#
# Environment: OUT (default /tmp/sluice-compare), KEY_REPEAT (runs of the 2 KB no-DKIM rows and
# the 2 KB limit, default 3), RUN_POSTFIX (1), RUN_HARAKA (0), SIZES ("2KB 20KB 100KB"),
# PEER_BASELINE (path of the peers' baseline script, peer-baseline.sh; the postfix relay row is
# measured only when it is given: the script is not part of this checkout).
# Needs: bench/target/sluice-bench.jar and daemon/target/sluice.jar
#   (mvn -q -DskipTests package -pl bench,daemon -am), postfix's smtp-source/smtp-sink.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${OUT:-/tmp/sluice-compare}
KEY_REPEAT=${KEY_REPEAT:-3}
RUN_POSTFIX=${RUN_POSTFIX:-1}
RUN_HARAKA=${RUN_HARAKA:-0}
SIZES=${SIZES:-2KB 20KB 100KB}
bench="$here/bin/sluice-bench"
export SLUICE_JAR=${SLUICE_JAR:-$here/daemon/target/sluice.jar}
PEER_BASELINE=${PEER_BASELINE:-}
[ -f "$here/bench/target/sluice-bench.jar" ] && [ -f "$SLUICE_JAR" ] \
  || { echo "compare.sh: build first: mvn -q -DskipTests package -pl bench,daemon -am" >&2; exit 2; }
command -v smtp-source >/dev/null && command -v smtp-sink >/dev/null \
  || { echo "compare.sh: needs postfix's smtp-source and smtp-sink (apt-get install postfix, 'No configuration')" >&2; exit 2; }
mkdir -p "$OUT"; RES="$OUT/results.txt"; : > "$RES"
T0=$(date +%s)
log() { echo "# [$(( $(date +%s) - T0 ))s] $*" >&2; }
HZ=$(getconf CLK_TCK)
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
count_for() { case $1 in 2KB) echo 10000;; 20KB) echo 5000;; *) echo 2000;; esac; }

# ------------------------------------------------------------------ 1. the limit
limit() {  # $1 size label, $2 bytes, $3 messages
  local port sink_pid t0 t1 got sk src
  port=$(free_port)
  smtp-sink -c -u nobody "127.0.0.1:$port" 1024 > "$OUT/smtp-sink.out" 2>/dev/null & sink_pid=$!
  sleep 0.5
  t0=$(date +%s.%N)
  timeout 60 /usr/bin/time -f "%U %S" -o "$OUT/src.time" smtp-source -d -s 10 -m "$3" -l "$2" \
    -f a@bench.test -t b@sink.test "127.0.0.1:$port" >/dev/null 2>&1
  t1=$(date +%s.%N)
  sleep 0.2
  got=$(tail -c 200 "$OUT/smtp-sink.out" | tr '\r' '\n' | grep -o 'mesg=[0-9]*' | tail -1 | cut -d= -f2)
  sk=$(awk '{sub(/^.*\) /,""); print $12+$13}' "/proc/$sink_pid/stat")
  kill "$sink_pid"; wait "$sink_pid" 2>/dev/null
  src=$(awk '{print $1+$2}' "$OUT/src.time")
  awk -v n="${got:-0}" -v t0="$t0" -v t1="$t1" -v sk="$sk" -v hz="$HZ" -v src="$src" -v s="$1" 'BEGIN{
    printf "RESULT name=limit-%s-c10 delivered=%d delivered_per_s=%.0f accepted_per_s=%.0f daemon_cpu_ms_per_msg=NA tool_cpu_ms_per_msg=%.3f\n",
      s, n, n/(t1-t0), n/(t1-t0), 1000*(sk/hz+src)/(n>0?n:1)}' | tee -a "$RES"
}
for s in $SIZES; do
  b=$(( ${s%KB} * 1024 ))
  reps=1; [ "$s" = 2KB ] && reps=$KEY_REPEAT
  for _ in $(seq "$reps"); do log "limit $s"; limit "$s" "$b" $(( $(count_for "$s") * 2 )); done
done

# ------------------------------------------------------------------ 2. the bench tool's own limit
log "bench tool direct 2KB"
timeout 120 "$bench" run --direct -n 20000 -c 10 --warmup 5000 --name tool-direct-2KB-c10 --out "$OUT/tool-direct" \
  | grep '^RESULT' | tee -a "$RES"

# ------------------------------------------------------------------ 3. postfix (and Haraka)
if [ "$RUN_POSTFIX" = 1 ] && [ -f "$PEER_BASELINE" ]; then
  log "postfix relay (peer-baseline.sh, 2KB)"
  W="$OUT/peers" N_RELAY=10000 LIMIT=80 RUN_DIRECT=0 RUN_HARAKA=$RUN_HARAKA RUN_FSYNC_CHECK=0 RUN_SLUICE=0 \
    timeout 600 bash "$PEER_BASELINE" 2> "$OUT/peers.log" | tee "$OUT/peers.txt" \
    | awk '/^(postfix|haraka)-relay-2KB-[^ ]* msgs_per_s=/ && !/best_of/ {
        for (i=2;i<=NF;i++){split($i,a,"="); v[a[1]]=a[2]}
        printf "RESULT name=%s delivered_per_s=%s accepted_per_s=%s daemon_cpu_ms_per_msg=%s\n", $1, v["msgs_per_s"], v["inject_msgs_per_s"], v["relay_cpu_ms_per_msg"]}' \
    | tee -a "$RES"
fi

# ------------------------------------------------------------------ 4. Sluice
KEYS="$OUT/keys"; mkdir -p "$KEYS"
[ -f "$KEYS/rsa2048.pem" ] || "$here/bin/sluice" dkim keygen --domain bench.test --selector bench --algo rsa2048 --out "$KEYS/rsa2048.pem" >/dev/null
[ -f "$KEYS/ed25519.pem" ] || "$here/bin/sluice" dkim keygen --domain bench.test --selector bench --algo ed25519 --out "$KEYS/ed25519.pem" >/dev/null
sluice() {  # $1 name, then run options; one retry when a run gives no result (e.g. start-up failed)
  local name=$1 try line; shift
  for try in 1 2; do
    log "sluice $name (try $try)"
    line=$(timeout 300 "$bench" run --name "$name" --out "$OUT/runs/$name-$(date +%s%N)" --drain-timeout 120s "$@" \
      | grep '^RESULT')
    [ -n "$line" ] && { echo "$line" | tee -a "$RES"; return 0; }
  done
  log "sluice $name: no result after 2 tries"
}
for mode in fsync mmap; do
  for dkim in none rsa2048 ed25519; do
    key=(); [ "$dkim" != none ] && key=(--dkim-key "$KEYS/$dkim.pem")
    for s in $SIZES; do
      n=$(count_for "$s"); [ "$dkim" = rsa2048 ] && n=$(( n / 2 ))
      reps=1; [ "$s" = 2KB ] && [ "$dkim" = none ] && reps=$KEY_REPEAT
      for _ in $(seq "$reps"); do
        sluice "sluice-$mode-$dkim-$s-c10" --durability "$mode" "${key[@]}" --size "$s" -n "$n" -c 10 --warmup 2000
      done
    done
    sluice "sluice-$mode-$dkim-2KB-c1" --durability "$mode" "${key[@]}" --size 2KB -n 2000 -c 1 --warmup 1000
  done
done
# p99 inject->250 at half the maximum rate (fsync, 2 KB, no DKIM)
max=$(grep 'name=sluice-fsync-none-2KB-c10 ' "$RES" | grep -o 'accepted_per_s=[0-9]*' | cut -d= -f2 | sort -n \
  | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
if [ -n "$max" ] && [ "$max" -gt 0 ]; then
  half=$(( max / 2 ))
  sluice "sluice-fsync-none-2KB-c10-half-rate" --durability fsync --size 2KB -n $(( half * 5 )) -c 10 --rate "$half" --warmup 2000
fi

# ------------------------------------------------------------------ 5. the table
log "table"
/usr/bin/python3 "$here/bench/scripts/table.py" "$RES" | tee "$OUT/table.md"
log "done in $(( $(date +%s) - T0 ))s; results in $RES"
