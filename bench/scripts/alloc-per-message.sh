#!/usr/bin/env bash
# alloc-per-message.sh [DAEMON_JAR] -- bytes allocated per message by the daemon, by thread group,
# and futex calls per message: counts, not times, so a shared noisy machine does not change them.
#
# Starts the bench sink and the packaged daemon (smarthost = the sink, delivery TLS off), injects
# WARMUP messages and waits until the sink has them all, then opens the measured window: a JFR
# recording with only jdk.ThreadAllocationStatistics (emitted at the start and the end of the
# recording: each thread's cumulative allocated bytes) and, when strace is present and STRACE=1,
# `strace -f -c -e trace=futex` on every thread of the daemon. It injects N messages, waits until
# the sink has all of them, closes the window and prints, per thread group (thread name without
# its trailing number), the bytes allocated in the window divided by N, and the futex calls per
# message. JFR's own threads and the attach listener (the measurement itself) are listed apart and
# left out of the total. Threads that ended inside the window are not seen (sessions are reused,
# so the daemon's threads live through it).
#
#   N (10000), WARMUP (5000), SIZE (2KB), CONC (10), DURABILITY (fsync), STRACE (1 if strace is
#   installed), PROFILE (0; 1 also records jdk.ObjectAllocationSample and prints the top allocating
#   frames by sampled weight: where to look, not the figure), OUT (/tmp/sluice-alloc), DAEMON_OPTS (extra -D options for the daemon)
# Needs the jars: mvn -q -DskipTests package -pl bench,daemon -am. Every wait is bounded; the
# daemon and the sink are stopped by their PIDs. Last line: `ALLOC total_bytes_per_msg=… futex_per_msg=…`.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
jar=${1:-$here/daemon/target/sluice.jar}
N=${N:-10000}; WARMUP=${WARMUP:-5000}; SIZE=${SIZE:-2KB}; CONC=${CONC:-10}; DURABILITY=${DURABILITY:-fsync}
OUT=${OUT:-/tmp/sluice-alloc}; DAEMON_OPTS=${DAEMON_OPTS:-}
if [ -z "${STRACE:-}" ]; then if command -v strace >/dev/null; then STRACE=1; else STRACE=0; fi; fi
bench="$here/bin/sluice-bench"
[ -f "$jar" ] || { echo "no daemon jar: $jar (mvn -q -DskipTests package -pl bench,daemon -am)" >&2; exit 2; }
for t in jcmd jfr python3; do command -v $t >/dev/null || { echo "needs $t" >&2; exit 2; }; done
rm -rf "$OUT"; mkdir -p "$OUT/daemon"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
sink_port=$(free_port); smtp_port=$(free_port); http_port=$(free_port)
sink_pid= daemon_pid= strace_pid=
cleanup() {
  [ -n "$strace_pid" ] && kill -INT "$strace_pid" 2>/dev/null
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null
  [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null
  wait 2>/dev/null; }
trap cleanup EXIT
die() { echo "alloc-per-message: $*" >&2; exit 1; }

"$bench" sink --listen "127.0.0.1:$sink_port" --stats-every 200ms --duration 30m > "$OUT/sink.log" 2>&1 &
sink_pid=$!
sink_count() { grep -o 'sink messages=[0-9]*' "$OUT/sink.log" | tail -1 | cut -d= -f2; }
wait_sink() { local want=$1 i
  for i in $(seq 3000); do [ "$(sink_count)" -ge "$want" ] 2>/dev/null && return 0; sleep 0.2; done
  die "the sink has $(sink_count) of $want messages after 600 s"; }

# shellcheck disable=SC2086
java -Xmx1g -Dchronicle.analytics.disable=true -Dchronicle.announcer.disable=true \
  -Dsluice.smtp.bind=127.0.0.1 -Dsluice.smtp.port="$smtp_port" -Dsluice.submission.enabled=false \
  -Dmicronaut.server.host=127.0.0.1 -Dmicronaut.server.port="$http_port" \
  -Dsluice.spool.dir="$OUT/daemon/spool" -Dsluice.events.file="$OUT/daemon/events.jsonl" \
  -Dsluice.spool.durability="$DURABILITY" -Dsluice.smarthost="127.0.0.1:$sink_port" -Dsluice.delivery.tls=none \
  $DAEMON_OPTS -jar "$jar" > "$OUT/daemon.log" 2>&1 &
daemon_pid=$!
for i in $(seq 1200); do
  (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null && break
  kill -0 "$daemon_pid" 2>/dev/null || die "the daemon exited (see $OUT/daemon.log)"
  sleep 0.1
done
inject() { "$bench" inject --smtp "127.0.0.1:$smtp_port" -n "$1" -c "$CONC" --size "$SIZE" >> "$OUT/inject.log" 2>&1 \
  || die "inject failed (see $OUT/inject.log)"; }
echo "# warm-up: $WARMUP x $SIZE" >&2
inject "$WARMUP"; wait_sink "$WARMUP"; sleep 2

SAMPLES=false; [ "${PROFILE:-0}" = 1 ] && SAMPLES=true
cat > "$OUT/alloc.jfc" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="alloc-per-message">
  <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting><setting name="period">everyChunk</setting></event>
  <event name="jdk.ObjectAllocationSample"><setting name="enabled">$SAMPLES</setting><setting name="throttle">300/s</setting><setting name="stackTrace">true</setting></event>
</configuration>
EOF
jcmd "$daemon_pid" JFR.start name=alloc settings="$OUT/alloc.jfc" > "$OUT/jcmd.log" 2>&1 || die "JFR.start failed (see $OUT/jcmd.log)"
if [ "$STRACE" = 1 ]; then
  strace -f -c -e trace=futex -o "$OUT/futex.txt" -p "$daemon_pid" 2> "$OUT/strace.log" &
  strace_pid=$!; sleep 1
  rm -f "$OUT/samples.json"
fi
echo "# measured: $N x $SIZE" >&2
before=$(sink_count)
inject "$N"; wait_sink $(( before + N ))
if [ -n "$strace_pid" ]; then kill -INT "$strace_pid"; wait "$strace_pid" 2>/dev/null; strace_pid=; fi
jcmd "$daemon_pid" JFR.stop name=alloc filename="$OUT/alloc.jfr" >> "$OUT/jcmd.log" 2>&1 || die "JFR.stop failed (see $OUT/jcmd.log)"
jfr print --json --events jdk.ThreadAllocationStatistics "$OUT/alloc.jfr" > "$OUT/alloc.json"

python3 - "$OUT/alloc.json" "$N" "$OUT/futex.txt" <<'EOF'
import collections, json, os, re, sys
events = json.load(open(sys.argv[1]))["recording"]["events"]
n = int(sys.argv[2])
first, last, names = {}, {}, {}
for e in sorted(events, key=lambda e: e["values"]["startTime"]):
    v = e["values"]; t = v.get("thread") or {}
    tid = t.get("javaThreadId") or t.get("osThreadId")
    if tid is None:
        continue
    names[tid] = t.get("javaName") or t.get("osName") or str(tid)
    first.setdefault(tid, v["allocated"]); last[tid] = v["allocated"]
groups, overhead = collections.Counter(), collections.Counter()
for tid, end in last.items():
    group = re.sub(r"[-#_ ]?\d+$", "", names[tid]).strip() or names[tid]
    delta = end - first[tid]
    if delta <= 0:
        continue
    (overhead if group.startswith(("JFR", "Attach Listener", "RMI", "JMX")) else groups)[group] += delta
total = sum(groups.values())
print(f"{'thread group':40} {'bytes/msg':>12} {'share':>6}")
for g, b in groups.most_common():
    if b / n >= 1:
        print(f"{g[:40]:40} {b / n:12,.0f} {100 * b / total:5.1f}%")
print(f"{'TOTAL (daemon, measured window)':40} {total / n:12,.0f}")
for g, b in overhead.most_common():
    print(f"{'(measurement: ' + g + ')'[:40]:40} {b / n:12,.0f}")
futex = ""
if os.path.exists(sys.argv[3]):
    for line in open(sys.argv[3]):
        f = line.split()
        if f and f[-1] == "futex":
            calls = int(f[3])
            futex = f" futex_per_msg={calls / n:.2f}"
            print(f"futex calls: {calls:,} = {calls / n:.2f} per message")
print(f"ALLOC n={n} total_bytes_per_msg={total / n:.0f}{futex}")
EOF
if [ "${PROFILE:-0}" = 1 ]; then
  jfr print --json --stack-depth 10 --events jdk.ObjectAllocationSample "$OUT/alloc.jfr" > "$OUT/samples.json"
  python3 - "$OUT/samples.json" <<'EOF'
import collections, json, sys
events = json.load(open(sys.argv[1]))["recording"]["events"]
top, site = collections.Counter(), collections.Counter()
total = 0
seen = set()
for e in sorted(events, key=lambda e: e["values"]["startTime"]):
    v = e["values"]; w = v["weight"]
    # a thread's first sample weighs everything it allocated since it was last sampled, i.e. the
    # whole warm-up (it showed as 20 % on one HashMap in Session.run): left out
    tid = (v.get("eventThread") or {}).get("javaThreadId")
    if tid not in seen:
        seen.add(tid)
        continue
    total += w
    frames = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"] for f in (v.get("stackTrace") or {}).get("frames", [])]
    top[(frames[0] if frames else "?") + " [" + v["objectClass"]["name"] + "]"] += w
    ours = next((f for f in frames if f.startswith(("io.sluice", "org.subethamail", "io.netty", "net.openhft", "io.micronaut"))), "?")
    site[ours] += w
print("\n# sampled allocation by first io.sluice/subetha/netty/chronicle/micronaut frame")
for f, w in site.most_common(25): print(f"{100 * w / total:5.1f}%  {f}")
print("\n# by allocating frame [class]")
for f, w in top.most_common(20): print(f"{100 * w / total:5.1f}%  {f}")
EOF
  rm -f "$OUT/samples.json"
fi
