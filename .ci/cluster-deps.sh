#!/usr/bin/env bash
# Debian packages of the cluster test (npm run test:cluster): a one-node Slurm (slurm-wlm) and its authentication
# daemon (munge). Installs only what is missing, as root or through sudo; never called by the unit tests.
set -euo pipefail
missing=()
command -v slurmctld >/dev/null 2>&1 || missing+=(slurm-wlm)
command -v munged >/dev/null 2>&1 || missing+=(munge)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
  echo "the cluster test needs: ${missing[*]} (apt-get install ${missing[*]}); no root or sudo to install them" >&2; exit 1
fi
echo "installing ${missing[*]} from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
