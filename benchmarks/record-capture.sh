#!/usr/bin/env bash
# Records a real capture of an embedded ZooKeeper under load (tcpdump on loopback): half the
# clients run a mixed workload (every opcode, errors, multi, Curator), half send getData at a rate.
#   benchmarks/record-capture.sh FILE [SECONDS=30] [RATE=10000] [CLIENTS=8]      (as root)
# Then e.g. benchmarks/replay-vs-tcpdump.sh FILE 5
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$#" -ge 1 ] || { echo "usage: $0 FILE [SECONDS] [RATE] [CLIENTS]" >&2; exit 2; }
file="$(realpath -m "$1")"
# shellcheck source=classpath.sh
. benchmarks/classpath.sh
exec java -Dzookeeper.extendedTypesEnabled=true -cp "$BENCH_CP" dev.zkdigest.it.RecordCapture \
  "$file" "${2:-30}" "${3:-10000}" "${4:-8}"
