#!/bin/sh
# Write tests/golden/arm/<flavour>/System.map.subset from the -dbg System.map,
# keeping the callers seen in the captured memblock=debug traces.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
SCRATCH=${SCRATCH:-/work/scratch-arm}
KVER=${KVER:-6.1.0-50}
for f in armmp armmp-lpae; do
  deb=$(ls "$SCRATCH"/debs/linux-image-"$KVER-$f"-dbg_*_armhf.deb)
  desc="$(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version) (armhf)"
  mkdir -p "$repo/tests/golden/arm/$f"
  traces=$(ls "$repo"/tests/golden/arm/*-"$f"/memblock-debug.txt 2>/dev/null || true)
  python3 "$here/sysmap-subset.py" "$SCRATCH/dbg/usr/lib/debug/boot/System.map-$KVER-$f" \
    "$desc" "$repo/tests/golden/arm/$f/System.map.subset" $traces
done
