#!/usr/bin/env bash
# Proxy load, side by side: direct, through zkdigest proxy, through haproxy (TCP mode).
#   benchmarks/proxy-load.sh [RATE=10000] [SECONDS=10] [CLIENTS=8]
# Needs haproxy (apt-get install haproxy).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v haproxy >/dev/null || { echo "install haproxy first (apt-get install haproxy)" >&2; exit 1; }
./zkdigest --version >/dev/null
mvn -B -q -DskipTests -Dspotless.check.skip=true install -pl it -am
mvn -B -q -pl it dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
  -Dmdep.includeScope=test >/dev/null
exec java -cp "it/target/test-classes:$(cat it/target/bench.cp)" dev.zkdigest.bench.ProxyLoad \
  "${1:-10000}" "${2:-10}" "${3:-8}" "$(pwd)"
