#!/usr/bin/env bash
# Builds the example projects against zkdigest-junit as a user's project would: through its Maven
# coordinates, from the local repository the zkdigest build was installed into (mvn install).
# Extra arguments go to Maven, e.g. -Dmaven.repo.local=/tmp/junit-m2 (where that install went)
# or -Dzookeeper.version=3.8.6 (another ZooKeeper for the application and the embedded server).
set -euo pipefail
cd "$(dirname "$0")/.."
# The first <version> of the root POM is the project's own.
version=$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)
mvn -B -q -f examples/flag-service/pom.xml verify -Dzkdigest.version="$version" "$@"
echo "examples: flag-service built and tested against zkdigest-junit $version ($*)"
