#!/bin/sh
# Builds the live-ptdump initramfs: static busybox, the module, and
# live_ptdump_init.sh as /init with the module's parameters filled in.
# Usage: live_ptdump_initramfs.sh BUSYBOX MODULE.ko "MODULE ARGS" OUT.cpio
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
R=$(mktemp -d)
trap 'rm -rf "$R"' EXIT
mkdir -p "$R/bin" "$R/proc" "$R/sys" "$R/dev"
cp "$1" "$R/bin/busybox"
cp "$2" "$R/ptsim_ptdump.ko"
sed "s/@MODULE_ARGS@/$3/" "$HERE/live_ptdump_init.sh" > "$R/init"
chmod 755 "$R/init"
(cd "$R" && find . | sort | cpio -o -H newc --quiet) > "$4"
