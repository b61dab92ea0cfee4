// `ptsim explain --va ADDR`: one address's walk through a booted kernel's
// swapper_pg_dir told level by level, with the VA written in binary and cut
// into the fields each level indexes with (seed 001, section 2).
#pragma once

#include <cstdint>
#include <string>

#include "ptsim/kernel/arch/arm/boot.h"
#include "ptsim/kernel/arch/arm64/boot.h"

namespace ptsim::report {

enum class ExplainStyle {
  text,      // plain text
  colour,    // text with ANSI colours, each level's bits in its own colour
  markdown,  // a Markdown section with tables
};

std::string explain_va(const kernel::arm64::Arm64Kernel& k, uint64_t va, ExplainStyle style);

// The same for an arm boot, walked by the ARMv7 walker with the registers
// Linux programs (kernel/arch/arm/mmu_registers.h); ends with the run of
// Linux's own ptdump that covers the address.
std::string explain_va(const kernel::arm::ArmBoot& boot, uint32_t va, ExplainStyle style);

}  // namespace ptsim::report
