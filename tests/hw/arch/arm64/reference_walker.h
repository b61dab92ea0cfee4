// A deliberately simple reference for stage 1 EL1&0 translation, written
// straight from the Arm ARM pseudocode (AArch64.S1Translate, AArch64.S1Walk,
// AArch64.S1DirectBasePermissions; DDI 0487) with raw bit positions and no
// code shared with the fast walker.  Used only as the oracle of the
// randomised differential test.  It makes no hardware updates.
#pragma once

#include <cstdint>

#include "ptsim/hw/arch/arm64/walk.h"
#include "ptsim/hw/phys_mem.h"

namespace ptsim::hw::arm64::reference {

struct Outcome {
  FaultKind fault = FaultKind::none;
  int level = 0;
  uint64_t pa = 0;
  uint64_t par = 0;  // PAR_EL1 as AT would report it (PAN honoured)
};

inline uint64_t bits(uint64_t x, unsigned hi, unsigned lo) {
  return (x >> lo) & ((hi - lo >= 63) ? ~uint64_t{0} : ((uint64_t{1} << (hi - lo + 1)) - 1));
}
inline bool bitv(uint64_t x, unsigned n) {
  return ((x >> n) & 1) != 0;
}

// kind: 0 data read, 1 data write, 2 instruction fetch.
inline Outcome translate(const PhysMem& mem, uint64_t ttbr0, uint64_t ttbr1, uint64_t tcr,
                         uint64_t mair, uint64_t sctlr, bool pstate_pan, uint64_t va, bool el0,
                         int kind) {
  Outcome o;
  const auto fail = [&o](FaultKind f, int level) {
    o.fault = f;
    o.level = level;
    // PAR_EL1, F=1: FST<6:1>, RES1<11>.
    unsigned fst = 0;
    const unsigned ll = static_cast<unsigned>(level) & 3;
    switch (f) {
      case FaultKind::address_size:
        fst = level < 0 ? 0x29 : ll;
        break;
      case FaultKind::translation:
        fst = level < 0 ? 0x2b : 0x4 | ll;
        break;
      case FaultKind::access_flag:
        fst = 0x8 | ll;
        break;
      case FaultKind::permission:
        fst = 0xc | ll;
        break;
      case FaultKind::external_abort:
        fst = level < 0 ? 0x13 : 0x14 | ll;
        break;
      default:
        break;
    }
    o.par = 1 | (uint64_t{fst} << 1) | (uint64_t{1} << 11);
    return o;
  };

  const bool upper = bitv(va, 55);
  const bool fetch = kind == 2;
  bool tbi = upper ? bitv(tcr, 38) : bitv(tcr, 37);
  const bool tbid = upper ? bitv(tcr, 52) : bitv(tcr, 51);
  if (fetch && tbid) {
    tbi = false;
  }
  const unsigned top = tbi ? 55 : 63;
  if (upper ? bitv(tcr, 23) : bitv(tcr, 7)) {  // EPDn
    return fail(FaultKind::translation, 0);
  }
  const unsigned txsz = static_cast<unsigned>(upper ? bits(tcr, 21, 16) : bits(tcr, 5, 0));
  const unsigned tg = static_cast<unsigned>(upper ? bits(tcr, 31, 30) : bits(tcr, 15, 14));
  unsigned granule_bits;  // log2 of the granule
  if (upper) {
    granule_bits = tg == 1 ? 14 : tg == 2 ? 12 : 16;
  } else {
    granule_bits = tg == 0 ? 12 : tg == 1 ? 16 : 14;
  }
  const unsigned inputsize = 64 - txsz;
  for (unsigned i = inputsize; i <= top; ++i) {
    if (bitv(va, i) != upper) {
      return fail(FaultKind::translation, 0);
    }
  }
  const bool ds = bitv(tcr, 59) && granule_bits != 16;
  static const unsigned kPs[] = {32, 36, 40, 42, 44, 48, 52};
  unsigned oasize = kPs[bits(tcr, 34, 32)];
  const bool lpa = granule_bits == 16 && oasize == 52;
  if (oasize == 52 && !ds && !lpa) {
    oasize = 48;
  }
  const bool oa52 = ds || lpa;
  const unsigned stride = granule_bits - 3;
  const int startlevel = 4 - static_cast<int>((inputsize - granule_bits + stride - 1) / stride);

  // Base address: TTBR<47:x> : zeros, with BADDR<51:48> in TTBR<5:2> for 52-bit OAs.
  const uint64_t ttbr = upper ? ttbr1 : ttbr0;
  const unsigned levels_below = static_cast<unsigned>(3 - startlevel);
  const unsigned startsizelog2 = inputsize - (granule_bits + levels_below * stride);
  unsigned x = startsizelog2 + 3;
  if (x < 6) {
    x = 6;
  }
  uint64_t table = bits(ttbr, 47, x) << x;
  if (oa52) {
    table |= bits(ttbr, 5, 2) << 48;
  }
  if (oasize < 64 && (table >> oasize) != 0) {
    return fail(FaultKind::address_size, 0);
  }

  bool ap_table_0 = false, ap_table_1 = false, pxn_table = false, uxn_table = false;
  for (int level = startlevel;; ++level) {
    const unsigned lo = granule_bits + static_cast<unsigned>(3 - level) * stride;
    const unsigned hi = level == startlevel ? inputsize - 1 : lo + stride - 1;
    const uint64_t descaddr = table + bits(va, hi, lo) * 8;
    const auto d = mem.try_load64(PhysAddr(descaddr));
    if (!d) {
      return fail(FaultKind::external_abort, level);
    }
    const uint64_t desc = *d;
    if (!bitv(desc, 0)) {
      return fail(FaultKind::translation, level);
    }
    const bool is_table_or_page = bitv(desc, 1);
    if (!is_table_or_page) {
      bool block_ok;
      if (granule_bits == 12) {
        block_ok = level == 1 || level == 2 || (level == 0 && ds);
      } else if (granule_bits == 14) {
        block_ok = level == 2 || (level == 1 && ds);
      } else {
        block_ok = level == 2 || level == 1;  // PAMax is 52 (FEAT_LPA)
      }
      if (level == 3 || !block_ok) {
        return fail(FaultKind::translation, level);
      }
    }
    const bool leaf = level == 3 || !is_table_or_page;
    const unsigned addr_lo = leaf ? lo : granule_bits;
    // The output (or next-table) address.
    uint64_t oa;
    bool res0_set = false;
    if (ds) {
      oa = (bits(desc, 49, addr_lo) << addr_lo) | (bits(desc, 9, 8) << 50);
    } else if (lpa) {
      oa = (bits(desc, 47, addr_lo) << addr_lo) | (bits(desc, 15, 12) << 48);
    } else {
      oa = bits(desc, 47, addr_lo) << addr_lo;
      // Without a 52-bit OA the extra address bits are RES0: a set one is an
      // Address size fault (bits 51:50 of a leaf are DBM and GP).
      res0_set = (leaf ? bits(desc, 49, 48) : bits(desc, 51, 48)) != 0 ||
                 (granule_bits == 16 && bits(desc, 15, 12) != 0);
    }
    if (res0_set || (oa >> oasize) != 0) {
      return fail(FaultKind::address_size, level);
    }
    if (!leaf) {
      ap_table_0 = ap_table_0 || bitv(desc, 61);
      ap_table_1 = ap_table_1 || bitv(desc, 62);
      uxn_table = uxn_table || bitv(desc, 60);
      pxn_table = pxn_table || bitv(desc, 59);
      table = oa;
      continue;
    }
    const bool ha = bitv(tcr, 39);
    const bool hd = ha && bitv(tcr, 40);
    if (!bitv(desc, 10) && !ha) {
      return fail(FaultKind::access_flag, level);
    }
    // Permissions (AArch64.S1DirectBasePermissions).
    const bool hpd = upper ? bitv(tcr, 42) : bitv(tcr, 41);
    unsigned ap = static_cast<unsigned>(bits(desc, 7, 6));
    if (kind == 1 && hd && bitv(desc, 51)) {
      ap &= 1;  // writable-clean is writable: the MMU marks it dirty
    }
    bool pr = true, pw = false, ur = false, uw = false;
    switch (ap) {
      case 0:
        pr = true;
        pw = true;
        ur = false;
        uw = false;
        break;
      case 1:
        pr = true;
        pw = true;
        ur = true;
        uw = true;
        break;
      case 2:
        pr = true;
        pw = false;
        ur = false;
        uw = false;
        break;
      case 3:
        pr = true;
        pw = false;
        ur = true;
        uw = false;
        break;
    }
    bool pxn = bitv(desc, 53), uxn = bitv(desc, 54);
    if (!hpd) {
      if (ap_table_0) {
        ur = false;
        uw = false;
      }
      if (ap_table_1) {
        pw = false;
        uw = false;
      }
      pxn = pxn || pxn_table;
      uxn = uxn || uxn_table;
    }
    bool px = !(pxn || uw);
    bool ux = !uxn;
    const bool wxn = bitv(sctlr, 19);
    if (wxn) {
      px = px && !pw;
      ux = ux && !uw;
    }
    bool r, w, xx;
    if (el0) {
      r = ur;
      w = uw;
      xx = ux;
    } else {
      if (pstate_pan && (ur || uw) && !fetch) {
        pr = false;
        pw = false;
      }
      r = pr;
      w = pw;
      xx = px;
    }
    const bool allowed = kind == 0 ? r : kind == 1 ? w : xx;
    if (!allowed) {
      return fail(FaultKind::permission, level);
    }
    o.pa = oa | bits(va, lo - 1, 0);
    o.level = level;
    const unsigned attrindx = static_cast<unsigned>(bits(desc, 4, 2));
    const uint64_t attr = bits(mair, 8 * attrindx + 7, 8 * attrindx);
    uint64_t sh = ds ? (upper ? bits(tcr, 29, 28) : bits(tcr, 13, 12)) : bits(desc, 9, 8);
    if ((attr >> 4) == 0 || attr == 0x44) {
      sh = 2;
    }
    o.par = (attr << 56) | (bits(o.pa, 51, 12) << 12) | (uint64_t{1} << 11) | (uint64_t{1} << 9) |
            (sh << 7);
    return o;
  }
}

}  // namespace ptsim::hw::arm64::reference
