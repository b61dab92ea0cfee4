// Linux arm's memory types and static mapping descriptors.
//
// Models: arch/arm/include/asm/mach/map.h (struct map_desc, MT_*),
// arch/arm/mm/mm.h (struct mem_type) and arch/arm/mm/mmu.c mem_types[] and
// build_mem_type_table (v6.1).
//
// mem_types[] starts as mmu.c's static table; build_mem_type_table() then
// adjusts it for the CPU.  The model's CPU is an ARMv7 SMP core (Cortex-A9,
// Cortex-A15) with the extended page tables (SCTLR.XP), TEX remap
// (SCTLR.TRE), the PXN bit, and the write-allocate cache policy with shared
// mappings that head.S set up (PMD_FLAGS_SMP): what every arm kernel of the
// profiles computes on vexpress-a9, QEMU virt and the Raspberry Pi 2.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "ptsim/kernel/events.h"

namespace ptsim::kernel::arm {

// Models: arch/arm/include/asm/mach/map.h enum (v6.1)
enum mem_type_index : unsigned {
  MT_DEVICE = 0,
  MT_DEVICE_NONSHARED,
  MT_DEVICE_CACHED,
  MT_DEVICE_WC,
  MT_UNCACHED = 4,
  MT_CACHECLEAN,
  MT_MINICLEAN,
  MT_LOW_VECTORS,
  MT_HIGH_VECTORS,
  MT_MEMORY_RWX,
  MT_MEMORY_RW,
  MT_MEMORY_RO,
  MT_ROM,
  MT_MEMORY_RWX_NONCACHED,
  MT_MEMORY_RW_DTCM,
  MT_MEMORY_RWX_ITCM,
  MT_MEMORY_RW_SO,
  MT_MEMORY_DMA_READY,
  MT_COUNT,
};

// "MT_MEMORY_RW" for MT_MEMORY_RW; "MT_<n>" past the table.
const char* mem_type_name(unsigned type);

// Models: arch/arm/include/asm/mach/map.h struct map_desc (v6.1).
// `virtual` is a C++ keyword, hence virtual_.
struct map_desc {
  uint32_t virtual_ = 0;
  uint64_t pfn = 0;  // unsigned long; LPAE pfns above 4 GiB fit in 32 bits too
  uint32_t length = 0;
  unsigned type = MT_DEVICE;
  bool operator==(const map_desc&) const = default;
};

// Models: arch/arm/mm/mm.h struct mem_type (v6.1).  Values are the 32-bit
// short-descriptor words, or the 64-bit LPAE ones.
struct mem_type {
  uint64_t prot_pte = 0;
  uint64_t prot_l1 = 0;
  uint64_t prot_sect = 0;
  unsigned domain = 0;
};

using mem_type_table = std::array<mem_type, MT_COUNT>;

// The pgprot_kernel / pgprot_user values build_mem_type_table computes,
// alongside the table.
struct mem_type_result {
  mem_type_table types;
  uint64_t pgprot_kernel = 0;
  uint64_t pgprot_user = 0;
};

// Models: arch/arm/mm/mmu.c build_mem_type_table (v6.1), for the ARMv7 CPU
// described above.  `smp` is is_smp(): SMP keeps head.S's write-alloc,
// shared policy; a uniprocessor the write-back, non-shared one.  Prints
// "Memory policy: Data cache writealloc" (or writeback) to `log`.
mem_type_result build_mem_type_table(bool lpae, bool smp, KernelLog* log);

// The policy name build_mem_type_table prints: "writealloc" or "writeback".
const char* cache_policy_name(bool smp);

}  // namespace ptsim::kernel::arm
