#!/usr/bin/env bash
# Builds the Debian package and the release tarball from what the reactor built (run by
# `mvn -Ppackage package`, module packaging/). Usage: build.sh ROOT OUTDIR PROJECT_VERSION
#
#   OUTDIR/zkdigest_VERSION-1_amd64.deb   jpackage, with a jlink runtime of the modules jdeps finds
#   OUTDIR/zkdigest-VERSION.tar.gz        zkdigest.jar (java -jar), the launcher, completion, man
#
# The agent jar (agent/target/zkdigest-agent.jar) goes into both when the agent module built it.
set -euo pipefail
root="$(cd "$1" && pwd)"
out="$2"
version="$3"

jar="$root/cli/target/zkdigest.jar"
completion="$root/cli/target/zkdigest_completion"
adoc="$root/cli/target/man"
agent="$root/agent/target/zkdigest-agent.jar"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}"

need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "packaging: $1 is needed ($2)" >&2
  exit 1
}
need "${java_bin}jpackage" "JDK 17 or later"
need fakeroot "apt-get install fakeroot"
need dpkg-deb "apt-get install dpkg-dev"
need asciidoctor "apt-get install asciidoctor"
for f in "$jar" "$completion"; do
  [ -f "$f" ] || { echo "packaging: $f is missing: build cli first" >&2; exit 1; }
done

# Debian orders 0.1.0~SNAPSHOT before 0.1.0, as Maven orders 0.1.0-SNAPSHOT before 0.1.0.
deb_version="${version/-SNAPSHOT/~SNAPSHOT}"
work="$out/work"
rm -rf "$work"
mkdir -p "$work/input" "$work/man/man1" "$work/completion"

# Man pages: picocli's ManPageGenerator wrote AsciiDoc at build time; roff for man(1) here.
asciidoctor -b manpage -D "$work/man/man1" "$adoc"/*.adoc
# Bash reads picocli's script as it is; zsh autoloads _zkdigest from its fpath, which runs the
# same script through bashcompinit and then completes the word that loaded it.
cp "$completion" "$work/completion/zkdigest"
{
  echo "#compdef zkdigest"
  echo "# zsh completion for zkdigest: picocli's bash completion through zsh's bashcompinit."
  sed 1d "$completion"
  echo '_bash_complete -F _complete_zkdigest -o default'
} >"$work/completion/_zkdigest"

cp "$jar" "$work/input/zkdigest.jar"
if [ -f "$agent" ]; then
  cp "$agent" "$work/input/zkdigest-agent.jar"
else
  echo "packaging: no agent jar ($agent): the package and tarball go without it" >&2
fi

# The runtime: the modules jdeps finds in the shaded jar, less three it names for code zkdigest
# never runs headless (each a megabyte or more, and java.desktop would make the package depend
# on X11 and ALSA), plus jdk.crypto.ec, a security provider that TLS loads by name.
#   java.desktop:  JNA's AWT window-handle helpers; java.compiler: annotations only;
#   jdk.sctp:      Netty's SCTP transport.
modules="$("${java_bin}jdeps" --ignore-missing-deps --multi-release 17 --print-module-deps "$jar")"
modules="$(tr ',' '\n' <<<"$modules" | grep -vx -e java.desktop -e java.compiler -e jdk.sctp |
  paste -sd, -),jdk.crypto.ec"
echo "packaging: runtime modules: $modules"
# --generate-cds-archive: the JDK's own class-data archive, which a jlink image lacks otherwise;
# every command's start-up uses it (the launcher's per-user archives replace it for replay).
"${java_bin}jlink" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --generate-cds-archive --add-modules "$modules" --output "$work/runtime"

# The class list of a replay (JSON report) of a generated capture, run by that runtime: the
# Debian package's postinst dumps a class-data archive from it for the installed jar and runtime,
# and the launcher builds a user's archive from it on the first run (BENCHMARKS.md, start-up).
"$work/runtime/bin/java" -jar "$jar" generate "$work/train.pcap" --size 400k >/dev/null
"$work/runtime/bin/java" -XX:+UseParallelGC -XX:TieredStopAtLevel=1 \
  -XX:DumpLoadedClassList="$work/input/zkdigest-replay.classlist" \
  -jar "$jar" replay "$work/train.pcap" --format json >/dev/null
rm -f "$work/train.pcap"

# --install-dir /usr lays the package out as /usr/bin and /usr/lib/zkdigest/{app,runtime}.
mkdir -p "$work/jpackage"
# That package is unpacked again below: no time spent compressing it.
DPKG_DEB_COMPRESSOR_TYPE=none "${java_bin}jpackage" --type deb --dest "$work/jpackage" \
  --name zkdigest --app-version "$deb_version" \
  --description "ZooKeeper traffic analyzer: who asks ZooKeeper for what, how often, how slowly" \
  --vendor zkdigest --linux-deb-maintainer "zkdigest@localhost" --linux-app-category utils \
  --input "$work/input" --main-jar zkdigest.jar --runtime-image "$work/runtime" \
  --install-dir /usr
deb_in="$(ls "$work"/jpackage/zkdigest_*.deb)"

# jpackage's native launcher runs the JVM with fixed options; the shell launcher picks them by
# subcommand (parallel GC for replay, C1 for the proxy), so it replaces the native one. The
# completion scripts and man pages go where bash-completion, zsh and man look for them.
tree="$work/deb"
dpkg-deb -R "$deb_in" "$tree"
rm -f "$tree/usr/bin/zkdigest" "$tree/usr/lib/zkdigest/app/zkdigest.cfg" \
  "$tree/usr/lib/zkdigest/lib/libapplauncher.so" "$tree/usr/lib/zkdigest/zkdigest.png"
rmdir "$tree/usr/lib/zkdigest/lib" 2>/dev/null || true
install -m 0755 "$root/packaging/zkdigest" "$tree/usr/bin/zkdigest"
# jpackage's maintainer scripts do nothing; ours make and remove the class-data archive, which
# belongs to no package file list. A failed dump leaves zkdigest without it, nothing worse.
cat >"$tree/DEBIAN/postinst" <<'SCRIPT'
#!/bin/sh
set -e
app=/usr/lib/zkdigest/app
if [ "$1" = configure ]; then
  rm -f "$app/zkdigest-replay.jsa"
  /usr/lib/zkdigest/runtime/bin/java -Xshare:dump \
    -XX:SharedClassListFile="$app/zkdigest-replay.classlist" \
    -XX:SharedArchiveFile="$app/zkdigest-replay.jsa" -cp "$app/zkdigest.jar" >/dev/null 2>&1 ||
    rm -f "$app/zkdigest-replay.jsa"
fi
exit 0
SCRIPT
cat >"$tree/DEBIAN/prerm" <<'SCRIPT'
#!/bin/sh
set -e
rm -f /usr/lib/zkdigest/app/zkdigest-replay.jsa
exit 0
SCRIPT
chmod 0755 "$tree/DEBIAN/postinst" "$tree/DEBIAN/prerm"
install -D -m 0644 "$work/completion/zkdigest" \
  "$tree/usr/share/bash-completion/completions/zkdigest"
install -D -m 0644 "$work/completion/_zkdigest" "$tree/usr/share/zsh/vendor-completions/_zkdigest"
mkdir -p "$tree/usr/share/man/man1"
for page in "$work"/man/man1/*.1; do
  gzip -9n <"$page" >"$tree/usr/share/man/man1/$(basename "$page").gz"
done
install -m 0644 "$root/README.md" "$tree/usr/share/doc/zkdigest/README.md"
# The size dpkg shows must match what the tree now holds.
size_kb="$(du -sk --exclude=DEBIAN "$tree" | cut -f1)"
sed -i "s/^Installed-Size:.*/Installed-Size: $size_kb/" "$tree/DEBIAN/control"
deb="$out/$(basename "$deb_in")"
# gzip: the jar and the jlink image are compressed already, so xz would gain little, slowly.
fakeroot dpkg-deb -Zgzip -z6 --build "$tree" "$deb" >/dev/null
echo "packaging: $deb"

# The release tarball: java -jar zkdigest.jar works anywhere with Java 17; the launcher beside it
# finds the jar there and uses JAVA_HOME or java on the PATH.
name="zkdigest-$version"
stage="$work/tar/$name"
mkdir -p "$stage/completion" "$stage/man/man1"
cp "$work/input/"*.jar "$work/input/zkdigest-replay.classlist" "$stage/"
install -m 0755 "$root/packaging/zkdigest" "$stage/zkdigest"
cp "$root/README.md" "$stage/"
cp "$work/completion/zkdigest" "$work/completion/_zkdigest" "$stage/completion/"
cp "$work"/man/man1/*.1 "$stage/man/man1/"
tar -C "$work/tar" --owner=0 --group=0 --sort=name -czf "$out/$name.tar.gz" "$name"
echo "packaging: $out/$name.tar.gz"
