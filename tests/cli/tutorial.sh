#!/usr/bin/env bash
# The tutorial (docs/tutorial/*.md) is real output: every command of its
# runnable blocks (scripts/tutorial.bash) runs and prints exactly what the page
# shows, every page has such a block, and the index links every page.
# Regenerate the pages with scripts/update-tutorial.sh.
set -uo pipefail
ptsim="$(realpath "$1")"
root="${PTSIM_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
source "$root/scripts/tutorial.bash"
dir="$root/docs/tutorial"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
pages=0
commands=0
for page in "$dir"/*.md; do
  name=$(basename "$page")
  pages=$((pages + 1))
  if [ "$name" != index.md ] && ! grep -q "](${name})" "$dir/index.md"; then
    echo "FAIL: docs/tutorial/index.md does not link $name"
    fail=1
  fi
  n=$(grep -c '^\$ ptsim' "$page")
  if [ "$name" != index.md ] && [ "$n" -eq 0 ]; then
    echo "FAIL: $name has no runnable \`\`\`console block"
    fail=1
  fi
  commands=$((commands + n))
  if ! tutorial_render "$page" "$ptsim" > "$work/$name"; then
    echo "FAIL: $name: malformed runnable block (see above)"
    fail=1
    continue
  fi
  if ! diff -u "$page" "$work/$name"; then
    echo "FAIL: docs/tutorial/$name differs from what its commands print; run scripts/update-tutorial.sh"
    fail=1
  fi
done
if [ $pages -lt 2 ]; then
  echo "FAIL: docs/tutorial has no pages"
  fail=1
fi
[ $fail -eq 0 ] && echo "ok: $pages pages, $commands commands"
exit $fail
