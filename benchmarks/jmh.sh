#!/usr/bin/env bash
# JMH benchmarks of the hot paths (it/src/test/java/dev/zkdigest/bench). Arguments go to JMH,
# e.g. benchmarks/jmh.sh DecodeBench -p op=getData    or    benchmarks/jmh.sh -l
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=classpath.sh
. benchmarks/classpath.sh
exec java -cp "$BENCH_CP" org.openjdk.jmh.Main "$@"
