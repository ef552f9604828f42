#!/usr/bin/env bash
# Debian packages the test suite needs: chromium (the report is checked in a real headless browser).
# Runs before `npm test` (npm's pretest hook); installs only what is missing, as root or through sudo.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
  echo "rnnlab tests need: ${missing[*]} (apt-get install ${missing[*]}); no root or sudo to install them" >&2; exit 1
fi
echo "installing ${missing[*]} from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
