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

# 39-bit VA against 48: another layout and one level fewer.
"$ptsim" diff "--va-bits 39" "" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
names = {c["name"]: c for c in d["constants"]}
assert names["VA_BITS"]["a"] == 39 and names["VA_BITS"]["b"] == 48, names["VA_BITS"]
assert names["CONFIG_PGTABLE_LEVELS"]["a"] == 3
assert "pud" not in d["swapper_pg_dir"]["a"]["table_pages"]
' || fail "va-bits json"

# arm: the 4.14 and 6.1 profiles, LPAE against the classic MMU, vmalloc= and mem=.
out=$("$ptsim" diff --arch arm "--profile 4.14" "--profile 6.1") || fail "arm diff exit $?"
grep -q '^A: --profile 4.14  (Linux 4.14 arm, VMSPLIT_3G, classic MMU (2 levels), stage final)$' <<<"$out" ||
  fail "arm side A: $out"
grep -q '^  profile  *4.14  *6.1$' <<<"$out" || fail "profile row: $out"
grep -q '^  pte table pages ' <<<"$out" || fail "arm pte row"
grep -q '^  blocks mapped ' <<<"$out" || fail "arm blocks row"
"$ptsim" diff --arch arm "" "--lpae" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["schema"] == "ptsim.diff.arm/1", d["schema"]
a, b = d["swapper_pg_dir"]["a"], d["swapper_pg_dir"]["b"]
assert "pmd" not in a["table_pages"] and b["table_pages"]["pmd"] == 4, (a, b)
assert a["block_size"] == 1 << 20 and b["block_size"] == 2 << 20
assert d["ranges"]
' || fail "arm lpae json"
"$ptsim" diff --arch arm "--cmdline vmalloc=240M" "--cmdline 'vmalloc=512M mem=512M'" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
names = {c["name"]: c for c in d["constants"]}
assert int(names["VMALLOC_START"]["b"], 16) < int(names["VMALLOC_START"]["a"], 16), names["VMALLOC_START"]
assert names["arm_lowmem_limit"]["b"] == "0x7f000000", names["arm_lowmem_limit"]
assert d["swapper_pg_dir"]["b"]["blocks"] < d["swapper_pg_dir"]["a"]["blocks"]
' || fail "arm vmalloc/mem json"
err=$("$ptsim" diff --arch arm "" "--profile 5.0" 2>&1 >/dev/null); rc=$?
[ "$rc" -eq 2 ] || fail "unknown arm profile: exit $rc ($err)"
echo ok
