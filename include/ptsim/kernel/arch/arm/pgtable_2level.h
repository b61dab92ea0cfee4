// Linux arm's page-table arrangement without LPAE: how Linux fits its own
// pgd/pte view and the "young"/"dirty" bits it needs onto the ARMv7
// short-descriptor tables.
//
// Models: arch/arm/include/asm/pgtable-2level.h (v6.1).
//
// The hardware has 4096 first-level entries of 1 MiB and 256-entry second-
// level tables.  Linux tells its generic code there are 2048 pgd entries of
// 8 bytes, each a pair of hardware entries (so PMD_SIZE and PGDIR_SIZE are
// 2 MiB and pmd_clear() clears both), and 512-entry pte tables.  One 4 KiB
// pte page holds the two Linux tables, then the two hardware tables:
//
//    pgd             pte page
//   |        |
//   +--------+
//   |        |       +------------+ +0
//   +- - - - +       | Linux pt 0 |
//   |        |       +------------+ +1024
//   +--------+ +0    | Linux pt 1 |
//   |        |-----> +------------+ +2048  (PTE_HWTABLE_OFF)
//   +- - - - + +4    |  h/w pt 0  |
//   |        |-----> +------------+ +3072
//   +--------+ +8    |  h/w pt 1  |
//   |        |       +------------+ +4096
//
// A pte pointer addresses the Linux entry; its hardware twin is
// PTE_HWTABLE_PTRS entries (2048 bytes) further on.  The Linux entry holds
// the L_PTE_* bits below; the hardware entry is what cpu_v7_set_pte_ext
// (mm/proc_v7_2level.h) derives from them.
//
// The model keeps tables in simulated physical memory, so a pointer to an
// entry (ptep, pmdp) is the entry's physical address.
#pragma once

#include <cstdint>

#include "ptsim/hw/phys_mem.h"
#include "ptsim/kernel/arch/arm/pgtable_2level_hwdef.h"

namespace ptsim::kernel {
using phys_addr_t = uint64_t;  // Linux's type, 64-bit as with CONFIG_PHYS_ADDR_T_64BIT
}  // namespace ptsim::kernel

namespace ptsim::kernel::arm::pgtable_2level {

inline constexpr unsigned PAGE_SHIFT = 12;  // arch/arm/include/asm/page.h
inline constexpr uint32_t PAGE_SIZE = uint32_t{1} << PAGE_SHIFT;

inline constexpr unsigned PTRS_PER_PTE = 512;
inline constexpr unsigned PTRS_PER_PMD = 1;
inline constexpr unsigned PTRS_PER_PGD = 2048;

inline constexpr unsigned PTE_HWTABLE_PTRS = PTRS_PER_PTE;
inline constexpr uint32_t PTE_HWTABLE_OFF = PTE_HWTABLE_PTRS * sizeof(pte_t);
inline constexpr uint32_t PTE_HWTABLE_SIZE = PTRS_PER_PTE * sizeof(uint32_t);

inline constexpr unsigned MAX_POSSIBLE_PHYSMEM_BITS = 32;

// PMD_SHIFT determines the size of the area a second-level page table can
// map; PGDIR_SHIFT what a third-level page table entry can map.
inline constexpr unsigned PMD_SHIFT = 21;
inline constexpr unsigned PGDIR_SHIFT = 21;
inline constexpr uint32_t PMD_SIZE = uint32_t{1} << PMD_SHIFT;
inline constexpr uint32_t PMD_MASK = ~(PMD_SIZE - 1);
inline constexpr uint32_t PGDIR_SIZE = uint32_t{1} << PGDIR_SHIFT;
inline constexpr uint32_t PGDIR_MASK = ~(PGDIR_SIZE - 1);

// Section address mask and size definitions.
inline constexpr unsigned SECTION_SHIFT = 20;
inline constexpr uint32_t SECTION_SIZE = uint32_t{1} << SECTION_SHIFT;
inline constexpr uint32_t SECTION_MASK = ~(SECTION_SIZE - 1);

// ARMv6 supersection address mask and size definitions.
inline constexpr unsigned SUPERSECTION_SHIFT = 24;
inline constexpr uint32_t SUPERSECTION_SIZE = uint32_t{1} << SUPERSECTION_SHIFT;
inline constexpr uint32_t SUPERSECTION_MASK = ~(SUPERSECTION_SIZE - 1);

// The arrangement in numbers: a pgd entry covers two sections, the two Linux
// pte tables fill the first half of a page and the hardware tables the rest.
static_assert(PGDIR_SIZE == 2 * SECTION_SIZE);
static_assert(uint64_t{PTRS_PER_PGD} * PGDIR_SIZE == uint64_t{1} << 32);
static_assert(uint64_t{PTRS_PER_PTE} << PAGE_SHIFT == PMD_SIZE);
static_assert(PTE_HWTABLE_OFF == 2048 && PTE_HWTABLE_OFF + PTE_HWTABLE_SIZE == PAGE_SIZE);

// Offsets in a pte page of the four 1 KiB tables (the diagram above).
inline constexpr uint32_t kHwTableEntries = 256;  // one short-descriptor second-level table
inline constexpr uint32_t kLinuxPt0Offset = 0;
inline constexpr uint32_t kLinuxPt1Offset = kHwTableEntries * sizeof(pte_t);
inline constexpr uint32_t kHwPt0Offset = PTE_HWTABLE_OFF;
inline constexpr uint32_t kHwPt1Offset = PTE_HWTABLE_OFF + kHwTableEntries * sizeof(uint32_t);
static_assert(kLinuxPt1Offset == 1024 && kHwPt0Offset == 2048 && kHwPt1Offset == 3072);

// "Linux" PTE definitions.  Two sets of PTEs are kept, the hardware one and
// the Linux one, so the Linux bits can be mapped freely onto the hardware and
// Linux gets YOUNG and DIRTY bits.
inline constexpr pteval_t L_PTE_VALID = pteval_t{1} << 0;
inline constexpr pteval_t L_PTE_PRESENT = pteval_t{1} << 0;
inline constexpr pteval_t L_PTE_YOUNG = pteval_t{1} << 1;
inline constexpr pteval_t L_PTE_DIRTY = pteval_t{1} << 6;
inline constexpr pteval_t L_PTE_RDONLY = pteval_t{1} << 7;
inline constexpr pteval_t L_PTE_USER = pteval_t{1} << 8;
inline constexpr pteval_t L_PTE_XN = pteval_t{1} << 9;
inline constexpr pteval_t L_PTE_SHARED = pteval_t{1} << 10;  // shared(v6), coherent(xsc3)
inline constexpr pteval_t L_PTE_NONE = pteval_t{1} << 11;

// Memory types: pre-ARMv6 n/a,n/a,C,B; ARMv6+ without TEX remap a table
// index; ARMv6+ with TEX remap n/a,TEX[0],C,B (see PRRR/NMRR in
// mm/proc_v7_2level.h).
inline constexpr pteval_t L_PTE_MT_UNCACHED = pteval_t{0x00} << 2;       // 0000
inline constexpr pteval_t L_PTE_MT_BUFFERABLE = pteval_t{0x01} << 2;     // 0001
inline constexpr pteval_t L_PTE_MT_WRITETHROUGH = pteval_t{0x02} << 2;   // 0010
inline constexpr pteval_t L_PTE_MT_WRITEBACK = pteval_t{0x03} << 2;      // 0011
inline constexpr pteval_t L_PTE_MT_MINICACHE = pteval_t{0x06} << 2;      // 0110 (sa1100, xscale)
inline constexpr pteval_t L_PTE_MT_WRITEALLOC = pteval_t{0x07} << 2;     // 0111
inline constexpr pteval_t L_PTE_MT_DEV_SHARED = pteval_t{0x04} << 2;     // 0100
inline constexpr pteval_t L_PTE_MT_DEV_NONSHARED = pteval_t{0x0c} << 2;  // 1100
inline constexpr pteval_t L_PTE_MT_DEV_WC = pteval_t{0x09} << 2;         // 1001
inline constexpr pteval_t L_PTE_MT_DEV_CACHED = pteval_t{0x0b} << 2;     // 1011
inline constexpr pteval_t L_PTE_MT_VECTORS = pteval_t{0x0f} << 2;        // 1111
inline constexpr pteval_t L_PTE_MT_MASK = pteval_t{0x0f} << 2;

// The index of addr's entry in its 512-entry Linux pte table.
// Models: include/linux/pgtable.h pte_index (v6.1)
constexpr uint32_t pte_index(uint32_t addr) {
  return (addr >> PAGE_SHIFT) & (PTRS_PER_PTE - 1);
}

// The hardware twin of the Linux entry at ptep: pte[PTE_HWTABLE_PTRS].
constexpr phys_addr_t hw_ptep(phys_addr_t ptep) {
  return ptep + PTE_HWTABLE_OFF;
}

// Writes the Linux pte and the hardware small-page entry cpu_v7_set_pte_ext
// derives from it (with the extra hardware bits `ext`, such as PTE_EXT_NG).
// Models: arch/arm/include/asm/pgtable-2level.h set_pte_ext (v6.1)
void set_pte_ext(hw::PhysMem& mem, phys_addr_t ptep, pte_t pte, unsigned int ext);

// Reads back the Linux pte at ptep, as the kernel's *ptep does.
pte_t read_pte(const hw::PhysMem& mem, phys_addr_t ptep);

// Clears both hardware first-level entries of a pgd slot.
// Models: arch/arm/include/asm/pgtable-2level.h pmd_clear (v6.1)
void pmd_clear(hw::PhysMem& mem, phys_addr_t pmdp);

// Copies both hardware first-level entries of a pgd slot.
// Models: arch/arm/include/asm/pgtable-2level.h copy_pmd (v6.1)
void copy_pmd(hw::PhysMem& mem, phys_addr_t pmdpd, phys_addr_t pmdps);

}  // namespace ptsim::kernel::arm::pgtable_2level
