#!/usr/bin/env python3
"""Boot one Debian armhf kernel under QEMU and capture the golden files.

For one case this:
  1. dumps the DTB QEMU hands to the kernel (-M <machine>,dumpdtb=...);
  2. starts QEMU halted with a gdb stub and a monitor socket, serial log
     to a file, command line "nokaslr memblock=debug console=ttyAMA0 ...";
  3. with gdb-multiarch and the -dbg vmlinux: hardware breakpoint at
     paging_init (state on entry: CP15 registers, memblock), then at the
     instruction after `bl paging_init` in setup_arch (registers, memblock,
     arm_lowmem_limit, high_memory, kernel_sec_*, and a pmemsave of RAM);
  4. lets the guest run to its busybox /init, which prints /proc/iomem,
     /proc/cmdline and the debugfs memblock files, then stops it and takes
     the final registers and a second pmemsave;
  5. walks both RAM dumps with walk_arm.py (hw view from the TTBRs, and the
     dump.c view of swapper_pg_dir).

RAM dumps stay in the scratch directory; only text and the DTB go to OUT.
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REGS = ("TTBR0", "TTBR1", "TTBCR", "DACR", "SCTLR", "PRRR", "NMRR", "MAIR0", "MAIR1",
        "CONTEXTIDR")


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def symbols(path):
    syms = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                syms.setdefault(parts[2], int(parts[0], 16))
    return syms


def monitor(sock, command, wait=0.5):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock)
    s.settimeout(0.3)

    def drain():
        out = b""
        try:
            while True:
                d = s.recv(65536)
                if not d:
                    break
                out += d
        except socket.timeout:
            pass
        return out

    drain()
    s.sendall(command.encode() + b"\n")
    time.sleep(wait)
    out = drain()
    s.close()
    return out.decode(errors="replace")


def pick_regs(text):
    """Keep the CP15 registers of interest from `info all-registers`.

    QEMU names banked registers with an _S suffix for the Secure copy; the
    Cortex-A9 on vexpress-a9 runs Linux in Secure state, so those are the
    live ones there, while virt (no Security Extensions) has only plain
    names."""
    keep = []
    for line in text.splitlines():
        m = re.match(r"^(\w+)\s+(0x[0-9a-f]+)", line)
        if not m:
            continue
        name = m.group(1)
        base = re.sub(r"(_EL[0-3])?(_S)?$", "", name)
        if base in REGS or name in ("pc", "lr", "sp", "cpsr"):
            keep.append("%-16s %s" % (name, m.group(2)))
    return "\n".join(keep) + "\n"


def live_reg(regs_text, base, secure):
    """Value of the register QEMU's CPU actually uses for translation."""
    vals = {}
    for line in regs_text.splitlines():
        name, val = line.split()
        vals[name] = int(val, 16)
    order = [base + "_EL1_S", base + "_S"] if secure else [base + "_EL1", base]
    for n in order:
        if n in vals:
            return vals[n]
    raise KeyError(base)


def gdb(vmlinux, port, commands, logpath):
    script = logpath + ".gdb"
    with open(script, "w") as f:
        f.write("set pagination off\nset confirm off\nset print pretty on\n"
                "set remotetimeout 900\n")
        f.write("target remote :%d\n" % port)
        f.write(commands)
    with open(logpath, "w") as log:
        sh(["nice", "gdb-multiarch", "-batch", "-nx", "-x", script, vmlinux],
           stdout=log, stderr=subprocess.STDOUT, timeout=900)
    with open(logpath) as f:
        return f.read()


def section(text, start, end):
    i = text.index(start)
    j = text.index(end, i)
    return text[i + len(start):j]


def memblock_cmds(tag):
    return ("echo \\n=== %s memblock\\n\n"
            "p/x memblock\n"
            "p/x *memblock.memory.regions@memblock.memory.cnt\n"
            "p/x *memblock.reserved.regions@memblock.reserved.cnt\n"
            "echo === end\\n\n" % tag)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--case", required=True)
    ap.add_argument("--flavour", required=True, help="armmp or armmp-lpae")
    ap.add_argument("--machine", required=True, help="QEMU -M value")
    ap.add_argument("--cpu")
    ap.add_argument("--mem", required=True, help="QEMU -m value, e.g. 1G")
    ap.add_argument("--ram-base", type=lambda s: int(s, 0), required=True)
    ap.add_argument("--ram-size", type=lambda s: int(s, 0), required=True)
    ap.add_argument("--pkg-dtb", help="DTB file from the linux-image package")
    ap.add_argument("--append-extra", default="")
    ap.add_argument("--kver", default="6.1.0-50")
    ap.add_argument("--scratch", default="/work/scratch-arm")
    ap.add_argument("--out", required=True)
    ap.add_argument("--port", type=int, default=23471)
    ap.add_argument("--walk-only", action="store_true",
                    help="reuse the scratch logs and RAM dumps of an earlier boot")
    args = ap.parse_args()

    flav = args.flavour
    kname = "%s-%s" % (args.kver, flav)
    img = os.path.join(args.scratch, "x", "linux-image-" + kname)
    kernel = os.path.join(img, "boot", "vmlinuz-" + kname)
    dbg = os.path.join(args.scratch, "dbg", "usr", "lib", "debug", "boot")
    vmlinux = os.path.join(dbg, "vmlinux-" + kname)
    sysmap = symbols(os.path.join(dbg, "System.map-" + kname))
    initrd = os.path.join(args.scratch, "initramfs.cpio.gz")
    run = os.path.join(args.scratch, "run", args.case)
    os.makedirs(run, exist_ok=True)
    os.makedirs(args.out, exist_ok=True)
    lpae = flav.endswith("lpae")
    secure = args.machine.startswith("vexpress")

    append = "nokaslr memblock=debug console=ttyAMA0"
    if args.append_extra:
        append += " " + args.append_extra
    base = ["qemu-system-arm", "-M", args.machine, "-m", args.mem, "-smp", "1",
            "-kernel", kernel, "-initrd", initrd, "-append", append,
            "-display", "none", "-no-reboot"]
    if args.cpu:
        base += ["-cpu", args.cpu]
    if args.pkg_dtb:
        base += ["-dtb", args.pkg_dtb]
    env = dict(os.environ, QEMU_AUDIO_DRV="none")

    serial = os.path.join(run, "serial.log")
    mon = os.path.join(run, "mon.sock")
    stage1 = os.path.join(run, "stage1.log")
    stage2 = os.path.join(run, "stage2.log")
    dump1 = os.path.join(run, "ram-paging_init.bin")
    dump2 = os.path.join(run, "ram-final.bin")
    if args.walk_only:
        log1 = open(stage1).read()
        log2 = open(stage2).read()
    else:
        log1, log2 = boot(args, base, env, vmlinux, sysmap, run, serial, mon, stage1, stage2,
                          dump1, dump2)
    post(args, lpae, secure, sysmap, serial, log1, log2, dump1, dump2)


def boot(args, base, env, vmlinux, sysmap, run, serial, mon, stage1, stage2, dump1, dump2):
    # 1. The DTB as the kernel receives it (QEMU fills /chosen and /memory).
    dtb_out = os.path.join(args.out, "machine.dtb")
    dump_cmd = list(base)
    dump_cmd[2] = args.machine + ",dumpdtb=" + dtb_out
    sh(["nice"] + dump_cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(os.path.join(args.out, "machine.dts"), "w") as f:
        sh(["dtc", "-I", "dtb", "-O", "dts", dtb_out], stdout=f, stderr=subprocess.DEVNULL)

    # 2. Start halted.
    for p in (serial, mon):
        if os.path.exists(p):
            os.unlink(p)
    qemu_cmd = base + ["-S", "-gdb", "tcp::%d" % args.port, "-serial", "file:" + serial,
                       "-monitor", "unix:%s,server,nowait" % mon]
    with open(os.path.join(args.out, "qemu-command.txt"), "w") as f:
        f.write(" ".join(dump_cmd) + "\n" + " ".join(qemu_cmd) + "\n")
    qemu = subprocess.Popen(["nice"] + qemu_cmd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.5)
        paging_init = sysmap["paging_init"]
        dis = subprocess.run(
            ["gdb-multiarch", "-batch", "-nx", "-ex",
             "disassemble 0x%x,+0x1000" % sysmap["setup_arch"], vmlinux],
            capture_output=True, text=True).stdout
        m = re.search(r"bl\s+0x%x <paging_init>\n\s+(0x[0-9a-f]+)" % paging_init, dis)
        ret = int(m.group(1), 16)
        cmds = ("hbreak *0x%x\ncontinue\n" % paging_init
                + "echo \\n=== paging_init-entry registers\\n\ninfo all-registers\necho === end\\n\n"
                + memblock_cmds("paging_init-entry")
                + "delete\nhbreak *0x%x\ncontinue\n" % ret
                + "echo \\n=== paging_init-return registers\\n\ninfo all-registers\necho === end\\n\n"
                + memblock_cmds("paging_init-return")
                + "echo \\n=== paging_init-return variables\\n\n"
                  "p/x arm_lowmem_limit\np/x high_memory\np/x kernel_sec_start\n"
                  "p/x kernel_sec_end\np/x memblock.current_limit\necho === end\\n\n"
                + "monitor pmemsave 0x%x 0x%x \"%s\"\n" % (args.ram_base, args.ram_size, dump1)
                + "delete\ndetach\n")
        log1 = gdb(vmlinux, args.port, cmds, stage1)
        # QEMU leaves the VM paused when gdb detaches; resume it.
        monitor(mon, "cont")

        # 4. Run to /init's output, then stop and take the final state.
        deadline = time.time() + 900
        while time.time() < deadline:
            if os.path.exists(serial) and "=== GOLDEN END ===" in open(serial, errors="replace").read():
                break
            time.sleep(2)
        else:
            raise SystemExit("guest did not reach /init output")
        time.sleep(2)
        cmds = ("echo \\n=== final registers\\n\ninfo all-registers\necho === end\\n\n"
                "echo \\n=== final variables\\n\np/x high_memory\necho === end\\n\n"
                "monitor pmemsave 0x%x 0x%x \"%s\"\n" % (args.ram_base, args.ram_size, dump2)
                + "detach\n")
        log2 = gdb(vmlinux, args.port, cmds, stage2)
    finally:
        try:
            monitor(mon, "quit")
        except OSError:
            pass
        time.sleep(1)
        if qemu.poll() is None:
            qemu.kill()
        qemu.wait()
    return log1, log2


def post(args, lpae, secure, sysmap, serial, log1, log2, dump1, dump2):
    # Text captures.
    with open(serial, errors="replace") as f:
        log = f.read()
    with open(os.path.join(args.out, "serial.log"), "w") as f:
        f.write(log)
    with open(os.path.join(args.out, "memblock-debug.txt"), "w") as f:
        f.write("".join(l for l in log.splitlines(True)
                        if re.search(r"memblock|MEMBLOCK|memory\[|reserved\[|memory size|\.cnt", l)))
    if "=== GOLDEN BEGIN ===" in log:
        with open(os.path.join(args.out, "init-output.txt"), "w") as f:
            f.write(section(log, "=== GOLDEN BEGIN ===\n", "=== GOLDEN END ==="))

    results = {}
    for tag, text in (("paging_init-entry", log1), ("paging_init-return", log1),
                      ("final", log2)):
        regs = pick_regs(section(text, "=== %s registers" % tag, "=== end"))
        results[tag] = regs
        with open(os.path.join(args.out, "regs-%s.txt" % tag), "w") as f:
            f.write(regs)
        if tag != "final":
            with open(os.path.join(args.out, "memblock-%s.txt" % tag), "w") as f:
                f.write(section(text, "=== %s memblock" % tag, "=== end").strip() + "\n")
    names1 = ("arm_lowmem_limit", "high_memory", "kernel_sec_start", "kernel_sec_end",
              "memblock.current_limit")
    vals1 = re.findall(r"\$\d+ = (0x[0-9a-f]+)",
                       section(log1, "=== paging_init-return variables", "=== end"))
    vals2 = re.findall(r"\$\d+ = (0x[0-9a-f]+)", section(log2, "=== final variables", "=== end"))
    with open(os.path.join(args.out, "variables.txt"), "w") as f:
        f.write("# read with gdb right after paging_init returns to setup_arch\n")
        for n, v in zip(names1, vals1):
            f.write("%s = %s\n" % (n, v))
        f.write("# read with gdb at the final stop (busybox /init idle)\n")
        f.write("high_memory = %s\n" % vals2[0])
    high_memory = int(vals1[1], 16)
    sh(["python3", os.path.join(HERE, "trace_cut.py"),
        os.path.join(args.out, "memblock-debug.txt"),
        os.path.join(args.out, "memblock-paging_init-return.txt"),
        os.path.join(args.out, "memblock-debug-until-paging_init.txt")])
    vmalloc_start = (high_memory + 0x800000) & ~0x7FFFFF
    page_offset = 0xC0000000
    pgd_pa = sysmap["swapper_pg_dir"] - page_offset + args.ram_base

    walker = os.path.join(HERE, "walk_arm.py")
    for tag, dump in (("paging_init", dump1), ("final", dump2)):
        regs = results["paging_init-return" if tag == "paging_init" else "final"]
        ttbr0 = live_reg(regs, "TTBR0", secure)
        ttbr1 = live_reg(regs, "TTBR1", secure)
        ttbcr = live_reg(regs, "TTBCR", secure)
        common = ["python3", walker, dump, "--ram-base", hex(args.ram_base)]
        with open(os.path.join(args.out, "tables-%s-hw.txt" % tag), "w") as f:
            sh(common + ["--view", "hw", "--ttbr0", hex(ttbr0), "--ttbr1", hex(ttbr1),
                         "--ttbcr", hex(ttbcr)], stdout=f)
        # The same MMU walk, but rooted at swapper_pg_dir for the kernel half
        # (at the final stop TTBR0 is the init process's pgd).
        if lpae:
            kroot = dict(ttbr0=ttbr0, ttbr1=ttbr1)
        else:
            kroot = dict(ttbr0=pgd_pa, ttbr1=pgd_pa)
        with open(os.path.join(args.out, "tables-%s-hw-swapper.txt" % tag), "w") as f:
            sh(common + ["--view", "hw", "--ttbr0", hex(kroot["ttbr0"]),
                         "--ttbr1", hex(kroot["ttbr1"]), "--ttbcr", hex(ttbcr)], stdout=f)
        with open(os.path.join(args.out, "tables-%s-descriptors.txt" % tag), "w") as f:
            sh(common + ["--view", "descriptors", "--ttbr0", hex(kroot["ttbr0"]),
                         "--ttbr1", hex(kroot["ttbr1"]), "--ttbcr", hex(ttbcr)], stdout=f)
        with open(os.path.join(args.out, "tables-%s-ptdump.txt" % tag), "w") as f:
            sh(common + ["--view", "ptdump", "--pgd", hex(pgd_pa), "--vmalloc-start",
                         hex(vmalloc_start)] + (["--lpae"] if lpae else []), stdout=f)
    print("captured", args.case)


if __name__ == "__main__":
    main()
