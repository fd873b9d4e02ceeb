#!/usr/bin/env bash
# Install the Debian packages actornet needs, only those that are missing.
# Usage: scripts/deps.sh [build|test|bench]   (each level includes the previous)
set -euo pipefail
level=${1:-build}
pkgs=(gcc libc6-dev pkg-config meson ninja-build python3
      libigraph-dev libgraphviz-dev graphviz libutf8proc-dev)
if [ "$level" = test ] || [ "$level" = bench ]; then
  pkgs+=(libxml2-utils clang libclang-rt-14-dev python3-networkx parallel chromium)
fi
if [ "$level" = bench ]; then
  pkgs+=(ripgrep python3-ahocorasick python3-numpy python3-scipy time)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
