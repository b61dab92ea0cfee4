#!/bin/sh
# Downloads (never installs) Debian's arm64 kernel, its debug symbols and a
# static busybox into a scratch directory, using a private apt state so the
# host's own package lists are untouched, and unpacks them with dpkg -x.
# Usage: fetch_packages.sh [SCRATCH]   (default /work/scratch-arm64)
set -eu
S=${1:-/work/scratch-arm64}
KVER=${KVER:-6.1.0-56-arm64}
mkdir -p "$S/apt/lists/partial" "$S/apt/cache/archives/partial"
A="-o APT::Architectures=arm64 -o APT::Architecture=arm64 \
   -o Dir::State::Lists=$S/apt/lists -o Dir::Cache=$S/apt/cache"
cd "$S"
apt-get $A update
apt-get $A download "linux-image-$KVER-unsigned" "linux-image-$KVER-dbg" busybox-static
mkdir -p img bb dbg
dpkg -x linux-image-"$KVER"-unsigned_*.deb img
dpkg -x busybox-static_*.deb bb
# Only System.map and vmlinux (for the disassembly of setup_arch) are taken
# from the -dbg package; the image package's System.map is a stub.
dpkg-deb --fsys-tarfile linux-image-"$KVER"-dbg_*.deb |
  tar -x -C dbg "./usr/lib/debug/boot/vmlinux-$KVER" "./usr/lib/debug/boot/System.map-$KVER"
dpkg-deb -f linux-image-"$KVER"-unsigned_*.deb Package Version > versions.txt
dpkg-deb -f linux-image-"$KVER"-dbg_*.deb Package Version >> versions.txt
dpkg-deb -f busybox-static_*.deb Package Version >> versions.txt
cat versions.txt
