#!/usr/bin/env bash
# Every command listed by `ptsim --help` shows at least one example of itself
# in its --help, and every example of every --help runs and exits 0.  The
# examples run in one directory holding the files they name: ram.bin,
# guest.core and accesses.txt (help_fixtures.py), virt.dtb and board.dtb
# (written by `ptsim machine`), System.map (the arm64 capture's subset, without
# its comment lines).
set -uo pipefail
ptsim="$(realpath "$1")"
root="${PTSIM_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
source "$root/tests/cli/help_lib.bash"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin" "$work/run"
ln -s "$ptsim" "$work/bin/ptsim"
cd "$work/run" || exit 1
python3 "$root/tests/cli/help_fixtures.py" || { echo "FAIL: fixtures"; exit 1; }
"$ptsim" machine --machine virt --write-dtb virt.dtb > /dev/null || { echo "FAIL: virt.dtb"; exit 1; }
cp virt.dtb board.dtb
grep -v "^#" "$root/tests/golden/arm64/System.map.subset" > System.map

# The commands: the lines under "Subcommands:" of the top-level help.
mapfile -t commands < <(ptsim_commands "$ptsim")
if [ ${#commands[@]} -lt 5 ]; then
  echo "FAIL: found ${#commands[@]} commands in ptsim --help: ${commands[*]}"
  exit 1
fi

# examples_of CMD: the lines indented under "Example:"/"Examples:" in
# `ptsim CMD --help`, a line ending in a backslash joined to the next.
examples_of() {
  "$ptsim" "$1" --help | awk '
    /^Examples?:$/ { on = 1; next }
    on && /^  / { text = $0; sub(/^ +/, "", text); line = line (line == "" ? "" : " ") text
                  if (line ~ /\\$/) { sub(/ *\\$/, "", line); next }
                  print line; line = ""; next }
    { on = 0 }'
}

fail=0
ran=0
for cmd in "${commands[@]}"; do
  mapfile -t examples < <(examples_of "$cmd")
  mine=0
  for ex in "${examples[@]}"; do
    [[ " $ex " == *"ptsim $cmd "* ]] && mine=1
    out=$(PATH="$work/bin:$PATH" bash -o pipefail -c "$ex" 2>&1 > /dev/null </dev/null)
    rc=$?
    ran=$((ran + 1))
    if [ $rc -ne 0 ]; then
      echo "FAIL: ptsim $cmd --help example exits $rc: $ex"
      echo "$out" | head -5
      fail=1
    fi
  done
  if [ $mine -eq 0 ]; then
    echo "FAIL: ptsim $cmd --help has no example of 'ptsim $cmd'"
    fail=1
  fi
done
[ $fail -eq 0 ] && echo "ok: ${#commands[@]} commands, $ran examples"
exit $fail
