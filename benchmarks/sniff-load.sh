#!/usr/bin/env bash
# Live capture under load: zkdigest sniff -i lo while real clients drive a real ZooKeeper.
#   benchmarks/sniff-load.sh [OPS_PER_SEC=25000] [SECONDS=10] [CLIENTS=8]   (as root)
# Needs root (or cap_net_raw) and libpcap.
set -euo pipefail
cd "$(dirname "$0")/.."
./zkdigest --version >/dev/null
# shellcheck source=classpath.sh
. benchmarks/classpath.sh
exec java -cp "$BENCH_CP" dev.zkdigest.bench.SniffLoad \
  "${1:-25000}" "${2:-10}" "${3:-8}" "$(pwd)"
