#!/usr/bin/env bash
# Replay throughput against tcpdump reading the same file, side by side in one run.
#   benchmarks/replay-vs-tcpdump.sh [SIZE=1g | FILE] [RUNS=3] [SESSIONS=500]
# REPLAY_ARGS adds replay options, e.g. REPLAY_ARGS="--quorum-port 2888 --election-port 3888".
# SHAPE=real generates the capture with `generate --shape real` (segments and frames as in a real
# capture of Java clients, BENCHMARKS.md) instead of MSS-sized segments: SHAPE=real ... 445m 3 8.
# Prints the wall time of each run, the ratio of medians, messages/s and zkdigest's peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-1g}"
runs="${2:-3}"
sessions="${3:-500}"
if [ -f "$size" ]; then
  file="$size"
else
  file="${BENCH_DIR:-/tmp}/zkdigest-bench-$size-$sessions${SHAPE:+-$SHAPE}.pcap"
fi
./zkdigest --version >/dev/null
[ -f "$file" ] || ./zkdigest generate "$file" --size "$size" --sessions "$sessions" \
  --shape "${SHAPE:-mss}"
cat "$file" > /dev/null   # page cache warm
time_of() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
declare -a td zk
for i in $(seq "$runs"); do
  t=$(time_of tcpdump -r "$file" -w /dev/null)
  td+=("${t%% *}")
  # shellcheck disable=SC2086
  z=$(JAVA_OPTS="${JAVA_OPTS:--Xmx256m}" time_of ./zkdigest replay "$file" ${REPLAY_ARGS:-} \
      --format json -o /tmp/zkdigest-bench.json)
  zk+=("${z%% *}")
  echo "run $i: tcpdump ${t%% *}s  zkdigest ${z%% *}s (peak RSS $(( ${z##* } / 1024 )) MiB)"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mt=$(median "${td[@]}"); mz=$(median "${zk[@]}")
msgs=$(python3 -c "import json;s=json.load(open('/tmp/zkdigest-bench.json'))['summary'];print(s['requests']+s['responses']+s['events'])")
echo "file $(du -h "$file" | cut -f1), $msgs messages"
python3 -c "print(f'median tcpdump {$mt:.2f}s, zkdigest {$mz:.2f}s, ratio {$mz/$mt:.2f}x, {$msgs/$mz/1e6:.2f}M messages/s')"
