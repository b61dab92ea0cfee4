#!/bin/sh
# Builds ptdump_module/ptsim_ptdump.ko against Debian's own headers for the
# booted kernel, with Debian's cross compiler (gcc-aarch64-linux-gnu: the
# same gcc 12 as the kernel).  The header packages are downloaded with a
# private apt state in the scratch directory and unpacked with dpkg -x,
# never installed.  Host packages: gcc-aarch64-linux-gnu and make
# (linux-kbuild-6.1 brings fixdep and modpost built for the host).
# Usage: build_ptdump_module.sh [SCRATCH]   (default /work/scratch-arm64)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
S=${1:-/work/scratch-arm64}
KVER=${KVER:-6.1.0-56-arm64}
KPKG=${KPKG:-6.1.192-2}
W="$S/ptdump-mod"
mkdir -p "$W/debs" "$S/apt/lists/partial" "$S/apt/cache/archives/partial"
A="-o APT::Architectures=arm64 -o APT::Architecture=arm64 \
   -o Dir::State::Lists=$S/apt/lists -o Dir::Cache=$S/apt/cache"
cd "$W/debs"
if [ ! -e "linux-headers-${KVER}_${KPKG}_arm64.deb" ]; then
  apt-get $A update
  apt-get $A download "linux-headers-$KVER=$KPKG" "linux-headers-${KVER%-arm64}-common=$KPKG"
  # The kbuild tools run on the build machine: the host architecture's package.
  apt-get download "linux-kbuild-6.1:$(dpkg --print-architecture)=$KPKG"
fi
rm -rf "$W/root" && mkdir -p "$W/root"
for d in ./*.deb; do dpkg -x "$d" "$W/root"; done
K="$W/root/usr/src/linux-headers-$KVER"
# The arch header package includes the common one by its installed path.
sed -i "s|^include /usr/src/|include $W/root/usr/src/|" "$K/Makefile"
rm -rf "$W/build" && cp -r "$HERE/ptdump_module" "$W/build"
make -C "$K" M="$W/build" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- modules
ls -l "$W/build/ptsim_ptdump.ko"
