#!/usr/bin/env bash
# Rewrites the output in every runnable block of docs/tutorial/*.md with what
# the given ptsim binary (default build/asan/ptsim) prints now; the format is
# described in scripts/tutorial.bash.  tests/cli/tutorial.sh fails until the
# pages are regenerated after a change of output.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ptsim="$(realpath "${1:-$root/build/asan/ptsim}")"
source "$root/scripts/tutorial.bash"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for page in "$root"/docs/tutorial/*.md; do
  tutorial_render "$page" "$ptsim" > "$tmp" || { echo "not rewritten: $page" >&2; exit 1; }
  if ! cmp -s "$tmp" "$page"; then
    cp "$tmp" "$page"
    echo "rewrote ${page#"$root"/}"
  fi
done
