#include "ptsim/kernel/arch/arm/pgtable_3level.h"

#include "ptsim/hw/addr.h"
#include "ptsim/kernel/arch/arm/mm/proc_v7_3level.h"

namespace ptsim::kernel::arm::pgtable_3level {

void set_pte_ext(hw::PhysMem& mem, phys_addr_t ptep, pte_t pte, pteval_t ext) {
  mem.store64(hw::PhysAddr(ptep), cpu_v7_set_pte_ext(pte | ext));
}

pte_t read_pte(const hw::PhysMem& mem, phys_addr_t ptep) {
  return mem.load64(hw::PhysAddr(ptep));
}

void pmd_clear(hw::PhysMem& mem, phys_addr_t pmdp) {
  mem.store64(hw::PhysAddr(pmdp), 0);
}

void set_pud(hw::PhysMem& mem, phys_addr_t pudp, pmdval_t pud) {
  mem.store64(hw::PhysAddr(pudp), pud);
}

}  // namespace ptsim::kernel::arm::pgtable_3level
