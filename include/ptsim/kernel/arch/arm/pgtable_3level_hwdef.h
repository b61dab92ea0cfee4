// Linux arm's names for the bits of the LPAE (long-descriptor) format, and
// the entry types, with CONFIG_ARM_LPAE.
//
// Models: arch/arm/include/asm/pgtable-3level-hwdef.h and
// arch/arm/include/asm/pgtable-3level-types.h (v6.1).  The hardware meaning
// of each bit is in hw/arch/arm/long_descriptor.h.  Names that exist only for
// the classic format (PMD_BIT4, PMD_DOMAIN, PMD_SECT_AP_*, PMD_SECT_TEX) are
// zero here, as in Linux, so shared code builds for both.
#pragma once

#include <cstdint>

namespace ptsim::kernel::arm::pgtable_3level {

// pgtable-3level-types.h, without STRICT_MM_TYPECHECKS: plain 64-bit words.
using pteval_t = uint64_t;
using pmdval_t = uint64_t;
using pgdval_t = uint64_t;
using pte_t = pteval_t;
using pmd_t = pmdval_t;
using pgd_t = pgdval_t;
using pgprot_t = pteval_t;

// + Level 1/2 descriptor
//   - common
inline constexpr pmdval_t PMD_TYPE_MASK = pmdval_t{3} << 0;
inline constexpr pmdval_t PMD_TYPE_FAULT = pmdval_t{0} << 0;
inline constexpr pmdval_t PMD_TYPE_TABLE = pmdval_t{3} << 0;
inline constexpr pmdval_t PMD_TYPE_SECT = pmdval_t{1} << 0;
inline constexpr pmdval_t PMD_TABLE_BIT = pmdval_t{1} << 1;
inline constexpr pmdval_t PMD_BIT4 = 0;
constexpr pmdval_t PMD_DOMAIN(pmdval_t) {
  return 0;
}
inline constexpr unsigned PMD_APTABLE_SHIFT = 61;
// Linux spells this with an undefined PGD_APTABLE_SHIFT and never uses it;
// the bits are APTable[1:0], 62:61.
inline constexpr pgdval_t PMD_APTABLE = pgdval_t{3} << PMD_APTABLE_SHIFT;
inline constexpr pgdval_t PMD_PXNTABLE = pgdval_t{1} << 59;
//   - section
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
constexpr pmdval_t PMD_SECT_TEX(pmdval_t) {
  return 0;
}

// AttrIndx[2:0] encoding (mapping attributes defined in the MAIR* registers).
inline constexpr pmdval_t PMD_SECT_UNCACHED = pmdval_t{0} << 2;  // strongly ordered
inline constexpr pmdval_t PMD_SECT_BUFFERED = pmdval_t{1} << 2;  // normal non-cacheable
inline constexpr pmdval_t PMD_SECT_WT = pmdval_t{2} << 2;        // normal inner write-through
inline constexpr pmdval_t PMD_SECT_WB = pmdval_t{3} << 2;        // normal inner write-back
inline constexpr pmdval_t PMD_SECT_WBWA = pmdval_t{7} << 2;      // normal inner write-alloc
inline constexpr pmdval_t PMD_SECT_CACHE_MASK = pmdval_t{7} << 2;

// + Level 3 descriptor (PTE)
inline constexpr pteval_t PTE_TYPE_MASK = pteval_t{3} << 0;
inline constexpr pteval_t PTE_TYPE_FAULT = pteval_t{0} << 0;
inline constexpr pteval_t PTE_TYPE_PAGE = pteval_t{3} << 0;
inline constexpr pteval_t PTE_TABLE_BIT = pteval_t{1} << 1;
inline constexpr pteval_t PTE_BUFFERABLE = pteval_t{1} << 2;  // AttrIndx[0]
inline constexpr pteval_t PTE_CACHEABLE = pteval_t{1} << 3;   // AttrIndx[1]
inline constexpr pteval_t PTE_AP2 = pteval_t{1} << 7;         // AP[2]
inline constexpr pteval_t PTE_EXT_SHARED = pteval_t{3} << 8;  // SH[1:0], inner shareable
inline constexpr pteval_t PTE_EXT_AF = pteval_t{1} << 10;     // Access Flag
inline constexpr pteval_t PTE_EXT_NG = pteval_t{1} << 11;     // nG
inline constexpr pteval_t PTE_EXT_PXN = pteval_t{1} << 53;    // PXN
inline constexpr pteval_t PTE_EXT_XN = pteval_t{1} << 54;     // XN

// 40-bit physical address supported.
inline constexpr unsigned PHYS_MASK_SHIFT = 40;
inline constexpr uint64_t PHYS_MASK = (uint64_t{1} << PHYS_MASK_SHIFT) - 1;

// The TTBR0/TTBR1 split by PAGE_OFFSET (CONFIG_VMSPLIT_*), used only when
// PHYS_OFFSET <= PAGE_OFFSET:
//   0x40000000: T0SZ = 2, T1SZ = 0 (not used)
//   0x80000000: T0SZ = 0, T1SZ = 1
//   0xc0000000: T0SZ = 0, T1SZ = 2
// TTBR1_OFFSET: VMSPLIT_2G skips two L1 entries; VMSPLIT_3G points at the
// last pmd table, past the pgd and three pmd pages.
constexpr uint32_t TTBR1_OFFSET(uint32_t page_offset) {
  if (page_offset == 0x80000000) {
    return 16;
  }
  if (page_offset == 0xc0000000) {
    return 4096 * (1 + 3);
  }
  return 0;
}
constexpr uint32_t TTBR1_SIZE(uint32_t page_offset) {
  return ((page_offset >> 30) - 1) << 16;
}

}  // namespace ptsim::kernel::arm::pgtable_3level
