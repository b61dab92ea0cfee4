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

# --json carries the same lines, and mapping runs that agree with them: every
# mapped line's range is covered by runs of its level, with its attributes.
"$ptsim" ptdump --mem "$tmp/tables.core" --reg "TTBR1_EL1=$ttbr1" --reg "TCR_EL1=$tcr" \
  "${markers[@]}" --json > "$tmp/ptsim.json"
python3 - "$tmp/ptsim.json" "$golden/kernel_page_tables.txt" <<'PY' || fail "ptdump --json disagrees with the text"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["schema"] == "ptsim.ptdump/1", j["schema"]
t = j["tables"]["TTBR1_EL1"]
kernel = open(sys.argv[2]).read().splitlines()
assert t["lines"] == kernel, "lines differ from the kernel's text"
runs = [(int(r["va_start"], 16), int(r["va_end"], 16), r["level"], r["attrs"]) for r in t["mappings"]]
assert len(runs) > 50, len(runs)
checked = 0
for line in kernel:
    f = line.split()
    if not f or not f[0].startswith("0x") or len(f) < 4:
        continue  # markers, and ranges with nothing mapped
    lo, hi = (int(x, 16) for x in f[0].split("-"))
    hi = hi or 1 << 64
    level, words = f[2], f[3:]
    cover = [r for r in runs if r[0] < hi and r[1] > lo]
    assert cover and cover[0][0] <= lo and max(r[1] for r in cover) >= hi, line
    for r in cover:
        assert r[2] == level and r[3] == words, (line, r)
    checked += 1
assert checked > 50, checked
print(f"--json: {len(runs)} runs agree with {checked} mapped lines")
PY

echo "ptsim ptdump equals the kernel's kernel_page_tables ($lines lines)"
