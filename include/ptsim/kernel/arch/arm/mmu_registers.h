// The translation registers Linux arm programs for its kernel tables, so
// that the ARMv7 walker (hw/arch/arm) can be pointed at a booted model's
// swapper_pg_dir exactly as the CPU is.
//
// Models: arch/arm/mm/proc-v7-2level.S, proc-v7-3level.S and proc-v7.S
// (__v7_setup: SCTLR, PRRR/NMRR or MAIR0/MAIR1, TTBCR), head.S and
// proc-v7-3level.S's TTBR1_OFFSET, arch/arm/include/asm/domain.h DACR_INIT
// (v6.1).  The values are those a Debian 6.1 armmp and armmp-lpae guest
// shows (tests/golden/arm/live_ptdump*/regs.txt), used for every profile.
#pragma once

#include "ptsim/hw/arch/arm/regs.h"
#include "ptsim/kernel/arch/arm/boot.h"

namespace ptsim::kernel::arm {

// Short-descriptor: TTBR0 = TTBR1 = swapper_pg_dir, TTBCR 0, DACR_INIT.
// LPAE: TTBR0 = swapper_pg_dir; with VMSPLIT_3G T1SZ = 2 and TTBR1 the pmd
// table of the top gigabyte (swapper_pg_dir + 4 pages), with VMSPLIT_2G
// T1SZ = 1 and TTBR1 at the pgd's entry 2, and no split otherwise or when
// PHYS_OFFSET is above PAGE_OFFSET (v7_ttb_setup).  DACR is left 0: Linux
// does not write it without domains, and the walk ignores it.
hw::arm::Registers linux_mmu_registers(const ArmBoot& boot);

}  // namespace ptsim::kernel::arm
