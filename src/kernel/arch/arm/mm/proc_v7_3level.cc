#include "ptsim/kernel/arch/arm/mm/proc_v7_3level.h"

namespace ptsim::kernel::arm::pgtable_3level {

pteval_t cpu_v7_set_pte_ext(pte_t pte) {
  if ((pte & L_PTE_VALID) == 0) {
    return pte;
  }
  if ((pte & L_PTE_NONE) != 0) {
    return pte & ~L_PTE_VALID;
  }
  // "eor ip, rh, #L_PTE_DIRTY_HIGH; tst ip, #L_PTE_DIRTY_HIGH | L_PTE_RDONLY_HIGH"
  if (((pte ^ L_PTE_DIRTY) & (L_PTE_DIRTY | L_PTE_RDONLY)) != 0) {
    return pte | PTE_AP2;
  }
  return pte & ~PTE_AP2;
}

}  // namespace ptsim::kernel::arm::pgtable_3level
