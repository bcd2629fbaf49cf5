#!/usr/bin/env bash
# Installs the system packages PainService needs on Debian 12 (idempotent; installs only what is missing).
# Running the service needs only the first; the others are for the test suite (scripts/test.sh passes --test).
#   libgtk-3-0   OpenCvSharp's official Linux runtime links against GTK3 (highgui) even though we never open a window.
#   postgresql   the worker's job-store tests run against a real PostgreSQL (started by scripts/test.sh).
#   fonts-dejavu-core  text in the worker's report figures (Skia's dependency-free build has no fonts of its own).
#   chromium     the browser test drives Debian's chromium through Playwright (never a downloaded browser build).
#   docker-compose  the deployment tests run `docker-compose config` (client only; no Docker engine is needed).
# Usage: scripts/install-deps.sh [--test] [extra-package ...]
set -euo pipefail
wanted=(libgtk-3-0)
if [ "${1:-}" = "--test" ]; then
  shift
  wanted+=(postgresql fonts-dejavu-core chromium docker-compose)
fi
wanted+=("$@")
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
