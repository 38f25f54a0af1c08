#!/usr/bin/env bash
# Cluster mode's cost on one node: the same bench run single-node and in cluster mode (one local
# Redis), alternating, 3 pairs; a provider total on the default rule so the shared-rate path runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp/sluice-cluster-cost}; rm -rf "$out"; mkdir -p "$out"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
redis-server --port $port --bind 127.0.0.1 --save "" --appendonly no --dir $out >$out/redis.log 2>&1 &
rpid=$!
trap 'kill $rpid' EXIT
sleep 0.5
printf 'providers:\n  - name: default\n    total-message-rate: 1000000/s\n    total-max-connections: 1000\n' > $out/rules.yml
for i in 1 2 3; do
  bin/sluice-bench run -n 10000 -c 10 --size 2KB --warmup 2000 --durability fsync \
    --daemon-opt sluice.egress.rules-file=$out/rules.yml --out $out/single-$i >/dev/null 2>&1
  redis-cli -p $port config resetstat >/dev/null
  bin/sluice-bench run -n 10000 -c 10 --size 2KB --warmup 2000 --durability fsync \
    --daemon-opt sluice.egress.rules-file=$out/rules.yml --daemon-opt sluice.cluster.redis.uri=redis://127.0.0.1:$port \
    --daemon-opt sluice.cluster.key-prefix=bench$i: --out $out/cluster-$i >/dev/null 2>&1
  redis-cli -p $port info commandstats | grep -E "cmdstat_(evalsha|eval|xread|ping|publish|hscan|xadd|get)" | tr -d '\r' > $out/cluster-$i/redis-commands.txt
done
grep -h RESULT $out/*/summary.txt
