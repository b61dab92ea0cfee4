#!/usr/bin/env python3
"""Independent AArch64 stage-1 translation table walker over a guest RAM dump.

Written from the Arm ARM (DDI 0487, D8 "The AArch64 Virtual Memory System
Architecture"): 4K granule, 48-bit output addresses, table/block/page
descriptors, hierarchical table attributes, the Contiguous hint.  The
"ptdump" output reproduces the text format of Linux 6.1's
/sys/kernel/debug/kernel_page_tables (arch/arm64/mm/ptdump.c driven by the
generic walker of mm/ptdump.c and mm/pagewalk.c) so that a model's ptdump
can be compared line by line.  Nothing here comes from the model under test.

RAM dumps are raw files written by QEMU's `pmemsave ADDR SIZE FILE`; pass
each as FILE@BASE (BASE = guest physical address of the first byte).

Subcommands:
  walk      walk one table root; write runs (Arm terms), mappings JSON
            (ptdump attribute words), table pages per level, and optionally
            the Linux ptdump text
  memblock  read `struct memblock` (address given as a kernel VA, translated
            through a table root) and print memory/reserved in the debugfs
            format of mm/memblock.c memblock_debug_show()
  xlate     translate kernel VAs through a table root
  tablecore copy every table page reachable from a root into a small ELF
            core (one PT_LOAD per run of physically adjacent table pages,
            p_paddr = its physical address), the input a ptdump needs and
            nothing else
"""

import argparse
import json
import mmap
import struct
import sys

import elf_core

GRANULE_SHIFT = 12
GRANULE = 1 << GRANULE_SHIFT
ENTRIES = 512
OA_MASK = ((1 << 48) - 1) & ~(GRANULE - 1)  # OA[47:12]

# Descriptor fields (Arm ARM D8.3, VMSAv8-64 translation table format).
VALID = 1 << 0
TYPE = 1 << 1  # table (levels 0-2) / page (level 3)
ATTRINDX_SHIFT = 2
NS = 1 << 5
AP1 = 1 << 6  # AP[1]: EL0 access
AP2 = 1 << 7  # AP[2]: read-only
SH_SHIFT = 8
AF = 1 << 10
NG = 1 << 11
GP = 1 << 50  # BTI guarded page
DBM = 1 << 51
CONT = 1 << 52
PXN = 1 << 53
UXN = 1 << 54
SW_MASK = 0xF << 55  # bits [58:55] ignored by hardware (software use)
# Table descriptor attributes (upper bits of a table descriptor).
PXN_TABLE = 1 << 59
UXN_TABLE = 1 << 60
AP_TABLE_SHIFT = 61
NS_TABLE = 1 << 63

# Linux's names of the leaf/table levels with 4 levels of 4K tables (48-bit VA).
LEVEL_NAMES_4 = {0: "PGD", 1: "PUD", 2: "PMD", 3: "PTE"}
LEVEL_NAMES_3 = {1: "PGD", 2: "PMD", 3: "PTE"}

ATTR_WORDS = {0: "MEM/NORMAL", 1: "MEM/NORMAL-TAGGED", 2: "MEM/NORMAL-NC",
              3: "DEVICE/nGnRnE", 4: "DEVICE/nGnRE"}


class PhysMem:
    """Guest physical memory backed by one or more raw dump files."""

    def __init__(self, specs):
        self.banks = []
        for spec in specs:
            path, _, base = spec.partition("@")
            with open(path, "rb") as f:  # the mapping outlives the file object
                m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            self.banks.append((int(base, 0), len(m), m))

    def read(self, pa, n):
        for base, size, m in self.banks:
            if base <= pa and pa + n <= base + size:
                off = pa - base
                return m[off:off + n]
        raise ValueError("physical address 0x%x not in any RAM dump" % pa)

    def u64(self, pa):
        return struct.unpack("<Q", self.read(pa, 8))[0]

    def table(self, pa):
        return struct.unpack("<512Q", self.read(pa, GRANULE))


def level_shift(level):
    return GRANULE_SHIFT + 9 * (3 - level)


def start_level(va_bits):
    # Arm ARM D8.2: with a 4K granule each level resolves 9 bits.
    for level in range(4):
        if va_bits > level_shift(level) and va_bits <= level_shift(level) + 9:
            return level
    raise ValueError("unsupported VA size %d" % va_bits)


def sext(va):
    return va | 0xFFFF000000000000 if va & (1 << 47) else va


class Walker:
    def __init__(self, mem, root_pa, va_bits, upper):
        self.mem = mem
        self.root = root_pa & OA_MASK
        self.va_bits = va_bits
        self.upper = upper
        self.base = ((1 << 64) - (1 << va_bits)) if upper else 0
        self.level0 = start_level(va_bits)
        self.names = LEVEL_NAMES_4 if self.level0 == 0 else LEVEL_NAMES_3
        self.tables = []  # (level, pa, va_start, va_end, valid_entries)

    def entries_at_root(self):
        return 1 << (self.va_bits - level_shift(self.level0))

    def leaves(self):
        """Yield (va, size, level, desc, table_attrs) for each valid leaf."""
        yield from self._walk(self.root, self.level0, self.base, 0,
                              self.entries_at_root())

    def _walk(self, table_pa, level, va_base, tattrs, nentries):
        ents = self.mem.table(table_pa)
        shift = level_shift(level)
        valid = sum(1 for d in ents[:nentries] if d & VALID)
        self.tables.append((level, table_pa, va_base,
                            va_base + (nentries << shift), valid))
        for i in range(nentries):
            d = ents[i]
            if not d & VALID:
                continue
            va = va_base + (i << shift)
            if level < 3 and d & TYPE:
                # Table descriptor: accumulate hierarchical attributes.
                child_attrs = tattrs | (d & (PXN_TABLE | UXN_TABLE | NS_TABLE |
                                             (3 << AP_TABLE_SHIFT)))
                yield from self._walk(d & OA_MASK, level + 1, va, child_attrs,
                                      ENTRIES)
                continue
            if level == 3 and not d & TYPE:
                continue  # reserved encoding at level 3: faults
            if level == 0:
                continue  # no level-0 blocks with a 4K granule (no LPA2)
            yield va, 1 << shift, level, d, tattrs

    def translate(self, va):
        level = self.level0
        table = self.root
        idx_bits = self.va_bits - level_shift(level)
        while True:
            shift = level_shift(level)
            mask = (1 << (idx_bits if level == self.level0 else 9)) - 1
            d = self.mem.table(table)[(va >> shift) & mask]
            if not d & VALID:
                raise ValueError("VA 0x%x not mapped (level %d)" % (va, level))
            if level < 3 and d & TYPE:
                table = d & OA_MASK
                level += 1
                continue
            return (d & OA_MASK & ~((1 << shift) - 1)) | (va & ((1 << shift) - 1))


def attr_bits(desc):
    """Every descriptor bit that is not part of the output address."""
    return desc & ~OA_MASK


def arm_words(desc, tattrs):
    ap = (desc >> 6) & 3
    sh = {0: "NSH", 1: "SH?", 2: "OSH", 3: "ISH"}[(desc >> SH_SHIFT) & 3]
    w = ["AP=%d%d" % (ap >> 1, ap & 1), "AttrIndx=%d" % ((desc >> 2) & 7),
         "SH=%s" % sh]
    w.append("AF" if desc & AF else "noAF")
    for bit, name in ((NG, "nG"), (CONT, "CONT"), (PXN, "PXN"), (UXN, "UXN"),
                      (GP, "GP"), (DBM, "DBM"), (NS, "NS")):
        if desc & bit:
            w.append(name)
    sw = (desc & SW_MASK) >> 55
    if sw:
        w.append("SW=0x%x" % sw)
    if tattrs:
        t = []
        if tattrs & PXN_TABLE:
            t.append("PXNTable")
        if tattrs & UXN_TABLE:
            t.append("UXNTable")
        apt = (tattrs >> AP_TABLE_SHIFT) & 3
        if apt:
            t.append("APTable=%d%d" % (apt >> 1, apt & 1))
        if tattrs & NS_TABLE:
            t.append("NSTable")
        w.append("table:" + ",".join(t))
    return w


# ---- Linux ptdump (arch/arm64/mm/ptdump.c, v6.1) -----------------------------

# (mask, value, word-if-match, word-if-not) in the order ptdump prints them.
PT_BITS = [
    (VALID, VALID, " ", "F"),
    (AP1, AP1, "USR", "   "),
    (AP2, AP2, "ro", "RW"),
    (PXN, PXN, "NX", "x "),
    (3 << 8, 3 << 8, "SHD", "   "),
    (AF, AF, "AF", "  "),
    (NG, NG, "NG", "  "),
    (CONT, CONT, "CON", "   "),
    (TYPE, TYPE, "   ", "BLK"),
    (UXN, UXN, "UXN", "   "),
    (GP, GP, "GP", "  "),
] + [(7 << 2, i << 2, ATTR_WORDS[i], None) for i in range(5)]
PT_MASK = 0
for _m, _v, _s, _c in PT_BITS:
    PT_MASK |= _m
PROT_NONE_BIT = 1 << 58


def pt_words(prot):
    out = []
    for mask, val, s, c in PT_BITS:
        w = s if (prot & mask) == val else c
        if w is not None:
            out.append(w)
    return out


def pt_words_trimmed(prot):
    return [w.strip() for w in pt_words(prot) if w.strip()]


def linux_markers(va_bits, fixaddr_size):
    """address_markers[] of arch/arm64/mm/ptdump.c for a 4K, 48-bit build
    without KASAN, from arch/arm64/include/asm/memory.h and pgtable.h."""
    m64 = (1 << 64) - 1
    page_offset = (-(1 << va_bits)) & m64
    page_end = (-(1 << (va_bits - 1))) & m64
    modules_vaddr = page_end
    modules_end = modules_vaddr + (128 << 20)
    vmemmap_shift = GRANULE_SHIFT - 6  # STRUCT_PAGE_MAX_SHIFT = 6 (64 bytes)
    vmemmap_start = (-(1 << (va_bits - vmemmap_shift))) & m64
    vmemmap_size = (page_end - page_offset) >> vmemmap_shift
    fixaddr_top = vmemmap_start - (32 << 20)
    pci_io_end = vmemmap_start - (8 << 20)
    pci_io_start = pci_io_end - (16 << 20)
    vmalloc_start = modules_end
    vmalloc_end = vmemmap_start - (256 << 20)
    return [
        (page_offset, "Linear Mapping start"),
        (page_end, "Linear Mapping end"),
        (modules_vaddr, "Modules start"),
        (modules_end, "Modules end"),
        (vmalloc_start, "vmalloc() area"),
        (vmalloc_end, "vmalloc() end"),
        (fixaddr_top - fixaddr_size, "Fixmap start"),
        (fixaddr_top, "Fixmap end"),
        (pci_io_start, "PCI I/O start"),
        (pci_io_end, "PCI I/O end"),
        (vmemmap_start, "vmemmap start"),
        (vmemmap_start + vmemmap_size, "vmemmap end"),
        (m64, None),
    ]


class PtdumpState:
    """note_page() of arch/arm64/mm/ptdump.c."""

    UNITS = "KMGTPE"

    def __init__(self, names, markers):
        self.names = names
        self.markers = markers
        self.mi = 0
        self.level = -1
        self.prot = 0
        self.start = 0
        self.lines = []

    def note(self, addr, level, val):
        prot = val & PT_MASK if level >= 0 else 0
        nxt = self.markers[self.mi + 1][0]
        if self.level == -1:
            self.level, self.prot, self.start = level, prot, addr
            self.lines.append("---[ %s ]---" % self.markers[self.mi][1])
        elif prot != self.prot or level != self.level or addr >= nxt:
            delta = ((addr - self.start) & ((1 << 64) - 1)) >> 10
            u = 0
            while not (delta & 1023) and u + 1 < len(self.UNITS):
                delta >>= 10
                u += 1
            line = "0x%016x-0x%016x   %9d%s %s" % (self.start, addr, delta,
                                                  self.UNITS[u],
                                                  self.names[self.level])
            if self.prot:
                line += "".join(" " + w for w in pt_words(self.prot))
            self.lines.append(line)
            if addr >= nxt:
                self.mi += 1
                self.lines.append("---[ %s ]---" % self.markers[self.mi][1])
            self.start, self.prot, self.level = addr, prot, level
        if addr >= self.markers[self.mi + 1][0]:
            self.mi += 1
            self.lines.append("---[ %s ]---" % self.markers[self.mi][1])


def ptdump(walker, markers):
    """Replays the sequence of note_page() calls that ptdump_walk_pgd() makes
    for the range [PAGE_OFFSET, ~0UL] with 4 levels (p4d folded into pgd):
    mm/pagewalk.c reports an empty entry as a hole at its (real) depth, a
    leaf via the *_entry callbacks, and every PTE individually."""
    # Linux level numbers: 0 pgd, 1 p4d (folded), 2 pud, 3 pmd, 4 pte.
    names = {0: "PGD", 1: "P4D", 2: "PUD", 3: "PMD", 4: "PTE"}
    st = PtdumpState(names, markers)
    mem = walker.mem
    start = markers[0][0]

    def present(d):
        return d & (VALID | PROT_NONE_BIT)

    top = mem.table(walker.root)
    for i in range(((start - walker.base) >> 39) & 511, 512):
        va0 = walker.base + (i << 39)
        d0 = top[i]
        if d0 == 0 or not d0 & TYPE:  # p4d_none_or_clear_bad, depth 0
            st.note(va0, 0, 0)
            continue
        pud = mem.table(d0 & OA_MASK)
        for j in range(512):
            va1 = va0 + (j << 30)
            d1 = pud[j]
            if d1 == 0:
                st.note(va1, 2, 0)
                continue
            if present(d1) and not d1 & TYPE:
                st.note(va1, 2, d1)
            if not d1 & TYPE or not present(d1):
                continue
            pmd = mem.table(d1 & OA_MASK)
            for k in range(512):
                va2 = va1 + (k << 21)
                d2 = pmd[k]
                if d2 == 0:
                    st.note(va2, 3, 0)
                    continue
                if present(d2) and not d2 & TYPE:
                    st.note(va2, 3, d2)
                if not d2 & TYPE or not present(d2):
                    continue
                pte = mem.table(d2 & OA_MASK)
                for m in range(512):
                    st.note(va2 + (m << 12), 4, pte[m])
    st.note(0, -1, 0)
    return st.lines


# ---- runs --------------------------------------------------------------------

def merge_runs(leaves, key):
    runs = []
    for va, size, level, d, t in leaves:
        pa = d & OA_MASK & ~(size - 1)
        k = key(level, d, t)
        if runs:
            r = runs[-1]
            if (r["k"] == k and r["va_end"] == va and
                    r["pa_start"] + (r["va_end"] - r["va_start"]) == pa):
                r["va_end"] = va + size
                continue
        runs.append({"va_start": va, "va_end": va + size, "pa_start": pa,
                     "level": level, "desc": d, "tattrs": t, "k": k})
    return runs


def cmd_walk(args):
    mem = PhysMem(args.ram)
    w = Walker(mem, int(args.root, 0), args.va_bits, args.half == "upper")
    leaves = list(w.leaves())
    out = args.out
    raw = merge_runs(leaves, lambda lv, d, t: (lv, attr_bits(d), t))
    with open(out + ".runs.txt", "w") as f:
        f.write("# root 0x%x  %s half  VA bits %d  (%d leaf entries)\n" %
                (w.root, args.half, args.va_bits, len(leaves)))
        f.write("# va_start           va_end             pa_start     "
                "level size  attributes\n")
        for r in raw:
            size = r["va_end"] - r["va_start"]
            f.write("0x%016x 0x%016x 0x%010x %-3s %9s %s\n" % (
                r["va_start"], r["va_end"], r["pa_start"], w.names[r["level"]],
                human(size), " ".join(arm_words(r["desc"], r["tattrs"]))))
    json_runs = merge_runs(leaves, lambda lv, d, t: (lv, d & PT_MASK))
    with open(out + ".mappings.json", "w") as f:
        lst = [{"va_start": "0x%016x" % r["va_start"],
                "va_end": "0x%016x" % r["va_end"],
                "pa_start": "0x%x" % r["pa_start"],
                "level": w.names[r["level"]],
                "attrs": pt_words_trimmed(r["desc"] & PT_MASK)}
               for r in json_runs]
        json.dump({"root": "0x%x" % w.root, "mappings": lst}, f, indent=1)
        f.write("\n")
    with open(out + ".tables.txt", "w") as f:
        f.write("# table pages reachable from root 0x%x, in walk order\n" % w.root)
        f.write("# level table_pa     covers_va_start    covers_va_end      "
                "valid_entries\n")
        for level, pa, vs, ve, n in w.tables:
            f.write("%-3s 0x%010x 0x%016x 0x%016x %d\n" % (
                w.names[level], pa, vs, (ve - 1) & ((1 << 64) - 1), n))
        counts = {}
        for level, *_ in w.tables:
            counts[w.names[level]] = counts.get(w.names[level], 0) + 1
        f.write("# pages per level: %s\n" % " ".join(
            "%s=%d" % (w.names[lv], counts.get(w.names[lv], 0))
            for lv in sorted(w.names) if lv >= w.level0))
    if args.ptdump:
        fix_size = int(args.fixaddr_size, 0)
        lines = ptdump(w, linux_markers(args.va_bits, fix_size))
        with open(out + ".ptdump.txt", "w") as f:
            f.write("\n".join(lines) + "\n")


def human(size):
    for unit, shift in (("G", 30), ("M", 20), ("K", 10)):
        if size >= (1 << shift) and size % (1 << shift) == 0:
            return "%d%s" % (size >> shift, unit)
    return str(size)


def cmd_memblock(args):
    mem = PhysMem(args.ram)
    w = Walker(mem, int(args.root, 0), args.va_bits, True)
    va = int(args.memblock, 0)

    def rd(v, n):
        return mem.read(w.translate(v), n)

    # struct memblock { bool bottom_up; phys_addr_t current_limit;
    #   struct memblock_type memory, reserved; }  (include/linux/memblock.h)
    # struct memblock_type { unsigned long cnt, max; phys_addr_t total_size;
    #   struct memblock_region *regions; char *name; }       (40 bytes)
    # struct memblock_region { phys_addr_t base, size; enum flags; int nid; }
    bottom_up, limit = struct.unpack("<B7xQ", rd(va, 16))
    out = ["# struct memblock at 0x%x: bottom_up=%d current_limit=0x%x" %
           (va, bottom_up, limit)]
    for name, off in (("memory", 16), ("reserved", 56)):
        cnt, mx, total, regions, _ = struct.unpack("<QQQQQ", rd(va + off, 40))
        out.append("===== %s (cnt=%d max=%d total_size=0x%x regions=0x%x) =====" %
                   (name, cnt, mx, total, regions))
        flagged = []
        for i in range(cnt):
            base, size, flags, nid = struct.unpack("<QQIi", rd(regions + 24 * i, 24))
            out.append("%4d: 0x%016x..0x%016x" % (i, base, base + size - 1))
            flagged.append("%4d: 0x%016x..0x%016x flags=0x%x nid=%d" %
                           (i, base, base + size - 1, flags, nid))
        out.append("----- %s with flags and nid -----" % name)
        out.extend(flagged)
    print("\n".join(out))


def cmd_xlate(args):
    mem = PhysMem(args.ram)
    w = Walker(mem, int(args.root, 0), args.va_bits, True)
    for v in args.va:
        print("0x%016x -> 0x%x" % (int(v, 0), w.translate(int(v, 0))))


def cmd_tablecore(args):
    mem = PhysMem(args.ram)
    w = Walker(mem, int(args.root, 0), args.va_bits, args.half == "upper")
    for _ in w.leaves():
        pass
    pages = {pa: mem.read(pa, GRANULE) for _, pa, _, _, _ in w.tables}
    n = elf_core.write_core(args.out, elf_core.EM_AARCH64, pages, GRANULE)
    print("%s: %d table pages in %d segments" % (args.out, len(pages), n))


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("walk", "memblock", "xlate", "tablecore"):
        s = sub.add_parser(name)
        s.add_argument("--ram", action="append", required=True,
                       help="FILE@BASE raw guest RAM dump")
        s.add_argument("--root", required=True, help="table root PA (or TTBR value)")
        s.add_argument("--va-bits", type=int, default=48)
        if name == "walk":
            s.add_argument("--half", choices=("upper", "lower"), default="upper")
            s.add_argument("--out", required=True, help="output file prefix")
            s.add_argument("--ptdump", action="store_true")
            s.add_argument("--fixaddr-size", default="0x40b000",
                           help="__end_of_permanent_fixed_addresses << PAGE_SHIFT")
        elif name == "tablecore":
            s.add_argument("--half", choices=("upper", "lower"), default="upper")
            s.add_argument("--out", required=True, help="ELF core file to write")
        elif name == "memblock":
            s.add_argument("--memblock", required=True, help="VA of memblock")
        else:
            s.add_argument("va", nargs="+")
    args = p.parse_args()
    {"walk": cmd_walk, "memblock": cmd_memblock, "xlate": cmd_xlate,
     "tablecore": cmd_tablecore}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
