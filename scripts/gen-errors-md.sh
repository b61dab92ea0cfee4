#!/usr/bin/env bash
# Writes docs/errors.md from the refusal catalogue (scripts/errors-catalogue.bash),
# running each row through the given ptsim binary (default build/asan/ptsim).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ptsim="$(realpath "${1:-$root/build/asan/ptsim}")"
source "$root/scripts/errors-catalogue.bash"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
errors_catalogue "$ptsim" "$root" > "$work/errors.md" || { echo "catalogue rows failed; docs/errors.md not written" >&2; exit 1; }
cp "$work/errors.md" "$root/docs/errors.md"
echo "wrote docs/errors.md"
