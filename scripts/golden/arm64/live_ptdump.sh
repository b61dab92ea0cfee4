#!/bin/sh
# Boots Debian's arm64 kernel with an initramfs that loads ptsim_ptdump.ko
# (ptdump_module/) and prints the kernel's own ptdump of init_mm; stops the
# guest right after, saves registers and RAM, and writes
# tests/golden/arm64/live_ptdump/ (see tests/golden/arm64/README.md).
# Needs what run_all.sh needs plus gcc-aarch64-linux-gnu and make.
# Usage: live_ptdump.sh   (SCRATCH=/work/scratch-arm64 by default; OUT=DIR
# writes the files there instead, e.g. to check a rerun)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
S=${SCRATCH:-/work/scratch-arm64}
[ -d "$S/img" ] || "$HERE/fetch_packages.sh" "$S"
KVER=${KVER:-6.1.0-56-arm64}
"$HERE/../build_ptdump_module.sh" "$S" arm64 "$KVER" "${KPKG:-6.1.192-2}"

# init_mm is data, which kallsyms does not hold (no CONFIG_KALLSYMS_ALL):
# the module takes its address from System.map (valid: the boot uses nokaslr).
INIT_MM=$(awk '$3 == "init_mm" { print "0x" $1 }' \
  "$S/dbg/usr/lib/debug/boot/System.map-$KVER")
[ -n "$INIT_MM" ]

"$HERE/../live_ptdump_initramfs.sh" "$S/bb/bin/busybox" "$S/ptdump-mod/build-$KVER/ptsim_ptdump.ko" \
  "init_mm_addr=$INIT_MM" "$S/initramfs-ptdump.cpio"
python3 "$HERE/live_ptdump.py" --scratch "$S" ${OUT:+--out "$OUT"}
