#!/usr/bin/env bash
# wire-100k.sh [DAEMON_JAR...] -- issue 14's 100 KB figures in one sitting: the 100 KB wire limit
# (postfix's smtp-source straight into smtp-sink) and each daemon jar given relaying the same
# load into the same sink, after a warm-up with 100 KB mail. Jars are measured in turn, ROUNDS
# times, alternating, so a noisy neighbour hits every build alike; medians are printed last.
#
#   SIZE (102400 bytes), N (2000 per measured run), WARMUP (3000), SESSIONS (10, reused: -d),
#   ROUNDS (3), OUT (/tmp/sluice-wire100k), LIMIT (120 s per run)
#
# Per run: msgs/s from the first message sent to the last one counted by the sink, and the CPU of
# the daemon's process (user + system ticks, /proc/PID/stat) over that window per message. The
# daemon runs on its defaults but for: fsync spool, smarthost = the sink, no delivery TLS. Needs
# smtp-source and smtp-sink (Debian: postfix). Every process it starts is stopped by its PID.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SIZE=${SIZE:-102400}; N=${N:-2000}; WARMUP=${WARMUP:-3000}; SESSIONS=${SESSIONS:-10}; ROUNDS=${ROUNDS:-3}
OUT=${OUT:-/tmp/sluice-wire100k}; LIMIT=${LIMIT:-120}
[ $# -gt 0 ] || set -- "$here/daemon/target/sluice.jar"
for t in smtp-source smtp-sink python3; do command -v $t >/dev/null || { echo "needs $t (apt-get install postfix)" >&2; exit 2; }; done
rm -rf "$OUT"; mkdir -p "$OUT"; : > "$OUT/results.txt"
HZ=$(getconf CLK_TCK)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
sink_pid= daemon_pid=
cleanup() { [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null; [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT

# smtp-sink -c prints its running message count ("mesg=N") to stdout
start_sink() { sink_port=$(free_port); : > "$OUT/sink.out"
  smtp-sink -c -u "$(id -un)" "127.0.0.1:$sink_port" 256 > "$OUT/sink.out" 2>&1 & sink_pid=$!
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$sink_port") 2>/dev/null && return; sleep 0.1; done
  echo "smtp-sink did not start" >&2; exit 1; }
stop_sink() { kill "$sink_pid" 2>/dev/null; wait "$sink_pid" 2>/dev/null; sink_pid=; }
sink_count() { tail -c 200 "$OUT/sink.out" | tr '\r' '\n' | grep -o 'mesg=[0-9]*' | tail -1 | cut -d= -f2; }
wait_count() { local want=$1 deadline=$(( $(date +%s) + LIMIT ))
  while [ "$(sink_count)" != "$want" ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.02; done; }
send() { timeout "$LIMIT" smtp-source -c -d -s "$SESSIONS" -m "$1" -l "$SIZE" -f a@test.example -t b@sink.example \
  "127.0.0.1:$2" > /dev/null 2>> "$OUT/source.err"; }
cpu_ticks() { awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$1/stat"; }

measure() {  # $1 name, $2 port, $3 pid whose CPU counts ("" for none); the sink is counted from $4
  local t0 t1 c0=0 c1=0 got
  [ -n "$3" ] && c0=$(cpu_ticks "$3")
  t0=$(date +%s.%N)
  send "$N" "$2"
  wait_count $(( $4 + N )); t1=$(date +%s.%N)
  [ -n "$3" ] && c1=$(cpu_ticks "$3")
  got=$(( $(sink_count) - $4 ))
  python3 -c "import sys; n=$got; s=$t1-$t0; c=($c1-$c0)*1000/$HZ
print(f'$1 size=$SIZE msgs_per_s={n/s:.0f} delivered={n}/$N secs={s:.2f}' + (f' cpu_ms_per_msg={c/max(n,1):.3f}' if '$3' else ''))" | tee -a "$OUT/results.txt"
}

for round in $(seq "$ROUNDS"); do
  start_sink; measure "wire-limit" "$sink_port" "" 0; stop_sink
  i=0
  for jar in "$@"; do
    i=$((i + 1)); start_sink
    smtp_port=$(free_port); http_port=$(free_port); rm -rf "$OUT/daemon"
    java -Dchronicle.analytics.disable=true -Dchronicle.announcer.disable=true \
      -Dsluice.smtp.bind=127.0.0.1 -Dsluice.smtp.port="$smtp_port" -Dsluice.submission.enabled=false \
      -Dmicronaut.server.host=127.0.0.1 -Dmicronaut.server.port="$http_port" \
      -Dsluice.spool.dir="$OUT/daemon/spool" -Dsluice.events.file="$OUT/daemon/events.jsonl" \
      -Dsluice.spool.durability=fsync -Dsluice.smarthost="127.0.0.1:$sink_port" -Dsluice.delivery.tls=none \
      -jar "$jar" > "$OUT/daemon-$i.log" 2>&1 &
    daemon_pid=$!
    for _ in $(seq 1200); do (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null && break; sleep 0.1; done
    send "$WARMUP" "$smtp_port"; wait_count "$WARMUP"; sleep 2
    measure "sluice-$i($(basename "$jar"))" "$smtp_port" "$daemon_pid" "$WARMUP"
    kill "$daemon_pid"; wait "$daemon_pid" 2>/dev/null; daemon_pid=; stop_sink
  done
done
echo "# medians over $ROUNDS rounds ($OUT/results.txt)"
python3 - "$OUT/results.txt" <<'EOF'
import collections, re, statistics, sys
rows = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1]):
    name, *fields = line.split()
    for f in fields:
        k, v = f.split("=")
        if re.fullmatch(r"[\d.]+", v):
            rows[name][k].append(float(v))
limit = statistics.median(rows["wire-limit"]["msgs_per_s"]) if "wire-limit" in rows else None
for name, f in rows.items():
    rate = statistics.median(f["msgs_per_s"])
    cpu = f" cpu_ms_per_msg={statistics.median(f['cpu_ms_per_msg']):.3f}" if f.get("cpu_ms_per_msg") else ""
    share = f" share_of_wire_limit={100 * rate / limit:.0f}%" if limit and name != "wire-limit" else ""
    print(f"MEDIAN {name} msgs_per_s={rate:.0f}{cpu}{share}")
EOF
