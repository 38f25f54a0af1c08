#!/usr/bin/env bash
# Builds the container image (Dockerfile) and smoke-tests it: runs it with the SMTP and HTTP
# ports published on loopback, waits for the image's own health check, sends one message with
# swaks, checks /health and that the message was accepted into the spool (a Reception event),
# then stops and removes the container. Needs a Docker engine and access to the base images'
# registry; it is not part of scripts/test.sh for that reason.
#
#   scripts/image.sh [TAG]        (default tag: sluice:dev)
set -euo pipefail
cd "$(dirname "$0")/.."
tag=${1:-sluice:dev}
command -v docker >/dev/null || { echo "image.sh: needs docker (apt-get install docker.io)" >&2; exit 2; }
docker info >/dev/null 2>&1 || { echo "image.sh: no Docker engine answers (docker info failed)" >&2; exit 2; }
command -v swaks >/dev/null || { echo "image.sh: needs swaks (apt-get install swaks)" >&2; exit 2; }
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

docker build -t "$tag" .
smtp=$(free_port); http=$(free_port)
name=sluice-smoke-$$
sha() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
docker run -d --name "$name" -p "127.0.0.1:$smtp:2525" -p "127.0.0.1:$http:8025" \
  -e SLUICE_ADMIN_TOKEN_SHA256="$(sha "admin-$$")" -e SLUICE_API_TOKEN_SHA256="$(sha "api-$$")" "$tag" >/dev/null
trap 'docker rm -f "$name" >/dev/null 2>&1 || true' EXIT

echo "waiting for the container's health check..."
for _ in $(seq 1 60); do
  state=$(docker inspect -f '{{.State.Health.Status}}' "$name" 2>/dev/null || echo missing)
  [ "$state" = healthy ] && break
  [ "$state" = missing ] && { docker logs "$name" >&2; exit 1; }
  sleep 2
done
[ "$state" = healthy ] || { echo "image.sh: container not healthy ($state)" >&2; docker logs "$name" >&2; exit 1; }

user=$(docker exec "$name" id -u)
[ "$user" != 0 ] || { echo "image.sh: the daemon runs as root" >&2; exit 1; }
curl -fsS "http://127.0.0.1:$http/health"; echo
# swaks exits non-zero unless every reply of the transaction was positive
swaks --server "127.0.0.1:$smtp" --from me@example.com --to you@example.net --header 'Subject: image smoke test' \
  > /tmp/sluice-image-swaks.log 2>&1 \
  || { echo "image.sh: the message was not accepted:" >&2; cat /tmp/sluice-image-swaks.log >&2; exit 1; }
for _ in $(seq 1 20); do
  docker exec "$name" grep -Eq '"type": ?"Reception"' /var/log/sluice/events.jsonl 2>/dev/null && break
  sleep 0.5
done
docker exec "$name" grep -Eq '"type": ?"Reception"' /var/log/sluice/events.jsonl \
  || { echo "image.sh: no Reception event in the container's event log" >&2; exit 1; }
echo "image.sh: $tag OK (non-root uid $user, healthy, message accepted on SMTP, /health answered)"
