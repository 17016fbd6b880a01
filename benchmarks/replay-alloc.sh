#!/usr/bin/env bash
# Allocation per message in replay, from a JFR recording (JDK's own profiler; nothing to install).
#   benchmarks/replay-alloc.sh FILE [REPLAY_ARGS...]     (JAR=other.jar measures another build)
# Prints the bytes each thread allocated (jdk.ThreadAllocationStatistics), bytes per message, and
# the allocation profile (jdk.ObjectAllocationSample weights) by class and by our innermost frame.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$#" -ge 1 ] || { echo "usage: $0 FILE [REPLAY_ARGS...]" >&2; exit 2; }
file="$1"
shift
./zkdigest --version >/dev/null
jar="${JAR:-cli/target/zkdigest.jar}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
java -XX:+UseParallelGC -XX:StartFlightRecording=filename="$out/r.jfr",settings=profile \
  -jar "$jar" replay "$file" "$@" --format json -o "$out/r.json" >/dev/null 2>&1
jfr print --events jdk.ThreadAllocationStatistics "$out/r.jfr" >"$out/threads.txt"
jfr print --events jdk.ObjectAllocationSample --stack-depth 12 "$out/r.jfr" >"$out/samples.txt"
python3 - "$out" <<'PY'
import json, re, sys
out = sys.argv[1]
s = json.load(open(f"{out}/r.json"))["summary"]
msgs = s["requests"] + s["responses"] + s["events"]
unit = {"bytes": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}
def size(v):
    n, u = v.split()
    return float(n) * unit[u]
per_thread = {}
for block in open(f"{out}/threads.txt").read().split("}\n"):
    a = re.search(r"allocated = ([\d.]+ \w+)", block)
    t = re.search(r'thread = "([^"]+)"', block)
    if a and t:
        per_thread[t.group(1)] = size(a.group(1))  # the last value is the total
print(f"{msgs:,} messages")
for t, b in sorted(per_thread.items(), key=lambda x: -x[1])[:4]:
    print(f"thread {t:30s} {b / 1e6:9.1f} MB  {b / msgs:7.1f} bytes per message")
by_class, by_site = {}, {}
total = 0.0
for block in open(f"{out}/samples.txt").read().split("jdk.ObjectAllocationSample")[1:]:
    c = re.search(r"objectClass = (\S+)", block)
    w = re.search(r"weight = ([\d.]+ \w+)", block)
    if not (c and w):
        continue
    weight = size(w.group(1))
    total += weight
    frames = re.findall(r"^\s+(dev\.zkdigest\.[\w.$]+)\(", block, re.M)
    site = frames[0] if frames else "(outside zkdigest: JDK, libraries, start-up)"
    by_class[c.group(1)] = by_class.get(c.group(1), 0) + weight
    by_site[site] = by_site.get(site, 0) + weight
print(f"sampled allocation {total / 1e6:.1f} MB; by class:")
for k, v in sorted(by_class.items(), key=lambda x: -x[1])[:8]:
    print(f"  {100 * v / total:5.1f}%  {k}")
print("by the innermost zkdigest frame:")
for k, v in sorted(by_site.items(), key=lambda x: -x[1])[:8]:
    print(f"  {100 * v / total:5.1f}%  {k}")
PY
