#!/usr/bin/env bash
# TLS proxy load, side by side: a ZooKeeper serving TLS directly, through zkdigest proxy terminating
# TLS on both sides (OpenSSL, and the JDK's engine), and through haproxy doing the same with the same
# certificates (made at run time). Mutual TLS on both hops.
#   benchmarks/tls-proxy-load.sh [RATE=10000] [SECONDS=10] [CLIENTS=8]
# Needs haproxy (apt-get install haproxy). PIN, ROUNDS and WARMUP as for proxy-load.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v haproxy >/dev/null || { echo "install haproxy first (apt-get install haproxy)" >&2; exit 1; }
./zkdigest --version >/dev/null
# shellcheck source=classpath.sh
. benchmarks/classpath.sh
pin=()
if [ "${PIN:-$([ "$(nproc)" -ge 2 ] && echo 1 || echo 0)}" = 1 ]; then
  export PIN=1
  pin=(taskset -c 0)
fi
exec "${pin[@]}" java -cp "$BENCH_CP" dev.zkdigest.bench.TlsProxyLoad \
  "${1:-10000}" "${2:-10}" "${3:-8}" "$(pwd)"
