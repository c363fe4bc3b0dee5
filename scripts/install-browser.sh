#!/usr/bin/env bash
# Headless Chromium from Debian (Playwright drives it; it never downloads a browser of its own)
# and a Chinese font so screenshots show the pages' text.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "WenQuanYi"; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-wqy-microhei >/dev/null
