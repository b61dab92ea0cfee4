#!/usr/bin/env bash
# docs/ptsim.1 is what `ptsim help-man` prints now (regenerate it with
# scripts/update-man.sh), it has a section for every command `ptsim --help`
# lists, and groff renders it without a warning.
set -uo pipefail
ptsim="$(realpath "$1")"
root="${PTSIM_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
source "$root/tests/cli/help_lib.bash"
page="$root/docs/ptsim.1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0

"$ptsim" help-man > "$work/ptsim.1" || { echo "FAIL: ptsim help-man exits $?"; exit 1; }
if ! diff -u "$page" "$work/ptsim.1"; then
  echo "FAIL: docs/ptsim.1 is stale; run scripts/update-man.sh"
  fail=1
fi

# One subsection per command, and no command the help does not list.
ptsim_commands "$ptsim" | sed 's/^/ptsim /' | sort > "$work/listed"
sed -n 's/^\.SS "\(.*\)"$/\1/p' "$work/ptsim.1" | sed 's/\\-/-/g' | sort > "$work/sections"
if [ ! -s "$work/listed" ] || ! diff -u "$work/listed" "$work/sections"; then
  echo "FAIL: the man page's command sections are not the commands of ptsim --help"
  fail=1
fi

# groff (groff-base, scripts/install-deps.sh) with every warning enabled.
warnings=$(groff -man -Tutf8 -ww -z "$work/ptsim.1" 2>&1)
if [ -n "$warnings" ]; then
  echo "FAIL: groff warns about the man page:"
  echo "$warnings" | head -20
  fail=1
fi
text=$(groff -man -Tutf8 -P-c "$work/ptsim.1" 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g; s/.\x08//g')
for want in 'ptsim boot --arch arm --profile 4.3 --layout' 'EXIT STATUS' '--json'; do
  if ! grep -qF -- "$want" <<<"$text"; then
    echo "FAIL: the rendered page lacks '$want'"
    fail=1
  fi
done
if command -v man > /dev/null; then
  warnings=$(MANWIDTH=100 man --warnings -l "$work/ptsim.1" 2>&1 > /dev/null)
  [ -z "$warnings" ] || { echo "FAIL: man -l warns: $warnings"; fail=1; }
fi
[ $fail -eq 0 ] && echo "ok: $(wc -l < "$work/sections") commands"
exit $fail
