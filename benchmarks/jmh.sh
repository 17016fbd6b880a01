#!/usr/bin/env bash
# JMH benchmarks of the hot paths (it/src/test/java/dev/zkdigest/bench). Arguments go to JMH,
# e.g. benchmarks/jmh.sh DecodeBench -p op=getData    or    benchmarks/jmh.sh -l
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests -Dspotless.check.skip=true install -pl it -am
mvn -B -q -pl it dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
  -Dmdep.includeScope=test >/dev/null
exec java -cp "it/target/test-classes:$(cat it/target/bench.cp)" org.openjdk.jmh.Main "$@"
