# Sourced by the benchmark scripts: builds the benchmark classes (unless BENCH_NO_BUILD=1) and sets
# BENCH_CP to the classpath of it/'s test classes and their dependencies.
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  mvn -B -q -DskipTests -Dspotless.check.skip=true install -pl it -am
  mvn -B -q -pl it dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
    -Dmdep.includeScope=test >/dev/null
fi
BENCH_CP="it/target/test-classes:$(cat it/target/bench.cp)"
export BENCH_CP
