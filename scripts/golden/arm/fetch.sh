#!/bin/sh
# Download (never install) the Debian armhf packages the arm goldens come from
# and unpack what the capture needs into $SCRATCH.
set -eu
SCRATCH=${SCRATCH:-/work/scratch-arm}
KVER=${KVER:-6.1.0-50}
here=$(cd "$(dirname "$0")" && pwd)
dpkg --print-foreign-architectures | grep -qx armhf || dpkg --add-architecture armhf
apt-get update
apt-get install -y qemu-system-arm gdb-multiarch device-tree-compiler cpio
mkdir -p "$SCRATCH/debs" "$SCRATCH/x" "$SCRATCH/dbg"
cd "$SCRATCH/debs"
apt-get download "linux-image-$KVER-armmp:armhf" "linux-image-$KVER-armmp-lpae:armhf" \
  "linux-image-$KVER-armmp-dbg:armhf" "linux-image-$KVER-armmp-lpae-dbg:armhf" \
  busybox-static:armhf
for f in armmp armmp-lpae; do
  mkdir -p "$SCRATCH/x/linux-image-$KVER-$f"
  dpkg -x linux-image-"$KVER-$f"_*_armhf.deb "$SCRATCH/x/linux-image-$KVER-$f"
  dpkg-deb --fsys-tarfile linux-image-"$KVER-$f"-dbg_*_armhf.deb |
    tar -x -C "$SCRATCH/dbg" "./usr/lib/debug/boot/System.map-$KVER-$f" \
      "./usr/lib/debug/boot/vmlinux-$KVER-$f"
done
mkdir -p "$SCRATCH/x/busybox-static"
dpkg -x busybox-static_*_armhf.deb "$SCRATCH/x/busybox-static"
"$here/make-initramfs.sh" "$SCRATCH/x/busybox-static/bin/busybox" "$SCRATCH/initramfs.cpio.gz"
