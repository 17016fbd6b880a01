# Sourced by the benchmark scripts: builds the benchmark classes (unless BENCH_NO_BUILD=1) and sets
# BENCH_CP to the classpath of it/'s test classes and their dependencies. One reactor build, so the
# project's own modules come from their target/ directories and nothing is installed into ~/.m2
# (shared by everyone building on the machine).
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  mvn -B -q -DskipTests -Dspotless.check.skip=true package dependency:build-classpath -pl it -am \
    -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
fi
BENCH_CP="it/target/test-classes:$(cat it/target/bench.cp)"
export BENCH_CP
