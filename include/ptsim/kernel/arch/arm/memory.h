// Linux arm's virtual memory layout: the constants of asm/memory.h,
// asm/pgtable.h, asm/highmem.h and asm/fixmap.h, for the kernel versions the
// model knows and the build choices that move them (VMSPLIT, LPAE, HIGHMEM).
//
// Models: arch/arm/include/asm/memory.h, pgtable.h, highmem.h, fixmap.h
// (v6.1, v4.14, v3.19).
//
//   0xffffffff +----------------------+
//              | vectors  0xffff0000  |  high vectors (+ the kuser page)
//              | fixmap               |  FIXADDR_START .. FIXADDR_END
//              | (FDT, 6.1)           |  FDT_FIXED_BASE 0xff800000
//   VMALLOC_END+----------------------+  0xff000000 (3.19) / 0xff800000 (4.14, 6.1)
//              | vmalloc              |
// VMALLOC_START+----------------------+  high_memory + 8 MiB, 8 MiB aligned
//              | (hole)               |
//  high_memory +----------------------+
//              | lowmem (linear map)  |
//  PAGE_OFFSET +----------------------+  VMSPLIT: 0xc0000000, 0x80000000, 0x40000000
//              | pkmap (HIGHMEM)      |  PAGE_OFFSET - PMD_SIZE
//              | modules              |  PAGE_OFFSET - 16 MiB
//    TASK_SIZE +----------------------+  = MODULES_VADDR
//              | user                 |
//            0 +----------------------+
//
// The VMALLOC_END change: "ARM: 8432/1: move VMALLOC_END from 0xff000000 to
// 0xff800000" (commit 6ff0966052c4, merged for v4.4).  Profiles on either
// side of it, each a real release:
//   3.18  VMALLOC_END 0xff000000, fixmap 0xffc00000-0xffe00000, map_lowmem
//         maps each bank as one MT_MEMORY_RWX mapping (the last 3.x release,
//         before the kernel_x split of 3.19);
//   4.3   VMALLOC_END 0xff000000, 3 MiB fixmap, the kernel_x split (the last
//         release before the change; the seed notes' numbers come from a
//         kernel of this kind);
//   4.14  VMALLOC_END 0xff800000, early fixmap, the kernel_x split;
//   6.1   VMALLOC_END 0xff800000, the FDT at FDT_FIXED_BASE, map_lowmem
//         around kernel_sec_start..kernel_sec_end plus map_kernel.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ptsim/kernel/types.h"

namespace ptsim::kernel::arm {

// The kernel versions modelled.  Each differs from the next exactly where
// Linux does (see ArmLayout and the mmu.cc comments).
enum class ArmVersion { v3_18, v4_3, v4_14, v6_1 };

const char* to_string(ArmVersion v);  // "3.18", "4.3", "4.14", "6.1"
// "3.18"/"3.x"/"3", "4.3", "4.14"/"4"/"4.x", "6.1"/"6"; usage error otherwise.
ArmVersion parse_arm_version(std::string_view text);

// The build configuration the layout depends on.
struct ArmConfig {
  ArmVersion version = ArmVersion::v6_1;
  // CONFIG_VMSPLIT_3G / _2G / _1G: user space gets this many GiB, so
  // PAGE_OFFSET is 0xc0000000, 0x80000000 or 0x40000000.
  unsigned vmsplit_user_gib = 3;
  bool lpae = false;       // CONFIG_ARM_LPAE
  bool highmem = true;     // CONFIG_HIGHMEM
  bool modules = true;     // CONFIG_MODULES
  bool kuser_helpers = true;  // CONFIG_KUSER_HELPERS: high vectors are user-readable
  bool pci = true;         // CONFIG_PCI without NEED_MACH_IO_H: pci_reserve_io()
  // CONFIG_STRICT_KERNEL_RWX (4.14/6.1) or CONFIG_ARM_KERNMEM_PERMS (4.3).
  bool strict_kernel_rwx = true;
  // is_smp(): an SMP-capable CPU gets the write-allocate, shared policy of
  // head.S PMD_FLAGS_SMP; a uniprocessor (QEMU's single Cortex-A9 of
  // vexpress-a9) keeps write-back, non-shared (PMD_FLAGS_UP).
  bool smp = true;
  // CONFIG_CMA_SIZE_MBYTES (Debian's armmp: 16), or cma= on the command line.
  unsigned cma_size_mbytes = 0;
  // CONFIG_XIP_KERNEL: the end of the kernel image in ROM (_exiprom; _etext
  // in 3.x), which sits in the module area.  prepare_page_table() leaves the
  // ROM's mappings alone.  Only that skip is modelled for XIP kernels.
  std::optional<uint32_t> xip_exiprom;
};

// "3G"/"2G"/"1G" (also 3/2/1); usage error otherwise.
unsigned parse_vmsplit(std::string_view text);

// The compile-time constants for one configuration; every value is an
// unsigned long virtual address (or size) as on a 32-bit kernel.
struct ArmLayout {
  uint32_t PAGE_OFFSET = 0;
  uint32_t KERNEL_OFFSET = 0;  // = PAGE_OFFSET
  uint32_t TASK_SIZE = 0;      // PAGE_OFFSET - 16 MiB
  uint32_t TASK_UNMAPPED_BASE = 0;
  uint32_t MODULES_VADDR = 0;  // PAGE_OFFSET - 16 MiB (Thumb-2 kernels: - 8 MiB)
  uint32_t MODULES_END = 0;    // PAGE_OFFSET - PMD_SIZE with HIGHMEM, else PAGE_OFFSET
  uint32_t PKMAP_BASE = 0;     // PAGE_OFFSET - PMD_SIZE
  uint32_t LAST_PKMAP = 0;     // PTRS_PER_PTE
  uint32_t FIXADDR_START = 0;
  uint32_t FIXADDR_END = 0;
  uint32_t FIXADDR_TOP = 0;    // FIXADDR_END - PAGE_SIZE
  uint32_t VMALLOC_OFFSET = 8u << 20;
  uint32_t VMALLOC_END = 0;
  uint32_t VECTORS_BASE = 0xffff0000;
  uint32_t FDT_FIXED_BASE = 0;  // 6.1 only (0 = none)
  uint32_t FDT_FIXED_SIZE = 0;
  uint32_t PCI_IO_VIRT_BASE = 0xfee00000;
  // Page-table geometry (pgtable-2level.h / pgtable-3level.h).
  unsigned PMD_SHIFT = 21;
  unsigned PGDIR_SHIFT = 21;
  unsigned SECTION_SHIFT = 20;
  uint32_t PMD_SIZE = 0;
  uint32_t SECTION_SIZE = 0;
  uint32_t PTRS_PER_PGD = 0;
  uint32_t PTRS_PER_PMD = 0;
  uint32_t PTRS_PER_PTE = 512;
  // head.S: PG_DIR_SIZE below KERNEL_RAM_VADDR; arm_mm_memblock_reserve
  // reserves SWAPPER_PG_DIR_SIZE there.
  uint32_t PG_DIR_SIZE = 0;
  uint32_t SWAPPER_PG_DIR_SIZE = 0;
  // vmalloc_min (3.19, 4.14: VMALLOC_END - 240 MiB - VMALLOC_OFFSET) or the
  // 6.1 default vmalloc_size of 240 MiB.
  uint32_t default_vmalloc_size = 240u << 20;
};

ArmLayout arm_layout(const ArmConfig& config);

}  // namespace ptsim::kernel::arm
