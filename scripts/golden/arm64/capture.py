#!/usr/bin/env python3
"""Boots Debian's arm64 6.1 kernel under qemu-system-aarch64 -M virt and
captures the ground-truth files of one case into tests/golden/arm64/<case>/.

Four QEMU runs per case, all with the same machine options:
  1. -M virt,...,dumpdtb=virt.dtb  (QEMU writes the DTB it would pass, then exits)
  2. -S with the gdb stub, stopped at __primary_switched (head.S done)
  3. -S with the gdb stub: hardware breakpoint on the instruction after
     `bl paging_init` in setup_arch; registers and guest RAM saved there
  4. a full boot to the busybox prompt of the initramfs; serial log, then
     registers and guest RAM saved through the gdb stub
Guest RAM goes to the scratch directory only (never the repository); the
tables are then walked with scripts/golden/walk_arm64.py.

Usage: capture.py CASE --mem 1G [--append "extra cmdline"] [--scratch DIR]
"""

import argparse
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
WALK = os.path.join(REPO, "scripts", "golden", "walk_arm64.py")
KVER = "6.1.0-56-arm64"
BASE_APPEND = "nokaslr memblock=debug earlycon=pl011,0x9000000 console=ttyAMA0 log_buf_len=8M no_hash_pointers"
RAM_BASE = 0x40000000
SYSREGS = ["TTBR0_EL1", "TTBR1_EL1", "TCR_EL1", "MAIR_EL1", "SCTLR",
           "ID_AA64MMFR0_EL1", "ID_AA64MMFR1_EL1", "ID_AA64MMFR2_EL1",
           "CONTEXTIDR_EL1", "VBAR"]


def parse_size(s):
    m = re.fullmatch(r"(\d+)([MG])", s)
    return int(m.group(1)) << (20 if m.group(2) == "M" else 30)


def sysmap(path):
    syms = {}
    with open(path) as f:
        for line in f:
            a, t, n = line.split()
            syms.setdefault(n, int(a, 16))
    return syms


class Case:
    def __init__(self, args):
        self.name = args.case
        self.mem = args.mem
        self.ram_size = parse_size(args.mem)
        self.append = BASE_APPEND + (" " + args.append if args.append else "")
        self.scratch = args.scratch
        self.work = os.path.join(args.scratch, "cases", self.name)
        self.out = os.path.join(REPO, "tests", "golden", "arm64", self.name)
        self.port = args.port
        self.kernel = os.path.join(args.scratch, "img", "boot", "vmlinuz-" + KVER)
        self.initrd = os.path.join(args.scratch, "initramfs.cpio")
        self.sysmap = os.path.join(args.scratch, "dbg", "usr", "lib", "debug",
                                   "boot", "System.map-" + KVER)
        self.cpu = args.cpu
        self.kaslr_seed = args.kaslr_seed
        self.input_dtb = None
        if self.kaslr_seed is not None:
            self.append = self.append.replace("nokaslr ", "")
        os.makedirs(self.work, exist_ok=True)
        os.makedirs(self.out, exist_ok=True)

    def qemu_argv(self, machine_extra=""):
        return ["nice", "qemu-system-aarch64",
                "-M", "virt,dtb-randomness=off" + machine_extra,
                "-cpu", self.cpu, "-smp", "1", "-m", self.mem,
                "-display", "none", "-no-reboot",
                "-kernel", self.kernel, "-initrd", self.initrd,
                "-append", self.append] + (
                    ["-dtb", self.input_dtb] if self.input_dtb else [])

    def make_seeded_dtb(self):
        """QEMU's own DTB (dtb-randomness=off) with a fixed /chosen/kaslr-seed,
        fed back with -dtb. It is compacted first: QEMU grows a -dtb blob to
        twice its size plus padding, and a 1 MiB blob would then exceed the
        kernel's MAX_FDT_SIZE (2 MiB)."""
        base = os.path.join(self.work, "qemu-generated.dtb")
        subprocess.run(self.qemu_argv(",dumpdtb=" + base), check=True)
        seeded = os.path.join(self.work, "input-kaslr.dtb")
        subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dtb", "-o", seeded, base], check=True)
        seed = int(self.kaslr_seed, 0)
        subprocess.run(["fdtput", "-t", "x", seeded, "/chosen", "kaslr-seed",
                        "%x" % (seed >> 32), "%x" % (seed & 0xFFFFFFFF)], check=True)
        self.input_dtb = seeded

    def gdb(self, commands, log):
        argv = ["gdb-multiarch", "-q", "-nx", "-batch",
                "-ex", "set architecture aarch64",
                "-ex", "set pagination off",
                # pmemsave of 1 GiB takes longer than the default 2 s.
                "-ex", "set remotetimeout 600",
                "-ex", "target remote localhost:%d" % self.port]
        for c in commands:
            argv += ["-ex", c]
        with open(log, "w") as f:
            subprocess.run(argv, stdout=f, stderr=subprocess.STDOUT, timeout=900)
        with open(log) as f:
            return f.read()

    def ram_pieces(self, ramfile):
        step = 1 << 30
        return [(RAM_BASE + off, min(step, self.ram_size - off), "%s.%d" % (ramfile, off >> 30))
                for off in range(0, self.ram_size, step)]

    def ram_specs(self, ramfile):
        return ["%s@0x%x" % (name, base) for base, _, name in self.ram_pieces(ramfile)]

    def remove_ram(self, ramfile):
        for _, _, name in self.ram_pieces(ramfile):
            os.unlink(name)

    def probes(self, syms):
        """Kernel VAs whose translation QEMU's own MMU code reports
        (monitor gva2gpa), to cross-check the independent walker."""
        po = 0xFFFF000000000000
        names = ["_stext", "__start_rodata", "_sdata", "swapper_pg_dir", "memblock",
                 "bm_pte"]
        vas = [syms[n] for n in names if n in syms]
        vas += [po, po + 0x1000000, po + self.ram_size - 0x1000,
                0xFFFFFBFFFDC00000, 0xFFFFFBFFFDBFF000]
        return vas

    def regs_commands(self, ramfile, probes=()):
        cmds = ["echo ===== PC\\n", "p/x $pc"]
        for r in SYSREGS:
            cmds += ["echo ===== %s\\n" % r, "p/x $%s" % r]
        cmds += ["echo ===== monitor info registers\\n", "monitor info registers",
                 # HMP parses "SIZE /path" as a division: give a bare file
                 # name, relative to QEMU's working directory (self.work).
                 ]
        # pmemsave takes a 32-bit size: save RAM in 1 GiB pieces.
        for base, size, name in self.ram_pieces(ramfile):
            cmds.append("monitor pmemsave 0x%x 0x%x %s" % (base, size, os.path.basename(name)))
        for va in probes:
            cmds += ["echo ===== gva2gpa 0x%x\\n" % va, "monitor gva2gpa 0x%x" % va]
        return cmds

    def dumpdtb(self):
        dtb = os.path.join(self.out, "virt.dtb")
        subprocess.run(self.qemu_argv(",dumpdtb=" + dtb), check=True)
        dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", dtb],
                             check=True, capture_output=True, text=True).stdout
        with open(os.path.join(self.out, "virt.dts"), "w") as f:
            f.write(dts)

    def stage_stop(self, stage, bp, note):
        """Boots with the CPU halted, runs to a hardware breakpoint at kernel
        VA bp, saves registers and RAM there, and kills the VM."""
        ram = os.path.join(self.work, "ram-%s.bin" % stage)
        serial = os.path.join(self.work, "serial-%s.log" % stage)
        q = subprocess.Popen(self.qemu_argv() + [
            "-serial", "file:" + serial, "-monitor", "none",
            "-gdb", "tcp:localhost:%d" % self.port, "-S"], cwd=self.work)
        try:
            time.sleep(1)
            cmds = (["hbreak *0x%x" % bp, "continue"] +
                    self.regs_commands(ram, self.probe_vas) + ["kill"])
            text = self.gdb(cmds, os.path.join(self.work, "gdb-%s.log" % stage))
        finally:
            if q.poll() is None:
                q.terminate()
            q.wait()
        self.save_regs(text, "regs-%s.txt" % stage, bp, note)
        return ram

    def mark_paging_init_lines(self):
        """The boot is deterministic up to paging_init: instead of keeping a
        second log, record how many lines of serial.log the stopped run had
        printed, after checking that they are the same lines."""
        with open(os.path.join(self.work, "serial-paging_init.log"), errors="replace") as f:
            early = f.read().replace("\r", "").splitlines()
        with open(os.path.join(self.out, "serial.log")) as f:
            full = f.read().splitlines()
        if full[:len(early)] != early:
            raise RuntimeError("serial output before paging_init differs between runs")
        with open(os.path.join(self.out, "paging_init", "serial-lines.txt"), "w") as f:
            f.write("# The run stopped after paging_init had printed the first N lines\n"
                    "# of ../serial.log (checked line by line against that run's log).\n"
                    "%d\n" % len(early))

    def stage_final(self):
        ram = os.path.join(self.work, "ram-final.bin")
        serial = os.path.join(self.work, "serial.log")
        if os.path.exists(serial):
            os.unlink(serial)
        q = subprocess.Popen(self.qemu_argv() + [
            "-serial", "file:" + serial, "-monitor", "none",
            "-gdb", "tcp:localhost:%d" % self.port], cwd=self.work)
        try:
            deadline = time.time() + 1800
            while time.time() < deadline:
                time.sleep(5)
                if os.path.exists(serial) and "===== READY =====" in open(
                        serial, errors="replace").read():
                    break
            else:
                raise RuntimeError("guest never reached READY")
            time.sleep(2)
            text = self.gdb(self.regs_commands(ram, self.probe_vas) + ["kill"],
                            os.path.join(self.work, "gdb-final.log"))
        finally:
            if q.poll() is None:
                q.terminate()
            q.wait()
        self.save_regs(text, "regs-final.txt", None)
        self.split_serial(serial)
        return ram

    def save_regs(self, text, name, bp, note=""):
        keep = []
        for line in text.splitlines():
            if line.startswith(("warning:", "The target architecture",
                                "determining executable", "[Inferior")):
                continue
            if "Try using the" in line:
                continue
            keep.append(line)
        with open(os.path.join(self.out, name), "w") as f:
            f.write("# QEMU %s, -M virt -cpu %s -m %s\n" % (qemu_version(), self.cpu, self.mem))
            f.write("# kernel command line: %s\n" % self.append)
            if bp:
                f.write("# stopped at hardware breakpoint 0x%x (%s)\n" % (bp, note))
            else:
                f.write("# stopped at the initramfs prompt (end of boot)\n")
            f.write("\n".join(keep) + "\n")

    def split_serial(self, serial):
        with open(serial, errors="replace") as f:
            text = f.read().replace("\r", "")
        with open(os.path.join(self.out, "serial.log"), "w") as f:
            f.write(text)
        parts = re.split(r"^===== (\w+) =====$", text, flags=re.M)
        names = {"IOMEM": "iomem.txt", "MEMBLOCK_MEMORY": "memblock-final-memory.txt",
                 "MEMBLOCK_RESERVED": "memblock-final-reserved.txt",
                 "VMALLOCINFO": "vmallocinfo.txt",
                 "CMDLINE": "cmdline.txt", "MEMINFO": "meminfo.txt"}
        for i in range(1, len(parts) - 1, 2):
            if parts[i] in names:
                with open(os.path.join(self.out, names[parts[i]]), "w") as f:
                    f.write(parts[i + 1].strip("\n") + "\n")

    def walk(self, ram, stage, syms, roots, with_memblock=True):
        spec = []
        for piece in self.ram_specs(ram):
            spec += ["--ram", piece]
        # Physical address of the kernel image: from the TTBR1 walk of _stext
        # (map_kernel() starts at _stext: the image header below it is unmapped).
        kv = syms["_stext"]
        regs = open(os.path.join(self.out, "regs-%s.txt" % stage)).read()
        ttbr1 = int(re.search(r"===== TTBR1_EL1\n\$\d+ = (0x[0-9a-f]+)", regs).group(1), 16)
        text_pa = int(subprocess.run(
            [sys.executable, WALK, "xlate"] + spec + ["--root", hex(ttbr1), hex(kv)],
            check=True, capture_output=True, text=True).stdout.split()[-1], 16)
        voff = kv - text_pa
        d = os.path.join(self.out, stage)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "roots.txt"), "w") as f:
            f.write("# kimage_voffset (_stext VA - _stext PA, PA from walking TTBR1) 0x%x\n" % voff)
            f.write("# _stext PA 0x%x\n" % text_pa)
            f.write("TTBR1_EL1 0x%x\n" % ttbr1)
            for r in roots:
                f.write("%s 0x%x\n" % (r, syms[r] - voff))
            same = (ttbr1 & 0xFFFFFFFFF000) == syms["swapper_pg_dir"] - voff
            f.write("# TTBR1_EL1 base %s swapper_pg_dir\n" % ("==" if same else "!="))
        for r in roots:
            root = syms[r] - voff
            half = "upper" if r in ("swapper_pg_dir", "init_pg_dir") else "lower"
            name = r
            argv = [sys.executable, WALK, "walk"] + spec + ["--root", hex(root),
                    "--half", half, "--out", os.path.join(d, name)]
            if half == "upper":
                argv.append("--ptdump")
            subprocess.run(argv, check=True)
        if with_memblock:
            mb = subprocess.run([sys.executable, WALK, "memblock"] + spec + [
                                 "--root", hex(ttbr1), "--memblock", hex(syms["memblock"])],
                                check=True, capture_output=True, text=True).stdout
            with open(os.path.join(d, "memblock.txt"), "w") as f:
                f.write(mb)
        self.crosscheck(spec, ttbr1, regs, os.path.join(d, "mmu-crosscheck.txt"))

    def crosscheck(self, spec, ttbr1, regs, path):
        """Compares the walker's translations with QEMU's gva2gpa answers."""
        lines = ["# VA                 QEMU gva2gpa     walker           verdict"]
        bad = 0
        for m in re.finditer(r"===== gva2gpa (0x[0-9a-f]+)\n(.*)", regs):
            va, answer = int(m.group(1), 16), m.group(2).strip()
            q = re.match(r"gpa: (0x[0-9a-f]+)", answer)
            r = subprocess.run([sys.executable, WALK, "xlate"] + spec + [
                                "--root", hex(ttbr1), hex(va)], capture_output=True, text=True)
            w = r.stdout.split()[-1] if r.returncode == 0 else "unmapped"
            qs = q.group(1) if q else "unmapped"
            ok = (q and w != "unmapped" and int(w, 16) == int(qs, 16)) or (
                not q and w == "unmapped")
            bad += not ok
            lines.append("0x%016x %-16s %-16s %s" % (va, qs, w, "ok" if ok else "MISMATCH"))
        lines.append("# %d mismatches" % bad)
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")


def qemu_version():
    out = subprocess.run(["qemu-system-aarch64", "--version"], capture_output=True,
                         text=True).stdout
    return out.splitlines()[0]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("case")
    p.add_argument("--mem", default="1G")
    p.add_argument("--append", default="")
    p.add_argument("--cpu", default="cortex-a57")
    p.add_argument("--scratch", default="/work/scratch-arm64")
    p.add_argument("--port", type=int, default=23457)
    p.add_argument("--stages", default="dtb,head,paging_init,final")
    p.add_argument("--keep-ram", action="store_true")
    p.add_argument("--kaslr-seed", default=None,
                   help="boot without nokaslr, with this /chosen/kaslr-seed (u64)")
    args = p.parse_args()
    c = Case(args)
    syms = sysmap(c.sysmap)
    bp = find_after_paging_init(c, syms)
    stages = args.stages.split(",")
    if c.kaslr_seed is not None:
        c.make_seeded_dtb()
    if "dtb" in stages:
        c.dumpdtb()
    if c.kaslr_seed is not None:
        # The randomised image VA is known only after a boot: run the full
        # boot first and take _stext from the vmalloc area that map_kernel()
        # registered for the text segment; the boot is deterministic for a
        # given seed, so the stops below see the same offset.
        c.probe_vas = []
        ram = c.stage_final()
        off = kaslr_offset(c, syms)
        syms = {k: v + off for k, v in syms.items()}
        bp += off
        with open(os.path.join(c.out, "kaslr-offset.txt"), "w") as f:
            f.write("# kimage VA offset from KASLR (seed %s): _stext VA - System.map _stext\n"
                    "0x%x\n" % (c.kaslr_seed, off))
        stages = [s for s in stages if s != "final"]
        final_ram = ram
    else:
        final_ram = None
    c.probe_vas = c.probes(syms)
    if "head" in stages:
        # First instruction run at a kernel VA: head.S has built
        # init_idmap_pg_dir and init_pg_dir and loaded TTBR0/TTBR1/TCR, and
        # nothing of early_fdt_map()/early_fixmap_init() has run yet.
        ram = c.stage_stop("head", syms["__primary_switched"], "__primary_switched")
        c.walk(ram, "head", syms, ["init_pg_dir", "init_idmap_pg_dir"], with_memblock=False)
        if not args.keep_ram:
            c.remove_ram(ram)
    if "paging_init" in stages:
        ram = c.stage_stop("paging_init", bp, "after bl paging_init")
        c.walk(ram, "paging_init", syms,
               ["swapper_pg_dir", "init_pg_dir", "idmap_pg_dir", "init_idmap_pg_dir"])
        if not args.keep_ram:
            c.remove_ram(ram)
    if "final" in stages:
        final_ram = c.stage_final()
    if final_ram:
        c.walk(final_ram, "final", syms, ["swapper_pg_dir", "idmap_pg_dir"])
        if "paging_init" in stages:
            c.mark_paging_init_lines()
        if not args.keep_ram:
            c.remove_ram(final_ram)


def kaslr_offset(c, syms):
    with open(os.path.join(c.out, "vmallocinfo.txt")) as f:
        for line in f:
            m = re.match(r"0x([0-9a-f]+)-0x[0-9a-f]+\s+\d+ paging_init\+", line)
            if m:
                return int(m.group(1), 16) - syms["_stext"]
    raise RuntimeError("no paging_init vm area in vmallocinfo.txt")


def find_after_paging_init(c, syms):
    """Address of the instruction after `bl paging_init` inside setup_arch,
    found by disassembling setup_arch in the -dbg vmlinux."""
    vmlinux = os.path.join(c.scratch, "dbg", "usr", "lib", "debug", "boot", "vmlinux-" + KVER)
    start = syms["setup_arch"]
    dis = subprocess.run(["aarch64-linux-gnu-objdump", "-d",
                          "--start-address=0x%x" % start,
                          "--stop-address=0x%x" % (start + 0x1000), vmlinux],
                         check=True, capture_output=True, text=True).stdout
    m = re.search(r"^([0-9a-f]+):\s+\S+\s+bl\s+%x <paging_init>" % syms["paging_init"],
                  dis, flags=re.M)
    return int(m.group(1), 16) + 4


if __name__ == "__main__":
    main()
