#!/usr/bin/env bash
# ptsim boot --arch arm64: the default job, reports, and refusals.
set -u
ptsim="$1"
fail() { echo "FAIL: $*"; exit 1; }

out=$("$ptsim") || fail "default job exit $?"
grep -q '^Linux 6.1 arm64 boot: arm64 4K pages, 48-bit VA, 4 levels' <<<"$out" || fail "summary missing"
grep -q '^---\[ Linear Mapping start \]---' <<<"$out" || fail "ptdump missing"
# The linear map of the default 1 GiB with rodata=full is page granular.
grep -q '^0xffff000001860000-0xffff000040000000     1023616K PTE       RW NX SHD AF            UXN    MEM/NORMAL-TAGGED' \
  <<<"$out" || fail "page-granular linear map line missing"

out=$("$ptsim" boot --layout) || fail "--layout exit $?"
grep -q 'ffff800008000000	fffffbffefffffff	 124TB		vmalloc' <<<"$out" || fail "layout vmalloc row"

out=$("$ptsim" boot --stage paging_init --memblock) || fail "--memblock exit $?"
grep -q '^   0: 0x0000000040000000..0x000000007fffffff' <<<"$out" || fail "memblock memory line"

out=$("$ptsim" boot --cmdline "nokaslr rodata=on" --ptdump) || fail "rodata=on exit $?"
grep -q 'PMD .*BLK UXN    MEM/NORMAL-TAGGED' <<<"$out" || fail "rodata=on linear map has no blocks"

"$ptsim" boot --json | python3 -c '
import json, sys
j = json.load(sys.stdin)
assert j["schema"] == "ptsim.boot.arm64/1"
m = j["tables"]["swapper_pg_dir"]["mappings"]
assert m[0]["va_start"] == "0xffff000000000000" and m[0]["level"] == "PTE", m[0]
assert any(t["function"] == "early_pgtable_alloc" for t in j["trace"])
' || fail "json"

for cfg in "16K 47" "64K 42" "4K 39" "16K 36" "64K 48"; do
  set -- $cfg
  "$ptsim" boot --page-size "$1" --va-bits "$2" > /dev/null || fail "boot $1/$2 exit $?"
done

"$ptsim" boot --page-size 16K --va-bits 39 > /dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] || fail "impossible configuration exit $rc, want 2"
"$ptsim" boot --dtb /nonexistent.dtb > /dev/null 2>&1; rc=$?
[ "$rc" -eq 3 ] || fail "missing DTB exit $rc, want 3"
echo ok
