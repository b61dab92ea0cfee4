#!/bin/sh
# Boots Debian's arm64 kernel with an initramfs that loads ptsim_ptdump.ko
# (ptdump_module/) and prints the kernel's own ptdump of init_mm; stops the
# guest right after, saves registers and RAM, and writes
# tests/golden/arm64/live_ptdump/ (see tests/golden/arm64/README.md).
# Needs what run_all.sh needs plus gcc-aarch64-linux-gnu and make.
# Usage: live_ptdump.sh   (SCRATCH=/work/scratch-arm64 by default)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
S=${SCRATCH:-/work/scratch-arm64}
[ -d "$S/img" ] || "$HERE/fetch_packages.sh" "$S"
"$HERE/build_ptdump_module.sh" "$S"

# init_mm is data, which kallsyms does not hold (no CONFIG_KALLSYMS_ALL):
# the module takes its address from System.map (valid: the boot uses nokaslr).
INIT_MM=$(awk '$3 == "init_mm" { print "0x" $1 }' \
  "$S/dbg/usr/lib/debug/boot/System.map-${KVER:-6.1.0-56-arm64}")
[ -n "$INIT_MM" ]

R="$S/initramfs-ptdump-root"
rm -rf "$R"
mkdir -p "$R/bin" "$R/proc" "$R/sys" "$R/dev"
cp "$S/bb/bin/busybox" "$R/bin/busybox"
cp "$S/ptdump-mod/build/ptsim_ptdump.ko" "$R/ptsim_ptdump.ko"
cat > "$R/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
mount -t securityfs securityfs /sys/kernel/security
sec() { echo "===== $1 ====="; }
sec CMDLINE; cat /proc/cmdline
sec LOCKDOWN; cat /sys/kernel/security/lockdown 2>/dev/null || echo "(securityfs not mounted)"
sec INSMOD; insmod /ptsim_ptdump.ko init_mm_addr=@INIT_MM@ && echo "insmod: ok"; dmesg | grep -i "ptsim_ptdump"
sec TAINTED; cat /proc/sys/kernel/tainted
sec MARKERS; cat /sys/kernel/debug/kernel_page_tables_markers
cat /sys/kernel/debug/kernel_page_tables > /pt1
sec KERNEL_PAGE_TABLES; cat /pt1
# The host stops the guest here (it polls the serial log for STOP) and saves
# registers and RAM.  `read -t` is a shell builtin: nothing is forked, and
# the guest's clock stands still while QEMU is stopped.
sec STOP
read -t 30 x
cat /sys/kernel/debug/kernel_page_tables > /pt2
if cmp -s /pt1 /pt2; then sec UNCHANGED; else sec CHANGED; diff /pt1 /pt2; fi
sec VMALLOCINFO; cat /proc/vmallocinfo
sec DONE
poweroff -f
INIT
sed -i "s/@INIT_MM@/$INIT_MM/" "$R/init"
chmod 755 "$R/init"
(cd "$R" && find . | sort | cpio -o -H newc --quiet) > "$S/initramfs-ptdump.cpio"
python3 "$HERE/live_ptdump.py" --scratch "$S"
