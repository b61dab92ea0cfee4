#include "ptsim/kernel/arch/arm/pgalloc.h"

#include <fmt/format.h>

#include "ptsim/error.h"
#include "ptsim/hw/addr.h"

namespace ptsim::kernel::arm::pgtable_2level {

void __pmd_populate(hw::PhysMem& mem, phys_addr_t pmdp, phys_addr_t pte, pmdval_t prot) {
  const phys_addr_t hw_table = pte + PTE_HWTABLE_OFF;
  if ((hw_table >> MAX_POSSIBLE_PHYSMEM_BITS) != 0) {
    throw bad_input(
        fmt::format("pte page at {:#x} is above 4 GiB: a 32-bit pmd entry cannot point at it "
                    "(arch/arm/include/asm/pgalloc.h __pmd_populate)",
                    pte));
  }
  const auto pmdval = static_cast<pmdval_t>(hw_table) | prot;
  mem.store32(hw::PhysAddr(pmdp), pmdval);
  mem.store32(hw::PhysAddr(pmdp + sizeof(pmd_t)),
              pmdval + kHwTableEntries * static_cast<pmdval_t>(sizeof(pte_t)));
}

}  // namespace ptsim::kernel::arm::pgtable_2level
