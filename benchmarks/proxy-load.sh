#!/usr/bin/env bash
# Proxy load, side by side: direct, through zkdigest proxy, through haproxy (TCP mode).
#   benchmarks/proxy-load.sh [RATE=10000] [SECONDS=10] [CLIENTS=8]
# Needs haproxy (apt-get install haproxy). Environment (see ProxyLoad.java): PIN=1 (the default with
# two or more CPUs) runs the load and server on CPU 0 and each proxy on CPU 1; ROUNDS=N;
# PROXY_VARIANTS="-XX:+UseSerialGC;..." measures more zkdigest proxies beside the default one.
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
exec "${pin[@]}" java -cp "$BENCH_CP" dev.zkdigest.bench.ProxyLoad \
  "${1:-10000}" "${2:-10}" "${3:-8}" "$(pwd)"
