// arch/arm64/kernel/setup.c (v6.1) setup_machine_fdt, and the early
// console's fixmap slot (drivers/tty/serial/earlycon.c earlycon_map).
#include <fmt/format.h>

#include "ptsim/kernel/arch/arm64/boot.h"

namespace ptsim::kernel::arm64 {

void Arm64Kernel::setup_machine_fdt() {
  uint32_t size = 0;
  const uint64_t dt_virt = fixmap_remap_fdt(in_.dtb_pa, &size, PAGE_KERNEL);
  if (dt_virt != 0) {
    memblock_.memblock_reserve(in_.dtb_pa, size, "setup_machine_fdt");
  }
  const DtScanResult scan =
      dt_virt != 0 ? early_init_dt_scan(in_.fdt, memblock_, log_, g_.page_size()) : DtScanResult{};
  if (dt_virt == 0 || !scan.found_memory) {
    // Linux spins here (cpu_relax()) after printing this.
    throw KernelPanic(fmt::format(
        "Error: invalid device tree blob at physical address 0x{:016x} (virtual address 0x{:016x}); "
        "The dtb must be 8-byte aligned and must not exceed 2 MB in size",
        in_.dtb_pa, dt_virt));
  }
  phys_initrd_start_ = scan.phys_initrd_start;
  phys_initrd_size_ = scan.phys_initrd_size;
  // Early fixups are done: map the FDT read-only.
  fixmap_remap_fdt(in_.dtb_pa, &size, PAGE_KERNEL_RO);
  fdt_va_ = dt_virt;
  fdt_size_ = size;
  if (!in_.fdt.model.empty()) {
    log_.info("arch/arm64/kernel/setup.c", fmt::format("Machine model: {}", in_.fdt.model));
  }
}

uint64_t Arm64Kernel::earlycon_map(uint64_t paddr) {
  const uint64_t page_mask = ~(g_.page_size() - 1);
  set_fixmap(layout_.fix.fix_earlycon_mem_base, paddr & page_mask, FIXMAP_PAGE_IO);  // set_fixmap_io
  return layout_.fix_to_virt(layout_.fix.fix_earlycon_mem_base) + (paddr & ~page_mask);
}

}  // namespace ptsim::kernel::arm64
