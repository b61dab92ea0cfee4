#!/bin/sh
# Builds the ptdump module (scripts/golden/arm64/ptdump_module, one source
# for arm64 and arm) against Debian's own headers for the booted kernel,
# with Debian's cross compiler (the same gcc 12 as the kernel).  The header
# packages are downloaded into the scratch directory and unpacked with
# dpkg -x, never installed.  Host packages: make and the cross compiler
# (gcc-aarch64-linux-gnu or gcc-arm-linux-gnueabihf); linux-kbuild-6.1
# brings fixdep and modpost built for the host.
# Usage: build_ptdump_module.sh SCRATCH DEBARCH KVER KPKG
#   e.g. build_ptdump_module.sh /work/scratch-arm64 arm64 6.1.0-56-arm64 6.1.192-2
#        build_ptdump_module.sh /work/scratch-arm armhf 6.1.0-50-armmp 6.1.176-1
#        build_ptdump_module.sh /work/scratch-arm armhf 6.1.0-50-armmp-lpae 6.1.176-1
# The module ends up in SCRATCH/ptdump-mod/build-KVER/ptsim_ptdump.ko.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
S=$1 DEBARCH=$2 KVER=$3 KPKG=$4
case $DEBARCH in
  arm64) KARCH=arm64 CROSS=aarch64-linux-gnu- ;;
  armhf) KARCH=arm CROSS=arm-linux-gnueabihf- ;;
  *) echo "unknown architecture $DEBARCH" >&2; exit 2 ;;
esac
W="$S/ptdump-mod"
mkdir -p "$W/debs" "$W/apt/lists/partial" "$W/apt/cache/archives/partial"
cd "$W/debs"
if [ ! -e "linux-headers-${KVER}_${KPKG}_$DEBARCH.deb" ]; then
  # A private apt state for the target architecture: the host's package
  # lists are left alone.
  A="-o APT::Architectures=$DEBARCH -o APT::Architecture=$DEBARCH \
     -o Dir::State::Lists=$W/apt/lists -o Dir::Cache=$W/apt/cache"
  # An index that fails (the armhf security index sometimes does) is not
  # fatal as long as the download below finds the packages.
  apt-get $A update || echo "apt-get update failed in part; trying the download" >&2
  apt-get $A download "linux-headers-$KVER=$KPKG" "linux-headers-${KVER%%-[a-z]*}-common=$KPKG"
  # The kbuild tools run on the build machine: the host architecture's package.
  apt-get download "linux-kbuild-6.1:$(dpkg --print-architecture)=$KPKG"
fi
rm -rf "$W/root" && mkdir -p "$W/root"
for d in ./*.deb; do dpkg -x "$d" "$W/root"; done
K="$W/root/usr/src/linux-headers-$KVER"
# The arch header package includes the common one by its installed path.
sed -i "s|^include /usr/src/|include $W/root/usr/src/|" "$K/Makefile"
# One module source for both architectures.
rm -rf "$W/build-$KVER" && cp -r "$HERE/arm64/ptdump_module" "$W/build-$KVER"
make -C "$K" M="$W/build-$KVER" ARCH=$KARCH CROSS_COMPILE=$CROSS modules
ls -l "$W/build-$KVER/ptsim_ptdump.ko"
