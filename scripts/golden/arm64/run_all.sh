#!/bin/sh
# Regenerates every arm64 golden case.  Needs: qemu-system-arm (for
# qemu-system-aarch64), gdb-multiarch, binutils-aarch64-linux-gnu,
# device-tree-compiler, cpio, python3.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
S=${SCRATCH:-/work/scratch-arm64}
[ -d "$S/img" ] || "$HERE/fetch_packages.sh" "$S"
"$HERE/build_initramfs.sh" "$S"
C="$HERE/capture.py --scratch $S"
python3 $C virt-1g --mem 1G
python3 $C virt-1g-rodata-on --mem 1G --append "rodata=on"
python3 $C virt-5g --mem 5G
python3 $C virt-2g-mem768m --mem 2G --append "mem=768M"
python3 $C virt-2g --mem 2G
python3 $C virt-1g-kaslr --mem 1G --kaslr-seed 0x0123456789abcdef
python3 "$HERE/sysmap_subset.py" "$S" > "$HERE/../../../tests/golden/arm64/System.map.subset"
