#!/usr/bin/env python3
"""Independent walker for ARMv7-A translation tables in a raw RAM dump.

Two views of the same memory:

  hw      What the MMU sees, from the Arm Architecture Reference Manual
          (ARMv7-A/R, DDI 0406C): section B3.5 (short-descriptor format:
          first-level fault/page-table/section/supersection entries,
          second-level large and small pages) and section B3.6
          (long-descriptor format, LPAE: 64-bit descriptors, blocks and
          pages).  The table root and region split come from the TTBR0,
          TTBR1 and TTBCR values given on the command line, exactly as the
          MMU would choose them.  Output: one line per run of translations
          that share descriptor kind and attributes and are physically
          contiguous.

  ptdump  The text /sys/kernel/debug/kernel_page_tables would show, i.e.
          Linux's arch/arm/mm/dump.c (v6.1) walking init_mm.pgd
          (swapper_pg_dir).  This view reads Linux's own software PTEs
          (the 2-level layout keeps them 2048 bytes below the hardware
          table), so it needs Linux's layout constants, given on the
          command line.

The RAM dump is a QEMU `pmemsave` of [ram_base, ram_base + size).
Nothing here uses ptsim; the two views are built from the architecture
manual and from the Linux dump.c output format respectively.
"""

import argparse
import mmap
import struct
import sys


class Ram:
    def __init__(self, path, base):
        with open(path, "rb") as f:
            self.data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        self.base = base

    def has(self, pa, size):
        return self.base <= pa and pa + size <= self.base + len(self.data)

    def u32(self, pa):
        if not self.has(pa, 4):
            raise ValueError("read of PA 0x%x outside the dump" % pa)
        off = pa - self.base
        return struct.unpack_from("<I", self.data, off)[0]

    def u64(self, pa):
        if not self.has(pa, 8):
            raise ValueError("read of PA 0x%x outside the dump" % pa)
        off = pa - self.base
        return struct.unpack_from("<Q", self.data, off)[0]


def bit(v, n):
    return (v >> n) & 1


def field(v, hi, lo):
    return (v >> lo) & ((1 << (hi - lo + 1)) - 1)


# ---------------------------------------------------------------- hw view


class Run:
    """One translation of `size` bytes at va -> pa with an attribute key."""

    __slots__ = ("va", "pa", "size", "kind", "attrs")

    def __init__(self, va, pa, size, kind, attrs):
        self.va, self.pa, self.size, self.kind, self.attrs = va, pa, size, kind, attrs


def short_walk(ram, ttbr0, ttbr1, ttbcr, errors):
    """Arm ARM B3.5: short-descriptor translation of the whole 4 GiB."""
    n = field(ttbcr, 2, 0)
    out = []
    for l1_index_va in range(0, 4096):
        va = l1_index_va << 20
        if n != 0 and va >= (1 << (32 - n)):
            base = ttbr1 & 0xFFFFC000
            l1_pa = base | (field(va, 31, 20) << 2)
            root = "TTBR1"
        else:
            base = ttbr0 & ((0xFFFFFFFF << (14 - n)) & 0xFFFFFFFF)
            l1_pa = base | (field(va, 31 - n, 20) << 2)
            root = "TTBR0"
        try:
            d = ram.u32(l1_pa)
        except ValueError as e:
            errors.append(str(e))
            continue
        typ = d & 3
        if typ == 0:
            continue
        if typ == 1:
            domain = field(d, 8, 5)
            pxn = bit(d, 2)
            ns = bit(d, 3)
            l2_base = d & 0xFFFFFC00
            for i in range(256):
                pva = va | (i << 12)
                try:
                    e = ram.u32(l2_base | (i << 2))
                except ValueError as ex:
                    errors.append(str(ex))
                    break
                if e & 3 == 0:
                    continue
                if e & 2:  # small page, B3.5.1 Figure B3-4
                    attrs = (
                        ("AP", field(e, 5, 4)), ("APX", bit(e, 9)), ("XN", bit(e, 0)),
                        ("PXN", pxn), ("TEX", field(e, 8, 6)), ("C", bit(e, 3)),
                        ("B", bit(e, 2)), ("S", bit(e, 10)), ("nG", bit(e, 11)),
                        ("NS", ns), ("domain", domain), ("root", root))
                    out.append(Run(pva, e & 0xFFFFF000, 0x1000, "small", attrs))
                else:  # large page: 16 identical entries describe 64 KiB
                    attrs = (
                        ("AP", field(e, 5, 4)), ("APX", bit(e, 9)), ("XN", bit(e, 15)),
                        ("PXN", pxn), ("TEX", field(e, 14, 12)), ("C", bit(e, 3)),
                        ("B", bit(e, 2)), ("S", bit(e, 10)), ("nG", bit(e, 11)),
                        ("NS", ns), ("domain", domain), ("root", root))
                    pa = (e & 0xFFFF0000) | (pva & 0xF000)
                    out.append(Run(pva, pa, 0x1000, "large", attrs))
            continue
        # typ 2 or 3: section or supersection (bit 0 is PXN when typ==3)
        pxn = bit(d, 0)
        common = (
            ("AP", field(d, 11, 10)), ("APX", bit(d, 15)), ("XN", bit(d, 4)),
            ("PXN", pxn), ("TEX", field(d, 14, 12)), ("C", bit(d, 3)),
            ("B", bit(d, 2)), ("S", bit(d, 16)), ("nG", bit(d, 17)),
            ("NS", bit(d, 19)))
        if bit(d, 18):
            pa = (d & 0xFF000000) | (field(d, 23, 20) << 32) | (field(d, 8, 5) << 36)
            pa |= va & 0x00F00000
            out.append(Run(va, pa, 0x100000, "supersection",
                           common + (("domain", 0), ("root", root))))
        else:
            out.append(Run(va, d & 0xFFF00000, 0x100000, "section",
                           common + (("domain", field(d, 8, 5)), ("root", root))))
    return out


def long_region(va, ttbcr):
    """Arm ARM B3.6.4: which TTBR translates va, and the input size bits."""
    t0sz = field(ttbcr, 2, 0)
    t1sz = field(ttbcr, 18, 16)
    if t1sz == 0:
        top0 = 1 << (32 - t0sz)
        return ("TTBR0", 32 - t0sz) if va < top0 else (None, 0)
    start1 = (1 << 32) - (1 << (32 - t1sz))
    if va >= start1:
        return ("TTBR1", 32 - t1sz)
    top0 = 1 << (32 - t0sz) if t0sz else start1
    return ("TTBR0", 32 - t0sz) if va < min(top0, start1) else (None, 0)


def long_attrs(d, table_bits, root):
    pxn_t, xn_t, ap_t, ns_t = table_bits
    return (
        ("AttrIndx", field(d, 4, 2)), ("NS", bit(d, 5)), ("AP", field(d, 7, 6)),
        ("SH", field(d, 9, 8)), ("AF", bit(d, 10)), ("nG", bit(d, 11)),
        ("Contig", bit(d, 52)), ("PXN", bit(d, 53)), ("XN", bit(d, 54)),
        ("SW", field(d, 58, 55)), ("PXNTable", pxn_t), ("XNTable", xn_t),
        ("APTable", ap_t), ("NSTable", ns_t), ("root", root))


def long_walk(ram, ttbr0, ttbr1, ttbcr, errors):
    """Arm ARM B3.6: long-descriptor translation of the whole 4 GiB."""
    out = []
    regions = {}
    # Group the 4 GiB by the TTBR that translates each 2 MiB chunk.
    for chunk in range(0, 2048):
        va = chunk << 21
        root, bits = long_region(va, ttbcr)
        if root is None:
            continue
        ttbr = ttbr0 if root == "TTBR0" else ttbr1
        if bits > 30:  # first-level lookup (B3.6.6): x = 5 - TxSZ
            x = 5 - (32 - bits)
            table = ttbr & ((1 << 40) - 1) & ~((1 << x) - 1)
            l1 = table + (field(va, bits - 1, 30) << 3)
            key = (root, l1)
            try:
                d1 = regions[key] if key in regions else ram.u64(l1)
            except ValueError as e:
                errors.append(str(e))
                continue
            regions[key] = d1
            if d1 & 1 == 0:
                continue
            if d1 & 2 == 0:  # 1 GiB block
                pa = (d1 & 0xFFC0000000) | (va & ((1 << 30) - 1))
                out.append(Run(va, pa, 1 << 21, "L1block",
                               long_attrs(d1, (0, 0, 0, 0), root)))
                continue
            tb = (bit(d1, 59), bit(d1, 60), field(d1, 62, 61), bit(d1, 63))
            l2_table = d1 & 0xFFFFFFF000
        else:  # second-level lookup start: y = 14 - TxSZ
            tb = (0, 0, 0, 0)
            y = 14 - (32 - bits)
            l2_table = ttbr & ((1 << 40) - 1) & ~((1 << y) - 1)
        l2 = l2_table + (field(va, min(bits, 30) - 1, 21) << 3)
        try:
            d2 = ram.u64(l2)
        except ValueError as e:
            errors.append(str(e))
            continue
        if d2 & 1 == 0:
            continue
        if d2 & 2 == 0:  # 2 MiB block
            out.append(Run(va, d2 & 0xFFFFE00000, 1 << 21, "L2block",
                           long_attrs(d2, tb, root)))
            continue
        tb2 = (tb[0] | bit(d2, 59), tb[1] | bit(d2, 60),
               tb[2] | field(d2, 62, 61), tb[3] | bit(d2, 63))
        l3_table = d2 & 0xFFFFFFF000
        for i in range(512):
            try:
                d3 = ram.u64(l3_table + (i << 3))
            except ValueError as e:
                errors.append(str(e))
                break
            if d3 & 3 != 3:  # 01 at level 3 is reserved: treated as invalid
                continue
            out.append(Run(va | (i << 12), d3 & 0xFFFFFFF000, 0x1000, "L3page",
                           long_attrs(d3, tb2, root)))
    return out


def descriptors_short(ram, ttbr0, ttbr1, ttbcr, f):
    """Every non-fault first-level descriptor (B3.5.1), raw, with the number of
    valid second-level entries below each page-table descriptor."""
    n = field(ttbcr, 2, 0)
    f.write("# idx  va          raw         type          details\n")
    for i in range(4096):
        va = i << 20
        if n != 0 and va >= (1 << (32 - n)):
            pa = (ttbr1 & 0xFFFFC000) | (i << 2)
        else:
            pa = (ttbr0 & ((0xFFFFFFFF << (14 - n)) & 0xFFFFFFFF)) | (field(va, 31 - n, 20) << 2)
        d = ram.u32(pa)
        if d & 3 == 0:
            continue
        if d & 3 == 1:
            base = d & 0xFFFFFC00
            valid = sum(1 for k in range(256) if ram.u32(base + 4 * k) & 3)
            f.write("%4d 0x%08x 0x%08x page-table    l2=0x%08x domain=%d PXN=%d valid=%d\n"
                    % (i, va, d, base, field(d, 8, 5), bit(d, 2), valid))
        elif bit(d, 18):
            f.write("%4d 0x%08x 0x%08x supersection\n" % (i, va, d))
        else:
            f.write("%4d 0x%08x 0x%08x section       pa=0x%08x domain=%d\n"
                    % (i, va, d, d & 0xFFF00000, field(d, 8, 5)))


def descriptors_long(ram, ttbr0, ttbr1, ttbcr, f):
    """Every valid first- and second-level long descriptor (B3.6.1), raw."""
    f.write("# root  level va          raw                 type   details\n")
    seen = set()
    for chunk in range(2048):
        va = chunk << 21
        root, bits = long_region(va, ttbcr)
        if root is None:
            continue
        ttbr = ttbr0 if root == "TTBR0" else ttbr1
        if bits > 30:
            x = 5 - (32 - bits)
            l1 = (ttbr & ((1 << 40) - 1) & ~((1 << x) - 1)) + (field(va, bits - 1, 30) << 3)
            d1 = ram.u64(l1)
            if (root, l1) not in seen:
                seen.add((root, l1))
                if d1 & 1:
                    f.write("%s 1 0x%08x 0x%016x %s\n" % (root, va & 0xC0000000, d1,
                                                         "table" if d1 & 2 else "block"))
            if d1 & 3 != 3:
                continue
            l2_table = d1 & 0xFFFFFFF000
        else:
            y = 14 - (32 - bits)
            l2_table = ttbr & ((1 << 40) - 1) & ~((1 << y) - 1)
        d2 = ram.u64(l2_table + (field(va, min(bits, 30) - 1, 21) << 3))
        if d2 & 1 == 0:
            continue
        if d2 & 2:
            base = d2 & 0xFFFFFFF000
            valid = sum(1 for k in range(512) if ram.u64(base + 8 * k) & 3 == 3)
            f.write("%s 2 0x%08x 0x%016x table  l3=0x%010x valid=%d\n" % (root, va, d2, base, valid))
        else:
            f.write("%s 2 0x%08x 0x%016x block  pa=0x%010x\n" % (root, va, d2, d2 & 0xFFFFE00000))


def merge(runs):
    merged = []
    for r in runs:
        if merged:
            m = merged[-1]
            if (m.kind == r.kind and m.attrs == r.attrs and m.va + m.size == r.va
                    and m.pa + m.size == r.pa):
                m.size += r.size
                continue
        merged.append(Run(r.va, r.pa, r.size, r.kind, r.attrs))
    return merged


def print_hw(runs, f):
    f.write("# va_start   va_end(excl)  pa_start     kind          attributes\n")
    for r in runs:
        attrs = " ".join("%s=%s" % kv for kv in r.attrs)
        f.write("0x%08x 0x%09x 0x%010x %-13s %s\n" % (r.va, r.va + r.size, r.pa, r.kind, attrs))


# ------------------------------------------------------------ ptdump view
# Constants from Linux v6.1 arch/arm/include/asm/pgtable-2level*.h,
# pgtable-3level*.h and domain.h, used only to reproduce dump.c's text.

L2 = dict(
    pte=[  # (mask, val, set, clear)
        (1 << 8, 1 << 8, "USR", "   "),
        (1 << 7, 1 << 7, "ro", "RW"),
        (1 << 9, 1 << 9, "NX", "x "),
        (1 << 10, 1 << 10, "SHD", "   "),
        (0xF << 2, 0x00 << 2, "SO/UNCACHED", None),
        (0xF << 2, 0x01 << 2, "MEM/BUFFERABLE/WC", None),
        (0xF << 2, 0x02 << 2, "MEM/CACHED/WT", None),
        (0xF << 2, 0x03 << 2, "MEM/CACHED/WBRA", None),
        (0xF << 2, 0x06 << 2, "MEM/MINICACHE", None),
        (0xF << 2, 0x07 << 2, "MEM/CACHED/WBWA", None),
        (0xF << 2, 0x04 << 2, "DEV/SHARED", None),
        (0xF << 2, 0x0C << 2, "DEV/NONSHARED", None),
        (0xF << 2, 0x09 << 2, "DEV/WC", None),
        (0xF << 2, 0x0B << 2, "DEV/CACHED", None),
    ],
    sect=[
        ((1 << 15) | (1 << 11) | (1 << 10), (1 << 15) | (1 << 10), "    ro", None),
        ((1 << 15) | (1 << 11) | (1 << 10), (1 << 10), "    RW", None),
        ((1 << 15) | (1 << 11) | (1 << 10), (1 << 11), "USR ro", None),
        ((1 << 15) | (1 << 11) | (1 << 10), (1 << 11) | (1 << 10), "USR RW", None),
        (1 << 4, 1 << 4, "NX", "x "),
        (1 << 16, 1 << 16, "SHD", "   "),
    ],
)
L3 = dict(
    pte=[
        (1 << 6, 1 << 6, "USR", "   "),
        (1 << 58, 1 << 58, "ro", "RW"),
        (1 << 54, 1 << 54, "NX", "x "),
        (3 << 8, 3 << 8, "SHD", "   "),
        (7 << 2, 0 << 2, "SO/UNCACHED", None),
        (7 << 2, 1 << 2, "MEM/BUFFERABLE/WC", None),
        (7 << 2, 2 << 2, "MEM/CACHED/WT", None),
        (7 << 2, 3 << 2, "MEM/CACHED/WBRA", None),
        (7 << 2, 7 << 2, "MEM/CACHED/WBWA", None),
        (7 << 2, 4 << 2, "DEV/SHARED", None),
        (7 << 2, 1 << 2, "DEV/WC", None),
        (7 << 2, 3 << 2, "DEV/CACHED", None),
    ],
    sect=[
        (1 << 6, 1 << 6, "USR", None),
        ((1 << 58) | (1 << 7), (1 << 58) | (1 << 7), "ro", "RW"),
        (1 << 54, 1 << 54, "NX", "x "),
        (3 << 8, 3 << 8, "SHD", "   "),
    ],
)


class PtDump:
    def __init__(self, f, markers, lpae):
        self.f = f
        self.markers = markers
        self.mi = 0
        self.level = 0
        self.start = 0
        self.prot = 0
        self.domain = None
        self.tab = L3 if lpae else L2
        self.names = {4: "PMD" if lpae else "PGD", 5: "PTE"}
        self.masks = {4: 0, 5: 0}
        for m, _, _, _ in self.tab["sect"]:
            self.masks[4] |= m
        for m, _, _, _ in self.tab["pte"]:
            self.masks[5] |= m

    def bits(self, level):
        return self.tab["sect"] if level == 4 else self.tab["pte"] if level == 5 else None

    def note(self, addr, level, val, domain):
        prot = val & self.masks.get(level, 0)
        nxt = self.markers[self.mi + 1][0] if self.mi + 1 < len(self.markers) else 1 << 64
        if not self.level:
            self.level, self.prot, self.domain = level, prot, domain
            self.f.write("---[ %s ]---\n" % self.markers[self.mi][1])
            return
        if not (prot != self.prot or level != self.level or domain != self.domain
                or addr >= nxt):
            return
        if self.prot:
            self.f.write("0x%08x-0x%08x   " % (self.start, addr))
            delta = ((addr - self.start) & 0xFFFFFFFF) >> 10
            units = "KMGTPE"
            u = 0
            while not (delta & 1023) and u + 1 < len(units):
                delta >>= 10
                u += 1
            self.f.write("%9d%s %s" % (delta, units[u], self.names[self.level]))
            if self.domain:
                self.f.write(" %s" % self.domain)
            for m, v, s, c in self.bits(self.level) or []:
                t = s if (self.prot & m) == v else c
                if t is not None:
                    self.f.write(" %s" % t)
            self.f.write("\n")
        if addr >= nxt:
            self.mi += 1
            self.f.write("---[ %s ]---\n" % self.markers[self.mi][1])
        self.start, self.prot, self.domain, self.level = addr, prot, domain, level


def domain_name(pmdval):
    return {0: "KERNEL ", 1: "USER   ", 2: "IO     ", 3: "VECTORS"}.get(
        field(pmdval, 8, 5), "unknown")


def ptdump_2level(ram, pgd_pa, st):
    """dump.c walk_pgd for pgtable-2level: 2048 pmds of two words each."""
    for i in range(2048):
        addr = i << 21
        pmd0 = ram.u32(pgd_pa + i * 8)
        pmd1 = ram.u32(pgd_pa + i * 8 + 4)
        dom = domain_name(pmd0)
        if pmd0 == 0 or (pmd0 & 2):
            st.note(addr, 4, pmd0, dom)
        else:
            pt = pmd0 & 0xFFFFF000  # Linux PTEs live at the start of the page
            for j in range(512):
                st.note(addr + (j << 12), 5, ram.u32(pt + j * 4), dom)
        if pmd1 & 2:
            st.note(addr + (1 << 20), 4, pmd1, domain_name(pmd1))


def ptdump_3level(ram, pgd_pa, st):
    """dump.c walk_pgd for pgtable-3level: 4 pgds, 512 pmds, 512 ptes."""
    for i in range(4):
        base = i << 30
        pgd = ram.u64(pgd_pa + i * 8)
        if pgd == 0:
            st.note(base, 3, pgd, None)
            continue
        pmd_tab = pgd & 0xFFFFFFF000
        for j in range(512):
            addr = base + (j << 21)
            pmd = ram.u64(pmd_tab + j * 8)
            if pmd == 0 or (pmd & 3) == 1 or not (pmd & 1):
                st.note(addr, 4, pmd, None)
            else:
                pt = pmd & 0xFFFFFFF000
                for k in range(512):
                    st.note(addr + (k << 12), 5, ram.u64(pt + k * 8), None)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dump")
    ap.add_argument("--ram-base", type=lambda s: int(s, 0), required=True)
    ap.add_argument("--view", choices=["hw", "hw-raw", "descriptors", "ptdump"], required=True)
    ap.add_argument("--ttbr0", type=lambda s: int(s, 0), default=0)
    ap.add_argument("--ttbr1", type=lambda s: int(s, 0), default=0)
    ap.add_argument("--ttbcr", type=lambda s: int(s, 0), default=0)
    ap.add_argument("--pgd", type=lambda s: int(s, 0), help="PA of swapper_pg_dir (ptdump)")
    ap.add_argument("--lpae", action="store_true")
    ap.add_argument("--modules-vaddr", type=lambda s: int(s, 0), default=0xBF000000)
    ap.add_argument("--page-offset", type=lambda s: int(s, 0), default=0xC0000000)
    ap.add_argument("--vmalloc-start", type=lambda s: int(s, 0))
    args = ap.parse_args()
    ram = Ram(args.dump, args.ram_base)
    out = sys.stdout
    if args.view == "descriptors":
        eae = bit(args.ttbcr, 31)
        out.write("# format: %s; TTBR0=0x%x TTBR1=0x%x TTBCR=0x%x\n"
                  % ("long-descriptor (LPAE)" if eae else "short-descriptor",
                     args.ttbr0, args.ttbr1, args.ttbcr))
        (descriptors_long if eae else descriptors_short)(ram, args.ttbr0, args.ttbr1,
                                                         args.ttbcr, out)
        return
    if args.view.startswith("hw"):
        errors = []
        eae = bit(args.ttbcr, 31)
        walk = long_walk if eae else short_walk
        runs = walk(ram, args.ttbr0, args.ttbr1, args.ttbcr, errors)
        out.write("# format: %s; TTBR0=0x%x TTBR1=0x%x TTBCR=0x%x\n"
                  % ("long-descriptor (LPAE)" if eae else "short-descriptor",
                     args.ttbr0, args.ttbr1, args.ttbcr))
        print_hw(runs if args.view == "hw-raw" else merge(runs), out)
        for e in sorted(set(errors)):
            out.write("# error: %s\n" % e)
        return
    markers = [
        (args.modules_vaddr, "Modules"),
        (args.page_offset, "Kernel Mapping"),
        (args.vmalloc_start, "vmalloc() Area"),
        (0xFF800000, "FDT Area"),
        (0xFFC80000, "Fixmap Area"),
        (0xFFFF0000, "Vectors"),
        (0xFFFF2000, "Vectors End"),
        ((1 << 32) - 1, None),
    ]
    st = PtDump(out, markers, args.lpae)
    (ptdump_3level if args.lpae else ptdump_2level)(ram, args.pgd, st)
    st.note(0, 0, 0, None)


if __name__ == "__main__":
    main()
