#!/bin/sh
# Builds a tiny cpio (newc) initramfs: static busybox plus an /init that
# prints the kernel's view of memory and then idles so the VM can be
# inspected and stopped from the QEMU monitor or gdb stub.
# Usage: build_initramfs.sh [SCRATCH]
set -eu
S=${1:-/work/scratch-arm64}
R="$S/initramfs-root"
rm -rf "$R"
mkdir -p "$R/bin" "$R/proc" "$R/sys" "$R/dev"
cp "$S/bb/bin/busybox" "$R/bin/busybox"
cat > "$R/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
sec() { echo "===== $1 ====="; }
sec CMDLINE; cat /proc/cmdline
sec VERSION; cat /proc/version
sec IOMEM; cat /proc/iomem
sec MEMBLOCK_MEMORY; cat /sys/kernel/debug/memblock/memory
sec MEMBLOCK_RESERVED; cat /sys/kernel/debug/memblock/reserved
sec MEMINFO; cat /proc/meminfo
sec VMALLOCINFO; cat /proc/vmallocinfo
sec DMESG; dmesg
sec READY
while true; do sleep 1000; done
INIT
chmod 755 "$R/init"
(cd "$R" && find . | sort | cpio -o -H newc --quiet) > "$S/initramfs.cpio"
ls -l "$S/initramfs.cpio"
