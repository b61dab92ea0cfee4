#!/usr/bin/env bash
# A malformed memblock script line stops the run with exit 3 and a message
# naming the line and what was expected; nothing after it runs.
set -uo pipefail
ptsim="$1"

check() {  # check SCRIPT EXPECTED_MESSAGE_PART
  local stdout stderr rc
  stderr=$(mktemp)
  stdout=$(printf '%b' "$1" | "$ptsim" memblock - 2> "$stderr")
  rc=$?
  local msg
  msg=$(cat "$stderr")
  rm -f "$stderr"
  if [ "$rc" -ne 3 ]; then
    echo "script '$1': exit $rc, want 3"; exit 1
  fi
  if ! grep -qF -- "$2" <<< "$msg"; then
    echo "script '$1': message '$msg' lacks '$2'"; exit 1
  fi
  if grep -q 'alloc -> 0x2000' <<< "$stdout"; then
    echo "script '$1': a line after the malformed one ran"; exit 1
  fi
  echo "$stdout"
}

out=$(check 'add 0x1000 0x10000\nalloc 0x1000 0x1000\nadd 0x1000\nalloc 0x1000 0x1000\n' \
  "line 3: expected 'add BASE SIZE'")
[ "$(head -1 <<< "$out")" = "alloc -> 0x10000" ] || { echo "lines before the error did not run: $out"; exit 1; }
check '\n# comment\nfrobnicate 1 2\n' "line 3: unknown operation 'frobnicate'" > /dev/null
check 'add 0x1000 0xzz\n' "line 1: expected a number for argument 2 of 'add BASE SIZE', got '0xzz'" > /dev/null
check 'add -1 0x10\n' "line 1: argument 1 of 'add BASE SIZE' cannot be negative" > /dev/null
check 'bottom_up 2\n' "line 1: expected 0 or 1, got '2'" > /dev/null
check 'add_node 0 0x1000 0 0 7\n' "line 1: expected 'add_node BASE SIZE NID [FLAGS]', got 5 arguments" > /dev/null
check 'alloc_nid 0x10 0x10 99999999999\n' "line 1: '99999999999' is out of range for a node id" > /dev/null
check 'add 0x1000 0x10000000000000000\n' "line 1: expected a number" > /dev/null

# A missing file is bad input too.
"$ptsim" memblock /nonexistent/script 2> /dev/null
[ $? -eq 3 ] || { echo "missing file: want exit 3"; exit 1; }
echo ok
