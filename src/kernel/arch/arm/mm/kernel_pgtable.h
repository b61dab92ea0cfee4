// The page-table accessors mmu.c uses on init_mm (pmd_off_k, pmd_clear,
// pmd_none, __pmd_populate, pte_offset_kernel, set_pte_ext, section
// writes), for the classic two-level tables and for LPAE.  A pointer to an
// entry is the entry's physical address in simulated memory.
//
// Models: arch/arm/mm/mm.h pmd_off_k; arch/arm/include/asm/pgtable-2level.h
// and pgtable-3level.h (v6.1).
#pragma once

#include <cstdint>

#include "ptsim/hw/phys_mem.h"
#include "ptsim/kernel/types.h"

namespace ptsim::kernel::arm {

class KernelPgtable {
 public:
  KernelPgtable(hw::PhysMem& mem, phys_addr_t swapper_pg_dir, bool lpae)
      : mem_(mem), pgd_(swapper_pg_dir), lpae_(lpae) {}

  bool lpae() const { return lpae_; }
  phys_addr_t pgd() const { return pgd_; }
  hw::PhysMem& mem() { return mem_; }
  // sizeof(pmd_t): one hardware first-level word, or one LPAE descriptor.
  unsigned pmd_entry_size() const { return lpae_ ? 8 : 4; }

  // The pmd entry for a kernel virtual address.  Two-level: the first word
  // of the pgd pair; LPAE: the entry in the pmd table the pgd entry points at.
  phys_addr_t pmd_off_k(uint32_t addr) const;
  uint64_t read_pmd(phys_addr_t pmdp) const;
  void write_pmd(phys_addr_t pmdp, uint64_t val);
  // pmd_clear: both words of the pair (two-level) or the one entry (LPAE).
  void pmd_clear(phys_addr_t pmdp);
  bool pmd_none(phys_addr_t pmdp) const { return read_pmd(pmdp) == 0; }
  // pmd_bad: a section where a table should be.
  bool pmd_bad(phys_addr_t pmdp) const;
  // __pmd_populate with the pte page at `pte` (physical).
  void pmd_populate(phys_addr_t pmdp, phys_addr_t pte, uint64_t prot);
  // pte_offset_kernel: the Linux pte for addr in the table pmdp points at.
  phys_addr_t pte_offset_kernel(phys_addr_t pmdp, uint32_t addr) const;
  void set_pte_ext(phys_addr_t ptep, uint64_t pte, uint64_t ext);
  uint64_t read_pte(phys_addr_t ptep) const;

 private:
  hw::PhysMem& mem_;
  phys_addr_t pgd_;
  bool lpae_;
};

}  // namespace ptsim::kernel::arm
