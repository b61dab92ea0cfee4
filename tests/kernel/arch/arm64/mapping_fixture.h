// A small arm64 world for mapping tests: simulated RAM, a top-down table
// allocator, a pgd, the page-table operations and the mapper.
#pragma once

#include <memory>

#include "ptsim/hw/arch/arm64/walk.h"
#include "ptsim/hw/phys_mem.h"
#include "ptsim/kernel/arch/arm64/mm/pgd_mapping.h"
#include "ptsim/kernel/arch/arm64/pgtable.h"
#include "ptsim/kernel/mm/page_alloc.h"

namespace ptsim::kernel::arm64::testing {

struct MappingWorld {
  // RAM for the tables at 0x40000000 (256 MiB); the mapped "physical"
  // addresses need not be RAM, since nothing reads through the mappings.
  static constexpr phys_addr_t kRamBase = 0x40000000;
  static constexpr uint64_t kRamSize = 256ull << 20;

  explicit MappingWorld(unsigned page_shift = 12, unsigned va_bits = 48)
      : geometry(arm64_geometry(page_shift, va_bits)),
        pages((mem.add_ram(hw::PhysAddr(kRamBase), kRamSize), mem), kRamBase, kRamBase + kRamSize,
              geometry.page_size()),
        pt(geometry, mem),
        mapper(pt, [this](int shift) { return pages.alloc_table(shift); }, &log) {
    pgdir = pages.alloc_page();
  }

  hw::arm64::WalkResult walk(uint64_t va) const {
    return hw::arm64::walk(mem, hw_walk_request(geometry, pgdir, va), va);
  }

  unsigned tables_allocated() const { return static_cast<unsigned>(pages.allocations().size()); }

  Geometry geometry;
  hw::PhysMem mem;
  TopDownPageAllocator pages;
  KernelLog log;
  PgTable pt;
  PgdMapper mapper;
  phys_addr_t pgdir = 0;
};

}  // namespace ptsim::kernel::arm64::testing
