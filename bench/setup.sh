#!/usr/bin/env bash
# The benchmark's peers, which `npm ci` does not install (they serve only `npm run bench`):
#   - TensorFlow.js 4.22 (cpu and wasm backends) into bench/peers/node_modules, from bench/peers/package-lock.json;
#   - PyTorch CPU from Debian (python3-torch) with a multithreaded OpenBLAS (libopenblas0-pthread): with the reference
#     BLAS that installing python3-torch alone selects, PyTorch is ~7x slower on this workload and every ratio lies.
# Run as root (or with sudo) for the Debian part; without either it says what to install and goes on.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --prefix peers --no-audit --no-fund
if /usr/bin/python3 -c 'import torch' >/dev/null 2>&1 && ldconfig -p | grep -q libopenblas; then
  echo "PyTorch: $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') with OpenBLAS, already installed"
elif [ "$(id -u)" = 0 ] || command -v sudo >/dev/null 2>&1; then
  SUDO=$([ "$(id -u)" = 0 ] && echo || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-torch libopenblas0-pthread
else
  echo "bench:setup: not root and no sudo; for PyTorch's rows install python3-torch and libopenblas0-pthread" >&2
fi
