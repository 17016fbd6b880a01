#!/usr/bin/env bash
# Replay split by stage in one JVM, cold and warm (it/src/test/java/dev/zkdigest/bench/ReplayStages).
#   benchmarks/replay-stages.sh FILE [RUNS=3] [STAGE...]     stages: read parse decode digest async
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests -Dspotless.check.skip=true install -pl it -am
mvn -B -q -pl it dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
  -Dmdep.includeScope=test >/dev/null
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java ${JAVA_OPTS:--Xmx256m -XX:+UseParallelGC} \
  -cp "it/target/test-classes:$(cat it/target/bench.cp)" dev.zkdigest.bench.ReplayStages "$@"
