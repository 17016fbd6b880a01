#!/usr/bin/env bash
# Replaying a rotated capture (tcpdump -C: FILES files of MB megabytes each) against one file of
# the same packets, side by side in one run: wall time per byte of each, and their ratio.
#   benchmarks/rotated.sh [MB=10] [FILES=1000] [RUNS=3]      (about FILES files: tcpdump decides)
# The packets come from `zkdigest generate` (GENERATE_ARGS adds options, e.g. "--shape real"),
# written once more by tcpdump (-r -w) so that both sides hold the very same bytes and timestamps,
# then split by `tcpdump -C MB`. Needs about 2 x MB x FILES megabytes in BENCH_DIR (default /tmp).
# REPLAY_ARGS adds replay options (e.g. "--threads 1"); JAVA_OPTS defaults to -Xmx256m, so memory
# that grows with the number of files fails the run instead of hiding in a big heap.
# The reports of both sides (but for the file names) must be identical, or the script fails.
set -euo pipefail
cd "$(dirname "$0")/.."
mb="${1:-10}"
files="${2:-1000}"
runs="${3:-3}"
dir="${BENCH_DIR:-/tmp}/zkdigest-rotated-${mb}x${files}${GENERATE_ARGS:+-$(tr -c 'a-z0-9' _ <<<"$GENERATE_ARGS")}"
./zkdigest --version >/dev/null
mkdir -p "$dir"
one="$dir/one.pcap"
# As root, tcpdump writes as its own user unless -Z root, and that user may not write here.
as=()
if [ "$(id -u)" -eq 0 ]; then as=(-Z root); fi
if [ ! -f "$one" ]; then
  # shellcheck disable=SC2086 # GENERATE_ARGS is a list of options
  ./zkdigest generate "$dir/generated.pcap" --size "$((mb * files * 1000000))" ${GENERATE_ARGS:-} \
    >/dev/null
  tcpdump "${as[@]}" -r "$dir/generated.pcap" -w "$one" 2>/dev/null
  rm -f "$dir/generated.pcap"
fi
if [ ! -d "$dir/rot" ]; then
  mkdir -p "$dir/rot.tmp"
  tcpdump "${as[@]}" -r "$one" -w "$dir/rot.tmp/part" -C "$mb" 2>/dev/null
  mv "$dir/rot.tmp" "$dir/rot"
fi
# The shell's order (part, part1, part10, part100, ..., part2) on purpose: zkdigest orders the
# files by their first packets.
rot=("$dir"/rot/part*)
bytes_one=$(stat -c %s "$one")
bytes_rot=$(cat "${rot[@]}" | wc -c)   # also warms the page cache
cat "$one" >/dev/null
echo "one file: $bytes_one bytes; rotated: ${#rot[@]} files, $bytes_rot bytes"

# Wall seconds, CPU seconds (user + system: less disturbed by a busy machine), peak RSS (KiB) and
# system CPU seconds (reading: more of it when the files no longer fit in the page cache).
time_of() {
  /usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1 | awk '{print $1, $2 + $3, $4, $3}'
}
replay() { # output, files...
  local out="$1"
  shift
  # shellcheck disable=SC2086 # REPLAY_ARGS is a list of options
  JAVA_OPTS="${JAVA_OPTS:--Xmx256m}" time_of ./zkdigest replay ${REPLAY_ARGS:-} --format json \
    -o "$out" "$@"
}
declare -a t1 tr c1 cr
for i in $(seq "$runs"); do
  # Alternate which goes first, so neither always runs on a warmer or a busier machine.
  if [ $((i % 2)) -eq 1 ]; then
    a=$(replay "$dir/one.json" "$one"); b=$(replay "$dir/rot.json" "${rot[@]}")
  else
    b=$(replay "$dir/rot.json" "${rot[@]}"); a=$(replay "$dir/one.json" "$one")
  fi
  read -r wa ca ra sa <<<"$a"
  read -r wb cb rb sb <<<"$b"
  t1+=("$wa"); tr+=("$wb"); c1+=("$ca"); cr+=("$cb")
  echo "run $i: one file ${wa}s, CPU ${ca}s (system ${sa}s), peak RSS $((ra / 1024)) MiB;" \
    "${#rot[@]} files ${wb}s, CPU ${cb}s (system ${sb}s), peak RSS $((rb / 1024)) MiB"
done
python3 - "$dir/one.json" "$dir/rot.json" <<'EOF'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for r in (a, b):
    r.pop("source")
if a != b:
    sys.exit("rotated: the reports differ (beyond the file names)")
print("reports identical but for the file names:", a["summary"]["requests"], "requests")
EOF
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m1=$(median "${t1[@]}"); mr=$(median "${tr[@]}")
n1=$(median "${c1[@]}"); nr=$(median "${cr[@]}")
python3 -c "
one, rot, cone, crot = $m1, $mr, $n1, $nr
print(f'median one file {one:.2f}s ({$bytes_one/one/1e6:.0f} MB/s), CPU {cone:.2f}s;'
      f' ${#rot[@]} files {rot:.2f}s ({$bytes_rot/rot/1e6:.0f} MB/s), CPU {crot:.2f}s;'
      f' per-byte ratio wall {(rot/$bytes_rot)/(one/$bytes_one):.2f}x,'
      f' CPU {(crot/$bytes_rot)/(cone/$bytes_one):.2f}x')"
