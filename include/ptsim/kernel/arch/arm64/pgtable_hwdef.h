// arm64 descriptor bits and protections as Linux names them
// (arch/arm64/include/asm/pgtable-hwdef.h, pgtable-prot.h, memory.h; v6.1 as
// Debian 12 ships it, 6.1.192).  The hardware meaning of each bit is in
// hw/arch/arm64/descriptor.h; these are Linux's names for the same bits plus
// Linux's software bits.
#pragma once

#include "ptsim/kernel/types.h"

namespace ptsim::kernel::arm64 {

constexpr pteval_t BIT(unsigned n) { return pteval_t{1} << n; }

// MAIR_EL1 attribute indices Linux programs (asm/memory.h).
inline constexpr unsigned MT_NORMAL = 0;
inline constexpr unsigned MT_NORMAL_TAGGED = 1;
inline constexpr unsigned MT_NORMAL_NC = 2;
inline constexpr unsigned MT_DEVICE_nGnRnE = 3;
inline constexpr unsigned MT_DEVICE_nGnRE = 4;

// Table descriptors at each level (pgtable-hwdef.h).
inline constexpr pteval_t P4D_TYPE_TABLE = 3;
inline constexpr pteval_t P4D_TABLE_BIT = BIT(1);
inline constexpr pteval_t P4D_TABLE_PXN = BIT(59);
inline constexpr pteval_t P4D_TABLE_UXN = BIT(60);
inline constexpr pteval_t PUD_TYPE_TABLE = 3;
inline constexpr pteval_t PUD_TABLE_BIT = BIT(1);
inline constexpr pteval_t PUD_TYPE_MASK = 3;
inline constexpr pteval_t PUD_TYPE_SECT = 1;
inline constexpr pteval_t PUD_TABLE_PXN = BIT(59);
inline constexpr pteval_t PUD_TABLE_UXN = BIT(60);
inline constexpr pteval_t PMD_TYPE_MASK = 3;
inline constexpr pteval_t PMD_TYPE_TABLE = 3;
inline constexpr pteval_t PMD_TYPE_SECT = 1;
inline constexpr pteval_t PMD_TABLE_BIT = BIT(1);
inline constexpr pteval_t PMD_TABLE_PXN = BIT(59);
inline constexpr pteval_t PMD_TABLE_UXN = BIT(60);

// Section (block) bits.
inline constexpr pteval_t PMD_SECT_VALID = BIT(0);
inline constexpr pteval_t PMD_SECT_USER = BIT(6);
inline constexpr pteval_t PMD_SECT_RDONLY = BIT(7);
inline constexpr pteval_t PMD_SECT_S = pteval_t{3} << 8;
inline constexpr pteval_t PMD_SECT_AF = BIT(10);
inline constexpr pteval_t PMD_SECT_NG = BIT(11);
inline constexpr pteval_t PMD_SECT_CONT = BIT(52);
inline constexpr pteval_t PMD_SECT_PXN = BIT(53);
inline constexpr pteval_t PMD_SECT_UXN = BIT(54);
constexpr pteval_t PMD_ATTRINDX(unsigned t) { return pteval_t{t} << 2; }

// Page (level 3) bits.
inline constexpr pteval_t PTE_VALID = BIT(0);
inline constexpr pteval_t PTE_TYPE_MASK = 3;
inline constexpr pteval_t PTE_TYPE_PAGE = 3;
inline constexpr pteval_t PTE_TABLE_BIT = BIT(1);
inline constexpr pteval_t PTE_USER = BIT(6);     // AP[1]
inline constexpr pteval_t PTE_RDONLY = BIT(7);   // AP[2]
inline constexpr pteval_t PTE_SHARED = pteval_t{3} << 8;  // SH[1:0], inner shareable
inline constexpr pteval_t PTE_AF = BIT(10);
inline constexpr pteval_t PTE_NG = BIT(11);
inline constexpr pteval_t PTE_GP = BIT(50);
inline constexpr pteval_t PTE_DBM = BIT(51);
inline constexpr pteval_t PTE_CONT = BIT(52);
inline constexpr pteval_t PTE_PXN = BIT(53);
inline constexpr pteval_t PTE_UXN = BIT(54);
constexpr pteval_t PTE_ATTRINDX(unsigned t) { return pteval_t{t} << 2; }
inline constexpr pteval_t PTE_ATTRINDX_MASK = pteval_t{7} << 2;

// Software bits (pgtable-prot.h).
inline constexpr pteval_t PTE_WRITE = PTE_DBM;
inline constexpr pteval_t PTE_DIRTY = BIT(55);
inline constexpr pteval_t PTE_SPECIAL = BIT(56);
inline constexpr pteval_t PTE_DEVMAP = BIT(57);
inline constexpr pteval_t PTE_PROT_NONE = BIT(58);

// Protections (pgtable-prot.h).  PTE_MAYBE_NG is nG when the kernel uses
// non-global mappings (KPTI); these are the values without it, and
// maybe_ng() adds it.
inline constexpr pteval_t _PROT_DEFAULT = PTE_TYPE_PAGE | PTE_AF | PTE_SHARED;
inline constexpr pteval_t _PROT_SECT_DEFAULT = PMD_TYPE_SECT | PMD_SECT_AF | PMD_SECT_S;
inline constexpr pteval_t PROT_DEFAULT = _PROT_DEFAULT;
inline constexpr pteval_t PROT_SECT_DEFAULT = _PROT_SECT_DEFAULT;
inline constexpr pteval_t PROT_DEVICE_nGnRnE =
    PROT_DEFAULT | PTE_PXN | PTE_UXN | PTE_WRITE | PTE_ATTRINDX(MT_DEVICE_nGnRnE);
inline constexpr pteval_t PROT_DEVICE_nGnRE =
    PROT_DEFAULT | PTE_PXN | PTE_UXN | PTE_WRITE | PTE_ATTRINDX(MT_DEVICE_nGnRE);
inline constexpr pteval_t PROT_NORMAL_NC =
    PROT_DEFAULT | PTE_PXN | PTE_UXN | PTE_WRITE | PTE_ATTRINDX(MT_NORMAL_NC);
inline constexpr pteval_t PROT_NORMAL = PROT_DEFAULT | PTE_PXN | PTE_UXN | PTE_WRITE | PTE_ATTRINDX(MT_NORMAL);
inline constexpr pteval_t PROT_NORMAL_TAGGED =
    PROT_DEFAULT | PTE_PXN | PTE_UXN | PTE_WRITE | PTE_ATTRINDX(MT_NORMAL_TAGGED);
inline constexpr pteval_t PROT_SECT_DEVICE_nGnRE =
    PROT_SECT_DEFAULT | PMD_SECT_PXN | PMD_SECT_UXN | PMD_ATTRINDX(MT_DEVICE_nGnRE);
inline constexpr pteval_t PROT_SECT_NORMAL =
    PROT_SECT_DEFAULT | PMD_SECT_PXN | PMD_SECT_UXN | PMD_ATTRINDX(MT_NORMAL);
inline constexpr pteval_t PROT_SECT_NORMAL_EXEC = PROT_SECT_DEFAULT | PMD_SECT_UXN | PMD_ATTRINDX(MT_NORMAL);

// The kernel's page protections (_PAGE_KERNEL* in 6.1.192's pgtable-prot.h,
// which carry PTE_DIRTY).
inline constexpr pgprot_t PAGE_KERNEL{PROT_NORMAL | PTE_DIRTY};
inline constexpr pgprot_t PAGE_KERNEL_RO{(PROT_NORMAL & ~PTE_WRITE) | PTE_RDONLY | PTE_DIRTY};
inline constexpr pgprot_t PAGE_KERNEL_ROX{(PROT_NORMAL & ~(PTE_WRITE | PTE_PXN)) | PTE_RDONLY | PTE_DIRTY};
inline constexpr pgprot_t PAGE_KERNEL_EXEC{(PROT_NORMAL & ~PTE_PXN) | PTE_DIRTY};
inline constexpr pgprot_t PAGE_KERNEL_EXEC_CONT{(PROT_NORMAL & ~PTE_PXN) | PTE_CONT | PTE_DIRTY};
inline constexpr pgprot_t FIXMAP_PAGE_IO{PROT_DEVICE_nGnRE};

// Adds nG when arm64_use_ng_mappings holds (PTE_MAYBE_NG / PMD_MAYBE_NG).
constexpr pgprot_t maybe_ng(pgprot_t prot, bool use_ng_mappings) {
  return use_ng_mappings ? pgprot_t{prot.val | PTE_NG} : prot;
}

// __create_pgd_mapping() flags (arch/arm64/mm/mmu.c).
inline constexpr int NO_BLOCK_MAPPINGS = 1 << 0;
inline constexpr int NO_CONT_MAPPINGS = 1 << 1;
inline constexpr int NO_EXEC_MAPPINGS = 1 << 2;

}  // namespace ptsim::kernel::arm64
