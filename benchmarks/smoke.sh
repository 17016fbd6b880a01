#!/usr/bin/env bash
# Every benchmark once with tiny parameters, so they keep working as the code changes (CI runs
# this). It checks that each one runs and reports; it asserts nothing about timings.
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_DIR="${BENCH_DIR:-$(mktemp -d)}"
trap 'rm -rf "$BENCH_DIR"' EXIT
# shellcheck source=classpath.sh
. benchmarks/classpath.sh
export BENCH_NO_BUILD=1
./zkdigest --version >/dev/null

check() { # name, pattern, command...
  local name="$1" pattern="$2"
  shift 2
  local out
  if ! out="$("$@" 2>&1)"; then
    echo "$out" | tail -20
    echo "smoke: $name failed" >&2
    exit 1
  fi
  if ! grep -q -- "$pattern" <<<"$out"; then
    echo "$out" | tail -20
    echo "smoke: $name did not report ($pattern)" >&2
    exit 1
  fi
  echo "smoke: $name ok: $(grep -- "$pattern" <<<"$out" | tail -1)"
}

check "replay vs tcpdump" "ratio" benchmarks/replay-vs-tcpdump.sh 8m 1
file="$(ls "$BENCH_DIR"/zkdigest-bench-8m-500.pcap)"
check "start-up" ", launcher .*median wall" benchmarks/startup.sh 1
check "replay vs tcpdump, real shape" "ratio" env SHAPE=real benchmarks/replay-vs-tcpdump.sh 8m 1 8
check "replay stages" "shards2" benchmarks/replay-stages.sh "$file" 1 read decode digest shards2
check "connection footprint" "bytes of heap each" benchmarks/replay-stages.sh conns 2000
check "replay variants" "t2 " benchmarks/replay-variants.sh "$file" 1 't1=--threads 1' \
  't2=--threads 2'
check "replay allocation" "bytes per message" benchmarks/replay-alloc.sh "$file" --threads 1
check "JMH hot paths" "ns/op" benchmarks/jmh.sh -wi 0 -i 1 -w 100ms -r 100ms -f 1 \
  'DecodeBench|ReassemblyBench|DigestBench.requestAndExchange'
# tcpdump splits the capture (-C); it needs no privileges to read and write files.
if command -v tcpdump >/dev/null; then
  check "rotated capture" "per-byte ratio" benchmarks/rotated.sh 1 4 1
else
  echo "smoke: rotated capture skipped (no tcpdump)"
fi
if command -v haproxy >/dev/null; then
  check "proxy load" "haproxy" env ROUNDS=1 WARMUP=1 benchmarks/proxy-load.sh 500 2 2
  check "TLS proxy load" "haproxy TLS" env ROUNDS=1 WARMUP=1 benchmarks/tls-proxy-load.sh 500 2 2
else
  echo "smoke: proxy load skipped (no haproxy)"
fi
check "idle connections" "idle sessions" env IDLE_WAIT=3 benchmarks/idle-connections.sh 200
# The 30-second soak and a small churn: both exit 1 if a count differs or a connection stays open.
check "soak" "counts exact" benchmarks/soak.sh 30 1000 2
check "churn" "counts exact" benchmarks/churn.sh 2000 16
check "agent overhead" "agent in the server" env WARMUP=1 benchmarks/agent-overhead.sh 500 1 2 1
if [ "$(id -u)" -eq 0 ] && command -v tcpdump >/dev/null; then
  check "sniff load" "kernel" benchmarks/sniff-load.sh 1000 2 2
  check "record a real capture" "wrote" benchmarks/record-capture.sh "$BENCH_DIR/real.pcap" 3 500 4
  # Decode errors would be a bug; unmatched replies could be the capture's own losses, which the
  # integration tests (exact counts) and record-capture.sh's 64 MiB buffer deal with.
  check "sniff rate" "load after" env PACKETS=3000 ROUNDS=1 \
    benchmarks/sniff-rate.sh "$BENCH_DIR/real.pcap" 5000
  check "replay it" "decode errors 0," bash -c \
    "./zkdigest replay '$BENCH_DIR/real.pcap' --format json | python3 -c \"import json,sys
s = json.load(sys.stdin)['summary']
print('requests', s['requests'], 'decode errors', str(s['decode_errors']) + ', unmatched',
      str(s['unmatched_responses']) + ', skipped', s['skipped_bytes'])\""
  # A three-server ensemble under write load, then what its quorum traffic costs to decode.
  check "record an ensemble capture" "writes in" \
    benchmarks/record-quorum-capture.sh "$BENCH_DIR/quorum.pcap" 2 2
  read -r client quorum election < "$BENCH_DIR/quorum.pcap.ports"
  check "quorum decoding cost" "CPU medians" \
    benchmarks/quorum-replay-cost.sh "$BENCH_DIR/quorum.pcap" "$client" "$quorum" "$election" 1
else
  echo "smoke: sniff load skipped (needs root)"
fi
