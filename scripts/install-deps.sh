#!/usr/bin/env bash
# Installs the Debian 12 packages ptsim needs to build and test, if missing.
#   scripts/install-deps.sh        the build and test packages
#   scripts/install-deps.sh fuzz   those plus clang and its libFuzzer runtime (make fuzz)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libfdt-dev libcli11-dev libfmt-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  device-tree-compiler python3 groff-base
  # tests/cli/html_map.sh opens the --html pages in headless Chromium (about
  # 115 MB to download, 370 MB installed) and needs a font for its screenshots.
  chromium fonts-dejavu-core
)
if [ "${1:-}" = fuzz ]; then
  # libFuzzer and the clang sanitizer runtimes live in libclang-rt-14-dev.
  packages+=(clang libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
