#!/usr/bin/env bash
# Writes docs/ptsim.1 from the commands' --help (`ptsim help-man`) with the
# given ptsim binary (default build/asan/ptsim).  tests/cli/man_page.sh fails
# while the committed page differs from it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ptsim="$(realpath "${1:-$root/build/asan/ptsim}")"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
"$ptsim" help-man > "$tmp"
cp "$tmp" "$root/docs/ptsim.1"
echo "wrote docs/ptsim.1"
