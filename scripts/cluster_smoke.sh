#!/usr/bin/env bash
# The cluster smoke test (scripts/cluster_smoke.py says what it does and checks): nginx in front of
# two gunicorn instances, two workers on different queues and two beats, on 127.0.0.1, against one
# PostgreSQL and one Redis. Needs `make install`, nginx, faketime and openssl; installs the Debian
# packages that are missing. Usage: scripts/cluster_smoke.sh [workdir]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v faketime >/dev/null 2>&1 || missing+=(faketime)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  # Debian starts the nginx it installs; the smoke runs its own, so stop that one again.
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
  $SUDO nginx -s quit 2>/dev/null || true
fi
export PATH="/usr/sbin:$PATH"
exec timeout --signal=INT --kill-after=30 9m .venv/bin/python scripts/cluster_smoke.py "$@"
