#!/usr/bin/env bash
# Installs what the tests need (Debian packages, idempotently) and runs the whole suite:
# unit tests, then the integration tests against the packaged daemon (real smtp-source,
# swaks, smtp-sink, dnsmasq, DKIM verifiers, Redis). Most servers the tests need are started by
# the tests themselves on free loopback ports and stopped by PID; the cluster tests share one
# redis-server started here (SLUICE_TEST_REDIS_URI), stopped by its PID when the run ends.
# It ends with one line 'Tests: N passed, N failed, N skipped'; with CI=true a skipped test fails it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
redis_dir=$(mktemp -d /tmp/sluice-test-redis.XXXXXX)
redis_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$redis_dir" \
  --daemonize no >"$redis_dir/redis.log" 2>&1 &
redis_pid=$!
trap 'kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; rm -rf "$redis_dir"' EXIT
for _ in $(seq 1 100); do
  redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -p "$redis_port" ping >/dev/null || { echo "redis-server did not start:" >&2; cat "$redis_dir/redis.log" >&2; exit 1; }
export SLUICE_TEST_REDIS_URI="redis://127.0.0.1:$redis_port"
echo "redis-server for the cluster tests: $SLUICE_TEST_REDIS_URI (pid $redis_pid)"
status=0
mvn -B clean verify "$@" || status=$?
# One closing line for the whole run (Surefire and Failsafe print per module): how many ran,
# failed and were skipped. In CI a skipped test fails the run: it means a tool was missing.
summary_args=()
[ "${CI:-}" = true ] && summary_args+=(--no-skips)
/usr/bin/python3 scripts/test-summary.py "${summary_args[@]}" || { [ "$status" -ne 0 ] || status=1; }
exit "$status"
