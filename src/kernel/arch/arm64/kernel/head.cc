// head.S: the tables the kernel builds with the MMU off, written the way the
// assembly macros write them (map_memory, compute_indices,
// populate_entries, remap_region), into the static tables of the image.
#include <fmt/format.h>

#include "ptsim/kernel/arch/arm64/boot.h"

#include "ptsim/error.h"
#include "ptsim/kernel/arch/arm64/kernel_pgtable.h"

namespace ptsim::kernel::arm64 {
namespace {

// ARM64_KERNEL_USES_PMD_MAPS (4K pages): the swapper tables end in 2 MiB
// blocks, one level short of the page level (asm/kernel-pgtable.h).
struct SwapperShape {
  unsigned pgtable_levels;  // SWAPPER_PGTABLE_LEVELS
  unsigned block_shift;     // SWAPPER_BLOCK_SHIFT
  unsigned table_shift;     // SWAPPER_TABLE_SHIFT
  uint64_t rw_mmuflags;     // SWAPPER_RW_MMUFLAGS
  uint64_t rx_mmuflags;     // SWAPPER_RX_MMUFLAGS
};

SwapperShape swapper_shape(const Geometry& g) {
  const bool pmd_maps = g.page_shift == 12;
  SwapperShape s{};
  s.pgtable_levels = pmd_maps ? g.pgtable_levels - 1 : g.pgtable_levels;
  s.block_shift = pmd_maps ? static_cast<unsigned>(g.level_shift(PgLevel::pmd)) : g.page_shift;
  s.table_shift = static_cast<unsigned>(pmd_maps ? g.level_shift(PgLevel::pud) : g.level_shift(PgLevel::pmd));
  s.rw_mmuflags = pmd_maps ? (PMD_ATTRINDX(MT_NORMAL) | PMD_TYPE_SECT | PMD_SECT_AF | PMD_SECT_S)
                           : (PTE_ATTRINDX(MT_NORMAL) | PTE_TYPE_PAGE | PTE_AF | PTE_SHARED);
  s.rx_mmuflags = s.rw_mmuflags | (pmd_maps ? PMD_SECT_RDONLY : PTE_RDONLY);
  return s;
}

// compute_indices: the first and last index of [vstart, vend] at `shift`
// in a table of 2^order entries, scaled by the entries the previous level
// needed (which became consecutive table pages).
void compute_indices(uint64_t vstart, uint64_t vend, unsigned shift, unsigned order, uint64_t* istart,
                     uint64_t* iend, uint64_t* count) {
  const uint64_t mask = (uint64_t{1} << order) - 1;
  *istart = (vstart >> shift) & mask;
  *iend = (vend >> shift) & mask;
  *iend += *count << order;
  *count = *iend - *istart;
}

}  // namespace

// Models: arch/arm64/kernel/head.S populate_entries (v6.1).
void Arm64Kernel::populate_entries(uint64_t tbl, uint64_t* rtbl, uint64_t index, uint64_t eindex, uint64_t flags,
                                   uint64_t inc) {
  do {
    mem_.store64(hw::PhysAddr(tbl + index * 8), pt_.phys_to_pte_val(*rtbl) | flags);
    *rtbl += inc;
    ++index;
  } while (index <= eindex);
}

// The table levels map_memory fills for [.., vend] (vend inclusive), as
// (shift, order): EXTRA_SHIFT when the ID map reaches above it, the pgd,
// then the pud and pmd levels the swapper has.
std::vector<std::pair<unsigned, unsigned>> Arm64Kernel::map_memory_levels(uint64_t vend, unsigned order,
                                                                         std::optional<unsigned> extra_shift) const {
  const SwapperShape s = swapper_shape(g_);
  const unsigned table_order = g_.page_shift - 3;
  std::vector<std::pair<unsigned, unsigned>> levels;
  if (extra_shift && (vend & ~((uint64_t{1} << *extra_shift) - 1)) != 0) {
    levels.emplace_back(*extra_shift, table_order);
  }
  levels.emplace_back(static_cast<unsigned>(g_.level_shift(PgLevel::pgd)), order);
  if (s.pgtable_levels > 3) {
    levels.emplace_back(static_cast<unsigned>(g_.level_shift(PgLevel::pud)), table_order);
  }
  if (s.pgtable_levels > 2) {
    levels.emplace_back(s.table_shift, table_order);
  }
  return levels;
}

// Models: arch/arm64/kernel/head.S map_memory (v6.1).  `*last_table`
// receives the last-level table, as the macro leaves it in `tbl`.
void Arm64Kernel::map_memory(uint64_t tbl, uint64_t vstart, uint64_t vend, uint64_t flags, uint64_t phys,
                             unsigned order, std::optional<unsigned> extra_shift, uint64_t* last_table) {
  const SwapperShape s = swapper_shape(g_);
  const unsigned table_order = g_.page_shift - 3;
  const uint64_t page = g_.page_size();
  vend -= 1;
  uint64_t rtbl = tbl + page;
  uint64_t count = 0;
  uint64_t istart = 0;
  uint64_t iend = 0;
  for (const auto& [shift, ord] : map_memory_levels(vend, order, extra_shift)) {
    compute_indices(vstart, vend, shift, ord, &istart, &iend, &count);
    const uint64_t sv = rtbl;
    populate_entries(tbl, &rtbl, istart, iend, PMD_TYPE_TABLE, page);
    tbl = sv;
  }
  compute_indices(vstart, vend, s.block_shift, table_order, &istart, &iend, &count);
  rtbl = phys & ~((uint64_t{1} << s.block_shift) - 1);
  populate_entries(tbl, &rtbl, istart, iend, flags, uint64_t{1} << s.block_shift);
  *last_table = tbl;
  if (steps_.on()) {
    const uint64_t block = uint64_t{1} << s.block_shift;
    const uint64_t entries = iend - istart + 1;
    const uint64_t va = vstart & ~(block - 1);
    steps_.map("map_memory", s.block_shift == g_.page_shift ? "page" : "block",
               (flags & PTE_RDONLY) != 0 ? "SWAPPER_RX_MMUFLAGS" : "SWAPPER_RW_MMUFLAGS", va,
               phys & ~(block - 1), entries * block, entries,
               pt_.phys_to_pte_val(phys & ~(block - 1)) | flags, flags);
  }
}

// The image reserves the tables head.S builds (INIT_IDMAP_DIR_SIZE,
// INIT_DIR_SIZE in arch/arm64/include/asm/kernel-pgtable.h, v6.1) and
// map_memory takes them one page after another from `dir` with no bounds
// check: an area the image sized too small, or a `dir` not page aligned
// (adrp rounds it down), would put tables on top of the next object.
void Arm64Kernel::check_early_table_area(const char* dir, const char* end, uint64_t vstart, uint64_t vend,
                                         unsigned order, std::optional<unsigned> extra_shift) const {
  const uint64_t page = g_.page_size();
  const uint64_t start = pa_symbol(dir);
  const uint64_t limit = pa_symbol(end);
  if ((start & (page - 1)) != 0) {
    throw bad_input(fmt::format(
        "kernel image: {} ({:#x}) is not aligned to PAGE_SIZE {:#x}, so head.S (adrp) would build its "
        "tables below it, on top of the object before (fix: use the System.map of a kernel built "
        "for {}K pages, whose linker script aligns it)",
        dir, start, page, page / 1024));
  }
  uint64_t count = 0;
  uint64_t istart = 0;
  uint64_t iend = 0;
  uint64_t pages = 1;
  for (const auto& [shift, ord] : map_memory_levels(vend - 1, order, extra_shift)) {
    compute_indices(vstart, vend - 1, shift, ord, &istart, &iend, &count);
    pages += iend - istart + 1;
  }
  const uint64_t needed = pages * page;
  if (limit < start || limit - start < needed) {
    throw bad_input(fmt::format(
        "kernel image: the area {}..{} is {:#x} bytes but head.S needs {:#x} ({} tables of {:#x} "
        "bytes) for this configuration; its tables would overlap what follows (fix: use the "
        "System.map of a kernel built for {}K pages and VA_BITS={})",
        dir, end, limit < start ? 0 : limit - start, needed, pages, page, page / 1024, g_.va_bits));
  }
}

// idmap_get_t0sz (arch/arm64/include/asm/assembler.h, v6.1): the T0SZ that
// lets the ID map cover __pa_symbol(_end), and at least VA_BITS_MIN bits.
uint64_t Arm64Kernel::idmap_get_t0sz() const {
  const uint64_t v = pa_symbol("_end") | ((uint64_t{1} << layout_.va_bits_min) - 1);
  return static_cast<uint64_t>(__builtin_clzll(v));
}

// Models: arch/arm64/kernel/head.S remap_region (v6.1): rewrites entries of
// the last-level table map_memory filled, for [start, end) at `pa`.
void Arm64Kernel::remap_region(uint64_t table, uint64_t map_start, uint64_t start, uint64_t end, uint64_t pa,
                               uint64_t flags, unsigned block_shift) {
  end -= 1;
  uint64_t base_index = map_start >> block_shift;
  base_index &= ~((uint64_t{1} << (g_.page_shift - 3)) - 1);  // bfi x1, xzr, #0, #PAGE_SHIFT - 3
  const uint64_t first = (start >> block_shift) - base_index;
  const uint64_t last = (end >> block_shift) - base_index;
  uint64_t rtbl = pa;
  populate_entries(table, &rtbl, first, last, flags, uint64_t{1} << block_shift);
  steps_.map("remap_region", block_shift == g_.page_shift ? "page" : "block",
             (flags & PTE_RDONLY) != 0 ? "SWAPPER_RX_MMUFLAGS" : "SWAPPER_RW_MMUFLAGS",
             start & ~((uint64_t{1} << block_shift) - 1), pa, (last - first + 1) << block_shift,
             last - first + 1, pt_.phys_to_pte_val(pa) | flags, flags);
}

void Arm64Kernel::create_idmap_head() {
  BootSteps::Scope scope(steps_, "create_idmap",
                         "head.S, MMU off: init_idmap_pg_dir maps the kernel image 1:1 (VA = PA)");
  const SwapperShape s = swapper_shape(g_);
  const unsigned pgdir_shift = static_cast<unsigned>(g_.level_shift(PgLevel::pgd));
  const uint64_t page_mask = ~(g_.page_size() - 1);  // adrp rounds to the page
  const uint64_t block = uint64_t{1} << s.block_shift;
  unsigned order = 0;
  std::optional<unsigned> extra;
  if (g_.va_bits < 48) {
    order = g_.va_bits - pgdir_shift;  // IDMAP_PGD_ORDER
    extra = pgdir_shift + g_.page_shift - 3;  // EXTRA_SHIFT
  } else {
    order = config_.pa_bits - pgdir_shift;  // PHYS_MASK_SHIFT - PGDIR_SHIFT
  }
  const uint64_t tbl = pa_symbol("init_idmap_pg_dir");
  const uint64_t text = pa_symbol("_text") & page_mask;
  const uint64_t end = (pa_symbol("_end") + MAX_FDT_SIZE + block) & page_mask;
  check_early_table_area("init_idmap_pg_dir", "init_idmap_pg_end", text, end, order, extra);
  uint64_t last = 0;
  map_memory(tbl, text, end, s.rx_mmuflags, text, order, extra, &last);
  note("create_idmap", fmt::format("init_idmap_pg_dir {:#x}: [{:#x}-{:#x}) read-only, executable, 1:1", tbl, text,
                                   end));

  // Remap the kernel page tables r/w in the ID map.
  const uint64_t init_pg_dir = pa_symbol("init_pg_dir");
  remap_region(last, text, init_pg_dir, pa_symbol("init_pg_end"), init_pg_dir & ~(block - 1), s.rw_mmuflags,
               s.block_shift);
  // Remap the FDT after the kernel image.
  uint64_t x22 = (pa_symbol("_end") + block) & page_mask;
  const uint64_t fdt_start = x22 & ~(block - 1);
  x22 = (x22 & ~(block - 1)) | (in_.dtb_pa & (block - 1));  // the FDT's address in the ID map
  remap_region(last, text, fdt_start, fdt_start + MAX_FDT_SIZE + block, in_.dtb_pa & ~(block - 1),
               s.rw_mmuflags, s.block_shift);
  note("create_idmap", fmt::format("init_pg_dir and the FDT remapped read-write; the FDT is at {:#x} in the ID map",
                                   x22));
  // Walked as __cpu_setup's T0SZ has the MMU walk it (idmap_get_t0sz).
  roots_.push_back({"init_idmap_pg_dir", tbl, false, 64 - static_cast<unsigned>(idmap_get_t0sz())});
}

void Arm64Kernel::enable_mmu() {
  BootSteps::Scope scope(steps_, "__enable_mmu", "TCR_EL1 and the two TTBRs, then the MMU goes on");
  // __cpu_setup: TCR_EL1 for this configuration and CPU (arch/arm64/mm/proc.S).
  const uint64_t tg0 = g_.page_shift == 12 ? 0 : g_.page_shift == 16 ? 1 : 2;
  const uint64_t tg1 = g_.page_shift == 12 ? 2 : g_.page_shift == 16 ? 3 : 1;
  const uint64_t t1sz = 64 - vabits_actual();  // VA_BITS, or vabits_actual with VA_BITS=52
  const uint64_t t0sz = idmap_get_t0sz();
  const unsigned ips_bits = std::min(cpu_.parange_bits, config_.pa_bits == 52 ? 52u : 48u);
  const uint64_t ips = ips_bits == 32 ? 0 : ips_bits == 36 ? 1 : ips_bits == 40 ? 2 : ips_bits == 42 ? 3
                       : ips_bits == 44 ? 4 : ips_bits == 48 ? 5 : 6;
  uint64_t tcr = t0sz | (t1sz << 16);
  tcr |= (1ull << 8) | (1ull << 10) | (3ull << 12);  // IRGN0/ORGN0 WBWA, SH0 inner
  tcr |= (1ull << 24) | (1ull << 26) | (3ull << 28);  // IRGN1/ORGN1 WBWA, SH1 inner
  tcr |= tg0 << 14 | tg1 << 30;
  tcr |= 1ull << 22;                                 // A1
  tcr |= ips << 32;
  tcr |= 1ull << 36;                                 // AS: 16-bit ASIDs
  tcr |= 1ull << 37;                                 // TBI0
  if (config_.arm64_mte) {
    tcr |= (1ull << 38) | (1ull << 52);  // TBI1 | TBID1
  }
  if (config_.randomize_base) {
    tcr |= 1ull << 54;  // NFD1
  }
  regs_.tcr_el1 = tcr;
  regs_.ttbr0_el1 = pa_symbol("init_idmap_pg_dir");
  regs_.ttbr1_el1 = pa_symbol("reserved_pg_dir");
  note("__enable_mmu", fmt::format("TTBR0_EL1 {:#x} (init_idmap_pg_dir), TTBR1_EL1 {:#x} (reserved_pg_dir), "
                                   "TCR_EL1 {:#x}",
                                   regs_.ttbr0_el1, regs_.ttbr1_el1, regs_.tcr_el1));
}

void Arm64Kernel::create_kernel_mapping() {
  BootSteps::Scope scope(
      steps_, "create_kernel_mapping",
      "head.S: init_pg_dir maps the kernel image at KIMAGE_VADDR + kaslr_offset");
  const SwapperShape s = swapper_shape(g_);
  const uint64_t page_mask = ~(g_.page_size() - 1);
  const uint64_t tbl = pa_symbol("init_pg_dir");
  const uint64_t vstart = layout_.kimage_vaddr + kaslr_offset_;
  const uint64_t text = pa_symbol("_text") & page_mask;
  const uint64_t vend = ((pa_symbol("_end") & page_mask) - text) + vstart;
  const unsigned order = g_.va_bits - static_cast<unsigned>(g_.level_shift(PgLevel::pgd));
  check_early_table_area("init_pg_dir", "init_pg_end", vstart, vend, order, std::nullopt);
  uint64_t last = 0;
  map_memory(tbl, vstart, vend, s.rw_mmuflags, text, order, std::nullopt, &last);
  regs_.ttbr1_el1 = tbl;
  note("create_kernel_mapping",
       fmt::format("init_pg_dir {:#x}: [{:#x}-{:#x}) -> {:#x} read-write, executable", tbl, vstart, vend, text));
  roots_.push_back({"init_pg_dir", tbl, true, g_.va_bits});
}

}  // namespace ptsim::kernel::arm64
