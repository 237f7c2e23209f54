#!/usr/bin/env bash
# Makes sure Debian's PyTorch (python3-torch 1.13) and torchvision (python3-torchvision 0.14) are
# importable by /usr/bin/python3, which the runtime-mode tests use. The default `python3` may be a
# pyenv interpreter that does not see Debian's dist-packages, so this checks /usr/bin/python3 only.
# Idempotent: does nothing when both imports already work.
set -euo pipefail
PY=/usr/bin/python3
if "$PY" -c 'import torch, torchvision' >/dev/null 2>&1; then exit 0; fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends \
  python3-torch python3-torchvision >/dev/null
"$PY" -c 'import torch, torchvision; print("torch", torch.__version__, "torchvision", torchvision.__version__)'
