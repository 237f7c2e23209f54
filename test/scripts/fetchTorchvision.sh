#!/usr/bin/env bash
# Fetches torchvision 0.14.1's Python sources (Debian 12's python3-torchvision 0.14.1-2) into
# .cache/torchvision-0.14.1/ without installing anything: the ground-truth cases read real model
# files from there (package root = .cache/torchvision-0.14.1, holding torchvision/).
# Idempotent: does nothing when the sources are already there.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
dest="$here/.cache/torchvision-0.14.1"
[ -f "$dest/torchvision/models/resnet.py" ] && exit 0
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
if ! apt-get download python3-torchvision=0.14.1-2 >/dev/null 2>&1; then
  apt-get update >/dev/null 2>&1 || true
  apt-get download python3-torchvision=0.14.1-2 >/dev/null
fi
dpkg-deb -x python3-torchvision_*.deb x
mkdir -p "$dest"
cp -r x/usr/lib/python3/dist-packages/torchvision "$dest/"
find "$dest" -name '*.so' -delete
echo "torchvision 0.14.1 sources in $dest"
