#!/usr/bin/env bash
# Installs what the tests need (Debian packages, idempotently) and runs the whole suite:
# unit tests, then the integration tests against the packaged daemon (real smtp-source,
# swaks, smtp-sink, dnsmasq, DKIM verifiers). Servers the tests need are started by the tests
# themselves on free loopback ports and stopped by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
mvn -B clean verify "$@"
