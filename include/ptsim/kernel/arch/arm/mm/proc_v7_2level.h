// The ARMv7 processor functions Linux uses without LPAE: how a Linux pte
// becomes a hardware small-page entry, and the TEX remap registers that give
// the L_PTE_MT_* index its meaning.
//
// Models: arch/arm/mm/proc-v7-2level.S (v6.1).
#pragma once

#include <cstdint>

#include "ptsim/kernel/arch/arm/pgtable_2level.h"

namespace ptsim::kernel::arm::pgtable_2level {

// The hardware small-page entry for Linux pte `pte` with extra bits `ext`.
// Linux's routine also stores both words; here the derivation is a pure
// function and set_pte_ext (pgtable_2level.h) does the stores.  Step by step,
// as the assembly does it:
//   - keep the pfn bits [31:12], L_PTE_SHARED (bit 10, becomes S), L_PTE_NONE
//     (bit 11, the nG position) and L_PTE_MT bits 0-1 (bits [3:2], become
//     B and C); clear bits [9:4] and [1:0];
//   - OR in `ext`, AP[0] and the small-page type (0b10);
//   - L_PTE_MT bit 2 (pte bit 4) becomes TEX[0];
//   - AP[2] (APX) unless the pte is writable and dirty: a clean page is
//     read-only to the hardware so the first write faults and Linux marks it
//     dirty;
//   - L_PTE_USER gives AP[1]; L_PTE_XN gives XN;
//   - an entry that is not young, not present, or PROT_NONE (L_PTE_NONE) is
//     written as 0, a fault entry, so the first access faults.
// Models: arch/arm/mm/proc-v7-2level.S cpu_v7_set_pte_ext (v6.1)
pteval_t cpu_v7_set_pte_ext(pte_t pte, unsigned int ext);

// Memory region attributes with SCTLR.TRE=1: n = TEX[0],C,B selects
// PRRR.TRn (type) and NMRR.IRn/ORn (inner/outer cacheability).
//
//                  n    TR   IR   OR
//   UNCACHED       000  00
//   BUFFERABLE     001  10   00   00
//   WRITETHROUGH   010  10   10   10
//   WRITEBACK      011  10   11   11
//   reserved       110
//   WRITEALLOC     111  10   01   01
//   DEV_SHARED     100  01
//   DEV_NONSHARED  100  01
//   DEV_WC         001  10
//   DEV_CACHED     011  10
//
// DS0 = PRRR[16] = 0, DS1 = PRRR[17] = 1 (device shareable property);
// NS0 = PRRR[18] = 0, NS1 = PRRR[19] = 1 (normal shareable property);
// NOSn = PRRR[24+n] = 1 (not outer shareable).
inline constexpr uint32_t PRRR = 0xff0a81a8;
inline constexpr uint32_t NMRR = 0x40e040e0;

// The first-level flags for table walks and the kernel's initial sections.
inline constexpr pmdval_t PMD_FLAGS_UP = PMD_SECT_WB;
inline constexpr pmdval_t PMD_FLAGS_SMP = PMD_SECT_WBWA | PMD_SECT_S;

}  // namespace ptsim::kernel::arm::pgtable_2level
