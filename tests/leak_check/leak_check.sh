#!/usr/bin/env bash
# The leak check can fail: tests/leak_check/leaking_helper, run under the
# same ASAN_OPTIONS as every other test (tests/CMakeLists.txt), must be
# reported by LeakSanitizer when it leaks and pass when it does not.  If
# LeakSanitizer cannot run here (it needs ptrace: some containers forbid
# it), this test fails rather than letting `make test` pass unchecked.
set -uo pipefail
helper="$1"
echo "ASAN_OPTIONS=${ASAN_OPTIONS:-}"
out=$("$helper" leak 2>&1)
rc=$?
leak_rc=$rc
if [ "$rc" -eq 0 ]; then
  echo "FAIL: a program that leaks 4096 bytes exited 0 under the leak check"
  exit 1
fi
if ! grep -q "ERROR: LeakSanitizer: detected memory leaks" <<< "$out"; then
  echo "FAIL: exit $rc without a LeakSanitizer leak report:"
  echo "$out"
  exit 1
fi
if ! grep -q "Direct leak of 4096 byte(s) in 1 object(s)" <<< "$out"; then
  echo "FAIL: the report does not name the 4096-byte leak:"
  echo "$out"
  exit 1
fi
out=$("$helper" no-leak 2>&1)
rc=$?
if [ "$rc" -ne 0 ]; then
  echo "FAIL: the same program without the leak exited $rc:"
  echo "$out"
  exit 1
fi
echo "ok: LeakSanitizer reports the deliberate leak (exit $leak_rc) and passes the program without it"
