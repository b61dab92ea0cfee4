#!/usr/bin/env bash
# ptsim explain --va: one address's walk, as text (no colour when piped) and Markdown.
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
echo ok
