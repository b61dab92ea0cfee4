// Hooking a pte page into the first-level table, without LPAE.
//
// Models: arch/arm/include/asm/pgalloc.h (v6.1).
#pragma once

#include "ptsim/hw/phys_mem.h"
#include "ptsim/kernel/arch/arm/domain.h"
#include "ptsim/kernel/arch/arm/pgtable_2level.h"

namespace ptsim::kernel::arm::pgtable_2level {

inline constexpr pmdval_t _PAGE_USER_TABLE = PMD_TYPE_TABLE | PMD_BIT4 | PMD_DOMAIN(DOMAIN_USER);
inline constexpr pmdval_t _PAGE_KERNEL_TABLE =
    PMD_TYPE_TABLE | PMD_BIT4 | PMD_DOMAIN(DOMAIN_KERNEL);

// Points both hardware first-level entries of the pgd slot at pmdp to the
// two hardware tables of the pte page at physical address `pte`: +2048 and
// +3072 (see the layout in pgtable_2level.h).
// Models: arch/arm/include/asm/pgalloc.h __pmd_populate (v6.1)
void __pmd_populate(hw::PhysMem& mem, phys_addr_t pmdp, phys_addr_t pte, pmdval_t prot);

}  // namespace ptsim::kernel::arm::pgtable_2level
