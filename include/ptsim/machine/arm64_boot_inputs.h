// From what machine/ reads (a device tree, a command line, a System.map) to
// what the arm64 boot model consumes (kernel::arm64::BootInputs).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <span>
#include <vector>

#include "ptsim/kernel/arch/arm64/boot.h"
#include "ptsim/kernel/drivers/of/fdt.h"
#include "ptsim/machine/cmdline.h"
#include "ptsim/machine/inputs.h"
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

// What `ptsim boot --arch arm64` is asked to boot.
struct Arm64BootRequest {
  MachineChoice machine;         // --machine NAME | --dtb FILE, --ram SIZE
  std::optional<std::string> cmdline;  // --cmdline; else the blob's bootargs, else "nokaslr"
  std::string symbols_file;      // --kernel-symbols; else the machine's kernel image preset
  std::optional<uint64_t> text_pa;  // --load-address; else RAM base + 2 MiB, as QEMU loads an Image
  std::optional<uint64_t> dtb_pa;   // --dtb-address; else where QEMU puts it
  // The configuration booted; a preset image (linked for 4K pages and
  // 48-bit VA) is moved to this configuration's KIMAGE_VADDR.
  unsigned page_shift = 12;
  unsigned va_bits = 48;
};

// The built-in image's symbols (linked for 4K pages, already moved to
// this configuration's KIMAGE_VADDR) laid out as a kernel built for
// `page_shift` and `va_bits` would lay out its page-table areas: each one
// PAGE_SIZE aligned and sized by asm/kernel-pgtable.h, in vmlinux.lds.S's
// order, the rest of the image moved up by what they grew.  4K pages return
// the symbols unchanged.
SymbolTable arm64_image_pgtables_for_page_size(const SymbolTable& symbols, unsigned page_shift,
                                               unsigned va_bits);

// Loads the machine, its blob, the symbols and the command line.  A preset
// machine's blob is written from the preset and padded to 1 MiB as QEMU
// pads the blobs it generates; it sits where QEMU virt puts a DTB when no
// initrd is given: RAM base + min(RAM / 2, 128 MiB).
kernel::arm64::BootInputs prepare_arm64_boot(const Arm64BootRequest& request);

}  // namespace ptsim::machine
