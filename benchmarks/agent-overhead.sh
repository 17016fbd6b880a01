#!/usr/bin/env bash
# The agent's overhead, side by side: a ZooKeeper client at a fixed rate and at saturation with and
# without the agent in its JVM, then the same against a server with and without it.
#   benchmarks/agent-overhead.sh [RATE=10000] [SECONDS=10] [SESSIONS=8] [ROUNDS=2]
# Environment: PIN=1 (the default with two or more CPUs) runs the JVM measured on CPU 1 and the
# other side on CPU 0; WARMUP=S (default 5); AGENT_ARGS=k=v,... more agent arguments.
# Builds what it needs unless BENCH_NO_BUILD=1 (then a prior `mvn verify` or package is assumed).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  mvn -B -q -DskipTests -Dspotless.check.skip=true package -pl it -am
fi
for need in agent/target/zkdigest-agent.jar it/target/zookeeper/3.9.5 it/target/bench-lib it/target/test-classes; do
  [ -e "$need" ] || { echo "missing $need: build first (mvn -B -DskipTests package -pl it -am)" >&2; exit 1; }
done
cp="it/target/test-classes:$(ls it/target/zookeeper/3.9.5/*.jar it/target/bench-lib/*.jar | tr '\n' ':')"
pin=()
if [ "${PIN:-$([ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null && echo 1 || echo 0)}" = 1 ]; then
  export PIN=1
  pin=(taskset -c 0)
fi
exec "${pin[@]}" java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" \
  dev.zkdigest.bench.AgentLoad "${1:-10000}" "${2:-10}" "${3:-8}" "${4:-2}"
