#!/usr/bin/env python3
"""Runs the arm live-ptdump boot (initramfs built by live_ptdump.sh) and
writes tests/golden/arm/live_ptdump/.

As scripts/golden/arm64/live_ptdump.py, for Debian's armmp kernel on QEMU
virt with 1 GiB: the guest prints the kernel's own ptdump (ptsim_ptdump.ko
calling arch/arm/mm/dump.c ptdump_walk_pgd()), gdb stops the VM to read the
CP15 registers and save RAM, and the guest confirms with a second dump that
nothing changed.  The pages dump.c reads (swapper_pg_dir and the page of
every page table it points to: Linux's PTEs at the start of the page, the
hardware's in the second half) are copied into a small ELF core, and
walk_arm.py's ptdump view of the RAM dump is checked against the kernel's
text.
"""

import argparse
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import elf_core  # noqa: E402
import live_boot  # noqa: E402
from capture import pick_regs  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
APPEND = "console=ttyAMA0 no_hash_pointers"
RAM_BASE = 0x40000000
PAGE_OFFSET = 0xC0000000
PAGE = 4096
LPAE_TABLE = ((1 << 40) - 1) & ~(PAGE - 1)  # next-level table address, bits 39:12


def table_pages(ram, pgd_pa, lpae):
    """The pages dump.c reads.  Classic MMU: swapper_pg_dir (16 KiB, 4096
    first-level words) and the page behind every coarse page-table word
    ((word & 3) == 1).  LPAE: the page holding the 4-entry pgd, the PMD table
    of every table entry of it, and the PTE table of every table entry
    ((desc & 3) == 3) of those."""
    pages = {}
    with open(ram, "rb") as f:
        def page(pa):
            if pa not in pages:
                f.seek(pa - RAM_BASE)
                pages[pa] = f.read(PAGE)
            return pages[pa]

        if not lpae:
            words = struct.unpack("<4096I", b"".join(page(pgd_pa + i * PAGE) for i in range(4)))
            for w in words:
                if w & 3 == 1:
                    page(w & ~(PAGE - 1))
            return pages
        off = pgd_pa & (PAGE - 1)
        pgd = struct.unpack_from("<4Q", page(pgd_pa - off), off)
        for d in pgd:
            if d & 3 != 3:
                continue
            for e in struct.unpack("<512Q", page(d & LPAE_TABLE)):
                if e & 3 == 3:
                    page(e & LPAE_TABLE)
    return pages


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--scratch", default="/work/scratch-arm")
    p.add_argument("--kver", default="6.1.0-50-armmp")
    p.add_argument("--pgd-va", required=True, help="swapper_pg_dir (System.map)")
    p.add_argument("--mem", default="1G")
    p.add_argument("--port", type=int, default=23468)
    p.add_argument("--out")
    args = p.parse_args()
    lpae = args.kver.endswith("-lpae")
    if not args.out:
        args.out = os.path.join(REPO, "tests", "golden", "arm",
                                "live_ptdump-lpae" if lpae else "live_ptdump")
    s = args.scratch
    work = os.path.join(s, "run", "live_ptdump-" + args.kver)
    os.makedirs(work, exist_ok=True)
    os.makedirs(args.out, exist_ok=True)
    size = {"1G": 1 << 30}[args.mem]
    kernel = os.path.join(s, "x", "linux-image-" + args.kver, "boot", "vmlinuz-" + args.kver)
    # As the virt-3g-armmp-lpae case: no devices above 4 GiB, an LPAE CPU.
    machine = ["-M", "virt,highmem=off", "-cpu", "cortex-a15"] if lpae else ["-M", "virt"]
    qemu = ["qemu-system-arm"] + machine + ["-m", args.mem, "-smp", "1",
            "-display", "none", "-no-reboot", "-kernel", kernel,
            "-initrd", os.path.join(s, "initramfs-ptdump.cpio"), "-append", APPEND]
    save, pieces = live_boot.pmemsave_commands(os.path.join(work, "ram.bin"), RAM_BASE, size)
    text, log = live_boot.run(qemu, work, args.port, "arm", ["info all-registers"] + save)
    version = subprocess.run(["qemu-system-arm", "--version"], capture_output=True,
                             text=True).stdout.splitlines()[0]
    with open(os.path.join(args.out, "regs.txt"), "w") as f:
        f.write("# %s, %s -m %s\n# kernel command line: %s\n"
                "# stopped while the guest waited after printing kernel_page_tables\n"
                % (version, " ".join(machine), args.mem, APPEND))
        f.write(pick_regs(text))
    live_boot.split_serial(log, args.out)
    ram = pieces[0].split("@")[0]
    pgd_pa = int(args.pgd_va, 0) - PAGE_OFFSET + RAM_BASE
    pages = table_pages(ram, pgd_pa, lpae)
    core = os.path.join(work, "tables.core")
    n = elf_core.write_core(core, elf_core.EM_ARM, pages, PAGE)
    print("%s: %d pages in %d segments" % (core, len(pages), n))
    live_boot.store_core(core, args.out)
    with open(os.path.join(args.out, "pgd.txt"), "w") as f:
        f.write("# swapper_pg_dir (init_mm.pgd): VA from System.map, PA = VA - PAGE_OFFSET"
                " + PHYS_OFFSET\n0x%x 0x%x\n" % (int(args.pgd_va, 0), pgd_pa))
    markers = [l.split(None, 1) for l in open(os.path.join(args.out, "markers.txt"))]
    vmalloc = [int(a, 16) for a, n in markers if n.strip() == "vmalloc() Area"][0]
    mine = os.path.join(work, "walker.ptdump.txt")
    with open(mine, "w") as f:
        subprocess.run([sys.executable, os.path.join(HERE, "walk_arm.py"), ram,
                        "--ram-base", hex(RAM_BASE), "--view", "ptdump", "--pgd", hex(pgd_pa),
                        "--vmalloc-start", hex(vmalloc)] + (["--lpae"] if lpae else []),
                       stdout=f, check=True)
    live_boot.compare(mine, os.path.join(args.out, "kernel_page_tables.txt"))
    for piece in pieces:
        os.unlink(piece.split("@")[0])


if __name__ == "__main__":
    main()
