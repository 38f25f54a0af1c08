#!/usr/bin/env bash
# Builds Sluice and starts the daemon on embedded defaults: spool under ./var, SMTP on
# 127.0.0.1:2525, HTTP on 127.0.0.1:8025, no external service. Ctrl-C stops it.
#
#   scripts/dev-run.sh          deliver to the recipients' MX hosts (needs DNS and the internet)
#   scripts/dev-run.sh --sink   deliver everything to a local sink instead, offline: the load
#                               tool's sink on 127.0.0.1:2526 keeps each message it receives as a
#                               file under var/sink/, and mail From example.com is DKIM-signed
#                               with a development key made on first use (var/dev/example.com.pem,
#                               its DNS record beside it). No DNS and no internet needed.
#
# Environment (for tests that run the quick start as written; the defaults are the README's):
# SLUICE_DEV_VAR (var), SLUICE_DEV_SMTP_PORT (2525), SLUICE_DEV_HTTP_PORT (8025),
# SLUICE_DEV_SUBMISSION_PORT (2587), SLUICE_DEV_SINK_PORT (2526), SLUICE_DEV_SKIP_BUILD (0).
set -euo pipefail
cd "$(dirname "$0")/.."
sink=0
case "${1:-}" in
  --sink) sink=1 ;;
  "") ;;
  *) echo "usage: $0 [--sink]" >&2; exit 2 ;;
esac
var=${SLUICE_DEV_VAR:-var}
sink_port=${SLUICE_DEV_SINK_PORT:-2526}
if [ "${SLUICE_DEV_SKIP_BUILD:-0}" != 1 ]; then
  command -v mvn >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q maven; }
  mvn -B -q -DskipTests clean package -pl daemon,bench -am
fi
[ "$sink" = 1 ] || exec bin/sluice run

mkdir -p "$var/sink" "$var/dev"
var=$(cd "$var" && pwd)
key=$var/dev/example.com.pem
if [ ! -f "$key" ]; then
  bin/sluice dkim keygen --domain example.com --selector dev --algo rsa2048 --out "$key" > "$var/dev/example.com.dns.txt"
fi
cat > "$var/dev/sink.yml" <<YAML
# written by scripts/dev-run.sh --sink: everything goes to the local sink, example.com is signed
micronaut:
  server:
    port: ${SLUICE_DEV_HTTP_PORT:-8025}
sluice:
  smarthost: 127.0.0.1:$sink_port
  smtp:
    port: ${SLUICE_DEV_SMTP_PORT:-2525}
  submission:
    port: ${SLUICE_DEV_SUBMISSION_PORT:-2587}
  spool:
    dir: $var/spool
  events:
    file: $var/log/events.jsonl
  dkim:
    domains:
      example.com:
        selectors:
          dev:
            key-file: $key
YAML
java -jar bench/target/sluice-bench.jar sink --listen "127.0.0.1:$sink_port" --store "$var/sink" \
  --duration 24h --stats-every 1h > "$var/dev/sink.log" 2>&1 &
sink_pid=$!
trap 'kill "$sink_pid" 2>/dev/null || true' EXIT
echo "sink: 127.0.0.1:$sink_port (pid $sink_pid), messages in $var/sink/; DKIM record for dev._domainkey.example.com in $var/dev/example.com.dns.txt"
SLUICE_CONFIG=$var/dev/sink.yml bin/sluice run
