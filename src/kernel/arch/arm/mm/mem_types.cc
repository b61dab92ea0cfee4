// mem_types[] and build_mem_type_table (arch/arm/mm/mmu.c, v6.1) for the
// ARMv7 SMP CPU of the model: cpu_arch == CPU_ARCH_ARMv7, SCTLR.XP and
// SCTLR.TRE set, is_smp(), ID_MMFR0.VMSA >= 4 (PXN), cachepolicy forced to
// writealloc and initial_pmd_value carrying PMD_SECT_S (head.S
// PMD_FLAGS_SMP), no ECC.
#include "ptsim/kernel/arch/arm/mm/mmu.h"

#include "ptsim/kernel/arch/arm/domain.h"
#include "ptsim/kernel/arch/arm/pgtable_2level.h"
#include "ptsim/kernel/arch/arm/pgtable_3level.h"

namespace ptsim::kernel::arm {
namespace {

// The names mmu.c uses, for one of the two formats.
struct Defs {
  uint64_t L_PTE_PRESENT, L_PTE_YOUNG, L_PTE_DIRTY, L_PTE_RDONLY, L_PTE_USER, L_PTE_XN,
      L_PTE_SHARED;
  uint64_t L_PTE_MT_UNCACHED, L_PTE_MT_BUFFERABLE, L_PTE_MT_WRITEALLOC, L_PTE_MT_WRITEBACK, L_PTE_MT_DEV_SHARED,
      L_PTE_MT_DEV_NONSHARED, L_PTE_MT_DEV_WC, L_PTE_MT_DEV_CACHED;
  uint64_t PMD_TYPE_TABLE, PMD_TYPE_SECT, PMD_SECT_AP_WRITE, PMD_SECT_XN, PMD_SECT_S,
      PMD_SECT_WB, PMD_SECT_WBWA, PMD_SECT_UNCACHED, PMD_SECT_BUFFERED, PMD_SECT_BUFFERABLE,
      PMD_SECT_APX, PMD_SECT_TEX1, PMD_SECT_MINICACHE, PMD_SECT_RO_LPAE, PMD_SECT_AF,
      PTE_EXT_AF, PTE_EXT_PXN;
  bool lpae;
  uint64_t domain(unsigned d) const { return lpae ? 0 : pgtable_2level::PMD_DOMAIN(d); }
};

Defs two_level() {
  namespace p = pgtable_2level;
  return Defs{p::L_PTE_PRESENT,       p::L_PTE_YOUNG,          p::L_PTE_DIRTY,
              p::L_PTE_RDONLY,        p::L_PTE_USER,           p::L_PTE_XN,
              p::L_PTE_SHARED,        p::L_PTE_MT_UNCACHED,    p::L_PTE_MT_BUFFERABLE,
              p::L_PTE_MT_WRITEALLOC, p::L_PTE_MT_WRITEBACK,   p::L_PTE_MT_DEV_SHARED,  p::L_PTE_MT_DEV_NONSHARED,
              p::L_PTE_MT_DEV_WC,     p::L_PTE_MT_DEV_CACHED,  p::PMD_TYPE_TABLE,
              p::PMD_TYPE_SECT,       p::PMD_SECT_AP_WRITE,    p::PMD_SECT_XN,
              p::PMD_SECT_S,          p::PMD_SECT_WB,          p::PMD_SECT_WBWA,
              p::PMD_SECT_UNCACHED,   p::PMD_SECT_BUFFERED,    p::PMD_SECT_BUFFERABLE,
              p::PMD_SECT_APX,        p::PMD_SECT_TEX(1),      p::PMD_SECT_MINICACHE,
              0,                      p::PMD_SECT_AF,          0,
              0,                      false};
}

Defs three_level() {
  namespace p = pgtable_3level;
  return Defs{p::L_PTE_PRESENT,
              p::L_PTE_YOUNG,
              p::L_PTE_DIRTY,
              p::L_PTE_RDONLY,
              p::L_PTE_USER,
              p::L_PTE_XN,
              p::L_PTE_SHARED,
              p::L_PTE_MT_UNCACHED,
              p::L_PTE_MT_BUFFERABLE,
              p::L_PTE_MT_WRITEALLOC,
              p::L_PTE_MT_WRITEBACK,
              p::L_PTE_MT_DEV_SHARED,
              p::L_PTE_MT_DEV_NONSHARED,
              p::L_PTE_MT_DEV_WC,
              p::L_PTE_MT_DEV_CACHED,
              p::PMD_TYPE_TABLE,
              p::PMD_TYPE_SECT,
              p::PMD_SECT_AP_WRITE,
              p::PMD_SECT_XN,
              p::PMD_SECT_S,
              p::PMD_SECT_WB,
              p::PMD_SECT_WBWA,
              p::PMD_SECT_UNCACHED,
              p::PMD_SECT_BUFFERED,
              p::PMD_SECT_BUFFERABLE,
              0,
              0,
              0,
              p::L_PMD_SECT_RDONLY | p::PMD_SECT_AP2,
              p::PMD_SECT_AF,
              p::PTE_EXT_AF,
              p::PTE_EXT_PXN,
              true};
}

// mmu.c's static mem_types[] initialiser.
mem_type_table initial_mem_types(const Defs& d) {
  const uint64_t PROT_PTE_DEVICE = d.L_PTE_PRESENT | d.L_PTE_YOUNG | d.L_PTE_DIRTY | d.L_PTE_XN;
  const uint64_t PROT_SECT_DEVICE = d.PMD_TYPE_SECT | d.PMD_SECT_AP_WRITE;
  const uint64_t kernel_pte = d.L_PTE_PRESENT | d.L_PTE_YOUNG | d.L_PTE_DIRTY;
  mem_type_table t{};
  t[MT_DEVICE] = {PROT_PTE_DEVICE | d.L_PTE_MT_DEV_SHARED | d.L_PTE_SHARED, d.PMD_TYPE_TABLE,
                  PROT_SECT_DEVICE | d.PMD_SECT_S, DOMAIN_IO};
  t[MT_DEVICE_NONSHARED] = {PROT_PTE_DEVICE | d.L_PTE_MT_DEV_NONSHARED, d.PMD_TYPE_TABLE,
                            PROT_SECT_DEVICE, DOMAIN_IO};
  t[MT_DEVICE_CACHED] = {PROT_PTE_DEVICE | d.L_PTE_MT_DEV_CACHED, d.PMD_TYPE_TABLE,
                         PROT_SECT_DEVICE | d.PMD_SECT_WB, DOMAIN_IO};
  t[MT_DEVICE_WC] = {PROT_PTE_DEVICE | d.L_PTE_MT_DEV_WC, d.PMD_TYPE_TABLE, PROT_SECT_DEVICE,
                     DOMAIN_IO};
  t[MT_UNCACHED] = {PROT_PTE_DEVICE, d.PMD_TYPE_TABLE, d.PMD_TYPE_SECT | d.PMD_SECT_XN,
                    DOMAIN_IO};
  t[MT_CACHECLEAN] = {0, 0, d.PMD_TYPE_SECT | d.PMD_SECT_XN, DOMAIN_KERNEL};
  if (!d.lpae) {
    t[MT_MINICLEAN] = {0, 0, d.PMD_TYPE_SECT | d.PMD_SECT_XN | d.PMD_SECT_MINICACHE,
                       DOMAIN_KERNEL};
  }
  t[MT_LOW_VECTORS] = {kernel_pte | d.L_PTE_RDONLY, d.PMD_TYPE_TABLE, 0, DOMAIN_VECTORS};
  t[MT_HIGH_VECTORS] = {kernel_pte | d.L_PTE_USER | d.L_PTE_RDONLY, d.PMD_TYPE_TABLE, 0,
                        DOMAIN_VECTORS};
  t[MT_MEMORY_RWX] = {kernel_pte, d.PMD_TYPE_TABLE, d.PMD_TYPE_SECT | d.PMD_SECT_AP_WRITE,
                      DOMAIN_KERNEL};
  t[MT_MEMORY_RW] = {kernel_pte | d.L_PTE_XN, d.PMD_TYPE_TABLE,
                     d.PMD_TYPE_SECT | d.PMD_SECT_AP_WRITE, DOMAIN_KERNEL};
  t[MT_MEMORY_RO] = {kernel_pte | d.L_PTE_XN | d.L_PTE_RDONLY, d.PMD_TYPE_TABLE,
                     d.PMD_TYPE_SECT | d.PMD_SECT_RO_LPAE, DOMAIN_KERNEL};
  t[MT_ROM] = {0, 0, d.PMD_TYPE_SECT, DOMAIN_KERNEL};
  t[MT_MEMORY_RWX_NONCACHED] = {kernel_pte | d.L_PTE_MT_BUFFERABLE, d.PMD_TYPE_TABLE,
                                d.PMD_TYPE_SECT | d.PMD_SECT_AP_WRITE, DOMAIN_KERNEL};
  t[MT_MEMORY_RW_DTCM] = {kernel_pte | d.L_PTE_XN, d.PMD_TYPE_TABLE,
                          d.PMD_TYPE_SECT | d.PMD_SECT_XN, DOMAIN_KERNEL};
  t[MT_MEMORY_RWX_ITCM] = {kernel_pte, d.PMD_TYPE_TABLE, 0, DOMAIN_KERNEL};
  t[MT_MEMORY_RW_SO] = {kernel_pte | d.L_PTE_MT_UNCACHED | d.L_PTE_XN, d.PMD_TYPE_TABLE,
                        d.PMD_TYPE_SECT | d.PMD_SECT_AP_WRITE | d.PMD_SECT_S |
                            d.PMD_SECT_UNCACHED | d.PMD_SECT_XN,
                        DOMAIN_KERNEL};
  t[MT_MEMORY_DMA_READY] = {kernel_pte | d.L_PTE_XN, d.PMD_TYPE_TABLE, 0, DOMAIN_KERNEL};
  return t;
}

constexpr const char* kMemTypeNames[MT_COUNT] = {
    "MT_DEVICE",          "MT_DEVICE_NONSHARED", "MT_DEVICE_CACHED",
    "MT_DEVICE_WC",       "MT_UNCACHED",         "MT_CACHECLEAN",
    "MT_MINICLEAN",       "MT_LOW_VECTORS",      "MT_HIGH_VECTORS",
    "MT_MEMORY_RWX",      "MT_MEMORY_RW",        "MT_MEMORY_RO",
    "MT_ROM",             "MT_MEMORY_RWX_NONCACHED", "MT_MEMORY_RW_DTCM",
    "MT_MEMORY_RWX_ITCM", "MT_MEMORY_RW_SO",     "MT_MEMORY_DMA_READY",
};

}  // namespace

const char* cache_policy_name(bool smp) {
  return smp ? "writealloc" : "writeback";
}

const char* mem_type_name(unsigned type) {
  return type < MT_COUNT ? kMemTypeNames[type] : "MT_?";
}

mem_type_result build_mem_type_table(bool lpae, bool smp, KernelLog* log) {
  const Defs d = lpae ? three_level() : two_level();
  mem_type_table t = initial_mem_types(d);
  constexpr const char* kWhere = "arch/arm/mm/mmu.c build_mem_type_table";

  // is_smp(): head.S already chose writealloc and shared (PMD_FLAGS_SMP),
  // so neither "Forcing ..." warning prints.  ARMv7: TEX and S bits stay,
  // PMD_BIT4 stays clear.
  // ARMv6+ with XP: device and NX memory regions are execute-never.
  t[MT_DEVICE].prot_sect |= d.PMD_SECT_XN;
  t[MT_DEVICE_NONSHARED].prot_sect |= d.PMD_SECT_XN;
  t[MT_DEVICE_CACHED].prot_sect |= d.PMD_SECT_XN;
  t[MT_DEVICE_WC].prot_sect |= d.PMD_SECT_XN;
  t[MT_MEMORY_RW].prot_sect |= d.PMD_SECT_XN;
  t[MT_MEMORY_RO].prot_sect |= d.PMD_SECT_XN;
  // ARMv7 with TEX remap: shared device SXCB=1100, non-shared 0100, WC 0001.
  t[MT_DEVICE].prot_sect |= d.PMD_SECT_TEX1;
  t[MT_DEVICE_NONSHARED].prot_sect |= d.PMD_SECT_TEX1;
  t[MT_DEVICE_WC].prot_sect |= d.PMD_SECT_BUFFERABLE;

  // init_default_cache_policy(head.S's pmd flags): SMP forces
  // cache_policies[CPOLICY_WRITEALLOC] (PMD_SECT_WBWA, L_PTE_MT_WRITEALLOC);
  // a uniprocessor keeps CPOLICY_WRITEBACK (PMD_SECT_WB, L_PTE_MT_WRITEBACK).
  const uint64_t cp_pmd = smp ? d.PMD_SECT_WBWA : d.PMD_SECT_WB;
  const uint64_t cp_pte = smp ? d.L_PTE_MT_WRITEALLOC : d.L_PTE_MT_WRITEBACK;
  uint64_t user_pgprot = cp_pte;
  uint64_t kern_pgprot = cp_pte;
  uint64_t vecs_pgprot = cp_pte;

  if (!lpae) {
    // Cache clean areas and XIP ROM: read only from SVC mode.
    t[MT_ROM].prot_sect |= d.PMD_SECT_APX | d.PMD_SECT_AP_WRITE;
    t[MT_MINICLEAN].prot_sect |= d.PMD_SECT_APX | d.PMD_SECT_AP_WRITE;
    t[MT_CACHECLEAN].prot_sect |= d.PMD_SECT_APX | d.PMD_SECT_AP_WRITE;
    t[MT_MEMORY_RO].prot_sect |= d.PMD_SECT_APX | d.PMD_SECT_AP_WRITE;
  }
  // initial_pmd_value & PMD_SECT_S (SMP only): everything normal is shared.
  if (smp) {
    user_pgprot |= d.L_PTE_SHARED;
    kern_pgprot |= d.L_PTE_SHARED;
    vecs_pgprot |= d.L_PTE_SHARED;
    for (unsigned i : {MT_DEVICE_WC, MT_DEVICE_CACHED, MT_MEMORY_RWX, MT_MEMORY_RW, MT_MEMORY_RO,
                       MT_MEMORY_RWX_NONCACHED}) {
      t[i].prot_sect |= d.PMD_SECT_S;
      t[i].prot_pte |= d.L_PTE_SHARED;
    }
    t[MT_MEMORY_DMA_READY].prot_pte |= d.L_PTE_SHARED;
  }

  // Non-cacheable Normal with TEX remap is XCB = 001.
  t[MT_MEMORY_RWX_NONCACHED].prot_sect |= d.PMD_SECT_BUFFERED;

  if (lpae) {
    // Do not generate access flag faults for the kernel mappings.
    for (mem_type& m : t) {
      m.prot_pte |= d.PTE_EXT_AF;
      if (m.prot_sect != 0) {
        m.prot_sect |= d.PMD_SECT_AF;
      }
    }
    kern_pgprot |= d.PTE_EXT_AF;
    vecs_pgprot |= d.PTE_EXT_AF;
    user_pgprot |= d.PTE_EXT_PXN;
  }

  t[MT_LOW_VECTORS].prot_pte |= vecs_pgprot;
  t[MT_HIGH_VECTORS].prot_pte |= vecs_pgprot;

  mem_type_result r;
  r.pgprot_user = d.L_PTE_PRESENT | d.L_PTE_YOUNG | user_pgprot;
  r.pgprot_kernel = d.L_PTE_PRESENT | d.L_PTE_YOUNG | d.L_PTE_DIRTY | kern_pgprot;

  for (unsigned i : {MT_MEMORY_RWX, MT_MEMORY_RW, MT_MEMORY_RO}) {
    t[i].prot_sect |= cp_pmd;
    t[i].prot_pte |= kern_pgprot;
  }
  t[MT_MEMORY_DMA_READY].prot_pte |= kern_pgprot;
  t[MT_ROM].prot_sect |= cp_pmd;
  // cp->pmd is PMD_SECT_WBWA: cache-clean areas are write-back.
  t[MT_CACHECLEAN].prot_sect |= d.PMD_SECT_WB;
  if (log != nullptr) {
    log->info(kWhere, std::string("Memory policy: Data cache ") + cache_policy_name(smp));
  }

  for (mem_type& m : t) {
    if (m.prot_l1 != 0) {
      m.prot_l1 |= d.domain(m.domain);
    }
    if (m.prot_sect != 0) {
      m.prot_sect |= d.domain(m.domain);
    }
  }
  r.types = t;
  return r;
}

}  // namespace ptsim::kernel::arm
