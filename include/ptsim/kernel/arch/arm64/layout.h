// The arm64 kernel virtual memory layout and the fixmap, derived as Linux
// 6.1 derives them (arch/arm64/include/asm/memory.h, pgtable.h, fixmap.h,
// include/asm-generic/fixmap.h) for a geometry and a kernel configuration.
//
//   PAGE_OFFSET     linear map                  _PAGE_OFFSET(VA_BITS)
//   PAGE_END        = MODULES_VADDR             _PAGE_END(VA_BITS_MIN)
//   MODULES_END     = KIMAGE_VADDR = VMALLOC_START (+128 MiB)
//   VMALLOC_END     = VMEMMAP_START - 256 MiB
//   FIXADDR_START .. FIXADDR_TOP = VMEMMAP_START - 32 MiB
//   PCI_IO_START .. PCI_IO_END = VMEMMAP_START - 8 MiB
//   VMEMMAP_START .. VMEMMAP_END
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ptsim/kernel/include/pgtable_geometry.h"

namespace ptsim::kernel::arm64 {

// The Kconfig options that change the layout or the fixmap (Debian 12's
// arm64 config sets all of them).
struct LayoutConfig {
  bool acpi_apei_ghes = true;         // CONFIG_ACPI_APEI_GHES
  bool arm_sde_interface = true;      // CONFIG_ARM_SDE_INTERFACE
  bool unmap_kernel_at_el0 = true;    // CONFIG_UNMAP_KERNEL_AT_EL0
  bool relocatable = true;            // CONFIG_RELOCATABLE
  unsigned struct_page_max_shift = 6; // STRUCT_PAGE_MAX_SHIFT: a 64-byte struct page
};

// enum fixed_addresses (arch/arm64/include/asm/fixmap.h, v6.1.192), as
// indices; a slot absent from the configuration is -1.
struct FixedAddresses {
  long fix_hole = 0;
  long fix_fdt_end = 0;
  long fix_fdt = 0;
  long fix_earlycon_mem_base = 0;
  long fix_text_poke0 = 0;
  long fix_apei_ghes_irq = -1;
  long fix_apei_ghes_sea = -1;
  long fix_apei_ghes_sdei_normal = -1;
  long fix_apei_ghes_sdei_critical = -1;
  long fix_entry_tramp_text4 = -1;
  long fix_entry_tramp_text3 = -1;
  long fix_entry_tramp_text2 = -1;
  long fix_entry_tramp_text1 = -1;
  long end_of_permanent_fixed_addresses = 0;
  long nr_fix_btmaps = 0;     // NR_FIX_BTMAPS = SZ_256K / PAGE_SIZE + 1
  long fix_btmaps_slots = 7;  // FIX_BTMAPS_SLOTS
  long fix_btmap_end = 0;
  long fix_btmap_begin = 0;
  long fix_pte = 0;
  long fix_pmd = 0;
  long fix_pud = 0;
  long fix_pgd = 0;
  long end_of_fixed_addresses = 0;

  // Every slot with its Linux name, in enum order.
  std::vector<std::pair<std::string, long>> named() const;
};

struct Layout {
  unsigned va_bits = 48;
  unsigned va_bits_min = 48;
  uint64_t page_offset = 0;    // PAGE_OFFSET
  uint64_t page_end = 0;       // PAGE_END (no KASAN)
  uint64_t modules_vaddr = 0;  // MODULES_VADDR
  uint64_t modules_end = 0;    // MODULES_END
  uint64_t kimage_vaddr = 0;   // KIMAGE_VADDR
  uint64_t vmalloc_start = 0;  // VMALLOC_START
  uint64_t vmalloc_end = 0;    // VMALLOC_END
  uint64_t vmemmap_start = 0;  // VMEMMAP_START
  uint64_t vmemmap_end = 0;    // VMEMMAP_END
  uint64_t pci_io_start = 0;   // PCI_IO_START
  uint64_t pci_io_end = 0;     // PCI_IO_END
  uint64_t fixaddr_top = 0;    // FIXADDR_TOP
  uint64_t fixaddr_start = 0;  // FIXADDR_START
  uint64_t fixaddr_size = 0;   // FIXADDR_SIZE
  FixedAddresses fix;
  unsigned page_shift = 12;

  // __fix_to_virt(idx) = FIXADDR_TOP - (idx << PAGE_SHIFT)
  uint64_t fix_to_virt(long idx) const { return fixaddr_top - (static_cast<uint64_t>(idx) << page_shift); }
};

Layout arm64_layout(const Geometry& g, const LayoutConfig& config = {});

}  // namespace ptsim::kernel::arm64
