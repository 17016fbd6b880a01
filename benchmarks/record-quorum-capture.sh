#!/usr/bin/env bash
# Records a real capture of a three-server ensemble (three JVMs on 127.0.0.1-3) under write load,
# tcpdump on loopback from its first election on: client, quorum and election traffic.
#   benchmarks/record-quorum-capture.sh FILE [SECONDS=20] [CLIENTS=6]      (as root)
# It prints the ports (and writes them to FILE.ports); then e.g.
#   REPLAY_ARGS="--port C --quorum-port Q --election-port E" benchmarks/replay-vs-tcpdump.sh FILE 5
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$#" -ge 1 ] || { echo "usage: $0 FILE [SECONDS] [CLIENTS]" >&2; exit 2; }
file="$(realpath -m "$1")"
# shellcheck source=classpath.sh
. benchmarks/classpath.sh
exec java -cp "$BENCH_CP" dev.zkdigest.it.RecordQuorumCapture "$file" "${2:-20}" "${3:-6}"
