#!/usr/bin/env python3
"""An independent reference for the ARMv7 AT golden cases: computes, from
the Arm ARM's rules alone, the PAR that ATS1CPR/ATS1CPW/ATS1CUR/ATS1CUW give
for each case of tests/golden/mmu-armv7/cases.txt, and compares it with
QEMU's answers (qemu_par.txt) and with the documented differences
(known_differences.txt).  A cross-check of the golden files; the C++ tests
do not use it.

  ref_walk.py [DIR]           summary: agreement per category, disagreements
  ref_walk.py DIR --par       every case's reference PAR ("ID PAR")

Rules, by the ARMv7-A ARM (DDI 0406C) pseudocode TranslationTableWalkSD/LD,
CheckDomain, CheckPermission, DefaultTEXDecode, RemappedTEXDecode and the PAR
description (B4.1.112), and where ARMv7 leaves a choice, the ARMv8 ARM's
AArch32 rules (DDI 0487, G5 and the AArch32 PAR):
- The regime is Non-secure PL1&0: the output is Non-secure, so PAR.NS = 1
  (the address's NS in the pseudocode); descriptors' NS bits are ignored.
- Short descriptors: translation fault (level 1, level 2) -> Access flag
  fault (SCTLR.AFE = 1 and AP[0] = 0) -> domain fault (DACR 0b00; the
  reserved 0b10 is taken as 0b00) -> permission fault (Client only).
  AP[2:0] = 0b100 (reserved) is taken as no access.
- Short-descriptor PAR: PA[31:12], or for a supersection PA[31:24] in
  PAR[31:24], PA[39:32] in PAR[23:16] and SS = 1; NOS, SH, Inner[2:0] and
  Outer[1:0] from the memory attributes (TEX/C/B, or PRRR/NMRR with
  SCTLR.TRE = 1); IMPLEMENTATION DEFINED bit 8 = 0; NOS = 0 unless the
  region is Shareable but not Outer Shareable.
- LPAE: translation fault -> address size fault (TTBR, table or output
  address bits[47:40] not zero: ARMv8 AArch32 rule, OA size 40) -> Access
  flag fault -> permission fault (AP[2:1] with APTable).  64-bit PAR: ATTR
  is the MAIR byte, SH the descriptor's, except 0b10 for Device and for
  Normal Inner and Outer Non-cacheable memory (ARMv8 PAREncodeShareability).
- SCTLR.M = 0: the flat mapping, Strongly-ordered (short: Inner 0b001,
  SH = 1; LPAE: ATTR 0x00, SH 0b10).
"""
import os
import sys

EAE = 1 << 31


class Fault(Exception):
    def __init__(self, kind, level, page=False):
        self.kind, self.level, self.page = kind, level, page


def field(v, hi, lo):
    return (v >> lo) & ((1 << (hi - lo + 1)) - 1)


class Memory:
    def __init__(self):
        self.words = {}

    def store(self, pa, value, width):
        for i in range(width):
            self.words[pa + i] = (value >> (8 * i)) & 0xFF

    def load(self, pa, width):
        return sum(self.words.get(pa + i, 0) << (8 * i) for i in range(width))


# --- Short-descriptor format -------------------------------------------------

# DFSR FS codes (B3.13.3): section/page.
SD_FS = {"translation": (0b00101, 0b00111), "access": (0b00011, 0b00110),
         "domain": (0b01001, 0b01011), "permission": (0b01101, 0b01111)}

# PAR Inner[2:0] for an inner cache policy (00 NC, 01 WBWA, 10 WT, 11 WB).
INNER = {0b00: 0b000, 0b01: 0b101, 0b10: 0b110, 0b11: 0b111}


def sd_attributes(regs, tex, c, b, s):
    """(inner, outer, shareable, outer_shareable) for the PAR."""
    sctlr, prrr, nmrr = regs["SCTLR"], regs["PRRR"], regs["NMRR"]
    if sctlr & (1 << 28):  # TRE: RemappedTEXDecode
        n = ((tex & 1) << 2) | (c << 1) | b
        tr = field(prrr, 2 * n + 1, 2 * n)
        if tr == 0b00:
            return 0b001, 0, True, True
        if tr == 0b01:
            sh = bool(field(prrr, 17, 17) if s else field(prrr, 16, 16))
            return 0b011, 0, sh, sh
        if tr == 0b10:
            sh = bool(field(prrr, 19, 19) if s else field(prrr, 18, 18))
            nos = bool(field(prrr, 24 + n, 24 + n))
            return (INNER[field(nmrr, 2 * n + 1, 2 * n)], field(nmrr, 16 + 2 * n + 1, 16 + 2 * n),
                    sh, sh and not nos)
        raise ValueError("PRRR reserved memory type")
    # DefaultTEXDecode
    if tex & 0b100:
        return INNER[(c << 1) | b], tex & 3, bool(s), bool(s)
    key = (tex, c, b)
    if key == (0, 0, 0):
        return 0b001, 0, True, True
    if key == (0, 0, 1):
        return 0b011, 0, True, True
    if key == (0, 1, 0):
        return INNER[0b10], 0b10, bool(s), bool(s)
    if key == (0, 1, 1):
        return INNER[0b11], 0b11, bool(s), bool(s)
    if key == (1, 0, 0):
        return INNER[0b00], 0b00, bool(s), bool(s)
    if key == (1, 1, 1):
        return INNER[0b01], 0b01, bool(s), bool(s)
    if key == (2, 0, 0):
        return 0b011, 0, False, False
    raise ValueError(f"reserved TEX/C/B {key}")


def sd_allowed(ap, afe, priv, write):
    if afe:
        ap = ap & 0b110 | 0b001  # AP[0] is the Access flag: AP[2:1] decode
        rw_pl1, pl0, ro = True, bool(ap & 0b010), bool(ap & 0b100)
        if not priv and not pl0:
            return False
        return not (write and ro)
    table = {0b000: ("", ""), 0b001: ("rw", ""), 0b010: ("rw", "r"), 0b011: ("rw", "rw"),
             0b100: ("", ""), 0b101: ("r", ""), 0b110: ("r", "r"), 0b111: ("r", "r")}
    perms = table[ap][0 if priv else 1]
    return ("w" if write else "r") in perms


def sd_walk(mem, regs, va, priv, write):
    ttbcr, sctlr = regs["TTBCR"], regs["SCTLR"]
    n = ttbcr & 7
    if n == 0 or field(va, 31, 32 - n) == 0:
        base = regs["TTBR0"] & 0xFFFFFFFF & ~((1 << (14 - n)) - 1)
        l1 = base | (((va & (0xFFFFFFFF >> n)) >> 20) << 2)
        disabled = ttbcr & (1 << 4)
    else:
        l1 = (regs["TTBR1"] & 0xFFFFC000) | ((va >> 20) << 2)
        disabled = ttbcr & (1 << 5)
    if disabled:
        raise Fault("translation", 1)
    d1 = mem.load(l1, 4)
    if d1 & 3 == 0:
        raise Fault("translation", 1)
    afe = bool(sctlr & (1 << 29))
    if d1 & 3 == 1:
        page = True
        domain = field(d1, 8, 5)
        d2 = mem.load((d1 & 0xFFFFFC00) | (field(va, 19, 12) << 2), 4)
        if d2 & 3 == 0:
            raise Fault("translation", 2, True)
        ap = (field(d2, 9, 9) << 2) | field(d2, 5, 4)
        s = field(d2, 10, 10)
        if d2 & 2:  # small page
            tex, pa = field(d2, 8, 6), (d2 & 0xFFFFF000) | (va & 0xFFF)
        else:  # large page
            tex, pa = field(d2, 14, 12), (d2 & 0xFFFF0000) | (va & 0xFFFF)
        c, b = field(d2, 3, 3), field(d2, 2, 2)
        supersection = False
    else:
        page = False
        ap = (field(d1, 15, 15) << 2) | field(d1, 11, 10)
        tex, c, b, s = field(d1, 14, 12), field(d1, 3, 3), field(d1, 2, 2), field(d1, 16, 16)
        supersection = bool(d1 & (1 << 18))
        if supersection:
            domain = 0
            pa = ((d1 & 0xFF000000) | (field(d1, 23, 20) << 32) | (field(d1, 8, 5) << 36)
                  | (va & 0xFFFFFF))
        else:
            domain = field(d1, 8, 5)
            pa = (d1 & 0xFFF00000) | (va & 0xFFFFF)
    level = 2 if page else 1
    if afe and not ap & 1:
        raise Fault("access", level, page)
    access = field(regs["DACR"], 2 * domain + 1, 2 * domain)
    if access in (0b00, 0b10):
        raise Fault("domain", level, page)
    if access == 0b01 and not sd_allowed(ap, afe, priv, write):
        raise Fault("permission", level, page)
    return pa, supersection, sd_attributes(regs, tex, c, b, s)


def sd_par(mem, regs, va, priv, write):
    if not regs["SCTLR"] & 1:
        pa, ss, attrs = va, False, (0b001, 0, True, True)
    else:
        try:
            pa, ss, attrs = sd_walk(mem, regs, va, priv, write)
        except Fault as f:
            fs = SD_FS[f.kind][1 if f.page else 0]
            return ((fs & 0xF) << 1) | ((fs >> 4) << 5) | 1
    inner, outer, sh, osh = attrs
    par = (1 << 9) | (inner << 4) | (outer << 2)  # NS: Non-secure regime
    if sh:
        par |= 1 << 7
        if not osh:
            par |= 1 << 10  # NOS
    if ss:
        return par | (pa & 0xFF000000) | (field(pa, 39, 32) << 16) | (1 << 1)
    return par | (pa & 0xFFFFF000)


# --- Long-descriptor format (LPAE) -------------------------------------------

LD_FSC = {"addrsize": 0b000000, "translation": 0b000100, "access": 0b001000,
          "permission": 0b001100}


def ld_walk(mem, regs, va, priv, write):
    ttbcr = regs["TTBCR"]
    t0sz, t1sz = field(ttbcr, 2, 0), field(ttbcr, 18, 16)
    # B3.6.4: TTBR1 for the top 2^(32-T1SZ) bytes (everything above TTBR0's
    # range when T1SZ = 0), TTBR0 for the bottom 2^(32-T0SZ); a gap faults.
    if t1sz == 0 and t0sz != 0 and va >> (32 - t0sz) != 0:
        ttbr, tsz, epd = regs["TTBR1"], 0, field(ttbcr, 23, 23)
    elif t1sz != 0 and field(va, 31, 32 - t1sz) == (1 << t1sz) - 1:
        ttbr, tsz, epd = regs["TTBR1"], t1sz, field(ttbcr, 23, 23)
    elif t0sz == 0 or va >> (32 - t0sz) == 0:
        ttbr, tsz, epd = regs["TTBR0"], t0sz, field(ttbcr, 7, 7)
    else:
        raise Fault("translation", 1)
    if epd:
        raise Fault("translation", 1)
    bits = 32 - tsz
    level = 1 if tsz <= 1 else 2
    if field(ttbr, 47, 40):
        raise Fault("addrsize", 0)
    table = field(ttbr, 39, 0) & ~((1 << (5 - tsz if level == 1 else 14 - tsz)) - 1)
    ap_table = 0
    while True:
        lo = {1: 30, 2: 21, 3: 12}[level]
        hi = bits if level == (1 if tsz <= 1 else 2) else lo + 9
        desc = mem.load(table + 8 * field(va, hi - 1, lo), 8)
        if desc & 1 == 0 or (level == 3 and desc & 3 == 1):
            raise Fault("translation", level)
        if desc & 3 == 3 and level < 3:
            if field(desc, 47, 40):
                raise Fault("addrsize", level)
            ap_table |= field(desc, 62, 61)
            table = desc & 0xFF_FFFFF000
            level += 1
            continue
        break
    if field(desc, 47, 40):
        raise Fault("addrsize", level)
    lo = {1: 30, 2: 21, 3: 12}[level]
    pa = (desc & 0xFF_FFFFF000 & ~((1 << lo) - 1)) | (va & ((1 << lo) - 1))
    if not desc & (1 << 10):
        raise Fault("access", level)
    ap = field(desc, 7, 6)
    pl0 = (ap & 1) and not (ap_table & 1)
    ro = (ap & 2) or (ap_table & 2)
    if (not priv and not pl0) or (write and ro):
        raise Fault("permission", level)
    attr_index = field(desc, 4, 2)
    mair = regs["MAIR0"] | (regs["MAIR1"] << 32)
    return pa, field(mair, 8 * attr_index + 7, 8 * attr_index), field(desc, 9, 8)


def ld_par(mem, regs, va, priv, write):
    if not regs["SCTLR"] & 1:
        pa, attr, sh = va, 0x00, 0b10
    else:
        try:
            pa, attr, sh = ld_walk(mem, regs, va, priv, write)
        except Fault as f:
            return (1 << 11) | ((LD_FSC[f.kind] | f.level) << 1) | 1
    if attr >> 4 == 0 or attr == 0x44:  # Device, or Normal Inner and Outer NC
        sh = 0b10
    return (attr << 56) | (pa & 0xFF_FFFFF000) | (1 << 11) | (1 << 9) | (sh << 7)


# --- Driver --------------------------------------------------------------------

NAMES = ("TTBR0", "TTBR1", "TTBCR", "DACR", "SCTLR", "PRRR", "NMRR", "MAIR0", "MAIR1",
         "CONTEXTIDR")
OPS = {"ATS1CPR": (True, False), "ATS1CPW": (True, True), "ATS1CUR": (False, False),
       "ATS1CUW": (False, True)}


def read_cases(path):
    mem, cases = Memory(), []
    for line in open(path):
        f = line.split()
        if not f or f[0].startswith("#"):
            continue
        if f[0] == "mem":
            mem.store(int(f[1], 0), int(f[2], 0), (len(f[2]) - 2) // 2)
        elif f[0] == "case":
            regs = dict(zip(NAMES, (int(x, 0) for x in f[2:12])))
            cases.append((f[1], regs, f[12], int(f[13], 0)))
    return mem, cases


def read_values(path):
    values = {}
    if not os.path.exists(path):
        return values
    for line in open(path):
        f = line.split()
        if len(f) >= 2 and not f[0].startswith("#"):
            values[f[0]] = int(f[1], 0)
    return values


def reference(mem, regs, op, va):
    priv, write = OPS[op]
    if regs["TTBCR"] & EAE:
        return ld_par(mem, regs, va, priv, write)
    return sd_par(mem, regs, va, priv, write)


def category(cid):
    parts = cid.split("-")[1:]
    return "-".join(parts[:2])


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    d = args[0] if args else os.path.join(os.path.dirname(__file__),
                                          "../../../tests/golden/mmu-armv7")
    mem, cases = read_cases(os.path.join(d, "cases.txt"))
    qemu = read_values(os.path.join(d, "qemu_par.txt"))
    known = read_values(os.path.join(d, "known_differences.txt"))
    if "--par" in sys.argv:
        for cid, regs, op, va in cases:
            print(f"{cid} {reference(mem, regs, op, va):#x}")
        return 0
    per_cat, bad = {}, []
    for cid, regs, op, va in cases:
        ref = reference(mem, regs, op, va)
        q = qemu.get(cid)
        cat = category(cid)
        n, agree = per_cat.get(cat, (0, 0))
        per_cat[cat] = (n + 1, agree + (ref == q))
        if ref != q and known.get(cid) != ref:
            bad.append(f"{cid}: reference {ref:#x}, QEMU {q:#x}" if q is not None else
                       f"{cid}: reference {ref:#x}, no QEMU answer")
        elif ref == q and cid in known:
            bad.append(f"{cid}: listed in known_differences.txt but QEMU agrees")
    total = sum(n for n, _ in per_cat.values())
    agree = sum(a for _, a in per_cat.values())
    print(f"{total} cases; the reference agrees with QEMU on {agree}, "
          f"{len(known)} documented differences, {len(bad)} unexplained")
    for cat in sorted(per_cat):
        n, a = per_cat[cat]
        print(f"  {cat:24} {a:3}/{n:3}")
    for b in bad:
        print("  " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
