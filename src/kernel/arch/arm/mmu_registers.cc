#include "ptsim/kernel/arch/arm/mmu_registers.h"

#include "ptsim/hw/arch/arm/long_descriptor.h"
#include "ptsim/kernel/arch/arm/domain.h"

namespace ptsim::kernel::arm {

namespace {

constexpr uint32_t kSctlr2Level = 0x10c5387d;  // M C Z I V, TRE, AFE clear
constexpr uint32_t kSctlr3Level = 0x30c5387d;  // the same with AFE
constexpr uint32_t kPrrr = 0xff0a81a8;         // PRRR, proc-v7-2level.S
constexpr uint32_t kNmrr = 0x40e040e0;         // NMRR
constexpr uint32_t kMair0 = 0xeeaa4400;        // MAIR0, proc-v7-3level.S
constexpr uint32_t kMair1 = 0xff000004;        // MAIR1
// EAE, T1SZ = 2, both ranges walked Inner Shareable write-back
// write-allocate (TTB_FLAGS_UP in proc-v7-3level.S).
constexpr uint32_t kTtbcrLpae = 0xb5023500;

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
  r.ttbcr = kTtbcrLpae;
  // TTBR1 holds the pmd table of the kernel's gigabyte, which pgd[3] points at.
  const uint64_t pgd3 = boot.mem->load64(hw::PhysAddr(boot.pgd() + 3 * 8));
  r.ttbr1 = hw::arm::long_descriptor::decode_table(pgd3, 1).next_table.value();
  return r;
}

}  // namespace ptsim::kernel::arm
