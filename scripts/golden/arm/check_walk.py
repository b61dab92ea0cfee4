#!/usr/bin/env python3
"""Cross-check walk_arm.py against the emulated MMU.

Boots one case to its idle /init, dumps RAM, walks the live TTBRs with
walk_arm.py, then for a sample of the resulting runs reads the same words
twice through QEMU's gdb stub: once by virtual address (translated by the
CPU model's own MMU code) and once by the physical address the walker
claims (`monitor xp`).  Every pair must match.  Writes a short report.

Usage: check_walk.py --case NAME --flavour F --machine M [--cpu C] --mem SIZE
                     --ram-base B --ram-size S [--pkg-dtb DTB] --out REPORT
"""

import argparse
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import capture  # noqa: E402  (reuses its QEMU/gdb helpers)


def main():
    ap = argparse.ArgumentParser()
    for a in ("--case", "--flavour", "--machine", "--mem", "--out"):
        ap.add_argument(a, required=True)
    ap.add_argument("--cpu")
    ap.add_argument("--pkg-dtb")
    ap.add_argument("--ram-base", type=lambda s: int(s, 0), required=True)
    ap.add_argument("--ram-size", type=lambda s: int(s, 0), required=True)
    ap.add_argument("--kver", default="6.1.0-50")
    ap.add_argument("--scratch", default="/work/scratch-arm")
    ap.add_argument("--port", type=int, default=23472)
    ap.add_argument("--samples", type=int, default=80)
    args = ap.parse_args()

    kname = "%s-%s" % (args.kver, args.flavour)
    kernel = os.path.join(args.scratch, "x", "linux-image-" + kname, "boot", "vmlinuz-" + kname)
    vmlinux = os.path.join(args.scratch, "dbg", "usr", "lib", "debug", "boot", "vmlinux-" + kname)
    run = os.path.join(args.scratch, "run", args.case + "-check")
    os.makedirs(run, exist_ok=True)
    serial, mon = os.path.join(run, "serial.log"), os.path.join(run, "mon.sock")
    for p in (serial, mon):
        if os.path.exists(p):
            os.unlink(p)
    cmd = ["qemu-system-arm", "-M", args.machine, "-m", args.mem, "-smp", "1",
           "-kernel", kernel, "-initrd", os.path.join(args.scratch, "initramfs.cpio.gz"),
           "-append", "nokaslr memblock=debug console=ttyAMA0", "-display", "none",
           "-no-reboot", "-gdb", "tcp::%d" % args.port, "-serial", "file:" + serial,
           "-monitor", "unix:%s,server,nowait" % mon]
    if args.cpu:
        cmd += ["-cpu", args.cpu]
    if args.pkg_dtb:
        cmd += ["-dtb", args.pkg_dtb]
    env = dict(os.environ, QEMU_AUDIO_DRV="none")
    qemu = subprocess.Popen(["nice"] + cmd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    secure = args.machine.startswith("vexpress")
    dump = os.path.join(run, "ram.bin")
    try:
        deadline = time.time() + 900
        while "=== GOLDEN END ===" not in (open(serial, errors="replace").read()
                                           if os.path.exists(serial) else ""):
            if time.time() > deadline:
                raise SystemExit("guest did not reach /init output")
            time.sleep(2)
        time.sleep(2)
        log = capture.gdb(vmlinux, args.port,
                          "echo \\n=== regs\\n\ninfo all-registers\necho === end\\n\n"
                          "monitor pmemsave 0x%x 0x%x \"%s\"\n" % (args.ram_base, args.ram_size,
                                                                   dump), os.path.join(run, "g1.log"))
        regs = capture.pick_regs(capture.section(log, "=== regs", "=== end"))
        ttbr0 = capture.live_reg(regs, "TTBR0", secure)
        ttbr1 = capture.live_reg(regs, "TTBR1", secure)
        ttbcr = capture.live_reg(regs, "TTBCR", secure)
        try:
            dacr = capture.live_reg(regs, "DACR", secure)
        except KeyError:
            dacr = None
        walk = subprocess.run(["python3", os.path.join(HERE, "walk_arm.py"), dump, "--ram-base",
                               hex(args.ram_base), "--view", "hw", "--ttbr0", hex(ttbr0),
                               "--ttbr1", hex(ttbr1), "--ttbcr", hex(ttbcr)],
                              capture_output=True, text=True, check=True).stdout
        runs = []
        for line in walk.splitlines():
            if line.startswith("0x"):
                va, end, pa = (int(x, 16) for x in line.split()[:3])
                dom = re.search(r"domain=(\d+)", line)
                # Only RAM: reading device registers could change them.
                if args.ram_base <= pa and pa + (end - va) <= args.ram_base + args.ram_size:
                    runs.append((va, end, pa, int(dom.group(1)) if dom else None))
        step = max(1, len(runs) // args.samples)
        picks = []
        domain_of = {}
        for va, end, pa, dom in runs[::step]:
            last = end - 8
            picks += [(va, pa), (last, pa + (last - va))]
            domain_of[va] = domain_of[last] = dom
        # gdb's Python API: a failed read must not end the batch.
        cmds = "python\n"
        cmds += "pairs = %r\n" % picks
        cmds += ("inf = gdb.selected_inferior()\n"
                 "for va, pa in pairs:\n"
                 "    print('=== 0x%x 0x%x' % (va, pa))\n"
                 "    try:\n"
                 "        b = bytes(inf.read_memory(va, 8))\n"
                 "        print('va: 0x%08x 0x%08x' % (int.from_bytes(b[:4], 'little'),"
                 " int.from_bytes(b[4:], 'little')))\n"
                 "    except gdb.MemoryError as e:\n"
                 "        print('va: unreadable')\n"
                 "    gdb.execute('monitor xp /2wx 0x%x' % pa)\n"
                 "print('=== done')\n"
                 "end\n")
        log2 = capture.gdb(vmlinux, args.port, cmds, os.path.join(run, "g2.log"))
    finally:
        try:
            capture.monitor(mon, "quit")
        except OSError:
            pass
        time.sleep(1)
        if qemu.poll() is None:
            qemu.kill()
        qemu.wait()

    ok = bad = denied = 0
    lines = []
    for block in log2.split("=== ")[1:]:
        head = block.split("\n", 1)[0].split()
        if len(head) != 2:
            continue
        va, pa = head
        words = re.findall(r":\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)", block)
        if len(words) < 2:
            dom = domain_of.get(int(va, 16))
            if "unreadable" in block and dacr is not None and dom is not None \
                    and (dacr >> (2 * dom)) & 3 == 0:
                # Short descriptors: a domain set to "no access" in DACR
                # faults every access, gdb's included (the kernel keeps the
                # user domain closed: CONFIG_CPU_SW_DOMAIN_PAN).
                denied += 1
                lines.append("DACR-DENIED va=%s pa=%s domain=%d" % (va, pa, dom))
                continue
            lines.append("UNREADABLE va=%s pa=%s" % (va, pa))
            bad += 1
            continue
        same = tuple(int(w, 16) for w in words[0]) == tuple(int(w, 16) for w in words[1])
        ok += same
        bad += not same
        if not same:
            lines.append("MISMATCH va=%s pa=%s %s / %s" % (va, pa, words[0], words[1]))
    with open(args.out, "w") as f:
        f.write("# %s: %d runs onto RAM walked from TTBR0=0x%x TTBR1=0x%x TTBCR=0x%x\n"
                % (args.case, len(runs), ttbr0, ttbr1, ttbcr))
        f.write("# %d sampled addresses (first and last word of sampled runs) read by VA\n"
                "# through the CPU's MMU and by the walker's PA with `monitor xp`.\n"
                % (ok + bad + denied))
        f.write("# DACR=%s\n" % (hex(dacr) if dacr is not None else "n/a"))
        f.write("matched %d, denied by DACR (domain no-access) %d, mismatched or unreadable %d\n"
                % (ok, denied, bad))
        f.write("\n".join(lines) + ("\n" if lines else ""))
    print("check", args.case, "ok" if bad == 0 else "FAILED", ok, bad)


if __name__ == "__main__":
    main()
