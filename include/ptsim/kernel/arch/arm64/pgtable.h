// Linux's arm64 page-table operations on tables that live in simulated
// physical memory: pgd_offset ... pte_offset_kernel, the *_none / *_bad /
// *_present / *_sect predicates, populate, set and clear, and the pte
// helpers (pfn_pte, pte_write, pte_mkdirty, ...).
//
// Folding follows include/asm-generic/pgtable-nop4d.h, -nopud.h and
// -nopmd.h: when the level below X is folded, X's predicates are constant
// (none 0, bad 0, present 1), X's populate and clear do nothing, and the
// folded level's offset function returns the entry it was given.  So one
// walker works for every geometry without asking how many levels exist.
#pragma once

#include <cstdint>

#include "ptsim/hw/addr.h"
#include "ptsim/hw/arch/arm64/walk.h"
#include "ptsim/hw/phys_mem.h"
#include "ptsim/kernel/arch/arm64/pgtable_hwdef.h"
#include "ptsim/kernel/include/pgtable_geometry.h"
#include "ptsim/kernel/types.h"

namespace ptsim::kernel::arm64 {

// A pointer to an entry (pgd_t *, p4d_t *, pud_t *, pmd_t *, pte_t *) in
// simulated physical memory.
struct EntryPtr {
  hw::PhysAddr pa;
  EntryPtr next() const { return EntryPtr{pa + sizeof(pteval_t)}; }  // ptep++
  bool operator==(const EntryPtr&) const = default;
};

class PgTable {
 public:
  // `pa_bits_52` is CONFIG_ARM64_PA_BITS_52 (64K pages only): PA[51:48] in
  // bits [15:12] of every descriptor.
  PgTable(const Geometry& geometry, hw::PhysMem& mem, bool pa_bits_52 = false);

  const Geometry& geometry() const { return g_; }
  hw::PhysMem& mem() const { return mem_; }
  bool pa_bits_52() const { return pa_bits_52_; }

  // READ_ONCE(*p) / WRITE_ONCE(*p, v)
  pteval_t read(EntryPtr p) const { return mem_.load64(p.pa); }
  void write(EntryPtr p, pteval_t v) const { mem_.store64(p.pa, v); }

  // pgd_offset_pgd(pgdir, addr): pgdir is the physical address of the pgd.
  EntryPtr pgd_offset_pgd(phys_addr_t pgdir, uint64_t addr) const;
  EntryPtr p4d_offset(EntryPtr pgdp, uint64_t addr) const { return offset(PgLevel::p4d, pgdp, addr); }
  EntryPtr pud_offset(EntryPtr p4dp, uint64_t addr) const { return offset(PgLevel::pud, p4dp, addr); }
  EntryPtr pmd_offset(EntryPtr pudp, uint64_t addr) const { return offset(PgLevel::pmd, pudp, addr); }
  EntryPtr pte_offset_kernel(EntryPtr pmdp, uint64_t addr) const {
    return offset(PgLevel::pte, pmdp, addr);
  }
  // The entry of `level` for `addr`, given the entry of the level above.
  EntryPtr offset(PgLevel level, EntryPtr parent, uint64_t addr) const;

  // Whether the level below `level` is folded into it, which makes
  // `level`'s predicates constant.
  bool next_folded(PgLevel level) const;

  bool none(PgLevel level, pteval_t v) const;
  bool bad(PgLevel level, pteval_t v) const;
  bool present(PgLevel level, pteval_t v) const;
  // pud_sect()/pmd_sect(): a block descriptor (0 where the level is folded away).
  bool sect(PgLevel level, pteval_t v) const;
  // pud_table()/pmd_table().
  bool table(PgLevel level, pteval_t v) const;

  // __pte_to_phys / __phys_to_pte_val, with the 52-bit PA layout if configured.
  phys_addr_t pte_to_phys(pteval_t v) const;
  pteval_t phys_to_pte_val(phys_addr_t pa) const;
  uint64_t pte_pfn(pteval_t v) const { return pte_to_phys(v) >> g_.page_shift; }
  pteval_t pfn_pte(uint64_t pfn, pgprot_t prot) const {
    return phys_to_pte_val(pfn << g_.page_shift) | pgprot_val(prot);
  }

  // __pgd_populate/__p4d_populate/__pud_populate/__pmd_populate: point the
  // entry at the next table.  Does nothing where the next level is folded.
  void populate(PgLevel level, EntryPtr p, phys_addr_t table, pteval_t prot) const;
  // set_pgd/set_p4d/set_pud/set_pmd/set_pte.
  void set(EntryPtr p, pteval_t v) const { write(p, v); }
  // pgd_clear ... pte_clear; no-ops where the next level is folded.
  void clear(PgLevel level, EntryPtr p) const;

 private:
  const Geometry& g_;
  hw::PhysMem& mem_;
  bool pa_bits_52_;
};

// The hardware walk request that reads the tables of this geometry rooted
// at `pgdir` for `va`: the TTBR half follows from the VA's top bit.
hw::arm64::WalkRequest hw_walk_request(const Geometry& g, phys_addr_t pgdir, uint64_t va, bool pa_bits_52 = false);

// The pte helpers of arch/arm64/include/asm/pgtable.h (v6.1).
constexpr bool pte_none(pteval_t v) { return v == 0; }
constexpr bool pte_present(pteval_t v) { return (v & (PTE_VALID | PTE_PROT_NONE)) != 0; }
constexpr bool pte_young(pteval_t v) { return (v & PTE_AF) != 0; }
constexpr bool pte_write(pteval_t v) { return (v & PTE_WRITE) != 0; }
constexpr bool pte_cont(pteval_t v) { return (v & PTE_CONT) != 0; }
constexpr bool pte_rdonly(pteval_t v) { return (v & PTE_RDONLY) != 0; }
constexpr bool pte_hw_dirty(pteval_t v) { return pte_write(v) && !pte_rdonly(v); }
constexpr bool pte_sw_dirty(pteval_t v) { return (v & PTE_DIRTY) != 0; }
constexpr bool pte_dirty(pteval_t v) { return pte_sw_dirty(v) || pte_hw_dirty(v); }
constexpr pteval_t pte_mkwrite(pteval_t v) {
  v |= PTE_WRITE;
  return pte_sw_dirty(v) ? (v & ~PTE_RDONLY) : v;
}
constexpr pteval_t pte_mkclean(pteval_t v) { return (v & ~PTE_DIRTY) | PTE_RDONLY; }
constexpr pteval_t pte_mkdirty(pteval_t v) {
  v |= PTE_DIRTY;
  return pte_write(v) ? (v & ~PTE_RDONLY) : v;
}
constexpr pteval_t pte_wrprotect(pteval_t v) {
  if (pte_hw_dirty(v)) {
    v = pte_mkdirty(v);
  }
  return (v & ~PTE_WRITE) | PTE_RDONLY;
}
constexpr pteval_t pte_mkold(pteval_t v) { return v & ~PTE_AF; }
constexpr pteval_t pte_mkyoung(pteval_t v) { return v | PTE_AF; }
constexpr pteval_t pte_mkcont(pteval_t v) { return v | PTE_CONT; }
constexpr pteval_t pte_mknoncont(pteval_t v) { return v & ~PTE_CONT; }

// mk_pmd_sect_prot()/mk_pud_sect_prot(): a page protection turned into a
// block one.
constexpr pgprot_t mk_sect_prot(pgprot_t prot) { return pgprot_t{(prot.val & ~PMD_TABLE_BIT) | PMD_TYPE_SECT}; }

}  // namespace ptsim::kernel::arm64
