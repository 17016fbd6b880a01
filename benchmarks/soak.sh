#!/usr/bin/env bash
# The proxy at a steady load for a long time: RSS and live heap sampled, counts compared at the end.
#   benchmarks/soak.sh [SECONDS=1800] [RATE=2000] [CLIENTS=4]
# Exits 1 if the proxy's final report differs from what the clients sent. See Soak.java.
set -euo pipefail
cd "$(dirname "$0")/.."
./zkdigest --version >/dev/null
# shellcheck source=classpath.sh
. benchmarks/classpath.sh
exec java -cp "$BENCH_CP" dev.zkdigest.bench.Soak "${1:-1800}" "${2:-2000}" "${3:-4}" "$(pwd)"
