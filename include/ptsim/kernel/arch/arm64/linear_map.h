// The kernel's linear map of one RAM bank, built the way map_mem() maps
// memory (arch/arm64/mm/mmu.c, v6.1) but without the rest of the boot: a
// pgd page and every table page come top-down from the end of the bank.
// It is the demonstration `ptsim` runs by default until a boot model is
// chosen, and a small fixture for tests and benchmarks.
#pragma once

#include <cstdint>
#include <vector>

#include "ptsim/hw/phys_mem.h"
#include "ptsim/kernel/include/pgtable_geometry.h"
#include "ptsim/kernel/mm/page_alloc.h"
#include "ptsim/kernel/types.h"

namespace ptsim::kernel::arm64 {

struct LinearMapSpec {
  unsigned page_shift = 12;
  unsigned va_bits = 48;
  phys_addr_t ram_base = 0x40000000;
  uint64_t ram_size = uint64_t{1} << 30;
  // rodata=full (Debian's default) makes map_mem() use NO_BLOCK_MAPPINGS |
  // NO_CONT_MAPPINGS, a page-granular linear map.
  bool rodata_full = true;
};

struct LinearMap {
  Geometry geometry;
  hw::PhysMem mem;
  phys_addr_t pgdir = 0;
  phys_addr_t memstart_addr = 0;
  uint64_t virt_start = 0;  // __phys_to_virt(ram_base)
  std::vector<TopDownPageAllocator::Allocation> tables;
};

LinearMap build_linear_map(const LinearMapSpec& spec);

}  // namespace ptsim::kernel::arm64
