// A small ARMv7 machine for MMU tests: 16 MiB of RAM at 0x80000000 holding
// the tables, and mappers that write short-descriptor or long-descriptor
// entries, allocating tables on demand.
#pragma once

#include <cstdint>
#include <map>

#include "ptsim/hw/arch/arm/long_descriptor.h"
#include "ptsim/hw/arch/arm/regs.h"
#include "ptsim/hw/arch/arm/short_descriptor.h"
#include "ptsim/hw/arch/arm/translate.h"
#include "ptsim/hw/phys_mem.h"

namespace ptsim::hw::arm::testing {

namespace sd = short_descriptor;
namespace ld = long_descriptor;

inline constexpr uint64_t kRamBase = 0x80000000;
inline constexpr uint64_t kRamSize = 0x01000000;
// DACR: domain 0 client, 1 manager, 2 no access, 3 client.
inline constexpr uint32_t kDacr = 0b01'00'11'01;
// MAIR0: Attr0 Normal WB-WA (0xff), Attr1 Device (0x04), Attr2 Normal NC
// (0x44), Attr3 Strongly-ordered (0x00).
inline constexpr uint32_t kMair0 = 0x004404ff;

// Short-descriptor leaf attributes with AP[2:0].
inline sd::RegionAttributes short_attrs(unsigned ap_2_0, bool xn = false) {
  sd::RegionAttributes a;
  a.apx = (ap_2_0 & 0b100) != 0;
  a.ap = ap_2_0 & 0b11;
  a.tex = 0b001;  // Normal, outer and inner WB-WA with TEX remap off
  a.c = true;
  a.b = true;
  a.s = true;
  a.xn = xn;
  return a;
}

// Long-descriptor leaf attributes: AttrIndx 0, inner shareable, AF set.
inline ld::LeafAttributes long_attrs(unsigned ap, bool af = true) {
  ld::LeafAttributes a;
  a.attr_indx = 0;
  a.ap = static_cast<ld::AccessPermission>(ap);
  a.sh = Shareability::inner_shareable;
  a.af = af;
  return a;
}

struct Machine {
  PhysMem mem;
  Registers regs;
  uint64_t next = kRamBase;
  uint64_t l1 = 0;  // short: the 16 KiB first-level table; long: the TTBR0 start table
  std::map<uint64_t, uint64_t> l2_short;  // VA[31:20] -> second-level table

  Machine() {
    mem.add_ram(PhysAddr(kRamBase), kRamSize);
    l1 = alloc(sd::kFirstLevelTableBytes);
    regs.ttbr0 = l1;
    regs.ttbr1 = l1;
    regs.dacr = kDacr;
    regs.mair0 = kMair0;
  }

  uint64_t alloc(uint64_t size) {
    next = (next + size - 1) & ~(size - 1);
    const uint64_t a = next;
    next += size;
    return a;
  }

  Regime regime() const { return Regime::from_registers(regs); }
  Translation translate(uint32_t va, Access access = {}) const {
    return hw::arm::translate(mem, regime(), va, access);
  }

  // --- short-descriptor ---
  void set_l1(uint32_t va, uint32_t desc) { mem.store32(PhysAddr(l1 + (va >> 20) * 4), desc); }
  void section(uint32_t va, uint64_t pa, const sd::RegionAttributes& a, unsigned domain = 0,
               bool pxn = false) {
    sd::Section s;
    s.base = PhysAddr(pa);
    s.attrs = a;
    s.domain = domain;
    s.pxn = pxn;
    set_l1(va, sd::encode(s));
  }
  void supersection(uint32_t va, uint64_t pa, const sd::RegionAttributes& a) {
    sd::Supersection s;
    s.base = PhysAddr(pa);
    s.attrs = a;
    const uint32_t d = sd::encode(s);
    for (unsigned i = 0; i < sd::kSupersectionRepeat; ++i) {
      set_l1((va & ~0xffffffu) + (i << 20), d);
    }
  }
  uint64_t page_table(uint32_t va, unsigned domain = 0, bool pxn = false) {
    const uint64_t key = va >> 20;
    auto it = l2_short.find(key);
    if (it == l2_short.end()) {
      it = l2_short.emplace(key, alloc(sd::kSecondLevelTableBytes)).first;
    }
    sd::PageTable t;
    t.base = PhysAddr(it->second);
    t.domain = domain;
    t.pxn = pxn;
    set_l1(va, sd::encode(t));
    return it->second;
  }
  void small_page(uint32_t va, uint64_t pa, const sd::RegionAttributes& a, unsigned domain = 0,
                  bool pxn = false) {
    const uint64_t t = page_table(va, domain, pxn);
    sd::SmallPage p;
    p.base = PhysAddr(pa);
    p.attrs = a;
    mem.store32(PhysAddr(t + ((va >> 12) & 0xff) * 4), sd::encode(p));
  }
  void large_page(uint32_t va, uint64_t pa, const sd::RegionAttributes& a, unsigned domain = 0) {
    const uint64_t t = page_table(va, domain);
    sd::LargePage p;
    p.base = PhysAddr(pa);
    p.attrs = a;
    const uint32_t d = sd::encode(p);
    for (unsigned i = 0; i < sd::kLargePageRepeat; ++i) {
      mem.store32(PhysAddr(t + ((((va >> 12) & 0xf0) + i) * 4)), d);
    }
  }

  // --- long-descriptor (TTBCR.EAE=1, T0SZ=T1SZ=0: TTBR0 covers everything) ---
  void use_lpae(uint32_t ttbcr_value = 0x80000000) {
    regs.ttbcr = ttbcr_value;
    regs.ttbr0 = l1;
    regs.ttbr1 = l1;
  }
  // The table below `table`'s entry for `va` at `level`, created if absent,
  // with table attributes `tab`.
  uint64_t next_table(uint64_t table, unsigned level, uint32_t va, const ld::Table& tab = {}) {
    const uint64_t entry = table + ((uint64_t{va} >> ld::level_shift(level)) & 0x1ff) * 8;
    const auto existing = ld::decode(mem.load64(PhysAddr(entry)), level);
    uint64_t next_addr;
    if (const auto* t = std::get_if<ld::Table>(&existing)) {
      next_addr = t->next_table.value();
    } else {
      next_addr = alloc(4096);
    }
    ld::Table t = tab;
    t.level = level;
    t.next_table = PhysAddr(next_addr);
    mem.store64(PhysAddr(entry), ld::encode(t));
    return next_addr;
  }
  // A leaf at `level` (1, 2 block; 3 page) under the table at `root` (whose
  // start level is 1), with table attributes `tab` on every table above.
  void long_leaf(uint32_t va, uint64_t pa, unsigned level, const ld::LeafAttributes& a,
                 const ld::Table& tab = {}, uint64_t root = 0) {
    uint64_t table = root != 0 ? root : l1;
    for (unsigned l = 1; l < level; ++l) {
      table = next_table(table, l, va, tab);
    }
    const uint64_t entry = table + ((uint64_t{va} >> ld::level_shift(level)) & 0x1ff) * 8;
    uint64_t d;
    if (level == 3) {
      d = ld::encode(ld::Page{PhysAddr(pa), a, 0});
    } else {
      d = ld::encode(ld::Block{level, PhysAddr(pa), a, 0});
    }
    mem.store64(PhysAddr(entry), d);
  }
};

}  // namespace ptsim::hw::arm::testing
