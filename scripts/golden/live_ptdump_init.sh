#!/bin/busybox sh
# /init of the live-ptdump initramfs (arm64/live_ptdump.sh, arm/live_ptdump.sh
# put it there with @MODULE_ARGS@ filled in): loads ptsim_ptdump.ko, prints
# the kernel's own kernel_page_tables between markers, waits while the host
# stops the VM to save its RAM, dumps again to show nothing changed, and
# powers off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
mount -t securityfs securityfs /sys/kernel/security
sec() { echo "===== $1 ====="; }
sec CMDLINE; cat /proc/cmdline
sec LOCKDOWN; cat /sys/kernel/security/lockdown 2>/dev/null || echo "(no lockdown file)"
sec INSMOD
insmod /ptsim_ptdump.ko @MODULE_ARGS@ && echo "insmod: ok"
dmesg | grep -i "ptsim_ptdump"
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
