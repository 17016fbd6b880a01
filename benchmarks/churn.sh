#!/usr/bin/env bash
# Connection churn through the proxy: open connections and live heap before and after.
#   benchmarks/churn.sh [CONNECTIONS=50000] [PARALLEL=32]
# Exits 1 if connections stay open or the counts differ from what the clients sent. See Churn.java.
set -euo pipefail
cd "$(dirname "$0")/.."
./zkdigest --version >/dev/null
# shellcheck source=classpath.sh
. benchmarks/classpath.sh
exec java -cp "$BENCH_CP" dev.zkdigest.bench.Churn "${1:-50000}" "${2:-32}" "$(pwd)"
