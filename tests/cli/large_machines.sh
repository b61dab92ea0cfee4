#!/usr/bin/env bash
# The largest machines a user can describe (docs/limits.md): on arm64 the
# boot either fits --max-table-memory or is refused up front, exit 3, with
# the reason and the fix; on arm the largest LPAE machine boots.
set -u
ptsim="$(realpath "$1")"
fail() { echo "FAIL: $*"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

# A built-in machine's blob with its one memory bank resized (dtc).
resized_dtb() {  # MACHINE NEW-REG-CELLS OUT
  "$ptsim" machine --machine "$1" --write-dtb base.dtb >/dev/null || fail "write-dtb $1"
  dtc -q -I dtb -O dts base.dtb | sed -E "s/reg = <0x00 0x40000000 0x00 0x40000000>;/reg = <$2>;/" \
    | dtc -q -I dts -O dtb -o "$3" || fail "dtc $3"
}

# arm64: 256 TiB at 0x40000000 (only 128 TiB fit the linear map of a
# 52-bit VA kernel on a CPU without FEAT_LVA), 64K pages, rodata=full.
resized_dtb virt "0x00 0x40000000 0x10000 0x00" virt-256t.dtb
err=$("$ptsim" boot --dtb virt-256t.dtb --page-size 64K --va-bits 52 2>&1 >/dev/null); rc=$?
[ "$rc" -eq 3 ] || fail "256 TiB rodata=full: exit $rc, want 3 ($err)"
grep -qF "machine too large for ptsim's table memory limit: mapping 128 TiB of RAM page by page (rodata=full)" \
  <<<"$err" || fail "refusal reason: $err"
grep -qF "more than the limit of 1 GiB (fix: give --max-table-memory 17G" <<<"$err" || fail "refusal fix: $err"

# The same machine with block mappings needs a few MiB of tables: it boots.
out=$("$ptsim" boot --dtb virt-256t.dtb --page-size 64K --va-bits 52 --cmdline "nokaslr rodata=on" --stage paging_init \
  --layout 2>&1) || fail "256 TiB rodata=on: exit $? ($out)"
grep -q "128T of RAM" <<<"$out" || fail "256 TiB rodata=on summary: $out"

# The limit applies to a mid-size machine too, and raising it lets it boot.
"$ptsim" boot --ram 4G --max-table-memory 4M >/dev/null 2>&1 && fail "4 GiB under a 4 MiB limit booted"
"$ptsim" boot --ram 4G --max-table-memory 16M --stage paging_init --layout >/dev/null \
  || fail "4 GiB under a 16 MiB limit: exit $?"

# arm, LPAE: 1 TiB at 0x40000000, the whole 40-bit physical address space
# above it.  Only lowmem is mapped, with 2 MiB blocks: it boots.
resized_dtb virt-arm "0x00 0x40000000 0xff 0xc0000000" virt-arm-1t.dtb
out=$("$ptsim" boot --arch arm --dtb virt-arm-1t.dtb --lpae --stage final 2>&1) || fail "arm 1 TiB: exit $? ($out)"
grep -q "arm_lowmem_limit 0x70000000" <<<"$out" || fail "arm 1 TiB lowmem: $out"

# --help says what the limits are.
help=$("$ptsim" boot --help) || fail "boot --help exit $?"
grep -q -- "--max-table-memory" <<<"$help" || fail "--help lacks --max-table-memory"
grep -q "^Limits" <<<"$help" || fail "--help lacks the Limits section"
echo "ok"
