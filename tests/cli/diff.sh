#!/usr/bin/env bash
# ptsim diff: two boots' options, quoted as on a shell, text and JSON.
set -u
ptsim="$1"
fail() { echo "FAIL: $*"; exit 1; }

out=$("$ptsim" diff "--ram 256M --cmdline 'nokaslr rodata=full'" "--ram 256M --cmdline 'nokaslr rodata=on'") ||
  fail "diff exit $?"
grep -q "^A: --ram 256M --cmdline 'nokaslr rodata=full'  (arm64 4K pages, 48-bit VA, 4 levels)" <<<"$out" ||
  fail "side A line: $out"
grep -q '^Layout constants that differ: 0$' <<<"$out" || fail "rodata changed a constant: $out"
grep -q '^  pte table pages' <<<"$out" || fail "no pte row"
grep -q '^    A: PTE pa ' <<<"$out" || fail "no PTE range on A"
grep -q '^    B: PMD pa ' <<<"$out" || fail "no PMD range on B"

"$ptsim" diff "--page-size 4K" "--page-size 64K" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["schema"] == "ptsim.diff.arm64/1", d["schema"]
names = {c["name"]: c for c in d["constants"]}
assert names["PAGE_SIZE"]["a"] == "0x1000" and names["PAGE_SIZE"]["b"] == "0x10000", names["PAGE_SIZE"]
assert names["CONFIG_PGTABLE_LEVELS"]["b"] == 3
a, b = d["swapper_pg_dir"]["a"], d["swapper_pg_dir"]["b"]
assert "pud" in a["table_pages"] and "pud" not in b["table_pages"], (a, b)
assert d["ranges"], "no ranges differ"
for r in d["ranges"]:
    assert int(r["va_start"], 16) < int(r["va_end"], 16), r
    assert r["a"] != r["b"], r
' || fail "json"

# The same options on both sides: nothing differs.
out=$("$ptsim" diff "" "--page-size 4K --va-bits 48") || fail "same diff exit $?"
grep -q '^VA ranges mapped differently: 0$' <<<"$out" || fail "identical boots differ: $out"

"$ptsim" diff "--page-size 4K" > /dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] || fail "one side only: exit $rc"
err=$("$ptsim" diff "--page-size 4K" "--page-sise 64K" 2>&1 >/dev/null); rc=$?
[ "$rc" -eq 2 ] || fail "misspelt option: exit $rc"
grep -q 'B "--page-sise 64K"' <<<"$err" || fail "error does not name side B: $err"
"$ptsim" diff "" "--page-size 8K" > /dev/null 2>&1; rc=$?
[ "$rc" -ne 0 ] || fail "8K pages accepted"
echo ok
