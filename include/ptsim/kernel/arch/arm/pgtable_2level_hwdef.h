// Linux arm's names for the bits of the ARMv7 short-descriptor format, and
// the entry types, without LPAE.
//
// Models: arch/arm/include/asm/pgtable-2level-hwdef.h and
// arch/arm/include/asm/pgtable-2level-types.h (v6.1).  The hardware meaning
// of each bit is in hw/arch/arm/short_descriptor.h; the kernel keeps Linux's
// own names (and Linux's pre-v6 aliases) so code modelled on mmu.c reads as
// it does in the kernel.  Macros that take an argument are constexpr
// functions.
#pragma once

#include <cstdint>

namespace ptsim::kernel::arm::pgtable_2level {

// pgtable-2level-types.h, without STRICT_MM_TYPECHECKS: plain 32-bit words.
// A pgd_t is a pair of pmd_t (see pgtable_2level.h).
using pteval_t = uint32_t;
using pmdval_t = uint32_t;
using pte_t = pteval_t;
using pmd_t = pmdval_t;
using pgprot_t = pteval_t;

// + Level 1 descriptor (PMD)
//   - common
inline constexpr pmdval_t PMD_TYPE_MASK = pmdval_t{3} << 0;
inline constexpr pmdval_t PMD_TYPE_FAULT = pmdval_t{0} << 0;
inline constexpr pmdval_t PMD_TYPE_TABLE = pmdval_t{1} << 0;
inline constexpr pmdval_t PMD_TYPE_SECT = pmdval_t{2} << 0;
inline constexpr pmdval_t PMD_PXNTABLE = pmdval_t{1} << 2;  // v7
inline constexpr pmdval_t PMD_BIT4 = pmdval_t{1} << 4;
constexpr pmdval_t PMD_DOMAIN(pmdval_t x) {
  return x << 5;
}
inline constexpr pmdval_t PMD_DOMAIN_MASK = PMD_DOMAIN(0x0f);
inline constexpr pmdval_t PMD_PROTECTION = pmdval_t{1} << 9;  // v5
//   - section
inline constexpr pmdval_t PMD_SECT_PXN = pmdval_t{1} << 0;  // v7
inline constexpr pmdval_t PMD_SECT_BUFFERABLE = pmdval_t{1} << 2;
inline constexpr pmdval_t PMD_SECT_CACHEABLE = pmdval_t{1} << 3;
inline constexpr pmdval_t PMD_SECT_XN = pmdval_t{1} << 4;  // v6
inline constexpr pmdval_t PMD_SECT_AP_WRITE = pmdval_t{1} << 10;
inline constexpr pmdval_t PMD_SECT_AP_READ = pmdval_t{1} << 11;
constexpr pmdval_t PMD_SECT_TEX(pmdval_t x) {
  return x << 12;
}  // v5
inline constexpr pmdval_t PMD_SECT_APX = pmdval_t{1} << 15;    // v6
inline constexpr pmdval_t PMD_SECT_S = pmdval_t{1} << 16;      // v6
inline constexpr pmdval_t PMD_SECT_nG = pmdval_t{1} << 17;     // v6
inline constexpr pmdval_t PMD_SECT_SUPER = pmdval_t{1} << 18;  // v6
inline constexpr pmdval_t PMD_SECT_AF = 0;

inline constexpr pmdval_t PMD_SECT_UNCACHED = 0;
inline constexpr pmdval_t PMD_SECT_BUFFERED = PMD_SECT_BUFFERABLE;
inline constexpr pmdval_t PMD_SECT_WT = PMD_SECT_CACHEABLE;
inline constexpr pmdval_t PMD_SECT_WB = PMD_SECT_CACHEABLE | PMD_SECT_BUFFERABLE;
inline constexpr pmdval_t PMD_SECT_MINICACHE = PMD_SECT_TEX(1) | PMD_SECT_CACHEABLE;
inline constexpr pmdval_t PMD_SECT_WBWA =
    PMD_SECT_TEX(1) | PMD_SECT_CACHEABLE | PMD_SECT_BUFFERABLE;
inline constexpr pmdval_t PMD_SECT_CACHE_MASK =
    PMD_SECT_TEX(1) | PMD_SECT_CACHEABLE | PMD_SECT_BUFFERABLE;
inline constexpr pmdval_t PMD_SECT_NONSHARED_DEV = PMD_SECT_TEX(2);

// + Level 2 descriptor (PTE)
//   - common
inline constexpr pteval_t PTE_TYPE_MASK = pteval_t{3} << 0;
inline constexpr pteval_t PTE_TYPE_FAULT = pteval_t{0} << 0;
inline constexpr pteval_t PTE_TYPE_LARGE = pteval_t{1} << 0;
inline constexpr pteval_t PTE_TYPE_SMALL = pteval_t{2} << 0;
inline constexpr pteval_t PTE_TYPE_EXT = pteval_t{3} << 0;  // v5
inline constexpr pteval_t PTE_BUFFERABLE = pteval_t{1} << 2;
inline constexpr pteval_t PTE_CACHEABLE = pteval_t{1} << 3;
//   - extended small page/tiny page
inline constexpr pteval_t PTE_EXT_XN = pteval_t{1} << 0;  // v6
inline constexpr pteval_t PTE_EXT_AP_MASK = pteval_t{3} << 4;
inline constexpr pteval_t PTE_EXT_AP0 = pteval_t{1} << 4;
inline constexpr pteval_t PTE_EXT_AP1 = pteval_t{2} << 4;
inline constexpr pteval_t PTE_EXT_AP_UNO_SRO = pteval_t{0} << 4;
inline constexpr pteval_t PTE_EXT_AP_UNO_SRW = PTE_EXT_AP0;
inline constexpr pteval_t PTE_EXT_AP_URO_SRW = PTE_EXT_AP1;
inline constexpr pteval_t PTE_EXT_AP_URW_SRW = PTE_EXT_AP1 | PTE_EXT_AP0;
constexpr pteval_t PTE_EXT_TEX(pteval_t x) {
  return x << 6;
}  // v5
inline constexpr pteval_t PTE_EXT_APX = pteval_t{1} << 9;       // v6
inline constexpr pteval_t PTE_EXT_COHERENT = pteval_t{1} << 9;  // XScale3
inline constexpr pteval_t PTE_EXT_SHARED = pteval_t{1} << 10;   // v6
inline constexpr pteval_t PTE_EXT_NG = pteval_t{1} << 11;       // v6
//   - small page
inline constexpr pteval_t PTE_SMALL_AP_MASK = pteval_t{0xff} << 4;
inline constexpr pteval_t PTE_SMALL_AP_UNO_SRO = pteval_t{0x00} << 4;
inline constexpr pteval_t PTE_SMALL_AP_UNO_SRW = pteval_t{0x55} << 4;
inline constexpr pteval_t PTE_SMALL_AP_URO_SRW = pteval_t{0xaa} << 4;
inline constexpr pteval_t PTE_SMALL_AP_URW_SRW = pteval_t{0xff} << 4;

inline constexpr uint32_t PHYS_MASK = ~uint32_t{0};

}  // namespace ptsim::kernel::arm::pgtable_2level
