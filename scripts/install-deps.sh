#!/usr/bin/env bash
# Installs the Debian packages Renum builds against (and, with --bench, the benchmark tools).
# Idempotent: does nothing when everything is already installed. Needs root (or sudo) to install.
set -euo pipefail

packages=(pkg-config libmicrohttpd-dev libsqlite3-dev libssl-dev libcurl4-openssl-dev libseccomp-dev)
if [[ "${1:-}" == "--bench" ]]; then
    packages+=(wrk curl)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "renum: installing ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
    run=()
elif command -v sudo >/dev/null 2>&1; then
    run=(sudo)
else
    echo "renum: need root to install ${missing[*]}; run as root or install them with apt-get" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${run[@]}" apt-get update -qq
"${run[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
