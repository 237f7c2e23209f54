#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed (browser tests and the real-VS-Code tests drive it
# through playwright-core; Playwright cannot download its own browsers here). Idempotent.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium >/dev/null
/usr/bin/chromium --version
