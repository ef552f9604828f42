#!/usr/bin/env bash
# Debian packages the test suite needs: chromium (the report is checked in a real headless browser), python3-numpy,
# and Mesa's EGL/OpenGL ES with the llvmpipe rasteriser (gpu.js' WebGPU mode runs on Dawn's OpenGL ES backend
# without a GPU).
# Runs before `npm test` (npm's pretest hook); installs only what is missing, as root or through sudo.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-dejavu-core)
have_lib() { { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q "$1"; }
have_lib 'libEGL_mesa.so.0' || missing+=(libegl-mesa0)
have_lib 'libEGL.so.1' || missing+=(libegl1)
have_lib 'libGLESv2.so.2' || missing+=(libgles2)
ls /usr/lib/*/dri/swrast_dri.so >/dev/null 2>&1 || missing+=(libgl1-mesa-dri)
# NumPy runs PsychRNN's own simulator on the .npz files rnnlab exports (spec/engine/psychrnn.spec.ts).
{ /usr/bin/python3 -c 'import numpy' || python3 -c 'import numpy'; } >/dev/null 2>&1 || missing+=(python3-numpy)
[ ${#missing[@]} -eq 0 ] && exit 0
exec bash "$(dirname "$0")/install-missing.sh" "${missing[@]}"
