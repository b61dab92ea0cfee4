#!/usr/bin/env python3
"""Runs the live-ptdump boot (initramfs built by live_ptdump.sh) and writes
tests/golden/arm64/live_ptdump/.

The guest prints the kernel's own ptdump (ptsim_ptdump.ko calling
arch/arm64/mm/ptdump.c ptdump_walk()) and then waits in a shell builtin.
As soon as the serial log shows that, gdb attaches to QEMU's gdb stub, which
stops the VM; the system registers are read and guest RAM saved with
pmemsave; gdb detaches and the guest dumps its tables a second time and says
whether anything changed in between.  The table pages reachable from
TTBR1_EL1 are then copied from the RAM dump into a small ELF core by the
independent walker (scripts/golden/walk_arm64.py tablecore), and the
walker's own ptdump of the dump is checked against the kernel's text.
"""

import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from capture import KVER, RAM_BASE, SYSREGS, parse_size, qemu_version, REPO, WALK  # noqa: E402
import live_boot  # noqa: E402

APPEND = "nokaslr earlycon=pl011,0x9000000 console=ttyAMA0 no_hash_pointers"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--scratch", default="/work/scratch-arm64")
    p.add_argument("--mem", default="1G")
    p.add_argument("--cpu", default="cortex-a57")
    p.add_argument("--port", type=int, default=23467)
    p.add_argument("--out", default=os.path.join(REPO, "tests", "golden", "arm64", "live_ptdump"))
    args = p.parse_args()
    s = args.scratch
    work = os.path.join(s, "cases", "live_ptdump")
    os.makedirs(work, exist_ok=True)
    os.makedirs(args.out, exist_ok=True)
    qemu = ["qemu-system-aarch64", "-M", "virt,dtb-randomness=off", "-cpu", args.cpu,
            "-smp", "1", "-m", args.mem, "-display", "none", "-no-reboot",
            "-kernel", os.path.join(s, "img", "boot", "vmlinuz-" + KVER),
            "-initrd", os.path.join(s, "initramfs-ptdump.cpio"), "-append", APPEND]
    cmds = ["echo ===== PC\\n", "p/x $pc"]
    for r in SYSREGS:
        cmds += ["echo ===== %s\\n" % r, "p/x $%s" % r]
    cmds += ["echo ===== monitor info registers\\n", "monitor info registers"]
    save, pieces = live_boot.pmemsave_commands(os.path.join(work, "ram.bin"), RAM_BASE,
                                               parse_size(args.mem))
    text, log = live_boot.run(qemu, work, args.port, "aarch64", cmds + save)
    live_boot.write_regs(os.path.join(args.out, "regs.txt"), [
        "%s, -M virt -cpu %s -m %s" % (qemu_version(), args.cpu, args.mem),
        "kernel command line: " + APPEND,
        "stopped while the guest waited after printing kernel_page_tables"], text)
    live_boot.split_serial(log, args.out)
    ttbr1 = int(re.search(r"===== TTBR1_EL1\n\$\d+ = (0x[0-9a-f]+)", text).group(1), 16)
    spec = []
    for piece in pieces:
        spec += ["--ram", piece]
    core = os.path.join(work, "tables.core")
    subprocess.run([sys.executable, WALK, "tablecore"] + spec + [
        "--root", hex(ttbr1), "--out", core], check=True)
    live_boot.store_core(core, args.out)
    # The independent walker's ptdump of the RAM dump against the kernel's
    # text: a check of the walker and of the capture, not a golden file.
    prefix = os.path.join(work, "swapper")
    subprocess.run([sys.executable, WALK, "walk"] + spec + [
        "--root", hex(ttbr1), "--half", "upper", "--out", prefix, "--ptdump"], check=True)
    live_boot.compare(prefix + ".ptdump.txt", os.path.join(args.out, "kernel_page_tables.txt"))
    for piece in pieces:
        os.unlink(piece.split("@")[0])


if __name__ == "__main__":
    main()
