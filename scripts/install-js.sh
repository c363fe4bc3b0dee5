#!/usr/bin/env bash
# The stub pages' browser libraries from npm (qrcode-generator draws the wallet's QR, jsQR reads the
# verifier's camera; axe-core is injected by the browser tests), pinned in
# miniprogram_stub/web/package-lock.json; reinstalled when the lock changes.
set -euo pipefail
cd "$(dirname "$0")/../miniprogram_stub/web"
if ! command -v npm >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq npm >/dev/null
fi
stamp=node_modules/.package-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
