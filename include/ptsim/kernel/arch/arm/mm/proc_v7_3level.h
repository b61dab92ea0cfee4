// The ARMv7 processor functions Linux uses with LPAE: how a Linux pte is
// adjusted before it is stored, and the MAIR values that give AttrIndx its
// meaning.
//
// Models: arch/arm/mm/proc-v7-3level.S (v6.1).
#pragma once

#include <cstdint>

#include "ptsim/kernel/arch/arm/pgtable_3level.h"

namespace ptsim::kernel::arm::pgtable_3level {

// The word stored for Linux pte `pte` (ext already ORed in by set_pte_ext).
// Linux's routine also stores it; here the adjustment is a pure function:
//   - an invalid pte (L_PTE_VALID clear) is stored as it is;
//   - a PROT_NONE pte (L_PTE_NONE) is stored with L_PTE_VALID cleared, so
//     the hardware faults on it;
//   - otherwise AP[2] (read-only) is set when the pte is read-only or not
//     dirty and cleared when it is writable and dirty: a clean page faults on
//     the first write, and Linux marks it dirty.
// Models: arch/arm/mm/proc-v7-3level.S cpu_v7_set_pte_ext (v6.1)
pteval_t cpu_v7_set_pte_ext(pte_t pte);

// Memory region attributes for LPAE, n = AttrIndx[2:0]:
//
//                  n    MAIR
//   UNCACHED       000  00000000
//   BUFFERABLE     001  01000100
//   DEV_WC         001  01000100
//   WRITETHROUGH   010  10101010
//   WRITEBACK      011  11101110
//   DEV_CACHED     011  11101110
//   DEV_SHARED     100  00000100
//   DEV_NONSHARED  100  00000100
//   unused         101
//   unused         110
//   WRITEALLOC     111  11111111
//
// Linux names them PRRR and NMRR after the registers they replace.
inline constexpr uint32_t PRRR = 0xeeaa4400;  // MAIR0
inline constexpr uint32_t NMRR = 0xff000004;  // MAIR1

// The first-level flags for table walks and the kernel's initial sections.
inline constexpr pmdval_t PMD_FLAGS_UP = PMD_SECT_WB;
inline constexpr pmdval_t PMD_FLAGS_SMP = PMD_SECT_WBWA | PMD_SECT_S;

}  // namespace ptsim::kernel::arm::pgtable_3level
