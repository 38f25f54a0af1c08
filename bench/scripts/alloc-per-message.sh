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
# Before that window, unless CPU=0, a first window of N messages measures CPU instead, with no
# JFR allocation events and no strace (ptrace would multiply the cost of every futex): per thread
# group the CPU time per message (/proc/PID/task/*/schedstat, nanoseconds), user and kernel time of
# the whole process (/proc/PID/stat), the JIT compiler threads' share of the daemon's CPU (issue
# 14's target: < 5 % after warm-up), and what kept the compilers busy: the daemon runs with
# -XX:+PrintCompilation (when CPU=1), and the lines it logged in the window are counted by tier and
# package, with the methods made not entrant, the code cache's state and the classes loaded. Its
# last line: `CPU cpu_ms_per_msg=… jit_share=…`.
#
# STRACE_TRACE (futex) is strace's -e trace= list: `all` counts every system call per message.
# BY_THREAD=1 has strace log every call instead of counting them (slower under ptrace, same counts)
# and prints the calls per message by thread group and, for futex, by operation (who wakes whom).
#   N (10000), WARMUP (5000), SIZE (2KB), CONC (10), DURABILITY (fsync), CPU (1), ALLOC (1; 0: the CPU window only), STRACE (1 if strace is
#   installed), PROFILE (0; 1 also records jdk.ObjectAllocationSample and prints the top allocating
#   frames by sampled weight: where to look, not the figure), OUT (/tmp/sluice-alloc), DAEMON_OPTS (extra -D or JVM options for the daemon)
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

JIT_LOG=; [ "${CPU:-1}" = 1 ] && JIT_LOG=-XX:+PrintCompilation  # the window's compilations, read back from the log
# shellcheck disable=SC2086
java -Xmx1g -Dchronicle.analytics.disable=true -Dchronicle.announcer.disable=true \
  -Dsluice.smtp.bind=127.0.0.1 -Dsluice.smtp.port="$smtp_port" -Dsluice.submission.enabled=false \
  -Dmicronaut.server.host=127.0.0.1 -Dmicronaut.server.port="$http_port" \
  -Dsluice.spool.dir="$OUT/daemon/spool" -Dsluice.events.file="$OUT/daemon/events.jsonl" \
  -Dsluice.spool.durability="$DURABILITY" -Dsluice.smarthost="127.0.0.1:$sink_port" -Dsluice.delivery.tls=none \
  $JIT_LOG $DAEMON_OPTS -jar "$jar" > "$OUT/daemon.log" 2>&1 &
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

if [ "${CPU:-1}" = 1 ]; then
  # per thread: id, name and nanoseconds on a CPU; the process: user and system ticks
  cpu_snapshot() { local t
    for t in /proc/"$daemon_pid"/task/*; do
      printf '%s\t%s\t%s\n' "${t##*/}" "$(cat "$t/comm" 2>/dev/null)" "$(cut -d' ' -f1 "$t/schedstat" 2>/dev/null)"
    done
    awk '{sub(/^.*\) /, ""); print "process\tutime_stime\t" $12 " " $13}' /proc/"$daemon_pid"/stat; }
  echo "# measured (CPU): $N x $SIZE" >&2
  classes() { jstat -class "$daemon_pid" | awk 'NR == 2 {print $1}'; }
  before=$(sink_count); classes0=$(classes); lines0=$(wc -l < "$OUT/daemon.log"); cpu_snapshot > "$OUT/cpu-start.tsv"
  inject "$N"; wait_sink $(( before + N ))
  cpu_snapshot > "$OUT/cpu-end.tsv"
  jcmd "$daemon_pid" Compiler.codecache > "$OUT/codecache.txt" 2>&1
  echo "classes loaded in the CPU window: $(( $(classes) - classes0 ))" > "$OUT/classes.txt"
  tail -n +$(( lines0 + 1 )) "$OUT/daemon.log" > "$OUT/compilation.txt"
  python3 - "$OUT" "$N" "$(getconf CLK_TCK)" <<'EOF'
import collections, os, re, sys
def load(path):
    threads, proc = {}, None
    for line in open(path):
        tid, name, value = line.rstrip("\n").split("\t")
        if tid == "process":
            proc = [int(x) for x in value.split()]
        elif value:
            threads[tid] = (name, int(value))
    return threads, proc
out = sys.argv[1]
start, p0 = load(os.path.join(out, "cpu-start.tsv")); end, p1 = load(os.path.join(out, "cpu-end.tsv"))
n = int(sys.argv[2]); tck = int(sys.argv[3])
groups = collections.Counter()
for tid, (name, ns) in end.items():
    delta = ns - start.get(tid, (name, 0))[1]
    groups[re.sub(r"[-#_ ]?\d+$", "", name).strip() or name] += delta
total = sum(groups.values())
jit = sum(v for g, v in groups.items() if "CompilerThre" in g)
gc = sum(v for g, v in groups.items() if g.startswith(("GC Thread", "G1 ", "VM Thread")))
print(f"{'thread group (CPU window; names as /proc cuts them)':52} {'CPU us/msg':>10} {'share':>6}")
for g, v in groups.most_common():
    if v / n >= 500:  # 0.5 us per message
        print(f"{g[:52]:52} {v / n / 1000:10.1f} {100 * v / total:5.1f}%")
user = (p1[0] - p0[0]) * 1000 / tck / n
system = (p1[1] - p0[1]) * 1000 / tck / n
print(f"{'TOTAL (daemon, CPU window)':52} {total / n / 1000:10.1f}   user {user:.3f} + system {system:.3f} ms per message")
print(f"JIT compiler threads: {100 * jit / total:.1f} % of the daemon's CPU; GC and VM threads: {100 * gc / total:.1f} %")
# -XX:+PrintCompilation lines of the window: "<ms> <id> <flags> <tier> <method> (<n> bytes) [made not entrant]"
made, tiers, methods, notEntrant = 0, collections.Counter(), collections.Counter(), collections.Counter()
for line in open(os.path.join(out, "compilation.txt"), errors="replace"):
    m = re.match(r"\s*\d+\s+\d+\s+([%sn!b ]{0,6}?)\s*(\d)\s+(\S+)", line)
    if not m:
        continue
    method = m.group(3)
    if "made not entrant" in line:
        notEntrant[method] += 1
    elif "made zombie" not in line:
        made += 1; tiers[m.group(2)] += 1; methods[method] += 1
print(f"compilations in the window: {made} of {len(methods)} methods (by tier {dict(sorted(tiers.items()))}); "
      f"made not entrant: {sum(notEntrant.values())}")
def package(name):
    return ".".join(name.replace("::", ".").split(".")[:3])
for pkg, c in collections.Counter(package(k) for k in methods.elements()).most_common(8):
    print(f"  compiled {c:5d} x  {pkg}.*")
for name, c in notEntrant.most_common(5):
    print(f"  not entrant {c:3d} x  {name}")
for line in open(os.path.join(out, "codecache.txt")):
    if "full_count" in line or "CodeHeap" in line:
        print("  code cache: " + " ".join(line.split()))
print("  " + open(os.path.join(out, "classes.txt")).read().strip())
print(f"CPU n={n} cpu_ms_per_msg={total / n / 1e6:.3f} user_ms={user:.3f} system_ms={system:.3f} jit_share={100 * jit / total:.1f}")
EOF
fi

[ "${ALLOC:-1}" = 1 ] || exit 0
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
  rm -f "$OUT/futex.txt" "$OUT/calls.txt"
  if [ "${BY_THREAD:-0}" = 1 ]; then
    strace -f -e trace="${STRACE_TRACE:-futex}" -o "$OUT/calls.txt" -p "$daemon_pid" 2> "$OUT/strace.log" &
  else
    strace -f -c -e trace="${STRACE_TRACE:-futex}" -o "$OUT/futex.txt" -p "$daemon_pid" 2> "$OUT/strace.log" &
  fi
  strace_pid=$!; sleep 1
  rm -f "$OUT/samples.json"
fi
echo "# measured: $N x $SIZE" >&2
before=$(sink_count)
inject "$N"; wait_sink $(( before + N ))
for t in /proc/"$daemon_pid"/task/*; do printf '%s\t%s\n' "${t##*/}" "$(cat "$t/comm" 2>/dev/null)"; done > "$OUT/threads.tsv"
if [ -n "$strace_pid" ]; then kill -INT "$strace_pid"; wait "$strace_pid" 2>/dev/null; strace_pid=; fi
if [ -f "$OUT/calls.txt" ]; then
  # then the same summary -c would have written, so the figures below read it as usual
  python3 - "$OUT/calls.txt" "$OUT/threads.tsv" "$N" "$OUT/futex.txt" <<'EOF'
import collections, re, sys
names = dict(l.rstrip("\n").split("\t", 1) for l in open(sys.argv[2]) if "\t" in l)
n = int(sys.argv[3])
by, calls = collections.Counter(), collections.Counter()
for line in open(sys.argv[1]):
    m = re.match(r"(\d+)\s+(\w+)\((.*)", line)
    if not m:
        continue  # "<... resumed>" halves and signals
    tid, call, args = m.groups()
    group = re.sub(r"[-#_ ]?\d+$", "", names.get(tid, "(ended thread)")).strip()
    op = ""
    if call == "futex":
        o = re.search(r"FUTEX_\w+", args)
        op = " " + (o.group(0)[6:] if o else "?")
    by[(group, call + op)] += 1
    calls[call] += 1
print(f"{'thread group':24} {'call':28} {'per message':>11}")
for (g, c), k in by.most_common():
    if k / n >= 0.01:
        print(f"{g[:24]:24} {c[:28]:28} {k / n:11.2f}")
with open(sys.argv[4], "w") as out:  # strace -c's layout: calls in the fourth column
    for c, k in calls.most_common():
        print(f"0.00 0.000000 0 {k} 0 {c}", file=out)
EOF
fi
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
        elif len(f) >= 5 and f[3].isdigit() and f[-1] not in ("total", "futex"):
            print(f"{f[-1]} calls: {int(f[3]) / n:.2f} per message")  # STRACE_TRACE=all
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
