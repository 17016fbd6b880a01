#!/usr/bin/env bash
# Replay split by stage in one JVM, cold and warm (it/src/test/java/dev/zkdigest/bench/ReplayStages).
#   benchmarks/replay-stages.sh FILE [RUNS=3] [STAGE...]     stages: read parse decode digest async
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=classpath.sh
. benchmarks/classpath.sh
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java ${JAVA_OPTS:--Xmx256m -XX:+UseParallelGC} \
  -cp "$BENCH_CP" dev.zkdigest.bench.ReplayStages "$@"
