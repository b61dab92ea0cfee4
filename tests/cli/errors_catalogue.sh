#!/usr/bin/env bash
# Every refusal of the catalogue (scripts/errors-catalogue.bash) gives its
# exit code and message, and docs/errors.md is what the catalogue prints
# (regenerate it with scripts/gen-errors-md.sh).
set -uo pipefail
ptsim="$(realpath "$1")"
root="${PTSIM_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
source "$root/scripts/errors-catalogue.bash"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
if ! errors_catalogue "$ptsim" "$root" > "$work/errors.md"; then
  echo "FAIL: a catalogue row gave the wrong exit code or message (see above)"
  exit 1
fi
if ! diff -u "$root/docs/errors.md" "$work/errors.md"; then
  echo "FAIL: docs/errors.md is stale; run scripts/gen-errors-md.sh"
  exit 1
fi
echo "ok: $(grep -c '^| .* | `' "$work/errors.md") refusals"
