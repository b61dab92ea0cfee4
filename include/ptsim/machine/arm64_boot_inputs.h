// From what machine/ reads (a device tree, a command line, a System.map) to
// what the arm64 boot model consumes (kernel::arm64::BootInputs).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "ptsim/kernel/arch/arm64/boot.h"
#include "ptsim/kernel/drivers/of/fdt.h"
#include "ptsim/machine/cmdline.h"
#include "ptsim/machine/kernel_image.h"
#include "ptsim/machine/machine.h"

namespace ptsim::machine {

// The early FDT code's view of a machine; `totalsize` is the blob's header
// size (what the kernel maps and reserves).
kernel::FdtInfo fdt_info(const Machine& m, uint32_t totalsize);

// Everything the arm64 boot needs: the machine, its blob loaded at
// `dtb_pa`, the command line (the blob's bootargs unless given), the image
// symbols and the physical address the boot loader put _text at.
kernel::arm64::BootInputs arm64_boot_inputs(const Machine& m, std::span<const uint8_t> dtb, uint64_t dtb_pa,
                                            const CommandLine& cmdline, const SymbolTable& symbols,
                                            uint64_t text_pa);

}  // namespace ptsim::machine
