#!/usr/bin/env bash
# all-targets.sh [DAEMON_JAR] -- every issue-14 target figure in one run, one line per target at
# the end. It runs the other scripts in turn, each into its own file under OUT, then reads them:
#
#   peer      the workplace's peer-baseline.sh, given as PEER_SCRIPT (it is not part of the
#             project), Sluice included: the 2 KB wire limit, Postfix's CPU per message and
#             Sluice's, fsync; skipped with a message when PEER_SCRIPT is not set
#   wire100k  bench/scripts/wire-100k.sh: the 100 KB wire limit and the relay's share and CPU
#   alloc     bench/scripts/alloc-per-message.sh: the JIT's share of the CPU after warm-up,
#             allocation and futex calls per message
#   targets   bench/scripts/targets.sh: DKIM's added CPU against one raw signature, p99 at half rate
#   scale     bench/scripts/scale.sh: 10/100/1,000 sessions, 1 M queued, restart
#
#   PARTS ("peer wire100k alloc targets scale"), OUT (/tmp/sluice-all-targets), PEER_SCRIPT,
#   SCALE_PARTS (scale.sh's PARTS, default "sessions queued"), REUSE (1: run nothing, read the
#   outputs already in OUT), and each script's own variables (N, WARMUP, REPEAT, ROUNDS, SESSIONS, ...).
# Several of the parts take minutes (scale's 1 M queued most); about an hour in all. Measure on a
# quiet machine: nothing else running. Needs the jars (mvn -q -DskipTests package -pl bench,daemon -am).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
jar=$(cd "$(dirname "${1:-$here/daemon/target/sluice.jar}")" && pwd)/$(basename "${1:-$here/daemon/target/sluice.jar}")
OUT=${OUT:-/tmp/sluice-all-targets}; PARTS=${PARTS:-peer wire100k alloc targets scale}
PEER_SCRIPT=${PEER_SCRIPT:-}
mkdir -p "$OUT"
[ -f "$jar" ] || { echo "all-targets: no daemon jar: $jar" >&2; exit 2; }

part() { case " $PARTS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
if [ "${REUSE:-0}" != 1 ]; then
  if part peer; then
    if [ -n "$PEER_SCRIPT" ] && [ -f "$PEER_SCRIPT" ]; then
      echo "# peer script" >&2
      (cd /tmp && RUN_SLUICE=1 SLUICE_JAR="$jar" W="$OUT/peers" bash "$PEER_SCRIPT") > "$OUT/peer.txt" 2>&1
    else
      echo "all-targets: PEER_SCRIPT (the peer-baseline.sh) not given or not found: the 2 KB wire-limit and Postfix targets are not measured" >&2
    fi
  fi
  part wire100k && { echo "# wire-100k" >&2; OUT="$OUT/wire100k" bash "$here/bench/scripts/wire-100k.sh" "$jar" > "$OUT/wire100k.txt" 2>&1; }
  if part alloc; then
    # two daemons: the CPU window runs with -XX:+PrintCompilation, whose output on stdout would add
    # the compiler's own writes and locks to the counted system calls
    echo "# alloc-per-message: CPU window" >&2
    OUT="$OUT/alloc-cpu" WARMUP=${WARMUP:-20000} CPU=1 ALLOC=0 STRACE=0 \
      bash "$here/bench/scripts/alloc-per-message.sh" "$jar" > "$OUT/alloc-cpu.txt" 2>&1
    echo "# alloc-per-message: allocation and futex" >&2
    OUT="$OUT/alloc" WARMUP=${WARMUP:-20000} CPU=0 STRACE=1 STRACE_TRACE=futex \
      bash "$here/bench/scripts/alloc-per-message.sh" "$jar" > "$OUT/alloc.txt" 2>&1
  fi
  part targets && { echo "# targets" >&2; SLUICE_JAR="$jar" OUT="$OUT/targets" bash "$here/bench/scripts/targets.sh" > "$OUT/targets.txt" 2>&1; }
  part scale && { echo "# scale" >&2; OUT="$OUT/scale" PARTS="${SCALE_PARTS:-sessions queued}" bash "$here/bench/scripts/scale.sh" "$jar" > "$OUT/scale.txt" 2>&1; }
fi

# key=value from the first line of FILE matching PATTERN
val() { grep -m1 -- "$2" "$1" 2>/dev/null | grep -o " $3=[0-9.]*" | head -1 | cut -d= -f2; }
line() { printf '%-44s %s\n' "$1" "$2"; }
echo "== issue 14 targets ($(date -u +%FT%TZ), $jar)"
if [ -f "$OUT/peer.txt" ]; then
  wire=$(val "$OUT/peer.txt" '^sink-direct-2KB ' msgs_per_s)
  pf_row=$(grep -m1 '^postfix-relay-2KB ' "$OUT/peer.txt" | grep -o 'best_of=[^ ]*' | cut -d= -f2)
  pf_cpu=$(val "$OUT/peer.txt" "^$pf_row " relay_cpu_ms_per_msg)
  sl_rate=$(val "$OUT/peer.txt" '^sluice-fsync-relay-2KB-' msgs_per_s)
  sl_cpu=$(val "$OUT/peer.txt" '^sluice-fsync-relay-2KB-' relay_cpu_ms_per_msg)
  line "2 KB CPU <= 1/10 of Postfix's" "$(awk -v s="$sl_cpu" -v p="$pf_cpu" 'BEGIN{if (s > 0) printf "Sluice %s ms, Postfix %s ms: 1/%.1f", s, p, p / s; else print "no figure"}')"
  line "2 KB >= 40 % of the wire limit" "$(awk -v s="$sl_rate" -v w="$wire" 'BEGIN{if (w > 0) printf "%s of %s msgs/s: %.0f %%", s, w, 100 * s / w; else print "no figure"}')"
else
  line "2 KB CPU <= 1/10 of Postfix's" "not measured (no peer script output)"
  line "2 KB >= 40 % of the wire limit" "not measured (no peer script output)"
fi
w100=$(grep '^MEDIAN sluice' "$OUT/wire100k.txt" 2>/dev/null | tail -1)
line "100 KB <= 1 ms CPU per message" "$(echo "$w100" | grep -o 'cpu_ms_per_msg=[0-9.]*' || echo 'not measured')"
line "100 KB >= 40 % of its wire limit" "$(echo "$w100" | grep -o 'share_of_wire_limit=[0-9]*%' || echo 'not measured')"
line "JIT < 5 % of the CPU after warm-up" "$(grep -m1 '^CPU ' "$OUT/alloc-cpu.txt" 2>/dev/null | grep -o 'jit_share=[0-9.]*' || echo 'not measured')%"
line "allocation <= 16 KB per 2 KB message" "$(val "$OUT/alloc.txt" '^ALLOC ' total_bytes_per_msg) bytes"
line "futex <= 4 per message" "$(val "$OUT/alloc.txt" '^ALLOC ' futex_per_msg) (strace -f -c, CPU=0 window)"
line "RSA-2048 added CPU <= 1.25 raw signatures" "$(grep -m1 '^ratio per pair' "$OUT/targets.txt" 2>/dev/null || echo 'not measured')"
line "p99 inject->250 < 5 ms at half rate" "$(grep -m1 '^half rate (' "$OUT/targets.txt" 2>/dev/null | sed 's/^half rate //' || echo 'not measured')"
if [ -f "$OUT/scale.txt" ]; then
  grep '^SESSIONS' "$OUT/scale.txt" | while read -r s; do line "sessions: a flat line" "$s"; done
  q=$(grep -m1 '^QUEUED' "$OUT/scale.txt" | grep -o 'deliveries=[0-9]*\|per delivery=[0-9]* B' | paste -sd' '); r=$(grep -m1 '^RESTART' "$OUT/scale.txt" | cut -c1-160)
  line "1 M queued <= 1 KB heap per delivery" "${q:-not measured (the queued part of scale.sh did not run)}"
  line "ready <= 30 s after a restart" "${r:-not measured (the queued part of scale.sh did not run)}"
else
  line "sessions, 1 M queued, restart" "not measured (no scale.sh output)"
fi
line "a spool of the previous build is read" "SpoolUpgradeTest (queue module, in the suite)"
