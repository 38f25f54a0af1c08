#!/usr/bin/env bash
# scale.sh [DAEMON_JAR] -- issue 14's cost-growth figures: is the cost per message flat?
#
#  sessions  msgs/s and daemon CPU per message with SESSIONS concurrent inbound sessions (default
#            "10 100 1000"), each a `sluice-bench run` (fsync, 2 KB, N messages after a warm-up in
#            the same daemon; per-IP and per-listener session limits raised so 1,000 sessions from
#            127.0.0.1 are admitted).
#  queued    QUEUED deliveries (default 1,000,000) held in the queue: the smarthost is a closed
#            port, so every delivery is deferred and stays. Heap per queued delivery = (heap used
#            after a full GC with the queue full − the same before injecting) / QUEUED; then the
#            daemon is stopped and started again on the same spool and timed until it answers on
#            SMTP and /health, and until its log says the live deliveries are recovered.
#
#   PARTS ("sessions queued"), N (10000), WARMUP (2000), QUEUED (1000000), QUEUED_SIZE (512 bytes),
#   HEAP (-Xmx4g for the queued part), OUT (/tmp/sluice-scale)
# Every wait is bounded; the daemons are stopped by their PIDs. Needs the jars
# (mvn -q -DskipTests package -pl bench,daemon -am), jcmd and python3.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
jar=${1:-$here/daemon/target/sluice.jar}
PARTS=${PARTS:-sessions queued}; SESSIONS=${SESSIONS:-10 100 1000}; N=${N:-10000}; WARMUP=${WARMUP:-2000}
QUEUED=${QUEUED:-1000000}; QUEUED_SIZE=${QUEUED_SIZE:-512}; HEAP=${HEAP:--Xmx4g}; OUT=${OUT:-/tmp/sluice-scale}
bench="$here/bin/sluice-bench"
rm -rf "$OUT"; mkdir -p "$OUT"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
daemon_pid=
cleanup() { [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT
die() { echo "scale: $*" >&2; exit 1; }

if [[ " $PARTS " == *" sessions "* ]]; then
  for c in $SESSIONS; do
    echo "# sessions: $c" >&2
    SLUICE_JAR="$jar" timeout 600 "$bench" run --name "sessions-$c" --out "$OUT/sessions-$c" -n "$N" -c "$c" \
      --warmup "$WARMUP" --size 2KB --durability fsync \
      --daemon-opt sluice.limits.max-connections-per-ip=5000 --daemon-opt sluice.smtp.max-connections=5000 \
      | grep '^RESULT' | tee -a "$OUT/results.txt"
  done
  python3 - "$OUT/results.txt" <<'EOF'
import sys
for line in open(sys.argv[1]):
    f = dict(kv.split("=", 1) for kv in line.split()[1:])
    print(f"SESSIONS {f['name'].split('-')[1]:>5}: accepted/s {f['accepted_per_s']:>7}  delivered/s {f['delivered_per_s']:>7}  "
          f"daemon CPU ms/msg {f['daemon_cpu_ms_per_msg']}  p99 inject->250 {f['inject_to_250_p99_ms']} ms  "
          f"errors {f['errors']} tempfailed {f['tempfailed']}  peak RSS {f['daemon_peak_rss_mb']} MB")
EOF
fi

if [[ " $PARTS " == *" queued "* ]]; then
  smtp_port=$(free_port); http_port=$(free_port); dead_port=$(free_port) # nobody listens on dead_port
  start() { # $1 log file
    # shellcheck disable=SC2086
    java $HEAP -Dchronicle.analytics.disable=true -Dchronicle.announcer.disable=true \
      -Dsluice.smtp.bind=127.0.0.1 -Dsluice.smtp.port="$smtp_port" -Dsluice.submission.enabled=false \
      -Dmicronaut.server.host=127.0.0.1 -Dmicronaut.server.port="$http_port" \
      -Dsluice.spool.dir="$OUT/queued/spool" -Dsluice.events.file="$OUT/queued/events.jsonl" \
      -Dsluice.spool.durability=fsync -Dsluice.smarthost="127.0.0.1:$dead_port" -Dsluice.delivery.tls=none \
      -jar "$jar" > "$1" 2>&1 &
    daemon_pid=$!; }
  live() { curl -s "127.0.0.1:$http_port/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["spool"]["liveDeliveries"])' 2>/dev/null; }
  heap_used() { jcmd "$daemon_pid" GC.run > /dev/null; sleep 1
    jcmd "$daemon_pid" GC.heap_info | python3 -c '
import re, sys
t = sys.stdin.read(); m = re.search(r"used (\d+)K", t); print(int(m.group(1)) * 1024)'; }
  wait_smtp() { for _ in $(seq 1800); do (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null && return 0
    kill -0 "$daemon_pid" 2>/dev/null || return 1; sleep 0.05; done; return 1; }
  mkdir -p "$OUT/queued"
  start "$OUT/queued/daemon-1.log"; wait_smtp || die "the daemon did not start (see $OUT/queued/daemon-1.log)"
  sleep 5; before=$(heap_used)
  echo "# queued: injecting $QUEUED x $QUEUED_SIZE B" >&2
  t0=$(date +%s)
  timeout 3600 "$bench" inject --smtp "127.0.0.1:$smtp_port" -n "$QUEUED" -c 20 --size "${QUEUED_SIZE}B" > "$OUT/queued/inject.log" 2>&1 \
    || die "inject failed (see $OUT/queued/inject.log)"
  inject_s=$(( $(date +%s) - t0 ))
  for _ in $(seq 600); do [ "$(live)" = "$QUEUED" ] && break; sleep 1; done
  queued_now=$(live)
  after=$(heap_used); rss=$(awk '/VmRSS/ {print $2}' "/proc/$daemon_pid/status")
  kill "$daemon_pid"; wait "$daemon_pid" 2>/dev/null; daemon_pid=
  t0=$(date +%s.%N); start "$OUT/queued/daemon-2.log"
  wait_smtp || die "the daemon did not start again (see $OUT/queued/daemon-2.log)"
  t_smtp=$(python3 -c "import time; print(f'{time.time() - $t0:.1f}')")
  for _ in $(seq 1200); do grep -q 'recovered .* live deliveries' "$OUT/queued/daemon-2.log" && break; sleep 0.1; done
  t_recovered=$(python3 -c "import time; print(f'{time.time() - $t0:.1f}')")
  for _ in $(seq 1200); do [ "$(live)" = "$QUEUED" ] && break; sleep 0.1; done
  t_health=$(python3 -c "import time; print(f'{time.time() - $t0:.1f}')")
  recovered=$(grep -o 'recovered [0-9]* live deliveries' "$OUT/queued/daemon-2.log" | head -1)
  echo "QUEUED deliveries=$queued_now of $QUEUED injected in ${inject_s}s; heap used before=$before after=$after" \
    "per delivery=$(( (after - before) / (queued_now > 0 ? queued_now : 1) )) B; RSS ${rss} kB"
  echo "RESTART smtp_accepting_s=$t_smtp recovered_log_s=$t_recovered health_live_s=$t_health ($recovered)"
fi
