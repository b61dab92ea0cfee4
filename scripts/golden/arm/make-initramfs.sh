#!/bin/sh
# Build a tiny busybox initramfs whose /init prints what the golden captures
# need (/proc/iomem, /proc/cmdline, debugfs memblock files) and then idles.
# Usage: make-initramfs.sh BUSYBOX_STATIC_ARMHF OUT.cpio.gz
set -eu
bb=$1
out=$2
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev"
cp "$bb" "$root/bin/busybox"
for t in sh mount cat echo sleep ls dmesg; do ln -s busybox "$root/bin/$t"; done
cat > "$root/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
echo "=== GOLDEN BEGIN ==="
echo "--- /proc/cmdline"; cat /proc/cmdline
echo "--- /proc/iomem"; cat /proc/iomem
echo "--- /proc/meminfo"; cat /proc/meminfo
for f in /sys/kernel/debug/memblock/memory /sys/kernel/debug/memblock/reserved; do
  if [ -r "$f" ]; then echo "--- $f"; cat "$f"; else echo "--- $f (absent)"; fi
done
echo "=== GOLDEN END ==="
while true; do sleep 3600; done
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -9 > "$out"
