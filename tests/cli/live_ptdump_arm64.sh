#!/usr/bin/env bash
# ptsim ptdump --mem against the running kernel's own ptdump: Debian's arm64
# 6.1 kernel printed kernel_page_tables (ptdump_walk() called from
# scripts/golden/arm64/ptdump_module), then QEMU was stopped and the table
# pages reachable from TTBR1_EL1 were saved as a small ELF core.  The dump
# of that core with the registers and markers of the same boot must be the
# kernel's text, line for line (tests/golden/arm64/README.md, "live_ptdump").
set -euo pipefail
ptsim=$1
golden="${PTSIM_SOURCE_DIR:?}/tests/golden/arm64/live_ptdump"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

gzip -dc "$golden/tables.core.gz" > "$tmp/tables.core"
# regs.txt holds gdb's answers: "===== NAME" then "$N = VALUE".
reg() { awk -v want="===== $1" '$0 == want { getline; print $3; exit }' "$golden/regs.txt"; }
ttbr1=$(reg TTBR1_EL1)
tcr=$(reg TCR_EL1)
[ -n "$ttbr1" ] && [ -n "$tcr" ] || fail "no TTBR1_EL1/TCR_EL1 in regs.txt"
markers=()
while read -r addr name; do
  markers+=(--marker "$addr=$name")
done < "$golden/markers.txt"
[ "${#markers[@]}" -eq 24 ] || fail "expected 12 markers in markers.txt, got $((${#markers[@]} / 2))"

"$ptsim" ptdump --mem "$tmp/tables.core" --reg "TTBR1_EL1=$ttbr1" --reg "TCR_EL1=$tcr" \
  "${markers[@]}" > "$tmp/ptsim.txt"
lines=$(wc -l < "$golden/kernel_page_tables.txt")
[ "$lines" -gt 100 ] || fail "kernel_page_tables.txt has only $lines lines"
diff -u "$golden/kernel_page_tables.txt" "$tmp/ptsim.txt" || fail "ptsim ptdump differs from the kernel's"

echo "ptsim ptdump equals the kernel's kernel_page_tables ($lines lines)"
