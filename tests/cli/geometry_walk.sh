#!/usr/bin/env bash
# ptsim geometry and ptsim walk, with their refusals.
set -u
ptsim="$1"
fail() { echo "FAIL: $*"; exit 1; }

out=$("$ptsim" geometry --arch arm64 --page-size 16K --va-bits 47) || fail "geometry exit $?"
grep -q '^pgd   L1    PGDIR_SHIFT=36  2048' <<<"$out" || fail "16K/47 pgd row"
grep -q '^VA: | 46..36 pgd | 35..25 pmd | 24..14 pte | 13..0 offset |' <<<"$out" || fail "VA picture"
err=$("$ptsim" geometry --page-size 16K --va-bits 39 2>&1 >/dev/null); rc=$?
[ "$rc" -eq 2 ] || fail "invalid geometry exit $rc"
grep -q '4K/39, 4K/48, 16K/36' <<<"$err" || fail "valid list not named: $err"

out=$("$ptsim" walk 0xffff000012345678) || fail "walk exit $?"
grep -q '=> PA 0x52345678' <<<"$out" || fail "walk output address"
grep -q 'p4d  --  folded: the pgd entry' <<<"$out" || fail "folded p4d line"

# A memory image whose root table points outside it: the walk stops with an
# external abort, it does not crash.
img=$(mktemp)
printf '\x03\x00\x00\x00\x10\x00\x00\x00' > "$img"   # table -> 0x1000000000
head -c 4088 /dev/zero >> "$img"
out=$("$ptsim" walk --mem "$img@0x40000000" --root 0x40000000 0x1000) || fail "image walk exit $?"
grep -q 'external_abort fault at level 1' <<<"$out" || fail "no external abort: $out"
"$ptsim" walk --mem "$img" --root 0x40000000 0x1000 > /dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] || fail "--mem without @PA exit $rc"
"$ptsim" walk --mem "$img@0x40000000" --root 0x40000000 0xzz > /dev/null 2>&1; rc=$?
[ "$rc" -eq 3 ] || fail "bad VA exit $rc"
rm -f "$img"
echo ok
