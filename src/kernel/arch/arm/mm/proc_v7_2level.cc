#include "ptsim/kernel/arch/arm/mm/proc_v7_2level.h"

namespace ptsim::kernel::arm::pgtable_2level {
namespace {

// The Linux-only bits the first "bic" clears, bits [9:4]: L_PTE_MT bits 2-3,
// L_PTE_DIRTY, L_PTE_RDONLY, L_PTE_USER and L_PTE_XN.  Each that matters is
// turned into its hardware bit below.
constexpr pteval_t kLinuxBits9To4 = 0x000003f0;
static_assert(kLinuxBits9To4 == ((L_PTE_MT_MASK & ~(PTE_BUFFERABLE | PTE_CACHEABLE)) | L_PTE_DIRTY |
                                 L_PTE_RDONLY | L_PTE_USER | L_PTE_XN));

// L_PTE_MT bit 2, pte bit 4: TEX[0] of the memory-type index.
constexpr pteval_t kMtTex0 = pteval_t{1} << 4;
static_assert((L_PTE_MT_DEV_SHARED & kMtTex0) != 0 && (L_PTE_MT_WRITEBACK & kMtTex0) == 0);

}  // namespace

pteval_t cpu_v7_set_pte_ext(pte_t pte, unsigned int ext) {
  pteval_t hw = pte & ~kLinuxBits9To4 & ~PTE_TYPE_MASK;
  hw |= ext;
  hw |= PTE_EXT_AP0 | PTE_TYPE_SMALL;
  if ((pte & kMtTex0) != 0) {
    hw |= PTE_EXT_TEX(1);
  }
  // "eor r1, r1, #L_PTE_DIRTY; tst r1, #L_PTE_RDONLY | L_PTE_DIRTY": read-only
  // to the hardware when read-only to Linux or not yet dirty.
  if (((pte ^ L_PTE_DIRTY) & (L_PTE_RDONLY | L_PTE_DIRTY)) != 0) {
    hw |= PTE_EXT_APX;
  }
  if ((pte & L_PTE_USER) != 0) {
    hw |= PTE_EXT_AP1;
  }
  if ((pte & L_PTE_XN) != 0) {
    hw |= PTE_EXT_XN;
  }
  const bool young = (pte & L_PTE_YOUNG) != 0;
  const bool valid = (pte & L_PTE_VALID) != 0;
  const bool prot_none = (pte & L_PTE_NONE) != 0;
  if (!young || !valid || prot_none) {
    return 0;
  }
  return hw;
}

}  // namespace ptsim::kernel::arm::pgtable_2level
