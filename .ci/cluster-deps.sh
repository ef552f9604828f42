#!/usr/bin/env bash
# Debian packages of the cluster test (npm run test:cluster): a one-node Slurm (slurm-wlm) and its authentication
# daemon (munge). Installs only what is missing, as root or through sudo; never called by the unit tests.
set -euo pipefail
missing=()
command -v slurmctld >/dev/null 2>&1 || missing+=(slurm-wlm)
command -v munged >/dev/null 2>&1 || missing+=(munge)
[ ${#missing[@]} -eq 0 ] && exit 0
exec bash "$(dirname "$0")/install-missing.sh" "${missing[@]}"
