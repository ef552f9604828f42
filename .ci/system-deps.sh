#!/usr/bin/env bash
# Debian packages the test suite needs: chromium (the report is checked in a real headless browser), and Mesa's
# EGL/OpenGL ES with the llvmpipe rasteriser (gpu.js' WebGPU mode runs on Dawn's OpenGL ES backend without a GPU).
# Runs before `npm test` (npm's pretest hook); installs only what is missing, as root or through sudo.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-dejavu-core)
have_lib() { { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q "$1"; }
have_lib 'libEGL_mesa.so.0' || missing+=(libegl-mesa0)
have_lib 'libEGL.so.1' || missing+=(libegl1)
have_lib 'libGLESv2.so.2' || missing+=(libgles2)
ls /usr/lib/*/dri/swrast_dri.so >/dev/null 2>&1 || missing+=(libgl1-mesa-dri)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
  echo "rnnlab tests need: ${missing[*]} (apt-get install ${missing[*]}); no root or sudo to install them" >&2; exit 1
fi
echo "installing ${missing[*]} from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
