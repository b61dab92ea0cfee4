#!/bin/sh
# Regenerate every arm golden case.  Needs the unpacked Debian packages in
# $SCRATCH (see README.md: fetch.sh) and qemu-system-arm, gdb-multiarch, dtc.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
SCRATCH=${SCRATCH:-/work/scratch-arm}
KVER=${KVER:-6.1.0-50}
out=$repo/tests/golden/arm
cap() { nice python3 "$here/capture.py" --scratch "$SCRATCH" --kver "$KVER" "$@"; }
pkg=$SCRATCH/x/linux-image-$KVER-armmp/usr/lib/linux-image-$KVER-armmp
only=${1:-all}

want() { [ "$only" = all ] || [ "$only" = "$1" ]; }

want vexpress-a9-1g-armmp && cap --case vexpress-a9-1g-armmp --flavour armmp \
  --machine vexpress-a9 --mem 1G --ram-base 0x60000000 --ram-size 0x40000000 \
  --pkg-dtb "$pkg/vexpress-v2p-ca9.dtb" --out "$out/vexpress-a9-1g-armmp"
want virt-2g-armmp && cap --case virt-2g-armmp --flavour armmp \
  --machine virt --mem 2G --ram-base 0x40000000 --ram-size 0x80000000 \
  --out "$out/virt-2g-armmp"
want virt-3g-armmp-lpae && cap --case virt-3g-armmp-lpae --flavour armmp-lpae \
  --machine virt,highmem=off --cpu cortex-a15 --mem 3G --ram-base 0x40000000 \
  --ram-size 0xc0000000 --out "$out/virt-3g-armmp-lpae"
want virt-1g-armmp && cap --case virt-1g-armmp --flavour armmp \
  --machine virt --mem 1G --ram-base 0x40000000 --ram-size 0x40000000 \
  --out "$out/virt-1g-armmp"
want virt-1g-vmalloc512m-armmp && cap --case virt-1g-vmalloc512m-armmp --flavour armmp \
  --machine virt --mem 1G --ram-base 0x40000000 --ram-size 0x40000000 \
  --append-extra vmalloc=512M --out "$out/virt-1g-vmalloc512m-armmp"
exit 0
