#include "ptsim/kernel/arch/arm/pgtable_2level.h"

#include "ptsim/hw/addr.h"
#include "ptsim/kernel/arch/arm/mm/proc_v7_2level.h"

namespace ptsim::kernel::arm::pgtable_2level {

void set_pte_ext(hw::PhysMem& mem, phys_addr_t ptep, pte_t pte, unsigned int ext) {
  // Decide, check, then store: both words must be storable before either is
  // written (a load throws outside RAM without allocating anything).
  const pteval_t hw_pte = cpu_v7_set_pte_ext(pte, ext);
  (void)mem.load32(hw::PhysAddr(hw_ptep(ptep)));
  mem.store32(hw::PhysAddr(ptep), pte);
  mem.store32(hw::PhysAddr(hw_ptep(ptep)), hw_pte);
}

pte_t read_pte(const hw::PhysMem& mem, phys_addr_t ptep) {
  return mem.load32(hw::PhysAddr(ptep));
}

void pmd_clear(hw::PhysMem& mem, phys_addr_t pmdp) {
  mem.store32(hw::PhysAddr(pmdp), 0);
  mem.store32(hw::PhysAddr(pmdp + sizeof(pmd_t)), 0);
}

void copy_pmd(hw::PhysMem& mem, phys_addr_t pmdpd, phys_addr_t pmdps) {
  const pmd_t first = mem.load32(hw::PhysAddr(pmdps));
  const pmd_t second = mem.load32(hw::PhysAddr(pmdps + sizeof(pmd_t)));
  mem.store32(hw::PhysAddr(pmdpd), first);
  mem.store32(hw::PhysAddr(pmdpd + sizeof(pmd_t)), second);
}

}  // namespace ptsim::kernel::arm::pgtable_2level
