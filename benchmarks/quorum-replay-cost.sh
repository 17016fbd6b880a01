#!/usr/bin/env bash
# What quorum decoding adds to a replay, warm, in one JVM (see QuorumReplayCost):
#   benchmarks/quorum-replay-cost.sh FILE CLIENT_PORT QUORUM_PORT ELECTION_PORT [RUNS=7]
# FILE from benchmarks/record-quorum-capture.sh, which prints the ports.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$#" -ge 4 ] || { echo "usage: $0 FILE CLIENT_PORT QUORUM_PORT ELECTION_PORT [RUNS]" >&2; exit 2; }
# shellcheck source=classpath.sh
. benchmarks/classpath.sh
exec java -Xmx256m -cp "$BENCH_CP" dev.zkdigest.bench.QuorumReplayCost "$@"
