#!/usr/bin/env python3
"""Writes the AT golden cases: translation tables (as 'mem PA VALUE' words)
and queries ('case ID TTBR0 TTBR1 TCR MAIR SCTLR OP VA', OP 0..3 for
AT S1E1R, S1E1W, S1E0R, S1E0W).  run_qemu.sh executes them on QEMU and
stores QEMU's PAR_EL1 answers; tests/hw/arch/arm64/golden_test.cc checks
ptsim against those answers.

Covers the three granules, a translation fault at every level, reserved
blocks, blocks at every level that allows them, Access flag faults on blocks
and pages, permission faults for EL0 and EL1 reads and writes, address size
faults on tables and outputs (small IPS), contiguous runs, nG, TBI, EPD,
device and non-cacheable attributes.  External aborts are left out: QEMU
takes them as exceptions instead of reporting them in PAR_EL1."""
import sys

POOL = 0x48000000
MAIR = 0x000000000044_04ff  # Attr0 Normal WB, Attr1 Device-nGnRE, Attr2 Normal NC

mem = {}
cases = []
next_table = [POOL]


def alloc(granule):
    t = (next_table[0] + granule - 1) // granule * granule
    next_table[0] = t + granule
    return t


def tcr(tg, va_bits, ips=5, extra=0):
    tg0 = {12: 0, 14: 2, 16: 1}[tg]
    tg1 = {12: 2, 14: 1, 16: 3}[tg]
    t0sz = t1sz = 64 - va_bits
    return t0sz | (tg0 << 14) | (t1sz << 16) | (tg1 << 30) | (ips << 32) | extra


def level_shift(g, level):
    return g + (3 - level) * (g - 3)


def start_level(g, va_bits):
    stride = g - 3
    return 4 - (va_bits - g + stride - 1) // stride


def index(g, va_bits, level, va):
    lo = level_shift(g, level)
    hi = va_bits if level == start_level(g, va_bits) else lo + g - 3
    return (va >> lo) & ((1 << (hi - lo)) - 1)


def leaf(pa, page, ap=0, af=1, attr=0, sh=3, ng=0, cont=0, pxn=0, uxn=0):
    return (pa | (3 if page else 1) | (attr << 2) | (ap << 6) | (sh << 8) | (af << 10) | (ng << 11)
            | (cont << 52) | (pxn << 53) | (uxn << 54))


class Space:
    """One granule's tables for one TTBR."""

    def __init__(self, g, va_bits, upper):
        self.g, self.va_bits, self.upper = g, va_bits, upper
        self.root = alloc(max(1 << g, 64))

    def entry(self, va, level):
        table = self.root
        for l in range(start_level(self.g, self.va_bits), level):
            e = table + 8 * index(self.g, self.va_bits, l, va)
            if e not in mem or (mem[e] & 3) != 3:
                mem[e] = alloc(1 << self.g) | 3
            table = mem[e] & ((1 << 48) - 1) & ~((1 << self.g) - 1)
        return table + 8 * index(self.g, self.va_bits, level, va)

    def set(self, va, level, value):
        e = self.entry(va, level)
        assert e not in mem, f"entry {e:#x} for {va:#x} written twice"
        mem[e] = value


def add(name, t0, t1, tcr_value, op, va, sctlr=1):
    cases.append((f"{len(cases):03d}-{name}", t0, t1, tcr_value, MAIR, sctlr, op, va))


def granule_cases(g, va_bits):
    up = Space(g, va_bits, True)
    lo = Space(g, va_bits, False)
    T = tcr(g, va_bits)
    base = (~0 << va_bits) & (2**64 - 1)
    s = start_level(g, va_bits)
    tag = f"{ {12: '4k', 14: '16k', 16: '64k'}[g]}-{va_bits}"
    step = lambda level: 1 << level_shift(g, level)
    # A page reached through every level, with variants beside it.
    va = base + 3 * step(2) + 5 * step(3)
    up.set(va, 3, leaf(0x80000000, True))
    for op in range(4):
        add(f"{tag}-page-el1rw-op{op}", lo.root, up.root, T, op, va + 0x123)
    up.set(va + step(3), 3, leaf(0x90000000, True, ap=1, uxn=1))  # EL0 RW
    for op in range(4):
        add(f"{tag}-page-el0rw-op{op}", lo.root, up.root, T, op, va + step(3))
    up.set(va + 2 * step(3), 3, leaf(0x90010000, True, ap=2))  # EL1 RO
    for op in range(4):
        add(f"{tag}-page-el1ro-op{op}", lo.root, up.root, T, op, va + 2 * step(3))
    up.set(va + 3 * step(3), 3, leaf(0x90020000, True, ap=3, ng=1))  # RO both
    for op in range(4):
        add(f"{tag}-page-ro-op{op}", lo.root, up.root, T, op, va + 3 * step(3))
    up.set(va + 4 * step(3), 3, leaf(0x90030000, True, af=0))
    add(f"{tag}-page-af0", lo.root, up.root, T, 0, va + 4 * step(3))
    up.set(va + 5 * step(3), 3, leaf(0x09000000, True, attr=1, sh=0))
    add(f"{tag}-page-device", lo.root, up.root, T, 0, va + 5 * step(3))
    up.set(va + 6 * step(3), 3, leaf(0x90040000, True, attr=2, sh=3))
    add(f"{tag}-page-nc", lo.root, up.root, T, 1, va + 6 * step(3))
    up.set(va + 7 * step(3), 3, 0x90050000 | 1)  # reserved: bit 1 clear at level 3
    add(f"{tag}-page-reserved", lo.root, up.root, T, 0, va + 7 * step(3))
    add(f"{tag}-l3-invalid", lo.root, up.root, T, 0, va + 8 * step(3))
    # A contiguous run: every entry marked.
    run = {12: 16, 14: 128, 16: 32}[g]
    cva = base + 4 * step(2)
    for i in range(run):
        up.set(cva + i * step(3), 3, leaf(0xa0000000 + i * step(3), True, cont=1))
    add(f"{tag}-cont-first", lo.root, up.root, T, 0, cva)
    add(f"{tag}-cont-last", lo.root, up.root, T, 0, cva + (run - 1) * step(3) + 8)
    # Blocks where the granule has them; invalid and reserved at each level.
    root_entries = 1 << (va_bits - level_shift(g, s))
    for level in range(s, 3):
        if level == s and root_entries < 32:
            # A small root table: only an invalid entry, beside the chain's.
            add(f"{tag}-invalid-l{level}", lo.root, up.root, T, 0, base + step(level))
            continue
        # Indexes 20-23 of the table: clear of the chain and the cases below.
        bva = base + 20 * step(level)
        blocks = {12: (1, 2), 14: (2,), 16: (2,)}[g]
        if level in blocks:
            up.set(bva, level, leaf(0xc0000000 & ~(step(level) - 1), False))
            add(f"{tag}-block-l{level}", lo.root, up.root, T, 0, bva + 0x4567)
            up.set(bva + step(level), level, leaf(0xc0000000 & ~(step(level) - 1), False, af=0))
            add(f"{tag}-block-l{level}-af0", lo.root, up.root, T, 0, bva + step(level))
            up.set(bva + 2 * step(level), level, leaf(0xc0000000 & ~(step(level) - 1), False, ap=2))
            add(f"{tag}-block-l{level}-write-ro", lo.root, up.root, T, 1, bva + 2 * step(level))
        else:
            up.set(bva, level, 0x40000000 & ~(step(level) - 1) | 1)
            add(f"{tag}-reserved-block-l{level}", lo.root, up.root, T, 0, bva)
        add(f"{tag}-invalid-l{level}", lo.root, up.root, T, 0, bva + 3 * step(level))
    # Address size: IPS 40 bits, a table and an output above it.
    T40 = tcr(g, va_bits, ips=2)
    ava = base + 10 * step(2)
    up.set(ava, 3, leaf(0x20000000000, True))
    add(f"{tag}-oa-above-ips", lo.root, up.root, T40, 0, ava)
    add(f"{tag}-oa-within-48", lo.root, up.root, T, 0, ava)
    e = up.entry(base + 11 * step(2), 2)
    assert e not in mem
    mem[e] = 0x30000000000 | 3
    add(f"{tag}-table-above-ips", lo.root, up.root, T40, 0, base + 11 * step(2))
    # The lower range: a user page, TBI, EPD0, out of range.
    uva = 2 * step(2) + 9 * step(3)
    lo.set(uva, 3, leaf(0xb0000000, True, ap=1, ng=1))
    add(f"{tag}-user-page", lo.root, up.root, T, 2, uva)
    add(f"{tag}-tagged-no-tbi", lo.root, up.root, T, 2, uva | (0x5a << 56))
    add(f"{tag}-tagged-tbi0", lo.root, up.root, T | (1 << 37), 2, uva | (0x5a << 56))
    add(f"{tag}-epd0", lo.root, up.root, T | (1 << 7), 0, uva)
    add(f"{tag}-out-of-range", lo.root, up.root, T, 0, 1 << va_bits)


granule_cases(12, 48)
granule_cases(12, 39)
granule_cases(14, 48)
granule_cases(14, 36)
granule_cases(16, 48)
granule_cases(16, 42)

out = sys.stdout
out.write("# Generated by scripts/golden/mmu/gen_cases.py; answers in qemu_par.txt.\n")
for pa in sorted(mem):
    out.write(f"mem {pa:#x} {mem[pa]:#018x}\n")
for c in cases:
    out.write("case {} {:#x} {:#x} {:#x} {:#x} {:#x} {} {:#x}\n".format(*c))
