#!/usr/bin/env bash
# `ptsim boot --arch arm`: the seed notes' vexpress numbers with no input
# file, a real DTB, the JSON report, and Linux's refusals as usage errors.
set -uo pipefail
ptsim="$1"
golden="$PTSIM_SOURCE_DIR/tests/golden/arm"
fail() { echo "$*"; exit 1; }

out=$("$ptsim" boot --arch arm --machine vexpress-a9 --profile 4.3 --layout) || fail "boot failed"
grep -q '^arm_lowmem_limit 0x8f800000   high_memory 0xef800000' <<< "$out" || fail "old lowmem limit: $out"
grep -q 'clears: 0x00000000-0xbf000000 0xbf000000-0xc0000000 0xef800000-0xf0000000' <<< "$out" \
  || fail "third clearing loop"
grep -qx '    vmalloc : 0xf0000000 - 0xff000000   ( 240 MB)' <<< "$out" || fail "layout print"

out=$("$ptsim" boot --arch arm --dtb "$golden/vexpress-a9-1g-armmp/machine.dtb" \
      --kernel-image debian-6.1-armmp --ptdump) || fail "DTB boot failed"
grep -q '^swapper_pg_dir   0x60204000' <<< "$out" || fail "TEXT_OFFSET 0x208000 swapper"
grep -qx '0xc0000000-0xc1400000          20M PGD KERNEL      RW x     ' <<< "$out" || fail "ptdump"

"$ptsim" boot --arch arm --machine virt --ram 2G --lpae --json > /tmp/ptsim_boot_arm.$$ || fail "json"
python3 - /tmp/ptsim_boot_arm.$$ <<'PY' || { rm -f /tmp/ptsim_boot_arm.$$; fail "json content"; }
import json, sys
j = json.load(open(sys.argv[1]))
runs = j["tables"]["swapper_pg_dir"]["mappings"]
assert runs[0] == {"va_start": "0xc0000000", "va_end": "0xc1600000", "pa_start": "0x40000000",
                   "level": "PMD", "attrs": ["RW", "x", "SHD"]}, runs[0]
assert j["state"]["arm_lowmem_limit"] == "0x70000000"
assert any(t["function"] == "early_alloc" for t in j["trace"])
PY
rm -f /tmp/ptsim_boot_arm.$$

"$ptsim" boot --arch sparc > /dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] || fail "unknown --arch exit $rc, want 2"
"$ptsim" boot --arch arm --profile 5.10 > /dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] || fail "unknown profile exit $rc, want 2"
"$ptsim" boot --arch arm --dtb /nonexistent.dtb > /dev/null 2>&1; rc=$?
[ "$rc" -eq 3 ] || fail "missing DTB exit $rc, want 3"
echo ok
