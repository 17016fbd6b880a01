#!/usr/bin/env bash
# Start-up: `replay FILE --format json` end to end, wall time, the variants interleaved in one run.
#   benchmarks/startup.sh [RUNS=9] [FILE...]     (default FILE: a generated capture of about 1 MB)
# Variants: JDK 17 (the PATH's java) with no options (`java -jar`), the launcher as it was before
# archives and C1 (parallel GC only), the launcher with archives off (ZKDIGEST_CDS=0, C1 only),
# the launcher as installed (class-data archive, C1 for small replays), and the same two with a
# JDK 24+ when one is found (JDK24_HOME, or the newest /usr/lib/jvm/*-2[4-9]*). The launcher's
# archives go to a cache of the benchmark's own; its first run (records the classes it loads)
# and second run (builds the archive first) are timed apart. Every variant's report must be
# byte-identical to the first one's, or the benchmark fails. Prints medians of wall time and of
# CPU time (user + system: less disturbed than wall time when the machine is shared).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-9}"
shift || true
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
./zkdigest --version >/dev/null
files=("$@")
if [ "${#files[@]}" -eq 0 ]; then
  files=("$work/one.pcap")
  ./zkdigest generate "$work/one.pcap" --size 400k >/dev/null
fi
jar="$PWD/cli/target/zkdigest.jar"
# The baseline: JDK17_HOME, or the JDK of java on the PATH.
java17="${JDK17_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
java24="${JDK24_HOME:-$(ls -d /usr/lib/jvm/*-2[4-9]* 2>/dev/null | sort -V | tail -1 || true)}"
[ -x "$java24/bin/java" ] || java24=""

release() { sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$1/release"; }
v17="$(release "$java17")"
names=()
commands=()
variant() { # name, command (run by bash -c with $F set to the capture)
  names+=("$1")
  commands+=("$2")
}
variant "JDK $v17, java -jar" "'$java17/bin/java' -jar '$jar' replay \"\$F\" --format json"
variant "JDK $v17, launcher as before" \
  "JAVA_HOME='$java17' ZKDIGEST_CDS=0 JAVA_OPTS=-XX:+TieredCompilation packaging/zkdigest replay \"\$F\" --format json"
variant "JDK $v17, launcher, ZKDIGEST_CDS=0" \
  "JAVA_HOME='$java17' ZKDIGEST_CDS=0 packaging/zkdigest replay \"\$F\" --format json"
variant "JDK $v17, launcher" \
  "JAVA_HOME='$java17' XDG_CACHE_HOME='$work/cache17' packaging/zkdigest replay \"\$F\" --format json"
if [ -n "$java24" ]; then
  v="$(release "$java24")"
  variant "JDK $v, java -jar" "'$java24/bin/java' -jar '$jar' replay \"\$F\" --format json"
  variant "JDK $v, launcher" \
    "JAVA_HOME='$java24' XDG_CACHE_HOME='$work/cache24' packaging/zkdigest replay \"\$F\" --format json"
fi
export ZKDIGEST_JAR="$jar"

ms() { # command: runs it, checks its report, prints its wall time and CPU time (user + system)
  F="$file" /usr/bin/time -f '%e %U %S' -o "$work/time" bash -c "$1" >"$work/out.json" 2>"$work/err"
  if [ -s "$work/err" ]; then
    echo "startup: standard error not empty: $(head -3 "$work/err")" >&2
    exit 1
  fi
  if [ -f "$work/expected.json" ]; then
    cmp -s "$work/out.json" "$work/expected.json" ||
      { echo "startup: the report differs from the first variant's: $1" >&2; exit 1; }
  else
    mv "$work/out.json" "$work/expected.json"
  fi
  awk '{printf "%d/%d\n", $1 * 1000, ($2 + $3) * 1000}' "$work/time"
}
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for file in "${files[@]}"; do
  rm -rf "$work/cache17" "$work/cache24" "$work/expected.json"
  cat "$file" >/dev/null # page cache warm
  echo "== $file ($(stat -c %s "$file") bytes), $runs runs each, interleaved"
  # The first two runs of each launcher: recording, then building the archive before running.
  for i in "${!names[@]}"; do
    case "${names[$i]}" in
      *", launcher") echo "${names[$i]}: first run $(ms "${commands[$i]}") ms (records)," \
        "second $(ms "${commands[$i]}") ms (builds the archive), wall/CPU" ;;
    esac
  done
  declare -A times=()
  for _ in $(seq "$runs"); do
    for i in "${!names[@]}"; do
      times[$i]+="$(ms "${commands[$i]}") "
    done
  done
  base=""
  for i in "${!names[@]}"; do
    # shellcheck disable=SC2086 # the list of times
    wall="$(median $(printf '%s\n' ${times[$i]} | cut -d/ -f1))"
    # shellcheck disable=SC2086
    cpu="$(median $(printf '%s\n' ${times[$i]} | cut -d/ -f2))"
    [ -n "$base" ] || base="$wall"
    printf '%-38s median wall %5d ms (%.2fx), CPU %5d ms   (wall/CPU: %s)\n' "${names[$i]}" \
      "$wall" "$(awk -v a="$wall" -v b="$base" 'BEGIN {print a / b}')" "$cpu" "${times[$i]% }"
  done
  unset times
done
