#!/usr/bin/env bash
# ptsim explain: a whole boot told step by step (arm and arm64, text, Markdown,
# JSON), and with --va one address's walk, as text (no colour when piped) and Markdown.
set -u
ptsim="$1"
fail() { echo "FAIL: $*"; exit 1; }

# 0xffff000010012345 is PAGE_OFFSET + 256 MiB + 0x12345: RAM base 0x40000000 + the same,
# past the kernel image, whose linear alias stays page-mapped even with rodata=on.
out=$("$ptsim" explain --va 0xffff000010012345) || fail "explain exit $?"
grep -q $'\033' <<<"$out" && fail "colour codes in piped output"
grep -q 'the address lies in: Linear Mapping' <<<"$out" || fail "region: $out"
grep -q '^  1111111111111111 | 000000000 | 000000000 | 010000000 | 000010010 | 001101000101$' <<<"$out" ||
  fail "binary picture: $out"
grep -q '^  top\[63:48\] | pgd\[47:39\] | pud\[38:30\] | pmd\[29:21\] | pte\[20:12\] | offset\[11:0\]$' <<<"$out" ||
  fail "legend: $out"
grep -q '^  Level 0 (pgd): index VA\[47:39\] = 0 ;' <<<"$out" || fail "level 0 line"
grep -q '^  Level 3 (pte): index VA\[20:12\] = 18 ;' <<<"$out" || fail "level 3 line"
grep -q '^  => PA 0x50012345: a 4K page at level 3' <<<"$out" || fail "result: $out"

# rodata=on: a 2 MiB block at level 2, three levels walked.
out=$("$ptsim" explain --va 0xffff000010012345 --cmdline 'nokaslr rodata=on' --markdown) || fail "md exit $?"
grep -q '^## Walk of VA `0xffff000010012345`' <<<"$out" || fail "markdown heading"
grep -q '^| \[20:12\] | pte | `000010010` | 0x12 (18) |' <<<"$out" || fail "markdown table: $out"
grep -q '^Result: PA 0x50012345: a 2M block at level 2' <<<"$out" || fail "block result: $out"
grep -q 'Level 3' <<<"$out" && fail "walked past the block"

# An address below the kernel half faults at once; a 64K/42 kernel has 2 levels.
out=$("$ptsim" explain --va 0xffff7f0000000000 --page-size 64K --va-bits 42) || fail "64K exit $?"
grep -q 'top\[63:42\] | pgd\[41:29\] | pte\[28:16\] | offset\[15:0\]' <<<"$out" || fail "64K legend: $out"
grep -q '=> translation fault at level 0: VA\[63:42\] are not all ones' <<<"$out" || fail "64K fault: $out"
"$ptsim" explain --va zz > /dev/null 2>&1; rc=$?
[ "$rc" -eq 3 ] || fail "bad VA exit $rc"

# The boot of the seed notes (vexpress, 1 GiB at 0x60000000, VMALLOC_END 0xff000000).
out=$("$ptsim" explain --arch arm --profile 4.3) || fail "arm explain exit $?"
grep -q $'\033' <<<"$out" && fail "colour codes in piped arm output"
grep -q '^Boot of Linux 4.3 arm, VMSPLIT_3G, classic MMU (2 levels, short descriptors), step by step$' <<<"$out" ||
  fail "arm title: $out"
grep -qF 'VMALLOC_START = (high_memory + VMALLOC_OFFSET) & ~(VMALLOC_OFFSET-1) = (0xef800000 + 0x800000) & ~0x7fffff = 0xf0000000' <<<"$out" ||
  fail "seed 002 VMALLOC_START line: $out"
grep -qF 'arm_lowmem_limit = min(vmalloc_limit, end of the highest memblock block starting below it) = min(0x8f800000, 0xa0000000) = 0x8f800000' <<<"$out" ||
  fail "arm_lowmem_limit line"
grep -q '^      prepare_page_table: pmd_clear 0xef800000-0xf0000000 (4 entries)$' <<<"$out" || fail "third clearing loop"
grep -q '^  paging_init()  ' <<<"$out" || fail "paging_init under setup_arch"
grep -q 'early_pte_alloc: pte table page at 0x[0-9a-f]* (4K) for VA 0xbfe00000-0xc0000000: memblock_alloc: pkmap_page_table' <<<"$out" ||
  fail "pkmap pte table"
grep -q '__map_init_section: map 0xc0000000-0xc1100000 -> 0x60000000 as 17 x section (1M), MT_MEMORY_RWX' <<<"$out" ||
  fail "kernel sections"

out=$("$ptsim" explain --arch arm --lpae --markdown) || fail "arm lpae markdown exit $?"
grep -q '^# Boot of Linux 6.1 arm, VMSPLIT_3G, LPAE' <<<"$out" || fail "lpae markdown title"
grep -q '^        - __map_init_section: map 0x[0-9a-f]*-0x[0-9a-f]* -> \*\*0x[0-9a-f]*\*\* as [0-9]* x block (2M), MT_MEMORY_RW' <<<"$out" ||
  fail "lpae blocks: $out"

"$ptsim" explain --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["schema"] == "ptsim.explain.boot/1" and d["arch"] == "arm64", d["schema"]
steps = d["steps"]
calls = [s["function"] for s in steps if s["kind"] == "call"]
for f in ("create_idmap", "early_fixmap_init", "arm64_memblock_init", "paging_init", "map_kernel", "map_mem"):
    assert f in calls, f
assert calls.index("arm64_memblock_init") < calls.index("paging_init") < calls.index("map_mem")
ms = [s for s in steps if s["kind"] == "compute" and s["name"] == "memstart_addr"]
assert ms and ms[0]["value"] == "0x40000000", ms
tables = [s for s in steps if s["kind"] == "table" and s["why"].startswith("early_pgtable_alloc")]
assert tables and all(int(t["va_start"], 16) < int(t["va_end"], 16) for t in tables)
maps = [s for s in steps if s["kind"] == "map"]
assert {"block", "page"} <= {m["type"] for m in maps}, {m["type"] for m in maps}
for m in maps:
    assert m["entries"] * m["entry_size"] == int(m["va_end"], 16) - int(m["va_start"], 16), m
' || fail "arm64 json"

out=$("$ptsim" explain --arch arm --lpae --va 0xc0012345) || fail "arm --va exit $?"
grep -q "Level 2: index VA\[29:21\] = 0x0 ;" <<< "$out" || fail "arm --va: $out"
grep -q "=> PA 0x60012345  2M block at level 2" <<< "$out" || fail "arm --va result: $out"
"$ptsim" explain --arch arm --va 0x100000000 > /dev/null 2>&1; rc=$?
[ "$rc" -eq 3 ] || fail "arm --va beyond 32 bits: exit $rc"
"$ptsim" explain --arch arm --va 0xc0000000 --json > /dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] || fail "arm --va --json: exit $rc"
"$ptsim" explain --json --markdown > /dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] || fail "--json --markdown: exit $rc"
echo ok
