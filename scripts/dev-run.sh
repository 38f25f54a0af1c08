#!/usr/bin/env bash
# Builds Sluice and starts the daemon on embedded defaults: spool under ./var, SMTP on
# 127.0.0.1:2525, HTTP on 127.0.0.1:8025, no external service. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v mvn >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q maven; }
mvn -B -q -DskipTests clean package
exec bin/sluice run
