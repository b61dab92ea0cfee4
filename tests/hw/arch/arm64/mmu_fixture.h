// A small machine for MMU tests: RAM at 0x40000000, registers for a 48-bit
// (or other) regime, and a mapper that builds tables on demand.
#pragma once

#include <cstdint>
#include <map>

#include "ptsim/hw/arch/arm64/descriptor.h"
#include "ptsim/hw/arch/arm64/regs.h"
#include "ptsim/hw/arch/arm64/translate.h"
#include "ptsim/hw/bits.h"
#include "ptsim/hw/phys_mem.h"

namespace ptsim::hw::arm64::testing {

inline constexpr uint64_t kRamBase = 0x40000000;
inline constexpr uint64_t kRamSize = 0x01000000;
// MAIR: Attr0 Normal WB, Attr1 Device-nGnRE, Attr2 Normal NC, Attr3 Device-nGnRnE.
inline constexpr uint64_t kMair = 0x00000000004404ffull | (uint64_t{0x00} << 24);

inline uint64_t tcr_for(Granule g, unsigned va_bits, unsigned pa_bits = 48) {
  uint64_t t = 0;
  t = tcr::kT0SZ.set(t, 64 - va_bits);
  t = tcr::kT1SZ.set(t, 64 - va_bits);
  t = tcr::kTG0.set(t, encode_tg0(g));
  t = tcr::kTG1.set(t, encode_tg1(g));
  t = tcr::kIPS.set(t, encode_ips(pa_bits));
  return t;
}

struct Machine {
  PhysMem mem;
  Registers regs;
  Granule granule;
  unsigned va_bits;
  uint64_t next_table = kRamBase;
  uint64_t root0 = 0;
  uint64_t root1 = 0;

  explicit Machine(Granule g = Granule::k4K, unsigned va = 48) : granule(g), va_bits(va) {
    mem.add_ram(PhysAddr(kRamBase), kRamSize);
    root0 = alloc_table();
    root1 = alloc_table();
    regs.tcr_el1 = tcr_for(g, va);
    regs.mair_el1 = kMair;
    regs.ttbr0_el1 = root0;
    regs.ttbr1_el1 = root1;
  }
  DescriptorFormat format() const { return {granule, OaFormat::pa48}; }
  uint64_t alloc_table() {
    const uint64_t t = next_table;
    next_table += granule_size(granule);
    return t;
  }
  Regime regime() const { return Regime::from_registers(regs); }
  int start() const { return start_level(granule, va_bits); }

  // The address of the entry for `va` at `level`, creating tables above it.
  uint64_t entry_addr(uint64_t va, int level, TableAttributes at = {}) {
    const bool upper = (va >> 55) & 1;
    uint64_t table = upper ? root1 : root0;
    for (int l = start();; ++l) {
      const unsigned shift = level_shift(granule, l);
      const unsigned top = l == start() ? va_bits : shift + bits_per_level(granule);
      const uint64_t index = (va >> shift) & ((uint64_t{1} << (top - shift)) - 1);
      const uint64_t entry = table + index * 8;
      if (l == level) {
        return entry;
      }
      uint64_t raw = mem.load64(PhysAddr(entry));
      if (classify(format(), l, raw) != DescriptorKind::table) {
        raw = make_table(format(), l, PhysAddr(alloc_table()), at);
        mem.store64(PhysAddr(entry), raw);
      }
      table = output_address(format(), l, DescriptorKind::table, raw).value();
    }
  }
  void map(uint64_t va, uint64_t pa, LeafAttributes a, int level = 3, TableAttributes at = {}) {
    const uint64_t raw = level == 3 ? make_page(format(), PhysAddr(pa), a)
                                    : make_block(format(), level, PhysAddr(pa), a);
    mem.store64(PhysAddr(entry_addr(va, level, at)), raw);
  }
  uint64_t desc(uint64_t va, int level = 3) { return mem.load64(PhysAddr(entry_addr(va, level))); }
};

inline LeafAttributes normal(unsigned ap = 0) {
  LeafAttributes a;
  a.af = true;
  a.sh = 3;
  a.ap = ap;
  return a;
}

}  // namespace ptsim::hw::arm64::testing
