#include "ptsim/kernel/arch/arm64/kernel_pgtable.h"

namespace ptsim::kernel::arm64 {
namespace {

// ARM64_KERNEL_USES_PMD_MAPS: only 4K pages end the swapper in blocks.
bool uses_pmd_maps(const Geometry& g) {
  return g.page_shift == 12;
}

// EARLY_ENTRIES(vstart, vend, shift, add)
uint64_t early_entries(uint64_t vstart, uint64_t vend, uint64_t shift, uint64_t add) {
  return ((vend - 1) >> shift) - (vstart >> shift) + 1 + add;
}

}  // namespace

uint64_t swapper_block_size(const Geometry& g) {
  return uses_pmd_maps(g) ? g.level_size(PgLevel::pmd) : g.page_size();
}

// Models: arch/arm64/include/asm/kernel-pgtable.h EARLY_PAGES (v6.1).
uint64_t early_pages(const Geometry& g, uint64_t vstart, uint64_t vend, uint64_t add) {
  const unsigned swapper_levels = uses_pmd_maps(g) ? g.pgtable_levels - 1 : g.pgtable_levels;
  // SWAPPER_TABLE_SHIFT: PUD_SHIFT with PMD maps, PMD_SHIFT otherwise.
  const uint64_t table_shift =
      uses_pmd_maps(g) ? g.level_shift(PgLevel::pud) : g.level_shift(PgLevel::pmd);
  uint64_t pages = 1 + early_entries(vstart, vend, g.level_shift(PgLevel::pgd), add);
  if (swapper_levels > 3) {
    pages += early_entries(vstart, vend, g.level_shift(PgLevel::pud), add);
  }
  if (swapper_levels > 2) {
    pages += early_entries(vstart, vend, table_shift, add);
  }
  return pages;
}

// Models: arch/arm64/include/asm/kernel-pgtable.h INIT_DIR_SIZE (v6.1).
uint64_t init_dir_size(const Geometry& g, uint64_t kimage_vaddr, uint64_t end,
                       bool randomize_base) {
  return g.page_size() * early_pages(g, kimage_vaddr, end, randomize_base ? 1 : 0);
}

// Models: arch/arm64/include/asm/kernel-pgtable.h INIT_IDMAP_DIR_SIZE (v6.1).
uint64_t init_idmap_dir_size(const Geometry& g, uint64_t kimage_vaddr, uint64_t end) {
  const uint64_t pages =
      early_pages(g, kimage_vaddr, end + MAX_FDT_SIZE + swapper_block_size(g), 1);
  return (pages + (g.va_bits < 48 ? 2 : 0)) * g.page_size();
}

}  // namespace ptsim::kernel::arm64
