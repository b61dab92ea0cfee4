#!/usr/bin/env bash
# ptsim boot --html (arm64) in a browser: memory.rst's regions, the kernel
# image and the idmap; blocks, pages and contiguous runs; walks; and an
# unwritable --html refused with nothing left behind.
ptsim=$1
source "$(dirname "$0")/html_lib.bash"

"$ptsim" boot --html "$tmp/arm64.html" > "$tmp/arm64.txt" || fail "arm64 boot exit $?"
grep -q '^Linux 6.1 arm64 boot' "$tmp/arm64.txt" || fail "--html changed the boot summary"
browse "$tmp/arm64.html" arm64-boot --tables --kind block --kind page --kind contiguous \
  --region user --region modules --region vmalloc --region "kernel image" --region fixmap \
  --region "PCI I/O" --region vmemmap --region idmap --region "linear map"

# 64K pages and 42-bit VA: three levels, other regions.
"$ptsim" boot --page-size 64K --va-bits 42 --html "$tmp/arm64-64k.html" > /dev/null ||
  fail "64K boot exit $?"
browse "$tmp/arm64-64k.html" arm64-64k-boot --tables --region vmalloc --region "linear map"

if "$ptsim" boot --html "$tmp/no/such/dir/map.html" > /dev/null 2> "$tmp/err"; then
  fail "writing into a missing directory succeeded"
fi
grep -q -- "--html '$tmp/no/such/dir/map.html': cannot write" "$tmp/err" || fail "error text: $(cat "$tmp/err")"
[ ! -e "$tmp/no/such/dir/map.html.tmp" ] || fail "a half-written file was left"
