#include "ptsim/kernel/arch/arm64/pgtable.h"

#include <fmt/format.h>

#include "ptsim/error.h"
#include "ptsim/hw/bits.h"

namespace ptsim::kernel::arm64 {
namespace {

PgLevel below(PgLevel level) { return static_cast<PgLevel>(static_cast<int>(level) + 1); }

}  // namespace

PgTable::PgTable(const Geometry& geometry, hw::PhysMem& mem, bool pa_bits_52)
    : g_(geometry), mem_(mem), pa_bits_52_(pa_bits_52) {
  if (geometry.arch != Arch::arm64) {
    throw Error(ErrorKind::internal, "arm64 page-table operations need an arm64 geometry");
  }
  if (pa_bits_52 && geometry.page_shift != 16) {
    throw usage_error("CONFIG_ARM64_PA_BITS_52 needs 64K pages in Linux 6.1");
  }
}

EntryPtr PgTable::pgd_offset_pgd(phys_addr_t pgdir, uint64_t addr) const {
  return EntryPtr{hw::PhysAddr(pgdir + g_.index(PgLevel::pgd, addr) * sizeof(pteval_t))};
}

EntryPtr PgTable::offset(PgLevel level, EntryPtr parent, uint64_t addr) const {
  if (g_.is_folded(level)) {
    return parent;  // e.g. pgtable-nopmd.h: pmd_offset() returns (pmd_t *)pud
  }
  const phys_addr_t table = pte_to_phys(read(parent)) & ~(g_.page_size() - 1);
  return EntryPtr{hw::PhysAddr(table + g_.index(level, addr) * sizeof(pteval_t))};
}

bool PgTable::next_folded(PgLevel level) const {
  return level != PgLevel::pte && g_.is_folded(below(level));
}

bool PgTable::none(PgLevel level, pteval_t v) const {
  if (next_folded(level)) {
    return false;
  }
  return v == 0;
}

bool PgTable::bad(PgLevel level, pteval_t v) const {
  if (next_folded(level) || level == PgLevel::pte) {
    return false;
  }
  switch (level) {
    case PgLevel::p4d:
      return (v & P4D_TABLE_BIT) == 0;  // p4d_bad: !(p4d_val(p4d) & 2)
    case PgLevel::pud:
      return (v & PUD_TYPE_MASK) != PUD_TYPE_TABLE;
    case PgLevel::pmd:
      return (v & PMD_TYPE_MASK) != PMD_TYPE_TABLE;  // pmd_bad: !pmd_table(pmd)
    default:
      return false;
  }
}

bool PgTable::present(PgLevel level, pteval_t v) const {
  if (next_folded(level)) {
    return true;
  }
  if (level == PgLevel::p4d) {
    return v != 0;  // p4d_present: p4d_val(p4d)
  }
  return pte_present(v);
}

bool PgTable::sect(PgLevel level, pteval_t v) const {
  if (level != PgLevel::pud && level != PgLevel::pmd) {
    return false;
  }
  if (next_folded(level)) {
    return false;  // pud_sect() is 0 with CONFIG_PGTABLE_LEVELS == 2
  }
  return (v & PMD_TYPE_MASK) == PMD_TYPE_SECT;
}

bool PgTable::table(PgLevel level, pteval_t v) const {
  if (next_folded(level)) {
    return false;
  }
  return (v & PMD_TYPE_MASK) == PMD_TYPE_TABLE;
}

phys_addr_t PgTable::pte_to_phys(pteval_t v) const {
  // PTE_ADDR_LOW covers bits [47:PAGE_SHIFT]; with 52-bit PAs PTE_ADDR_HIGH
  // (bits [15:12]) holds PA[51:48].
  const pteval_t low = v & hw::genmask(47, g_.page_shift);
  if (!pa_bits_52_) {
    return low;
  }
  return low | ((v & hw::genmask(15, 12)) << 36);
}

pteval_t PgTable::phys_to_pte_val(phys_addr_t pa) const {
  if (!pa_bits_52_) {
    return pa;
  }
  return (pa | (pa >> 36)) & (hw::genmask(47, g_.page_shift) | hw::genmask(15, 12));
}

void PgTable::populate(PgLevel level, EntryPtr p, phys_addr_t table_pa, pteval_t prot) const {
  if (level == PgLevel::pte) {
    throw Error(ErrorKind::internal, "a pte cannot point to a table");
  }
  if (next_folded(level)) {
    return;  // e.g. pgtable-nopmd.h: pud_populate() does nothing
  }
  set(p, phys_to_pte_val(table_pa) | prot);
}

void PgTable::clear(PgLevel level, EntryPtr p) const {
  if (next_folded(level)) {
    return;  // e.g. pgtable-nop4d.h: pgd_clear() does nothing
  }
  set(p, 0);
}

hw::arm64::WalkRequest hw_walk_request(const Geometry& g, phys_addr_t pgdir, uint64_t va, bool pa_bits_52) {
  hw::arm64::WalkRequest r;
  r.format.granule = hw::arm64::granule_from_shift(g.page_shift);
  r.format.oa = pa_bits_52 ? hw::arm64::OaFormat::lpa : hw::arm64::OaFormat::pa48;
  r.table_base = hw::PhysAddr(pgdir);
  r.ia_bits = g.va_bits;
  r.upper_half = (va >> 63) != 0;
  r.pa_bits = pa_bits_52 ? 52 : 48;
  return r;
}

}  // namespace ptsim::kernel::arm64
