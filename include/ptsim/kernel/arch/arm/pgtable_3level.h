// Linux arm's page tables with LPAE: the long-descriptor format, three
// levels, 64-bit entries in which the Linux bits and the hardware bits share
// one word.
//
// Models: arch/arm/include/asm/pgtable-3level.h, pgtable-3level-hwdef.h and
// arch/arm/mm/proc-v7-3level.S (v6.1).  The hardware meaning of each bit is
// in hw/arch/arm/long_descriptor.h.
//
//   pgd (4 entries, 1 GiB each) -> pmd (512 x 2 MiB) -> pte (512 x 4 KiB)
//
// swapper_pg_dir is the pgd page followed by its four pmd tables (head.S
// PG_DIR_SIZE 0x5000); a pte table is one whole page (PTE_HWTABLE_OFF 0).
#pragma once

#include <cstdint>

#include "ptsim/hw/phys_mem.h"

namespace ptsim::kernel::arm::pgtable_3level {

using pteval_t = uint64_t;
using pmdval_t = uint64_t;
using pgdval_t = uint64_t;

inline constexpr unsigned PAGE_SHIFT = 12;
inline constexpr unsigned PTRS_PER_PTE = 512;
inline constexpr unsigned PTRS_PER_PMD = 512;
inline constexpr unsigned PTRS_PER_PGD = 4;
inline constexpr uint32_t PTE_HWTABLE_PTRS = 0;
inline constexpr uint32_t PTE_HWTABLE_OFF = 0;
inline constexpr uint32_t PTE_HWTABLE_SIZE = PTRS_PER_PTE * sizeof(uint64_t);
inline constexpr unsigned PGDIR_SHIFT = 30;
inline constexpr unsigned PMD_SHIFT = 21;
inline constexpr unsigned SECTION_SHIFT = 21;
inline constexpr uint64_t PHYS_MASK = (uint64_t{1} << 40) - 1;

// pgtable-3level-hwdef.h: level 1/2 descriptors.
inline constexpr pmdval_t PMD_TYPE_MASK = pmdval_t{3} << 0;
inline constexpr pmdval_t PMD_TYPE_FAULT = pmdval_t{0} << 0;
inline constexpr pmdval_t PMD_TYPE_TABLE = pmdval_t{3} << 0;
inline constexpr pmdval_t PMD_TYPE_SECT = pmdval_t{1} << 0;
inline constexpr pmdval_t PMD_TABLE_BIT = pmdval_t{1} << 1;
inline constexpr pmdval_t PMD_BIT4 = 0;
inline constexpr pmdval_t PMD_PXNTABLE = pgdval_t{1} << 59;
inline constexpr pmdval_t PMD_SECT_BUFFERABLE = pmdval_t{1} << 2;
inline constexpr pmdval_t PMD_SECT_CACHEABLE = pmdval_t{1} << 3;
inline constexpr pmdval_t PMD_SECT_USER = pmdval_t{1} << 6;  // AP[1]
inline constexpr pmdval_t PMD_SECT_AP2 = pmdval_t{1} << 7;   // read only
inline constexpr pmdval_t PMD_SECT_S = pmdval_t{3} << 8;
inline constexpr pmdval_t PMD_SECT_AF = pmdval_t{1} << 10;
inline constexpr pmdval_t PMD_SECT_nG = pmdval_t{1} << 11;
inline constexpr pmdval_t PMD_SECT_PXN = pmdval_t{1} << 53;
inline constexpr pmdval_t PMD_SECT_XN = pmdval_t{1} << 54;
inline constexpr pmdval_t PMD_SECT_AP_WRITE = 0;
inline constexpr pmdval_t PMD_SECT_AP_READ = 0;
inline constexpr pmdval_t PMD_SECT_AP1 = pmdval_t{1} << 6;
inline constexpr pmdval_t PMD_SECT_UNCACHED = pmdval_t{0} << 2;  // strongly ordered
inline constexpr pmdval_t PMD_SECT_BUFFERED = pmdval_t{1} << 2;  // normal non-cacheable
inline constexpr pmdval_t PMD_SECT_WT = pmdval_t{2} << 2;
inline constexpr pmdval_t PMD_SECT_WB = pmdval_t{3} << 2;
inline constexpr pmdval_t PMD_SECT_WBWA = pmdval_t{7} << 2;
inline constexpr pmdval_t PMD_SECT_CACHE_MASK = pmdval_t{7} << 2;

// Level 3 descriptors.
inline constexpr pteval_t PTE_TYPE_MASK = pteval_t{3} << 0;
inline constexpr pteval_t PTE_TYPE_PAGE = pteval_t{3} << 0;
inline constexpr pteval_t PTE_AP2 = pteval_t{1} << 7;
inline constexpr pteval_t PTE_EXT_SHARED = pteval_t{3} << 8;
inline constexpr pteval_t PTE_EXT_AF = pteval_t{1} << 10;
inline constexpr pteval_t PTE_EXT_NG = pteval_t{1} << 11;
inline constexpr pteval_t PTE_EXT_PXN = pteval_t{1} << 53;
inline constexpr pteval_t PTE_EXT_XN = pteval_t{1} << 54;

// pgtable-3level.h: the Linux bits.
inline constexpr pteval_t L_PTE_VALID = pteval_t{1} << 0;
inline constexpr pteval_t L_PTE_PRESENT = pteval_t{3} << 0;
inline constexpr pteval_t L_PTE_USER = pteval_t{1} << 6;
inline constexpr pteval_t L_PTE_SHARED = pteval_t{3} << 8;
inline constexpr pteval_t L_PTE_YOUNG = pteval_t{1} << 10;
inline constexpr pteval_t L_PTE_XN = pteval_t{1} << 54;
inline constexpr pteval_t L_PTE_DIRTY = pteval_t{1} << 55;
inline constexpr pteval_t L_PTE_SPECIAL = pteval_t{1} << 56;
inline constexpr pteval_t L_PTE_NONE = pteval_t{1} << 57;
inline constexpr pteval_t L_PTE_RDONLY = pteval_t{1} << 58;
inline constexpr pmdval_t L_PMD_SECT_VALID = pmdval_t{1} << 0;
inline constexpr pmdval_t L_PMD_SECT_DIRTY = pmdval_t{1} << 55;
inline constexpr pmdval_t L_PMD_SECT_NONE = pmdval_t{1} << 57;
inline constexpr pmdval_t L_PMD_SECT_RDONLY = pmdval_t{1} << 58;
inline constexpr pgdval_t L_PGD_SWAPPER = pgdval_t{1} << 55;

inline constexpr pteval_t L_PTE_MT_UNCACHED = pteval_t{0} << 2;
inline constexpr pteval_t L_PTE_MT_BUFFERABLE = pteval_t{1} << 2;
inline constexpr pteval_t L_PTE_MT_WRITETHROUGH = pteval_t{2} << 2;
inline constexpr pteval_t L_PTE_MT_WRITEBACK = pteval_t{3} << 2;
inline constexpr pteval_t L_PTE_MT_WRITEALLOC = pteval_t{7} << 2;
inline constexpr pteval_t L_PTE_MT_DEV_SHARED = pteval_t{4} << 2;
inline constexpr pteval_t L_PTE_MT_DEV_NONSHARED = pteval_t{4} << 2;
inline constexpr pteval_t L_PTE_MT_DEV_WC = pteval_t{1} << 2;
inline constexpr pteval_t L_PTE_MT_DEV_CACHED = pteval_t{3} << 2;
inline constexpr pteval_t L_PTE_MT_MASK = pteval_t{7} << 2;

// The entry cpu_v7_set_pte_ext stores for `pte` (ext already ORed in, as
// set_pte_ext does): an entry not valid stays as it is; PROT_NONE clears
// L_PTE_VALID; otherwise AP[2] is set unless the pte is dirty and writable.
// Models: arch/arm/mm/proc-v7-3level.S cpu_v7_set_pte_ext (v6.1)
pteval_t cpu_v7_set_pte_ext(pteval_t pte);

// Models: arch/arm/include/asm/pgtable-3level.h set_pte_ext (v6.1)
void set_pte_ext(hw::PhysMem& mem, uint64_t ptep, pteval_t pte, pteval_t ext);

}  // namespace ptsim::kernel::arm::pgtable_3level
