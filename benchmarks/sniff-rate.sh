#!/usr/bin/env bash
# Live capture against replay of the same file: a recorded capture is replayed with tcpreplay at
# given rates onto a veth pair (MTU 65535) whose other end is in a network namespace, zkdigest
# sniff listens on the end outside, and each run's drops and counts are printed next to
# `zkdigest replay --threads 1` of the same file. Runs are interleaved (every mode at a rate, then
# again) because the machine may be shared.
#   benchmarks/sniff-rate.sh FILE RATE...     (as root; RATE in packets/s, or max for --topspeed)
# Environment:
#   PACKETS=N     replay only the first N packets of FILE (editcap; default: all)
#   PORT=P        the ZooKeeper port in FILE (default: the first SYN's destination port)
#   MODES="libpcap libpcap-queue"   the engines compared (sniff --via MODE); MODE+OPTIONS adds
#                 sniff options, e.g. MODES="libpcap libpcap+--threads=2"
#   ROUNDS=2      runs of each mode at each rate
#   PROFILE=1     also the sniffer's CPU seconds by thread (and tcpdump's), just before it stops
# Record a capture with benchmarks/record-capture.sh FILE 30 10000 8.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$#" -ge 2 ] || { echo "usage: $0 FILE RATE... (as root)" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "$0: needs root (network namespace, veth, capture)" >&2; exit 2; }
for tool in tcpreplay editcap tshark ip; do
  command -v "$tool" >/dev/null || { echo "$0: $tool is needed" >&2; exit 2; }
done
src="$(realpath "$1")"
shift
rates=("$@")
modes=(${MODES:-libpcap libpcap-queue})
rounds="${ROUNDS:-2}"
./zkdigest --version >/dev/null

work="$(mktemp -d)"
ns="zksr$$"
outside="zsro$$"
inside="zsri$$"
cleanup() {
  ip netns del "$ns" 2>/dev/null || true
  ip link del "$outside" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

file="$src"
if [ -n "${PACKETS:-}" ]; then
  file="$work/first-$PACKETS.pcap"
  editcap -F pcap -r "$src" "$file" "1-$PACKETS"
fi
port="${PORT:-$(tshark -n -r "$file" -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0' -c 1 \
  -T fields -e tcp.dstport 2>/dev/null)}"
[ -n "$port" ] || { echo "$0: no SYN in $file: give PORT=" >&2; exit 2; }

ip netns add "$ns"
ip link add "$outside" mtu 65535 type veth peer name "$inside" mtu 65535
ip link set "$inside" netns "$ns"
ip link set "$outside" up
ip netns exec "$ns" ip link set "$inside" up
# No addresses: the replayed frames are for other hosts, the sniffer sees them and the stack
# drops them at once.

# One summary line from a report: the numbers compared.
summary() { # report.json
  python3 - "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
s, c = d["summary"], d.get("capture", {})
ops = {k: [v["requests"], v["responses"], v["errors"]] for k, v in d["ops"].items()}
print(s["requests"], s["responses"], s["errors"], s["unmatched_responses"], s["decode_errors"],
      c.get("packets_captured", c.get("packets", 0)), c.get("queue_drops", 0),
      c.get("kernel_drops", 0), json.dumps(ops, sort_keys=True).replace(" ", ""))
EOF
}

# CPU seconds of a JVM's threads by name (and of its child processes), for PROFILE=1.
threads_cpu() { # pid
  local tck
  tck="$(getconf CLK_TCK)"
  {
    for t in /proc/"$1"/task/*; do
      printf '%s\t%s\n' "$(cat "$t/comm")" "$(cut -d')' -f2 "$t/stat" | awk '{ print $12 + $13 }')"
    done
    for c in $(pgrep -P "$1"); do
      printf '%s\t%s\n' "child:$(cat /proc/"$c"/comm)" \
        "$(cut -d')' -f2 /proc/"$c"/stat | awk '{ print $12 + $13 }')"
    done
  } | awk -F'\t' -v tck="$tck" '{ n = $1; sub(/[ #-]*[0-9]+$/, "", n); cpu[n] += $2 }
    END { for (n in cpu) if (cpu[n] > 0) printf "%s=%.2f ", n, cpu[n] / tck; print "" }'
}

cpu() { # /usr/bin/time output: user+system seconds
  awk '{ printf "%.2f", $2 + $3 }' "$1"
}

echo "sniff-rate: $(basename "$src")${PACKETS:+ (first $PACKETS packets)}, port $port;" \
  "modes: ${modes[*]}; rounds: $rounds"
/usr/bin/time -f '%e %U %S' -o "$work/replay.time" \
  ./zkdigest replay --threads 1 --port "$port" --format json -o "$work/replay.json" "$file"
read -r r_req r_resp r_err r_unm r_dec r_pkts _ _ r_ops < <(summary "$work/replay.json")
echo "replay --threads 1: $r_pkts packets, $r_req requests, $r_resp responses, $r_err errors;" \
  "CPU $(cpu "$work/replay.time") s"
echo "load before: $(uptime)"
printf '%-20s %8s %10s %10s %10s %8s %8s %10s %6s %7s\n' mode rate "sent/s" captured \
  "q-drops" "k-drops" "drop%" requests exact "CPU s"

for rate in "${rates[@]}"; do
  for ((round = 1; round <= rounds; round++)); do
    for mode in "${modes[@]}"; do
      report="$work/sniff-$mode-$rate-$round.json"
      log="$work/sniff-$mode-$rate-$round.log"
      via="${mode%%+*}"
      extra=()
      [ "$via" = "$mode" ] || read -r -a extra <<<"${mode#*+}" # tcpdump+--threads 2: options
      /usr/bin/time -f '%e %U %S' -o "$work/sniff.time" \
        ./zkdigest sniff -i "$outside" --port "$port" --via "$via" "${extra[@]}" --format json \
        -o "$report" >"$log" 2>&1 &
      pid=$!
      for _ in $(seq 600); do
        grep -qs "capturing on" "$log" && break
        kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
        sleep 0.1
      done
      sleep 0.5 # the filter is attached and the capture loop runs
      if [ "$rate" = max ]; then
        speed=(--topspeed)
      else
        speed=(--pps="$rate")
      fi
      sent="$(ip netns exec "$ns" tcpreplay "${speed[@]}" -i "$inside" "$file" 2>&1 |
        awk '/Rated:/ { gsub(",", "", $0); for (i = 1; i < NF; i++) if ($(i+1) ~ /pps/) print int($i) }')"
      sleep 1 # the last packets reach the decoder
      java_pid="$(pgrep -P "$pid" java || echo "$pid")"
      [ "${PROFILE:-0}" = 1 ] && profile="$(threads_cpu "$java_pid")"
      # The JVM (child of time) gets SIGTERM: final report, then exit.
      kill -TERM "$java_pid"
      wait "$pid" || { echo "sniff failed:" >&2; cat "$log" >&2; exit 1; }
      read -r req resp err unm dec pkts qd kd ops < <(summary "$report")
      exact=no
      if [ "$req" = "$r_req" ] && [ "$resp" = "$r_resp" ] && [ "$err" = "$r_err" ] &&
        [ "$ops" = "$r_ops" ] && [ "$qd" = 0 ] && [ "$kd" = 0 ]; then
        exact=yes
      fi
      drop="$(awk -v q="$qd" -v k="$kd" -v n="$r_pkts" 'BEGIN { printf "%.1f", 100 * (q + k) / n }')"
      printf '%-20s %8s %10s %10s %10s %8s %8s %10s %6s %7s\n' "$mode" "$rate" "${sent:-?}" \
        "$pkts" "$qd" "$kd" "$drop" "$req" "$exact" "$(cpu "$work/sniff.time")"
      [ "${PROFILE:-0}" = 1 ] && echo "  CPU s by thread: $profile"
    done
  done
done
echo "load after: $(uptime)"
