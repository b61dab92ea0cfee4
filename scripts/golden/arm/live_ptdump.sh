#!/bin/sh
# Boots Debian's armmp kernel (or, with FLAVOUR=armmp-lpae, armmp-lpae) on
# QEMU virt with 1G and an initramfs that loads ptsim_ptdump.ko
# (../arm64/ptdump_module/) and prints the kernel's own ptdump of init_mm;
# stops the guest right after, saves registers and RAM, and writes
# tests/golden/arm/live_ptdump/ (live_ptdump-lpae/ for armmp-lpae; see
# tests/golden/arm/README.md).
# Needs what capture-all.sh needs plus gcc-arm-linux-gnueabihf and make.
# Usage: live_ptdump.sh   (SCRATCH=/work/scratch-arm by default; OUT=DIR
# writes the files there instead, e.g. to check a rerun)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
S=${SCRATCH:-/work/scratch-arm}
FLAVOUR=${FLAVOUR:-armmp}   # or armmp-lpae
KVER=${KVER:-6.1.0-50-$FLAVOUR}
[ -d "$S/x/linux-image-$KVER" ] || "$HERE/fetch.sh"
"$HERE/../build_ptdump_module.sh" "$S" armhf "$KVER" "${KPKG:-6.1.176-1}"

# init_mm and swapper_pg_dir are data, which kallsyms does not hold (no
# CONFIG_KALLSYMS_ALL): the module takes them from System.map (the arm
# kernel is not relocated).
SYSMAP="$S/dbg/usr/lib/debug/boot/System.map-$KVER"
INIT_MM=$(awk '$3 == "init_mm" { print "0x" $1 }' "$SYSMAP")
PGD=$(awk '$3 == "swapper_pg_dir" { print "0x" $1 }' "$SYSMAP")
[ -n "$INIT_MM" ] && [ -n "$PGD" ]

"$HERE/../live_ptdump_initramfs.sh" "$S/x/busybox-static/bin/busybox" \
  "$S/ptdump-mod/build-$KVER/ptsim_ptdump.ko" "init_mm_addr=$INIT_MM swapper_pg_dir_addr=$PGD" "$S/initramfs-ptdump.cpio"
python3 "$HERE/live_ptdump.py" --scratch "$S" --kver "$KVER" --pgd-va "$PGD" \
  ${OUT:+--out "$OUT"}
