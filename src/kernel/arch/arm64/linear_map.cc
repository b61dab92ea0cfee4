#include "ptsim/kernel/arch/arm64/linear_map.h"

#include "ptsim/kernel/arch/arm64/memory.h"
#include "ptsim/kernel/arch/arm64/mm/pgd_mapping.h"
#include "ptsim/kernel/arch/arm64/pgtable.h"

namespace ptsim::kernel::arm64 {

LinearMap build_linear_map(const LinearMapSpec& spec) {
  LinearMap lm{arm64_geometry(spec.page_shift, spec.va_bits), hw::PhysMem{}, 0, 0, 0, {}};
  lm.mem.add_ram(hw::PhysAddr(spec.ram_base), spec.ram_size);
  const uint64_t page = lm.geometry.page_size();
  TopDownPageAllocator pages(lm.mem, spec.ram_base, spec.ram_base + spec.ram_size, page);

  // The pgd may be smaller than a page (e.g. 64K/48: 64 entries), but it
  // takes a page of its own here as swapper_pg_dir does in the image.
  lm.pgdir = pages.alloc_table(static_cast<int>(lm.geometry.level_shift(PgLevel::pgd)));
  lm.memstart_addr = spec.ram_base & ~(memstart_align(lm.geometry) - 1);
  lm.virt_start = phys_to_virt(spec.ram_base, lm.memstart_addr, spec.va_bits);

  const PgTable pt(lm.geometry, lm.mem);
  PgdMapper mapper(pt, [&](int shift) { return pages.alloc_table(shift); });
  const int flags = spec.rodata_full ? (NO_BLOCK_MAPPINGS | NO_CONT_MAPPINGS) : 0;
  mapper.create_pgd_mapping(lm.pgdir, spec.ram_base, lm.virt_start, spec.ram_size, PAGE_KERNEL, flags);
  lm.tables = pages.allocations();
  return lm;
}

}  // namespace ptsim::kernel::arm64
