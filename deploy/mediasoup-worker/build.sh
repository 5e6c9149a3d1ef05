#!/usr/bin/env bash
# Builds the mediasoup worker from the npm package's C++ sources against Debian's libraries.
# Usage: build.sh <mediasoup version> <output binary path>
set -euo pipefail
version=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "mediasoup@$version" >/dev/null
tar xzf "mediasoup-$version.tgz"
node "$here/patch-meson.mjs" package/worker
meson setup build package/worker --buildtype=release -Db_ndebug=true --wrap-mode=nodownload >meson.log 2>&1 \
  || { cat meson.log; exit 1; }
ninja -C build -j"$(nproc)" mediasoup-worker >ninja.log 2>&1 || { tail -50 ninja.log; exit 1; }
mkdir -p "$(dirname "$out")"
cp build/mediasoup-worker "$out.tmp"
mv "$out.tmp" "$out"
