// Linux arm's page-table arrangement with LPAE: three levels of 512-entry,
// 8-byte tables in the long-descriptor format, of which the first-level
// table (the pgd) uses only 4 entries for the 4 GiB input range.  The
// hardware has room for Linux's state, so there is one pte table, no
// separate hardware copy.
//
// Models: arch/arm/include/asm/pgtable-3level.h (v6.1).
//
// The model keeps tables in simulated physical memory, so a pointer to an
// entry (ptep, pmdp, pudp) is the entry's physical address.
#pragma once

#include <cstdint>

#include "ptsim/hw/phys_mem.h"
#include "ptsim/kernel/arch/arm/pgtable_3level_hwdef.h"

namespace ptsim::kernel {
using phys_addr_t = uint64_t;  // Linux's type, 64-bit as with CONFIG_PHYS_ADDR_T_64BIT
}  // namespace ptsim::kernel

namespace ptsim::kernel::arm::pgtable_3level {

inline constexpr unsigned PAGE_SHIFT = 12;  // arch/arm/include/asm/page.h

inline constexpr unsigned PTRS_PER_PTE = 512;
inline constexpr unsigned PTRS_PER_PMD = 512;
inline constexpr unsigned PTRS_PER_PGD = 4;

inline constexpr unsigned PTE_HWTABLE_PTRS = 0;
inline constexpr uint32_t PTE_HWTABLE_OFF = 0;
inline constexpr uint32_t PTE_HWTABLE_SIZE = PTRS_PER_PTE * sizeof(uint64_t);

inline constexpr unsigned MAX_POSSIBLE_PHYSMEM_BITS = 40;

// PGDIR_SHIFT determines the size a top-level page table entry can map;
// PMD_SHIFT a middle-level one.
inline constexpr unsigned PGDIR_SHIFT = 30;
inline constexpr unsigned PMD_SHIFT = 21;
inline constexpr uint32_t PMD_SIZE = uint32_t{1} << PMD_SHIFT;
inline constexpr uint32_t PGDIR_SIZE = uint32_t{1} << PGDIR_SHIFT;
// Linux computes these masks in int, so against a 64-bit entry they
// sign-extend: (pmd_val(pmd) & PMD_MASK) keeps bits [63:21].
inline constexpr int32_t PMD_MASK = ~((1 << PMD_SHIFT) - 1);
inline constexpr int32_t PGDIR_MASK = ~((1 << PGDIR_SHIFT) - 1);

// Section address mask and size definitions.
inline constexpr unsigned SECTION_SHIFT = 21;
inline constexpr uint32_t SECTION_SIZE = uint32_t{1} << SECTION_SHIFT;
inline constexpr int32_t SECTION_MASK = ~((1 << SECTION_SHIFT) - 1);

static_assert(uint64_t{PTRS_PER_PGD} << PGDIR_SHIFT == uint64_t{1} << 32);
static_assert(uint64_t{PTRS_PER_PMD} << PMD_SHIFT == uint64_t{1} << PGDIR_SHIFT);
static_assert(uint64_t{PTRS_PER_PTE} << PAGE_SHIFT == PMD_SIZE);
static_assert(PTE_HWTABLE_SIZE == 4096);

// "Linux" PTE definitions for LPAE.  These bits overlap with the hardware
// bits but the naming is preserved for consistency with the classic format.
inline constexpr pteval_t L_PTE_VALID = pteval_t{1} << 0;    // Valid
inline constexpr pteval_t L_PTE_PRESENT = pteval_t{3} << 0;  // Present
inline constexpr pteval_t L_PTE_USER = pteval_t{1} << 6;     // AP[1]
inline constexpr pteval_t L_PTE_SHARED = pteval_t{3} << 8;   // SH[1:0], inner shareable
inline constexpr pteval_t L_PTE_YOUNG = pteval_t{1} << 10;   // AF
inline constexpr pteval_t L_PTE_XN = pteval_t{1} << 54;      // XN
inline constexpr pteval_t L_PTE_DIRTY = pteval_t{1} << 55;
inline constexpr pteval_t L_PTE_SPECIAL = pteval_t{1} << 56;
inline constexpr pteval_t L_PTE_NONE = pteval_t{1} << 57;    // PROT_NONE
inline constexpr pteval_t L_PTE_RDONLY = pteval_t{1} << 58;  // READ ONLY

inline constexpr pmdval_t L_PMD_SECT_VALID = pmdval_t{1} << 0;
inline constexpr pmdval_t L_PMD_SECT_DIRTY = pmdval_t{1} << 55;
inline constexpr pmdval_t L_PMD_SECT_NONE = pmdval_t{1} << 57;
inline constexpr pmdval_t L_PMD_SECT_RDONLY = pteval_t{1} << 58;

// For assembly code working on the upper 32 bits.
inline constexpr uint32_t L_PTE_XN_HIGH = uint32_t{1} << (54 - 32);
inline constexpr uint32_t L_PTE_DIRTY_HIGH = uint32_t{1} << (55 - 32);

// AttrIndx[2:0] encoding (mapping attributes defined in the MAIR* registers).
inline constexpr pteval_t L_PTE_MT_UNCACHED = pteval_t{0} << 2;       // strongly ordered
inline constexpr pteval_t L_PTE_MT_BUFFERABLE = pteval_t{1} << 2;     // normal non-cacheable
inline constexpr pteval_t L_PTE_MT_WRITETHROUGH = pteval_t{2} << 2;   // normal inner write-through
inline constexpr pteval_t L_PTE_MT_WRITEBACK = pteval_t{3} << 2;      // normal inner write-back
inline constexpr pteval_t L_PTE_MT_WRITEALLOC = pteval_t{7} << 2;     // normal inner write-alloc
inline constexpr pteval_t L_PTE_MT_DEV_SHARED = pteval_t{4} << 2;     // device
inline constexpr pteval_t L_PTE_MT_DEV_NONSHARED = pteval_t{4} << 2;  // device
inline constexpr pteval_t L_PTE_MT_DEV_WC = pteval_t{1} << 2;         // normal non-cacheable
inline constexpr pteval_t L_PTE_MT_DEV_CACHED = pteval_t{3} << 2;     // normal inner write-back
inline constexpr pteval_t L_PTE_MT_MASK = pteval_t{7} << 2;

// Software PGD flags.
inline constexpr pgdval_t L_PGD_SWAPPER = pgdval_t{1} << 55;  // swapper_pg_dir entry

// Writes pte | ext at ptep, as cpu_v7_set_pte_ext (mm/proc_v7_3level.h)
// adjusts it.
// Models: arch/arm/include/asm/pgtable-3level.h set_pte_ext (v6.1)
void set_pte_ext(hw::PhysMem& mem, phys_addr_t ptep, pte_t pte, pteval_t ext);

pte_t read_pte(const hw::PhysMem& mem, phys_addr_t ptep);

// Models: arch/arm/include/asm/pgtable-3level.h pmd_clear (v6.1)
void pmd_clear(hw::PhysMem& mem, phys_addr_t pmdp);

// Models: arch/arm/include/asm/pgtable-3level.h set_pud (v6.1)
void set_pud(hw::PhysMem& mem, phys_addr_t pudp, pmdval_t pud);

}  // namespace ptsim::kernel::arm::pgtable_3level
