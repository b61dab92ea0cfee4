#include "ptsim/kernel/arch/arm/mmu_registers.h"

#include "ptsim/kernel/arch/arm/domain.h"

namespace ptsim::kernel::arm {

namespace {

constexpr uint32_t kSctlr2Level = 0x10c5387d;  // M C Z I V, TRE, AFE clear
constexpr uint32_t kSctlr3Level = 0x30c5387d;  // the same with AFE
constexpr uint32_t kPrrr = 0xff0a81a8;         // PRRR, proc-v7-2level.S
constexpr uint32_t kNmrr = 0x40e040e0;         // NMRR
constexpr uint32_t kMair0 = 0xeeaa4400;        // MAIR0, proc-v7-3level.S
constexpr uint32_t kMair1 = 0xff000004;        // MAIR1
// EAE, both ranges walked Inner Shareable write-back write-allocate
// (TTB_FLAGS_UP << 16 | TTB_FLAGS_UP, proc-v7-3level.S); T1SZ is added.
constexpr uint32_t kTtbcrLpaeFlags = 0xb5003500;

}  // namespace

hw::arm::Registers linux_mmu_registers(const ArmBoot& boot) {
  hw::arm::Registers r;
  r.ttbr0 = boot.pgd();
  if (!boot.input.config.lpae) {
    r.dacr = DACR_INIT;
    r.sctlr = kSctlr2Level;
    r.prrr = kPrrr;
    r.nmrr = kNmrr;
    r.ttbr1 = boot.pgd();
    return r;
  }
  r.sctlr = kSctlr3Level;
  r.mair0 = kMair0;
  r.mair1 = kMair1;
  // v7_ttb_setup splits the space only when PHYS_OFFSET <= PAGE_OFFSET:
  // T1SZ = TTBR1_SIZE, and TTBR1 = swapper_pg_dir + TTBR1_OFFSET
  // (pgtable-3level-hwdef.h): the pmd table of the top gigabyte for
  // VMSPLIT_3G, the pgd from entry 2 for VMSPLIT_2G, the pgd itself else.
  const uint32_t page_offset = boot.state.layout.PAGE_OFFSET;
  r.ttbcr = kTtbcrLpaeFlags;
  r.ttbr1 = boot.pgd();
  if (boot.state.PHYS_OFFSET <= page_offset) {
    r.ttbcr |= ((page_offset >> 30) - 1) << 16;
    if (page_offset == 0xc0000000) {
      r.ttbr1 += 4096 * (1 + 3);
    } else if (page_offset == 0x80000000) {
      r.ttbr1 += 16;
    }
  }
  return r;
}

}  // namespace ptsim::kernel::arm
