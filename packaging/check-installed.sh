#!/usr/bin/env bash
# Installs the Debian package built by `mvn -Ppackage`, runs the installed zkdigest on a reference
# capture, checks its counts against the capture's published ones, checks the completion scripts
# and man pages, then removes the package. Also runs the release tarball's jar. CI runs it (root).
# Usage: packaging/check-installed.sh [SHARED_DIR]   (default: ../shared beside the checkout)
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${1:-../shared}"
capture="$shared/captures/dump.pcap"
deb="$(ls packaging/target/zkdigest_*.deb)"
tarball="$(ls packaging/target/zkdigest-*.tar.gz)"

fail() {
  echo "check-installed: $*" >&2
  exit 1
}
[ "$(id -u)" -eq 0 ] || fail "installing a package needs root"
dpkg -s zkdigest >/dev/null 2>&1 && fail "a zkdigest package is installed already; remove it first"

# The counts in $shared/captures/README.md for dump.pcap: requests by op, 13 replies, 1 event.
check_report() { # label, JSON report
  local expect='{"create":1,"exists":5,"getChildren":2,"getData":1,"ping":3,"setData":1}'
  jq -e --argjson ops "$expect" '
      (.ops | map_values(.requests)) == $ops
      and .summary.responses == 13 and .summary.unmatched_responses == 0
      and .summary.decode_errors == 0 and .events.NodeDataChanged == 1' <<<"$2" >/dev/null ||
    fail "$1: the report of $capture does not match its published counts: $(jq -c .ops <<<"$2")"
}

cleanup() { apt-get purge -y -q zkdigest >/dev/null 2>&1 || true; }
trap cleanup EXIT
apt-get install -y -q "./$deb" >/dev/null
[ "$(command -v zkdigest)" = /usr/bin/zkdigest ] || fail "zkdigest is not on the PATH"
# The package brings its own runtime: no java on the PATH for the installed command.
version="$(env PATH=/usr/bin:/bin JAVA_HOME= zkdigest --version)"
echo "check-installed: installed $version"
# Run from / (nothing of the checkout at hand), so the capture's path is made absolute first.
absolute="$(readlink -f "$capture")"
report="$(cd / && env PATH=/usr/bin:/bin JAVA_HOME= zkdigest replay "$absolute" --format json)"
check_report "installed zkdigest" "$report"
# The class-data archive postinst made for the installed jar and runtime: used by replay, with
# the same report and nothing on standard error (the JVM's own account of where Main came from).
[ -f /usr/lib/zkdigest/app/zkdigest-replay.jsa ] || fail "postinst made no class-data archive"
home="$(mktemp -d)"
again="$(cd / && env PATH=/usr/bin:/bin JAVA_HOME= HOME="$home" \
  JAVA_OPTS="-Xlog:class+load=info:file=$home/load.log" \
  zkdigest replay "$absolute" --format json 2>"$home/err")"
[ ! -s "$home/err" ] || fail "replay with the archive wrote to standard error: $(head -3 "$home/err")"
[ "$again" = "$report" ] || fail "replay with the archive: the report differs"
grep -q " dev.zkdigest.cli.Main source: shared objects file" "$home/load.log" ||
  fail "the installed archive was not used: $(grep ' dev.zkdigest.cli.Main ' "$home/load.log")"
[ ! -e "$home/.cache/zkdigest" ] || fail "a per-user archive was made beside the installed one"
rm -rf "$home"
[ "$(jq -r .version <<<"$report")" = "${version#zkdigest }" ] || fail "report version differs"
# The agent jar goes beside zkdigest.jar whenever the build made one (README, Install).
if [ -f agent/target/zkdigest-agent.jar ]; then
  [ -f /usr/lib/zkdigest/app/zkdigest-agent.jar ] || fail "the agent jar is not installed"
fi
for page in zkdigest zkdigest-replay zkdigest-proxy zkdigest-sniff; do
  zgrep -q "^\.TH " "/usr/share/man/man1/$page.1.gz" || fail "man page $page missing"
done
# shellcheck disable=SC2016 # expanded by the inner bash
bash -c '. /usr/share/bash-completion/completions/zkdigest && complete -p zkdigest >/dev/null &&
  COMP_WORDS=(zkdigest re) COMP_CWORD=1 COMP_LINE="zkdigest re" COMP_POINT=11 &&
  _complete_zkdigest 2>/dev/null; [[ " ${COMPREPLY[*]} " == *" replay "* ]]' ||
  fail "bash completion does not complete 'zkdigest re' to replay"
[ -f /usr/share/zsh/vendor-completions/_zkdigest ] || fail "zsh completion missing"
apt-get purge -y -q zkdigest >/dev/null
[ ! -e /usr/bin/zkdigest ] && [ ! -e /usr/lib/zkdigest ] || fail "files left after removal"
echo "check-installed: package ok (installed, replayed, removed)"

# The tarball: java -jar, and its launcher, with the JDK the build used.
dir="$(mktemp -d)"
tar -C "$dir" -xzf "$tarball"
top="$(ls "$dir")"
check_report "tarball java -jar" "$(java -jar "$dir/$top/zkdigest.jar" replay "$capture" --format json)"
check_report "tarball launcher" "$("$dir/$top/zkdigest" replay "$capture" --format json)"
# The tarball's class list stands for the first run's recording: that run builds the user's
# archive, and the next maps it.
home="$(mktemp -d)"
for run in 1 2; do
  check_report "tarball launcher, archive run $run" "$(HOME="$home" XDG_CACHE_HOME= \
    JAVA_OPTS="-Xlog:class+load=info:file=$home/load$run.log" \
    "$dir/$top/zkdigest" replay "$capture" --format json 2>"$home/err")"
  [ ! -s "$home/err" ] || fail "tarball archive run $run wrote to standard error: $(head -3 "$home/err")"
  grep -q " dev.zkdigest.cli.Main source: shared objects file" "$home/load$run.log" ||
    fail "tarball archive run $run: no archive used"
done
rm -rf "$home"
expected=(README.md zkdigest zkdigest-replay.classlist completion/zkdigest completion/_zkdigest
  man/man1/zkdigest.1)
[ -f agent/target/zkdigest-agent.jar ] && expected+=(zkdigest-agent.jar)
for f in "${expected[@]}"; do
  [ -f "$dir/$top/$f" ] || fail "tarball lacks $f"
done
rm -rf "$dir"
echo "check-installed: tarball ok"
