#!/usr/bin/env bash
# Installs everything Tupa needs, idempotently, from Debian's packages and the npm registry only:
# system libraries, the Node 24 runtime, the mediasoup worker (built once, cached outside the
# clone), npm dependencies and the web build. A second run with nothing changed does no work.
#
# Usage: source deploy/bootstrap.sh [start|test]   (exports PATH with Node 24 first)
set -euo pipefail

TUPA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TUPA_CACHE=${TUPA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tupa}
TUPA_NODE_VERSION=24.21.0
TUPA_MEDIASOUP_VERSION=3.12.16
purpose=${1:-start}

log() { printf '[tupa setup] %s\n' "$*" >&2; }

hash_files() { # prints one sha256 over the named files and directories (contents and paths)
  (cd "$TUPA_ROOT" && find "$@" -type f ! -path '*/node_modules/*' -print0 2>/dev/null | sort -z \
    | xargs -0 -r sha256sum | sha256sum | cut -c1-16)
}

# --- 1. Debian packages ------------------------------------------------------------------------
debian_packages=(g++ make python3 pkg-config meson ninja-build libuv1-dev libssl-dev libsrtp2-dev
  libusrsctp-dev libabsl-dev nlohmann-json3-dev
  # Book pages: poppler renders uploaded PDFs (under prlimit's bounds, from util-linux); the
  # fonts draw the text of the shipped books.
  poppler-utils util-linux fonts-dejavu-core)
if [ "$purpose" = test ] || [ "$purpose" = bench ]; then
  debian_packages+=(chromium ffmpeg iproute2 espeak-ng)
fi
missing=()
for p in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "These Debian packages are missing: ${missing[*]}"
    log "Install them as root:  apt-get install --no-install-recommends ${missing[*]}"
    exit 1
  fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- 2. Node 24 from the npm registry ----------------------------------------------------------
case "$(uname -m)" in
  x86_64) node_arch=x64 ;;
  aarch64) node_arch=arm64 ;;
  *) log "unsupported CPU architecture $(uname -m)"; exit 1 ;;
esac
node_dir="$TUPA_CACHE/node-$TUPA_NODE_VERSION-$node_arch"
node_bin="$node_dir/node_modules/node-linux-$node_arch/bin"
if [ ! -x "$node_bin/node" ]; then
  log "installing Node $TUPA_NODE_VERSION from the npm registry"
  mkdir -p "$node_dir"
  npm install --silent --prefix "$node_dir" --no-save --no-package-lock --no-audit --no-fund \
    "node-linux-$node_arch@$TUPA_NODE_VERSION" >/dev/null
fi
export PATH="$node_bin:$PATH"

# --- 3. mediasoup worker, built against Debian's libraries -------------------------------------
recipe=$(hash_files deploy/mediasoup-worker)
TUPA_WORKER_BIN="$TUPA_CACHE/mediasoup-worker-$TUPA_MEDIASOUP_VERSION-$recipe/mediasoup-worker"
if [ ! -x "$TUPA_WORKER_BIN" ]; then
  log "building the mediasoup $TUPA_MEDIASOUP_VERSION worker (about 3 minutes, once per machine)"
  bash "$TUPA_ROOT/deploy/mediasoup-worker/build.sh" "$TUPA_MEDIASOUP_VERSION" "$TUPA_WORKER_BIN"
fi
export MEDIASOUP_WORKER_BIN="$TUPA_WORKER_BIN"

# --- 4. npm dependencies -----------------------------------------------------------------------
cd "$TUPA_ROOT"
deps_stamp="node-$TUPA_NODE_VERSION-$(hash_files package.json package-lock.json \
  media-server/package.json signaling/package.json db/package.json server/package.json \
  web/package.json tests/package.json)"
if [ "$(cat node_modules/.tupa-deps-stamp 2>/dev/null)" != "$deps_stamp" ]; then
  log "installing npm dependencies"
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  else
    npm install --no-audit --no-fund --loglevel=error >/dev/null
  fi
  # The stamp is computed again: `npm install` may have written the lock file.
  echo "node-$TUPA_NODE_VERSION-$(hash_files package.json package-lock.json \
    media-server/package.json signaling/package.json db/package.json server/package.json \
    web/package.json tests/package.json)" > node_modules/.tupa-deps-stamp
fi
# mediasoup looks for its worker here when MEDIASOUP_WORKER_BIN is not set.
default_worker="node_modules/mediasoup/worker/out/Release/mediasoup-worker"
if ! cmp -s "$TUPA_WORKER_BIN" "$default_worker"; then
  mkdir -p "$(dirname "$default_worker")"
  cp "$TUPA_WORKER_BIN" "$default_worker"
fi

# --- 5. web build ------------------------------------------------------------------------------
web_stamp=$(hash_files web/src web/static web/vite.config.ts web/package.json web/tsconfig.json \
  signaling/src/protocol package-lock.json)
if [ "$(cat web/build/.tupa-web-stamp 2>/dev/null)" != "$web_stamp" ]; then
  log "building the web app"
  npm run --silent build -w web >/dev/null
  echo "$web_stamp" > web/build/.tupa-web-stamp
fi
