#!/usr/bin/env bash
# Packs what tools/bench/gpu/run.sh needs on a machine that has a GPU but no Java, no Maven and no network:
#
#   bash tools/bench/gpu/bundle.sh [DIR]        (default .dev/gpu; .gitignore keeps .dev/ out of git)
#
# - jre.txz: a Java 17 runtime made with jlink from this machine's JDK (the modules netc's command line needs:
#   java.base, java.desktop for the PNG plots, java.logging, java.management, jdk.unsupported and
#   jdk.incubator.vector), libjvm.so stripped; about 28 MB.
# - lib/: the netc command line's class path (examples, dsl, runtime, JOCL), from examples/target.
# - libOpenCL.so.1: the OpenCL ICD loader (Debian's ocl-icd) that JOCL loads; the GPU's driver brings the ICD itself.
# - data/: Debian's Fashion-MNIST; the training images recompressed with xz (22.7 MB against gzip's 26.4) so the
#   bundle fits a 64 MiB transfer, gzip again on arrival.
# Everything is built for x86-64 Linux with glibc 2.36 or newer.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
dir="${1:-$root/.dev/gpu}"
mkdir -p "$dir/lib" "$dir/data"
"$root/netc" list >/dev/null  # builds the examples jar and its class path when they are stale

cp "$root/examples/target/netc-examples-0.1.0-SNAPSHOT.jar" "$dir/lib/"
IFS=: read -r -a jars < <(cat "$root/examples/target/classpath.txt"; echo)  # the file ends without a newline
cp "${jars[@]}" "$dir/lib/"

jdk="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$jdk/bin/jlink" --add-modules java.base,java.desktop,java.logging,java.management,jdk.unsupported,jdk.incubator.vector \
    --strip-debug --no-header-files --no-man-pages --compress=2 --output "$tmp/jre" 2>/dev/null
strip --strip-unneeded "$tmp/jre/lib/server/libjvm.so"
tar cJf "$dir/jre.txz" -C "$tmp" jre

cp -L /usr/lib/x86_64-linux-gnu/libOpenCL.so.1 "$dir/libOpenCL.so.1"

fm=/usr/share/datasets/fashion-mnist
cp "$fm/train-labels-idx1-ubyte.gz" "$fm/t10k-images-idx3-ubyte.gz" "$fm/t10k-labels-idx1-ubyte.gz" "$dir/data/"
[[ -f "$dir/data/train-images-idx3-ubyte.xz" ]] ||
    zcat "$fm/train-images-idx3-ubyte.gz" | xz -9 -T2 >"$dir/data/train-images-idx3-ubyte.xz"
du -sh "$dir"
