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
import gzip
import os
import re
import shutil
import subprocess
import sys
import time

from capture import KVER, RAM_BASE, SYSREGS, parse_size, qemu_version, REPO, WALK

APPEND = "nokaslr earlycon=pl011,0x9000000 console=ttyAMA0 no_hash_pointers"
SECTIONS = {"KERNEL_PAGE_TABLES": "kernel_page_tables.txt", "MARKERS": "markers.txt",
            "VMALLOCINFO": "vmallocinfo.txt"}
# Stored compressed when bigger than this.
GZIP_ABOVE = 100 << 10


def wait_for(path, text, proc, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(path) and text in open(path, errors="replace").read():
            return
        if proc.poll() is not None:
            raise RuntimeError("QEMU exited before %r appeared" % text)
        time.sleep(0.2)
    raise RuntimeError("%r never appeared in %s" % (text, path))


def gdb(port, commands, log):
    argv = ["gdb-multiarch", "-q", "-nx", "-batch", "-ex", "set architecture aarch64",
            "-ex", "set pagination off", "-ex", "set remotetimeout 600",
            "-ex", "target remote localhost:%d" % port]
    for c in commands:
        argv += ["-ex", c]
    with open(log, "w") as f:
        subprocess.run(argv, stdout=f, stderr=subprocess.STDOUT, timeout=900, check=True)
    return open(log).read()


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
    size = parse_size(args.mem)
    serial = os.path.join(work, "serial.log")
    if os.path.exists(serial):
        os.unlink(serial)
    argv = ["nice", "qemu-system-aarch64", "-M", "virt,dtb-randomness=off", "-cpu", args.cpu,
            "-smp", "1", "-m", args.mem, "-display", "none", "-no-reboot",
            "-kernel", os.path.join(s, "img", "boot", "vmlinuz-" + KVER),
            "-initrd", os.path.join(s, "initramfs-ptdump.cpio"), "-append", APPEND,
            "-serial", "file:" + serial, "-monitor", "none",
            "-gdb", "tcp:localhost:%d" % args.port]
    ram = os.path.join(work, "ram.bin")
    q = subprocess.Popen(argv, cwd=work)
    try:
        wait_for(serial, "===== STOP =====", q, 1800)
        cmds = ["echo ===== PC\\n", "p/x $pc"]
        for r in SYSREGS:
            cmds += ["echo ===== %s\\n" % r, "p/x $%s" % r]
        cmds += ["echo ===== monitor info registers\\n", "monitor info registers"]
        # pmemsave takes a 32-bit size; one piece per GiB.
        pieces = []
        for off in range(0, size, 1 << 30):
            name = "%s.%d" % (ram, off >> 30)
            pieces.append("%s@0x%x" % (name, RAM_BASE + off))
            cmds.append("monitor pmemsave 0x%x 0x%x %s" % (
                RAM_BASE + off, min(1 << 30, size - off), os.path.basename(name)))
        cmds.append("detach")
        text = gdb(args.port, cmds, os.path.join(work, "gdb.log"))
        wait_for(serial, "===== DONE =====", q, 1800)
        q.wait(timeout=300)
    finally:
        if q.poll() is None:
            q.terminate()
        q.wait()
    log = open(serial, errors="replace").read().replace("\r", "")
    if "===== UNCHANGED =====" not in log:
        raise RuntimeError("the second ptdump differs from the first: see %s" % serial)
    write_regs(args, text)
    parts = re.split(r"^===== (\w+) =====$", log, flags=re.M)
    for i in range(1, len(parts) - 1, 2):
        if parts[i] in SECTIONS:
            with open(os.path.join(args.out, SECTIONS[parts[i]]), "w") as f:
                f.write(parts[i + 1].strip("\n") + "\n")
    # The console log without the two big sections already kept as files.
    with open(os.path.join(args.out, "serial.log"), "w") as f:
        for i in range(0, len(parts)):
            if i % 2 == 1:
                f.write("===== %s =====\n" % parts[i])
            elif i == 0 or parts[i - 1] not in SECTIONS:
                f.write(parts[i].strip("\n") + "\n")
            else:
                f.write("(in %s)\n" % SECTIONS[parts[i - 1]])
    ttbr1 = int(re.search(r"===== TTBR1_EL1\n\$\d+ = (0x[0-9a-f]+)", text).group(1), 16)
    spec = []
    for piece in pieces:
        spec += ["--ram", piece]
    core = os.path.join(work, "tables.core")
    subprocess.run([sys.executable, WALK, "tablecore"] + spec + [
        "--root", hex(ttbr1), "--out", core], check=True)
    for old in ("tables.core", "tables.core.gz"):
        if os.path.exists(os.path.join(args.out, old)):
            os.unlink(os.path.join(args.out, old))
    if os.path.getsize(core) > GZIP_ABOVE:
        with open(core, "rb") as fi, open(os.path.join(args.out, "tables.core.gz"), "wb") as fo:
            # mtime=0 and no file name: the same tables give the same bytes.
            with gzip.GzipFile(filename="", mode="wb", fileobj=fo, mtime=0, compresslevel=9) as g:
                shutil.copyfileobj(fi, g)
    else:
        shutil.copy(core, os.path.join(args.out, "tables.core"))
    crosscheck(args, spec, ttbr1, work)
    for piece in pieces:
        os.unlink(piece.split("@")[0])


def write_regs(args, text):
    keep = [l for l in text.splitlines()
            if not l.startswith(("warning:", "The target architecture", "determining executable",
                                 "[Inferior")) and "Try using the" not in l]
    with open(os.path.join(args.out, "regs.txt"), "w") as f:
        f.write("# %s, -M virt -cpu %s -m %s\n" % (qemu_version(), args.cpu, args.mem))
        f.write("# kernel command line: %s\n" % APPEND)
        f.write("# stopped while the guest waited after printing kernel_page_tables\n")
        f.write("\n".join(keep) + "\n")


def crosscheck(args, spec, ttbr1, work):
    """The independent walker's ptdump of the RAM dump against the kernel's
    text (a check of the walker and of the capture; not a golden file)."""
    prefix = os.path.join(work, "swapper")
    subprocess.run([sys.executable, WALK, "walk"] + spec + [
        "--root", hex(ttbr1), "--half", "upper", "--out", prefix, "--ptdump"], check=True)
    mine = open(prefix + ".ptdump.txt").read().splitlines()
    kernel = open(os.path.join(args.out, "kernel_page_tables.txt")).read().splitlines()
    bad = [(i, a, b) for i, (a, b) in enumerate(zip(mine, kernel)) if a != b]
    print("walker ptdump: %d lines, kernel: %d lines, %d differ" % (
        len(mine), len(kernel), len(bad) + abs(len(mine) - len(kernel))))
    for i, a, b in bad[:20]:
        print("  line %d\n    walker %s\n    kernel %s" % (i + 1, a, b))


if __name__ == "__main__":
    main()
