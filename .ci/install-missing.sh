#!/usr/bin/env bash
# Install the Debian packages named as arguments (the callers pass only those found missing), as root or through
# sudo, or fail with what is needed. Sourced by system-deps.sh and cluster-deps.sh; never called by the unit tests.
set -euo pipefail
[ $# -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
  echo "rnnlab needs: $* (apt-get install $*); no root or sudo to install them" >&2; exit 1
fi
echo "installing $* from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
