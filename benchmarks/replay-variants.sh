#!/usr/bin/env bash
# Replay variants side by side with tcpdump reading the same file, interleaved in every run.
#   benchmarks/replay-variants.sh FILE RUNS 'LABEL=REPLAY ARGS' ...
# A variant's arguments may start with JAR=/path/to/zkdigest.jar (another build, e.g. a baseline)
# and JAVA_OPTS=a,b (commas for spaces); otherwise the checkout's jar, through the launcher and its
# own choices (C1 below 512 MiB, class-data archives: run each variant once before measuring).
#   e.g. benchmarks/replay-variants.sh real.pcap 5 't1=--threads 1' 't2=--threads 2' \
#          'base-t1=JAR=/tmp/base.jar --threads 1'
# Prints per variant the median wall time, its ratio to tcpdump, user+system CPU and messages/s.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$#" -ge 3 ] || { echo "usage: $0 FILE RUNS 'LABEL=ARGS' ..." >&2; exit 2; }
file="$1"
runs="$2"
shift 2
./zkdigest --version >/dev/null
cat "$file" >/dev/null # page cache warm
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
labels=()
for v in "$@"; do labels+=("${v%%=*}"); done
run_variant() { # label args...
  local label="$1" jar="$PWD/cli/target/zkdigest.jar" opts=""
  shift
  local args=()
  for a in $*; do
    case "$a" in
      JAR=*) jar="${a#JAR=}" ;;
      JAVA_OPTS=*) opts="${a#JAVA_OPTS=}" && opts="${opts//,/ }" ;;
      *) args+=("$a") ;;
    esac
  done
  # shellcheck disable=SC2086
  /usr/bin/time -f "%e %U %S" -o "$out/time" env ZKDIGEST_JAR="$jar" JAVA_OPTS="$opts" \
    packaging/zkdigest replay "$file" "${args[@]}" --format json -o "$out/$label.json" \
    >/dev/null 2>"$out/err" || { cat "$out/err" >&2; return 1; }
  cat "$out/time"
}
for i in $(seq "$runs"); do
  /usr/bin/time -f "%e %U %S" -o "$out/time" tcpdump -r "$file" -w /dev/null 2>/dev/null
  echo "tcpdump $(cat "$out/time")" >>"$out/all"
  for v in "$@"; do
    label="${v%%=*}"
    t="$(run_variant "$label" "${v#*=}")" || { echo "$label failed" >&2; exit 1; }
    echo "$label $t" >>"$out/all"
  done
done
python3 - "$out" "${labels[@]}" <<'PY'
import json, statistics, sys
out, labels = sys.argv[1], sys.argv[2:]
rows = {}
for line in open(f"{out}/all"):
    label, wall, user, sys_ = line.split()
    rows.setdefault(label, []).append((float(wall), float(user) + float(sys_)))
td = statistics.median(w for w, _ in rows["tcpdump"])
print(f"{'variant':14s} {'wall':>7s} {'x tcpdump':>9s} {'cpu':>7s} {'M msgs/s':>8s}   (medians of {len(rows['tcpdump'])} runs)")
print(f"{'tcpdump':14s} {td:6.2f}s {1:9.2f} {statistics.median(c for _, c in rows['tcpdump']):6.2f}s")
for label in labels:
    s = json.load(open(f"{out}/{label}.json"))["summary"]
    msgs = s["requests"] + s["responses"] + s["events"]
    wall = statistics.median(w for w, _ in rows[label])
    cpu = statistics.median(c for _, c in rows[label])
    print(f"{label:14s} {wall:6.2f}s {wall / td:9.2f} {cpu:6.2f}s {msgs / wall / 1e6:8.2f}")
PY
