#!/usr/bin/env bash
# ptsim boot/ptdump/diff --html: the pages are self-contained, and work in a
# real browser (headless Chromium driven by html_browser.py): regions and
# labels render, a click on a mapping shows its walk, the scale toggles.
# Screenshots are kept under the build directory, in test-artifacts/html-map.
set -euo pipefail
ptsim=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
artifacts="$(cd "$(dirname "$ptsim")" && pwd)/test-artifacts/html-map"
mkdir -p "$artifacts"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# A page must carry everything itself: no address of anything outside.
self_contained() {
  [ -s "$1" ] || fail "$1 is empty"
  if grep -Eqi 'https?://|<script[^>]+src=|<link[^>]+href=|@import' "$1"; then
    fail "$1 refers to something outside itself: $(grep -Eoi 'https?://[^"<> ]*|<script[^>]+src=[^>]*|<link[^>]*|@import[^;]*' "$1" | head -3)"
  fi
}
browse() {  # browse PAGE NAME ARGS...: the browser checks, and a screenshot NAME.png
  local page=$1 name=$2
  shift 2
  timeout 180 python3 "$here/html_browser.py" "$page" --screenshot "$artifacts/$name.png" "$@" ||
    fail "$name: the page does not work in the browser"
  cp "$page" "$artifacts/$name.html"
}

# arm64: the default boot (QEMU virt, 4K pages, 48-bit VA).
"$ptsim" boot --html "$tmp/arm64.html" > "$tmp/arm64.txt" || fail "arm64 boot exit $?"
grep -q '^Linux 6.1 arm64 boot' "$tmp/arm64.txt" || fail "--html changed the boot summary"
self_contained "$tmp/arm64.html"
browse "$tmp/arm64.html" arm64-boot --tables --kind block --kind page --kind contiguous \
  --region user --region modules --region vmalloc --region "kernel image" --region fixmap \
  --region vmemmap --region idmap --region "linear map"

# arm, classic MMU and LPAE.
"$ptsim" boot --arch arm --html "$tmp/arm.html" > /dev/null || fail "arm boot exit $?"
self_contained "$tmp/arm.html"
browse "$tmp/arm.html" arm-boot --tables --kind block --kind page \
  --region user --region modules --region pkmap --region vmalloc --region fixmap --region vectors \
  --region "lowmem (linear map)"
"$ptsim" boot --arch arm --machine virt --lpae --html "$tmp/arm-lpae.html" > /dev/null ||
  fail "arm LPAE boot exit $?"
self_contained "$tmp/arm-lpae.html"
browse "$tmp/arm-lpae.html" arm-lpae-boot --tables --region vectors --region "lowmem (linear map)"

# ptdump --mem: a 4K-granule TTBR1 table built here, a 2M block and two pages.
python3 - "$tmp/ram.bin" <<'PY'
import struct, sys
img = bytearray(16 * 4096)
def put(off, val): struct.pack_into("<Q", img, off, val)
put(0x0000, 0x40001003)          # L0[0] -> table 0x40001000
put(0x1000, 0x40002003)          # L1[0] -> table 0x40002000
put(0x2000, 0x00e0000080000401)  # L2[0]: 2M block at 0x80000000
put(0x2008, 0x40003003)          # L2[1] -> table 0x40003000
put(0x3000, 0x0040000040000443)  # L3[0]: page 0x40000000 (the tables themselves)
put(0x3008, 0x0008000040001083)  # L3[1]: page 0x40001000, read-only
open(sys.argv[1], "wb").write(img)
PY
"$ptsim" ptdump --mem "$tmp/ram.bin@0x40000000" --reg TTBR1_EL1=0x40000000 --reg TCR_EL1=0x580100010 \
  --html "$tmp/ptdump.html" > /dev/null || fail "ptdump exit $?"
self_contained "$tmp/ptdump.html"
browse "$tmp/ptdump.html" ptdump-mem --tables --kind block --kind page \
  --region "Linear Mapping start" --region "TTBR1_EL1 range"

# diff: 4K against 64K pages, both maps and the ranges that differ.
"$ptsim" diff "--ram 256M" "--ram 256M --page-size 64K" --html "$tmp/diff.html" > /dev/null ||
  fail "diff exit $?"
self_contained "$tmp/diff.html"
browse "$tmp/diff.html" diff --diff --region "linear map" --region vmalloc

# An unwritable --html is an error, and no half file is left.
if "$ptsim" boot --html "$tmp/no/such/dir/map.html" > /dev/null 2> "$tmp/err"; then
  fail "writing into a missing directory succeeded"
fi
grep -q -- "--html '$tmp/no/such/dir/map.html': cannot write" "$tmp/err" || fail "error text: $(cat "$tmp/err")"
echo "screenshots in $artifacts"
