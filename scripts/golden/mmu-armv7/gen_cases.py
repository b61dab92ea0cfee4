#!/usr/bin/env python3
"""Writes the ARMv7 AT golden cases: translation tables as 'mem PA VALUE'
lines and queries as

  case ID TTBR0 TTBR1 TTBCR DACR SCTLR PRRR NMRR MAIR0 MAIR1 CONTEXTIDR OP VA

with OP one of ATS1CPR, ATS1CPW, ATS1CUR, ATS1CUW.  Short-descriptor tables
(TTBCR.EAE = 0) are written as 32-bit words (VALUE has 8 hex digits, in
[0x48000000, 0x4c000000)), Long-descriptor (LPAE) tables as 64-bit words
(16 hex digits, in [0x4c000000, 0x50000000)), all little-endian.
run_qemu.sh executes the cases on qemu-system-arm -M virt -cpu cortex-a15 at
Non-secure PL1 and stores QEMU's PAR answers; ref_walk.py computes the
Arm ARM's answers for a cross-check.  See tests/golden/mmu-armv7/README.md.

PRRR and MAIR0 are one register, as are NMRR and MAIR1 (CP15 c10, c2, 0 and
1): every case gives both names the same value, read as PRRR/NMRR when
TTBCR.EAE is 0 and as MAIR0/MAIR1 when it is 1.

Every case's tables also map the probe's own 1 MiB at 0x40000000 to itself
(short: a section in domain 15; LPAE: a 2 MiB block), because the AT
operations translate only with SCTLR.M = 1 and the probe executes those
instructions under the case's tables.  No case queries that megabyte."""
import sys

SD_POOL = 0x48000000
LD_POOL = 0x4C000000
PROBE = 0x40000000
OPS = ("ATS1CPR", "ATS1CPW", "ATS1CUR", "ATS1CUW")
PR, PW, UR, UW = OPS

SCTLR = 0x00C50078  # Cortex-A15 reset value, MMU off
M, TRE, AFE = 1, 1 << 28, 1 << 29
# Linux's arm values (arch/arm/mm/proc-v7-2level.S PRRR/NMRR, 6.1).
PRRR_LINUX = 0xFF0A81A8
NMRR_LINUX = 0x40E040E0
# MAIR0/1: idx0 Normal WB RW-alloc, idx1 Normal NC, idx2 Normal WT,
# idx3 Device, idx4 Strongly-ordered, idx5 Normal WT RW-alloc,
# idx6 outer NC inner WB, idx7 outer WB inner NC.
MAIR0 = 0x04BB44FF
MAIR1 = 0xF44FEE00
DACR_CLIENT = 0x55555555  # every domain Client
PROBE_DOMAIN = 15
EAE = 1 << 31

mem = {}  # PA -> (value, bytes)
cases = []
pools = {"sd": [SD_POOL], "ld": [LD_POOL]}


def alloc(kind, size, align):
    p = pools[kind]
    t = (p[0] + align - 1) // align * align
    p[0] = t + size
    assert p[0] <= (SD_POOL + 0x4000000 if kind == "sd" else LD_POOL + 0x4000000)
    return t


def put(pa, value, width):
    assert pa not in mem, f"{pa:#x} written twice"
    mem[pa] = (value, width)


def add(name, regs, op, va):
    assert not (PROBE <= va < PROBE + (1 << 21)), f"{name}: VA in the probe's block"
    cases.append((f"{len(cases):03d}-{name}", regs, op, va))


# ---------------------------------------------------------------------------
# Short-descriptor format (ARMv7-A ARM B3.5).


def section(pa, ap=0b001, domain=0, tex=0b001, c=0, b=0, s=0, ng=0, xn=0, pxn=0, ns=0):
    return ((pa & 0xFFF00000) | (ns << 19) | (ng << 17) | (s << 16) | ((ap >> 2) << 15)
            | (tex << 12) | ((ap & 3) << 10) | (domain << 5) | (xn << 4) | (c << 3) | (b << 2)
            | 2 | pxn)


def supersection(pa, ap=0b001, tex=0b001, c=0, b=0, s=0, xn=0, pxn=0, ns=0):
    return ((pa & 0xFF000000) | (((pa >> 32) & 0xF) << 20) | (ns << 19) | (1 << 18) | (s << 16)
            | ((ap >> 2) << 15) | (tex << 12) | ((ap & 3) << 10) | (((pa >> 36) & 0xF) << 5)
            | (xn << 4) | (c << 3) | (b << 2) | 2 | pxn)


def page_table(base, domain=0, pxn=0, ns=0):
    return base | (domain << 5) | (ns << 3) | (pxn << 2) | 1


def small_page(pa, ap=0b001, tex=0b001, c=0, b=0, s=0, ng=0, xn=0):
    return ((pa & 0xFFFFF000) | (ng << 11) | (s << 10) | ((ap >> 2) << 9) | (tex << 6)
            | ((ap & 3) << 4) | (c << 3) | (b << 2) | 2 | xn)


def large_page(pa, ap=0b001, tex=0b001, c=0, b=0, s=0, ng=0, xn=0):
    return ((pa & 0xFFFF0000) | (xn << 15) | (tex << 12) | (ng << 11) | (s << 10)
            | ((ap >> 2) << 9) | ((ap & 3) << 4) | (c << 3) | (b << 2) | 1)


class ShortSpace:
    """TTBR0 and TTBR1 first-level tables for one TTBCR.N."""

    def __init__(self, n):
        self.n = n
        self.t0 = alloc("sd", 0x4000 >> n, 0x4000 >> n)
        self.t1 = alloc("sd", 0x4000, 0x4000)
        self.l2 = {}
        # The probe's identity section, in the table that translates it.
        self.set_l1(PROBE, section(PROBE, ap=0b001, domain=PROBE_DOMAIN, tex=0b001, c=1, b=1))

    def uses_ttbr1(self, va):
        return self.n != 0 and (va >> (32 - self.n)) != 0

    def l1_entry(self, va, ttbr=None):
        if ttbr is None:
            ttbr = 1 if self.uses_ttbr1(va) else 0
        if ttbr == 1:
            return self.t1 + 4 * (va >> 20)
        return self.t0 + 4 * ((va & (0xFFFFFFFF >> self.n)) >> 20)

    def set_l1(self, va, value, ttbr=None):
        put(self.l1_entry(va, ttbr), value, 4)

    def set_l2(self, va, value, domain=0, pxn=0, ns=0):
        key = self.l1_entry(va)
        if key not in self.l2:
            self.l2[key] = alloc("sd", 0x400, 0x400)
            put(key, page_table(self.l2[key], domain, pxn, ns), 4)
        put(self.l2[key] + 4 * ((va >> 12) & 0xFF), value, 4)

    def regs(self, sctlr=SCTLR | M, dacr=DACR_CLIENT, pd0=0, pd1=0, prrr=PRRR_LINUX,
             nmrr=NMRR_LINUX, contextidr=0):
        ttbcr = self.n | (pd0 << 4) | (pd1 << 5)
        return (self.t0, self.t1, ttbcr, dacr, sctlr, prrr, nmrr, prrr, nmrr, contextidr)


def dacr_with(**domains):
    d = DACR_CLIENT
    for k, v in domains.items():
        i = int(k[1:])
        d = (d & ~(3 << (2 * i))) | (v << (2 * i))
    return d


def short_cases():
    sp = ShortSpace(0)
    R = sp.regs()
    # Sections: every op, an offset inside the section.
    sp.set_l1(0x10000000, section(0x80000000))
    for op in OPS:
        add(f"sd-section-{op}", R, op, 0x100ABCDE)
    sp.set_l1(0x10100000, section(0x80100000, ap=0b011))
    for op in OPS:
        add(f"sd-section-full-{op}", R, op, 0x101FF123)
    # Supersections: 16 repeated entries; one with PA[39:32] set.
    for i in range(16):
        sp.set_l1(0x11000000 + (i << 20), supersection(0x81000000, ap=0b011))
        sp.set_l1(0x12000000 + (i << 20), supersection(0x3_45000000, ap=0b011))
    for op in (PR, UW):
        add(f"sd-super-{op}", R, op, 0x11ABCDEF)
    add("sd-super-last-entry", R, PR, 0x11F00004)
    add("sd-super-pa40", R, PR, 0x12345678)
    add("sd-super-pa40-user", R, UR, 0x12F45678)
    # Small and large pages through a page table.
    sp.set_l2(0x13005000, small_page(0x82005000, ap=0b011))
    sp.set_l2(0x13006000, small_page(0x82106000, ap=0b001))
    for i in range(16):
        sp.set_l2(0x13010000 + (i << 12), large_page(0x82370000, ap=0b011))
        sp.set_l2(0x13020000 + (i << 12), large_page(0x82480000, ap=0b010))
    for op in OPS:
        add(f"sd-small-{op}", R, op, 0x13005ABC)
    for op in OPS:
        add(f"sd-small-pl1-{op}", R, op, 0x13006004)
    for op in OPS:
        add(f"sd-large-{op}", R, op, 0x1301A123)
    add("sd-large-last-entry", R, PR, 0x1301FFFC)
    for op in OPS:
        add(f"sd-large-userro-{op}", R, op, 0x13023456)
    # Translation faults: level 1, level 2.
    add("sd-l1-fault", R, PR, 0x14000000)
    add("sd-l1-fault-user", R, UW, 0x14100000)
    add("sd-l2-fault", R, PR, 0x13007000)
    add("sd-l2-fault-write", R, PW, 0x130FF000)
    sp.set_l1(0x14200000, 0xFFFFFFFC)  # bits[1:0] 0b00: fault, rest ignored
    add("sd-l1-fault-ignored-bits", R, PR, 0x14200000)
    # MMU off: the flat mapping.
    add("sd-mmu-off", sp.regs(sctlr=SCTLR), PR, 0x14300ABC)
    add("sd-mmu-off-user-write", sp.regs(sctlr=SCTLR), UW, 0x9ABCD123)

    # AP[2:0], SCTLR.AFE = 0: sections and small pages, every op.
    for ap in range(8):
        va = 0x20000000 + (ap << 20)
        sp.set_l1(va, section(0x88000000 + (ap << 20), ap=ap))
        for op in OPS:
            add(f"sd-ap{ap:03b}-section-{op}", R, op, va + 0x1234)
    for ap in range(8):
        va = 0x20800000 + (ap << 12)
        sp.set_l2(va, small_page(0x89000000 + (ap << 12), ap=ap))
        for op in (PR, PW, UR, UW) if ap in (0b010, 0b101) else (PR, UW):
            add(f"sd-ap{ap:03b}-page-{op}", R, op, va + 0x10)
    # SCTLR.AFE = 1: AP[0] is the Access flag, AP[2:1] the permissions.
    RA = sp.regs(sctlr=SCTLR | M | AFE)
    for ap in range(8):
        va = 0x21000000 + (ap << 20)
        sp.set_l1(va, section(0x8A000000 + (ap << 20), ap=ap))
        ops = OPS if ap & 1 else (PR, UW)
        for op in ops:
            add(f"sd-afe-ap{ap:03b}-section-{op}", RA, op, va + 0x4321)
    for ap in (0b000, 0b001, 0b110, 0b111):
        va = 0x21800000 + (ap << 12)
        sp.set_l2(va, small_page(0x8B000000 + (ap << 12), ap=ap))
        for op in (PR, UW):
            add(f"sd-afe-ap{ap:03b}-page-{op}", RA, op, va)
    for i in range(16):
        sp.set_l2(0x21810000 + (i << 12), large_page(0x8B010000, ap=0b010))
    add("sd-afe-large-af0", RA, PR, 0x21814000)

    # Domains: No access, Client, Manager (and the reserved 0b10) for
    # domains 1-4, sections with AP = 0b000 and 0b111 and a page.
    dacr = dacr_with(d1=0b00, d2=0b01, d3=0b11, d4=0b10)
    RD = sp.regs(dacr=dacr)
    RDA = sp.regs(dacr=dacr, sctlr=SCTLR | M | AFE)
    for d, kind in ((1, "noaccess"), (2, "client"), (3, "manager"), (4, "reserved")):
        va = 0x30000000 + (d << 24)
        sp.set_l1(va, section(0x90000000 + (d << 20), ap=0b000, domain=d))
        sp.set_l1(va + (1 << 20), section(0x91000000 + (d << 20), ap=0b111, domain=d))
        sp.set_l1(va + (2 << 20), section(0x92000000 + (d << 20), ap=0b000, domain=d))  # AF=0
        sp.set_l2(va + (3 << 20), small_page(0x93000000 + (d << 12), ap=0b101), domain=d)
        for op in (PR, UW):
            add(f"sd-domain-{kind}-ap000-{op}", RD, op, va + 0x88)
        for op in (PW, UR):
            add(f"sd-domain-{kind}-ap111-{op}", RD, op, va + (1 << 20))
        add(f"sd-domain-{kind}-afe-af0", RDA, PR, va + (2 << 20))
        for op in (PR, UW):
            add(f"sd-domain-{kind}-page-{op}", RD, op, va + (3 << 20))
        add(f"sd-domain-{kind}-l2-fault", RD, PR, va + (3 << 20) + 0x1000)
    # A supersection's domain is 0.
    add("sd-super-domain0-noaccess", sp.regs(dacr=dacr_with(d0=0b00)), PR, 0x11000040)
    add("sd-super-domain0-manager", sp.regs(dacr=dacr_with(d0=0b11)), UW, 0x11000040)

    # XN and PXN: no execute check in ATS1C*, so no change to PAR.
    sp.set_l1(0x38000000, section(0x98000000, ap=0b011, xn=1))
    sp.set_l1(0x38100000, section(0x98100000, ap=0b011, pxn=1))
    sp.set_l1(0x38200000, section(0x98200000, ap=0b011, xn=1, pxn=1))
    sp.set_l2(0x38300000, small_page(0x98300000, ap=0b011, xn=1), pxn=1)
    sp.set_l2(0x38400000, small_page(0x98400000, ap=0b011, xn=0), pxn=1)
    for va, tag in ((0x38000000, "xn"), (0x38100000, "pxn"), (0x38200000, "xn-pxn"),
                    (0x38300000, "page-xn-tablepxn"), (0x38400000, "page-tablepxn")):
        for op in (PR, UW):
            add(f"sd-{tag}-{op}", R, op, va + 0x40)

    # Memory attributes from TEX[2:0]:C:B and S (SCTLR.TRE = 0), and remapped
    # through PRRR/NMRR (TRE = 1) with Linux's values and with others.
    texcb = [(0b000, 0, 0), (0b000, 0, 1), (0b000, 1, 0), (0b000, 1, 1), (0b001, 0, 0),
             (0b001, 1, 1), (0b010, 0, 0), (0b101, 1, 0), (0b110, 0, 1), (0b111, 1, 1)]
    RT = sp.regs(sctlr=SCTLR | M | TRE)
    # TR0 Normal, TR1 Device, TR2 SO, TR3-4 Normal, TR5 Device, TR6-7 Normal;
    # DS0 = 1, NS1 = 1, NOS0/4/7 = 1; inner/outer cache policies vary.
    RT2 = sp.regs(sctlr=SCTLR | M | TRE, prrr=0x9109A686, nmrr=0x41C260C1)
    for i, (tex, c, b) in enumerate(texcb):
        for s in (0, 1):
            va = 0x3A000000 + (i << 21) + (s << 20)
            sp.set_l1(va, section(0x9A000000 + (i << 21) + (s << 20), ap=0b011, tex=tex, c=c,
                                  b=b, s=s))
            add(f"sd-attr-tex{tex:03b}c{c}b{b}s{s}", R, PR, va)
            if tex & 0b110 == 0:  # TRE reads TEX[0], C, B only
                add(f"sd-remap-tex{tex:03b}c{c}b{b}s{s}", RT, PR, va)
                add(f"sd-remap2-tex{tex:03b}c{c}b{b}s{s}", RT2, UR, va)
    # The NS bit (ignored in the Non-secure regime) and nG with an ASID.
    sp.set_l1(0x3C000000, section(0x9C000000, ap=0b011, ns=1))
    sp.set_l1(0x3C100000, section(0x9C100000, ap=0b011, ng=1))
    sp.set_l2(0x3C200000, small_page(0x9C200000, ap=0b011, ng=1), ns=1)
    add("sd-ns-section", R, PR, 0x3C000000)
    add("sd-ng-section-asid", sp.regs(contextidr=0x12345642), UR, 0x3C100000)
    add("sd-ns-table-ng-page-asid", sp.regs(contextidr=0x00000007), PW, 0x3C200000)

    # TTBCR.N and the TTBR0/TTBR1 split, with PD0/PD1.  Each VA is mapped in
    # both tables (to different PAs) so that the chosen TTBR shows.
    for n in (0, 1, 2, 7):
        s = ShortSpace(n)
        for k, va in enumerate((0x00300000, 0x01F00000, 0x02000000, 0x3FF00000, 0x7FF00000,
                                0x80000000, 0xC0000000, 0xFFF00000)):
            t1 = s.uses_ttbr1(va)
            s.set_l1(va, section(0xA0000000 + (n << 24) + (k << 20), ap=0b011), ttbr=int(t1))
            if n != 0:
                other = s.l1_entry(va, ttbr=int(not t1))
                if other not in mem:
                    put(other, section(0xB0000000 + (n << 24) + (k << 20), ap=0b011), 4)
            add(f"sd-n{n}-{va:08x}", s.regs(), UR, va + 0x5000)
        # PD0/PD1 disable a table without changing the split; the probe lies
        # in TTBR0's range for N <= 1 and in TTBR1's for N >= 2.
        if n >= 2:
            add(f"sd-n{n}-pd0-ttbr0", s.regs(pd0=1), PR, 0x00300000)
            add(f"sd-n{n}-pd0-ttbr1", s.regs(pd0=1), PR, 0xC0000000)
        if n >= 1 and n < 2:
            add(f"sd-n{n}-pd1-ttbr1", s.regs(pd1=1), PR, 0xC0000000)
            add(f"sd-n{n}-pd1-ttbr0", s.regs(pd1=1), PR, 0x00300000)
        if n == 0:
            add("sd-n0-pd1-ignored", s.regs(pd1=1), PR, 0xC0000000)


# ---------------------------------------------------------------------------
# Long-descriptor format (LPAE, ARMv7-A ARM B3.6).


def ld_leaf(pa, page, attr=0, ap=0, sh=3, af=1, ng=0, ns=0, xn=0, pxn=0, cont=0):
    return (pa | (3 if page else 1) | (attr << 2) | (ns << 5) | (ap << 6) | (sh << 8)
            | (af << 10) | (ng << 11) | (cont << 52) | (pxn << 53) | (xn << 54))


def ld_table(base, aptable=0, xntable=0, pxntable=0, nstable=0):
    return (base | 3 | (pxntable << 59) | (xntable << 60) | (aptable << 61) | (nstable << 63))


class LongSpace:
    """The tables behind one TTBR: the root at the start level, and next
    level tables allocated on demand."""

    def __init__(self, tsz):
        self.tsz = tsz
        self.bits = 32 - tsz
        self.start = 1 if tsz <= 1 else 2
        self.root = alloc("ld", 4096, 4096)
        self.tables = {}

    def index(self, va, level):
        lo = {1: 30, 2: 21, 3: 12}[level]
        hi = self.bits if level == self.start else lo + 9
        return (va >> lo) & ((1 << (hi - lo)) - 1)

    def entry(self, va, level, table_attrs=None):
        table = self.root
        for l in range(self.start, level):
            e = table + 8 * self.index(va, l)
            if e not in mem:
                t = alloc("ld", 4096, 4096)
                self.tables[e] = t
                attrs = table_attrs if table_attrs and l == self.start else {}
                put(e, ld_table(t, **attrs), 8)
            table = self.tables[e]
        return table + 8 * self.index(va, level)

    def set(self, va, level, value, table_attrs=None):
        put(self.entry(va, level, table_attrs), value, 8)


class LongRegime:
    def __init__(self, t0sz, t1sz):
        self.t0sz, self.t1sz = t0sz, t1sz
        self.s0 = LongSpace(t0sz)
        self.s1 = LongSpace(t1sz)
        self.space(PROBE).set(PROBE, 2, ld_leaf(PROBE, False))

    def space(self, va):
        """TTBR selection (B3.6.4); None in the gap between the ranges."""
        if self.t1sz == 0:
            return self.s1 if va > (0xFFFFFFFF >> self.t0sz) else self.s0
        if va >= ((0xFFFFFFFF << (32 - self.t1sz)) & 0xFFFFFFFF):
            return self.s1
        if self.t0sz == 0 or va >> (32 - self.t0sz) == 0:
            return self.s0
        return None

    def set(self, va, level, value, table_attrs=None):
        self.space(va).set(va, level, value, table_attrs)

    def regs(self, sctlr=SCTLR | M, epd0=0, epd1=0, asid0=0, asid1=0, a1=0, ttbr0_hi=0,
             mair0=MAIR0, mair1=MAIR1, contextidr=0):
        ttbcr = (EAE | self.t0sz | (epd0 << 7) | (a1 << 22) | (self.t1sz << 16) | (epd1 << 23)
                 | (3 << 8) | (3 << 10) | (3 << 12) | (3 << 24) | (3 << 26) | (3 << 28))
        t0 = self.s0.root | (asid0 << 48) | (ttbr0_hi << 40)
        t1 = self.s1.root | (asid1 << 48)
        return (t0, t1, ttbcr, DACR_CLIENT, sctlr, mair0, mair1, mair0, mair1, contextidr)


def long_cases():
    # T0SZ = T1SZ = 0: TTBR0 for everything, start level 1.
    r = LongRegime(0, 0)
    R = r.regs()
    r.set(0x80000000, 1, ld_leaf(0x1_40000000, False))  # 1 GiB block
    for op in OPS:
        add(f"ld-block-l1-{op}", R, op, 0x8ABCDEF0)
    r.set(0x10000000, 2, ld_leaf(0x90000000 & ~0x1FFFFF, False, ap=1))  # 2 MiB block
    for op in OPS:
        add(f"ld-block-l2-{op}", R, op, 0x101FEDCC)
    r.set(0x10201000, 3, ld_leaf(0x91234000, True, ap=1))
    for op in OPS:
        add(f"ld-page-{op}", R, op, 0x10201FFC)
    r.set(0x10202000, 3, ld_leaf(0xFF_FFFFF000, True, ap=1))
    add("ld-page-pa-top", R, UR, 0x10202123)
    # AP[2:1] for pages, every op.
    for ap in range(4):
        va = 0x10400000 + (ap << 12)
        r.set(va, 3, ld_leaf(0x92000000 + (ap << 12), True, ap=ap))
        for op in OPS:
            add(f"ld-ap{ap:02b}-page-{op}", R, op, va + 0x20)
    # Access flag faults at levels 1, 2, 3.
    r.set(0xC0000000, 1, ld_leaf(0x40000000, False, af=0))
    r.set(0x10600000, 2, ld_leaf(0x93000000 & ~0x1FFFFF, False, af=0))
    r.set(0x10801000, 3, ld_leaf(0x94001000, True, af=0))
    add("ld-af0-l1", R, PR, 0xC0000000)
    add("ld-af0-l2", R, UW, 0x10600000)
    add("ld-af0-l3", R, PW, 0x10801000)
    # Translation faults at levels 1, 2, 3; a reserved level-3 descriptor.
    r.set(0x20000000, 2, ld_leaf(0x95000000 & ~0x1FFFFF, False))
    rf = LongRegime(0, 0)  # only the probe's level-1 entry is valid
    add("ld-fault-l1", rf.regs(), PR, 0xC0123000)
    add("ld-fault-l1-user", rf.regs(), UW, 0x00123000)
    add("ld-fault-l2", R, PR, 0x20200000)
    add("ld-fault-l3", R, PR, 0x10805000)
    r.set(0x10806000, 3, 0x96006000 | 1)  # bits[1:0] 0b01 at level 3
    add("ld-reserved-l3", R, PR, 0x10806000)
    r.set(0x10807000, 3, 0x96007000 | 0xFFC)  # bit 0 clear: invalid, rest ignored
    add("ld-fault-l3-ignored-bits", R, UR, 0x10807000)
    # MMU off.
    add("ld-mmu-off", r.regs(sctlr=SCTLR), PR, 0x8765432C)
    # APTable, XNTable, PXNTable, NSTable on a level-1 table entry, each in a
    # regime of its own.
    for i, (apt, xnt, pxnt, nst) in enumerate(((1, 0, 0, 0), (2, 0, 0, 0), (3, 0, 0, 0),
                                               (0, 1, 1, 1))):
        ra = LongRegime(0, 0)
        attrs = dict(aptable=apt, xntable=xnt, pxntable=pxnt, nstable=nst)
        ra.set(0x80000000 + 0x1000, 3, ld_leaf(0x97000000 + (i << 16), True, ap=1), attrs)
        ra.set(0x80000000 + 0x2000, 3, ld_leaf(0x97001000 + (i << 16), True, ap=0))
        tag = f"aptable{apt:02b}-xnt{xnt}-pxnt{pxnt}-nst{nst}"
        for op in OPS:
            add(f"ld-{tag}-{op}", ra.regs(), op, 0x80001000)
        add(f"ld-{tag}-pl1only-{UR}", ra.regs(), UR, 0x80002000)
    # MAIR attributes through AttrIndx, with SH 0b00, 0b10, 0b11; NS and nG.
    for idx in range(8):
        for sh in (0, 2, 3):
            va = 0x11000000 + (idx << 16) + (sh << 12)
            r.set(va, 3, ld_leaf(0x98000000 + (idx << 16) + (sh << 12), True, attr=idx, sh=sh,
                                 ap=1))
            add(f"ld-attr{idx}-sh{sh:02b}", R, UR, va + 0x80)
    r.set(0x11100000, 3, ld_leaf(0x99000000, True, ap=1, ns=1))
    r.set(0x11101000, 3, ld_leaf(0x99001000, True, ap=1, ng=1, xn=1, pxn=1))
    r.set(0x11102000, 3, ld_leaf(0x99002000, True, ap=1, cont=1))
    add("ld-ns-page", R, PR, 0x11100000)
    add("ld-ng-xn-pxn-asid", r.regs(asid0=0x42), UW, 0x11101000)
    add("ld-ng-asid-ttbr1-a1", r.regs(asid1=0x43, a1=1), UR, 0x11101000)
    add("ld-contiguous-hint", R, PR, 0x11102000)
    # Output addresses beyond 32 bits (within 40).
    r.set(0x11200000, 2, ld_leaf(0xAB_CDE00000, False, ap=1))
    add("ld-block-pa40", R, PW, 0x11212345)
    # Address size: bits[47:40] of a table address, of a block's and a page's
    # output address; of TTBR0's base address with the splits below.
    r.set(0x11400000, 2, ld_leaf(0x1_00_9A000000 & ~0x1FFFFF, False, ap=1))
    r.set(0x11600000, 3, ld_leaf((1 << 44) | 0x9B000000, True, ap=1))
    add("ld-addrsize-block", R, PR, 0x11400000)
    add("ld-addrsize-page", R, PR, 0x11600000)
    e = r.s0.entry(0x11800000, 2)
    shadow = alloc("ld", 4096, 4096)
    put(e, ld_table(shadow | (1 << 40)), 8)
    put(shadow + 8 * 5, ld_leaf(0x9C005000, True, ap=1), 8)
    add("ld-addrsize-table", R, PR, 0x11805000)

    # TTBR0/TTBR1 splits and start levels.  Each VA is mapped in both
    # spaces to different PAs where the other space could reach it.
    splits = ((0, 2, (0x00200000, 0xBFE00000, 0xC0000000, 0xFFE00000)),  # Linux 3G/1G
              (1, 1, (0x00200000, 0x7FE00000, 0x80000000, 0xFFE00000)),
              (1, 0, (0x00200000, 0x80000000, 0xFFE00000)),
              (2, 0, (0x00200000, 0x3FE00000, 0x80000000, 0xFFE00000)),
              (7, 0, (0x00200000, 0x01E00000, 0x02000000, 0xFFE00000)),
              (1, 7, (0x00200000, 0x7FE00000, 0x80000000, 0xFDE00000, 0xFE000000, 0xFFE00000)),
              (1, 2, (0x00200000, 0x80000000, 0xBFE00000, 0xC0000000)))
    for t0, t1, vas in splits:
        rs = LongRegime(t0, t1)
        pa = lambda base, k: base + (t0 << 28) + (t1 << 24) + (k << 21)
        for k, va in enumerate(vas):
            if rs.space(va) is not None:
                rs.space(va).set(va, 2, ld_leaf(pa(0xA0000000, k), False, ap=1))
        # The other TTBR's tables, indexed with the same VA bits, map each VA
        # elsewhere where they can: a walk through the wrong TTBR shows.
        for k, va in enumerate(vas):
            sp = rs.space(va)
            if sp is None:
                continue
            other = rs.s1 if sp is rs.s0 else rs.s0
            try:
                e = other.entry(va, 2)
            except KeyError:  # a block on the path
                continue
            if e not in mem:
                put(e, ld_leaf(pa(0xB0000000, k), False, ap=1), 8)
        for va in vas:
            tag = f"ld-t0sz{t0}-t1sz{t1}-{va:08x}"
            if rs.space(va) is None:
                add(tag + "-gap", rs.regs(), PR, va + 0x1000)
            else:
                add(tag, rs.regs(), UR, va + 0x1000)
        # EPD0/EPD1: the probe is in TTBR0's range when T0SZ <= 1.
        if t0 <= 1 and rs.space(vas[-1]) is rs.s1:
            add(f"ld-t0sz{t0}-t1sz{t1}-epd1", rs.regs(epd1=1), PR, vas[-1])
        if t0 >= 2:
            add(f"ld-t0sz{t0}-t1sz{t1}-epd0", rs.regs(epd0=1), PR, vas[0])
            add(f"ld-t0sz{t0}-t1sz{t1}-epd0-ttbr1", rs.regs(epd0=1), PR, vas[-1])
            # TTBR0's base address above 40 bits (the probe is under TTBR1).
            add(f"ld-t0sz{t0}-t1sz{t1}-addrsize-ttbr0", rs.regs(ttbr0_hi=0x01), PR, vas[0])


short_cases()
long_cases()

out = sys.stdout
out.write("# Generated by scripts/golden/mmu-armv7/gen_cases.py; QEMU's answers in qemu_par.txt.\n"
          "# mem PA VALUE: VALUE with 8 hex digits is a 32-bit word (short-descriptor tables,\n"
          "#   PA in [0x48000000, 0x4c000000)), with 16 hex digits a 64-bit word (LPAE tables,\n"
          "#   PA in [0x4c000000, 0x50000000)); little-endian.\n"
          "# case ID TTBR0 TTBR1 TTBCR DACR SCTLR PRRR NMRR MAIR0 MAIR1 CONTEXTIDR OP VA\n"
          "#   (PRRR = MAIR0 and NMRR = MAIR1: one register each, read by TTBCR.EAE)\n")
for pa in sorted(mem):
    v, w = mem[pa]
    out.write(f"mem {pa:#x} {v:#0{2 + 2 * w}x}\n")
for cid, regs, op, va in cases:
    t0, t1, rest = regs[0], regs[1], regs[2:]
    width = 18 if regs[2] & EAE else 10
    out.write(f"case {cid} {t0:#0{width}x} {t1:#0{width}x} "
              + " ".join(f"{x:#010x}" for x in rest) + f" {op} {va:#010x}\n")
