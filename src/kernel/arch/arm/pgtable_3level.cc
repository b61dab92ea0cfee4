#include "ptsim/kernel/arch/arm/pgtable_3level.h"

#include "ptsim/hw/addr.h"

namespace ptsim::kernel::arm::pgtable_3level {

pteval_t cpu_v7_set_pte_ext(pteval_t pte) {
  if ((pte & L_PTE_VALID) == 0) {
    return pte;
  }
  if ((pte & L_PTE_NONE) != 0) {
    return pte & ~L_PTE_VALID;
  }
  // "eor ip, rh, #L_PTE_DIRTY; tst ip, #L_PTE_DIRTY | L_PTE_RDONLY": read-only
  // to the hardware when not dirty or read-only to Linux.
  if (((pte ^ L_PTE_DIRTY) & (L_PTE_DIRTY | L_PTE_RDONLY)) != 0) {
    return pte | PTE_AP2;
  }
  return pte & ~PTE_AP2;
}

void set_pte_ext(hw::PhysMem& mem, uint64_t ptep, pteval_t pte, pteval_t ext) {
  mem.store64(hw::PhysAddr(ptep), cpu_v7_set_pte_ext(pte | ext));
}

}  // namespace ptsim::kernel::arm::pgtable_3level
