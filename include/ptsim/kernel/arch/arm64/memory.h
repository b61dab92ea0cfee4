// arm64 memory-layout constants that follow from the geometry
// (arch/arm64/include/asm/memory.h, kernel-pgtable.h, sparsemem.h; v6.1).
#pragma once

#include <cstdint>

#include "ptsim/kernel/include/pgtable_geometry.h"
#include "ptsim/kernel/types.h"

namespace ptsim::kernel::arm64 {

// _PAGE_OFFSET(va) = -(1 << va): the start of the linear map.
constexpr uint64_t page_offset(unsigned va_bits) { return ~uint64_t{0} << va_bits; }

// ARM64_MEMSTART_ALIGN: memstart_addr is rounded down to PUD_SIZE (4K),
// CONT_PMD_SIZE (16K) or PMD_SIZE (64K), and at least to the sparsemem
// section size (SECTION_SIZE_BITS 27, or 29 with 64K pages).
uint64_t memstart_align(const Geometry& g);

// __phys_to_virt(): the linear-map address of `pa` given memstart_addr
// (PHYS_OFFSET).
constexpr uint64_t phys_to_virt(phys_addr_t pa, phys_addr_t memstart_addr, unsigned va_bits) {
  return (pa - memstart_addr) | page_offset(va_bits);
}

}  // namespace ptsim::kernel::arm64
