// The boot half of arch/arm64/mm/mmu.c (v6.1): the fixmap, the FDT mapping,
// paging_init with map_kernel and map_mem, the ID map rebuilt in C, and the
// permission changes made at the end of boot.
#include <fmt/format.h>

#include "ptsim/kernel/arch/arm64/boot.h"
#include "ptsim/kernel/arch/arm64/kernel_pgtable.h"

namespace ptsim::kernel::arm64 {
namespace {

constexpr const char* kMmu = "arch/arm64/mm/mmu.c";
constexpr uint64_t MIN_FDT_ALIGN = 8;
constexpr uint32_t FDT_MAGIC = 0xd00dfeed;

uint32_t be32(uint32_t v) { return __builtin_bswap32(v); }

}  // namespace

void Arm64Kernel::early_fixmap_init() {
  BootSteps::Scope scope(steps_, "early_fixmap_init",
                         "hook the static bm_pud/bm_pmd/bm_pte tables under FIXADDR_START");
  const uint64_t addr = layout_.fixaddr_start;
  const EntryPtr pgdp = pt_.pgd_offset_pgd(init_mm_pgd_, addr);
  const EntryPtr p4dp = pt_.p4d_offset(pgdp, addr);
  const pteval_t p4d = pt_.read(p4dp);
  const uint64_t bm_pud = pa_symbol("bm_pud");
  EntryPtr pudp;
  if (g_.pgtable_levels > 3 && !(pt_.none(PgLevel::p4d, p4d) || (pt_.pte_to_phys(p4d) & ~(g_.page_size() - 1)) == bm_pud)) {
    // The kernel image and the fixmap share the top-level entry: 16K/4 levels only.
    bug_on(g_.page_shift != 14, "arch/arm64/mm/mmu.c early_fixmap_init", "!IS_ENABLED(CONFIG_ARM64_16K_PAGES)");
    pudp = pt_.pud_offset(p4dp, addr);
  } else {
    if (pt_.none(PgLevel::p4d, p4d)) {
      pt_.populate(PgLevel::p4d, p4dp, bm_pud, P4D_TYPE_TABLE);
      steps_.table("early_fixmap_init", "pud", bm_pud, g_.page_size(),
                   addr & ~(table_span(PgLevel::pud) - 1), table_span(PgLevel::pud),
                   "bm_pud, static in the kernel image (not from memblock)");
    }
    // fixmap_pud()
    bug_on(pt_.none(PgLevel::p4d, pt_.read(p4dp)) || pt_.bad(PgLevel::p4d, pt_.read(p4dp)),
           "arch/arm64/mm/mmu.c fixmap_pud", "p4d_none(p4d) || p4d_bad(p4d)");
    pudp = pt_.pud_offset(p4dp, addr);
  }
  if (pt_.none(PgLevel::pud, pt_.read(pudp))) {
    pt_.populate(PgLevel::pud, pudp, pa_symbol("bm_pmd"), PUD_TYPE_TABLE);
    steps_.table("early_fixmap_init", "pmd", pa_symbol("bm_pmd"), g_.page_size(),
                 addr & ~(table_span(PgLevel::pmd) - 1), table_span(PgLevel::pmd),
                 "bm_pmd, static in the kernel image (not from memblock)");
  }
  // fixmap_pmd()
  bug_on(pt_.none(PgLevel::pud, pt_.read(pudp)) || pt_.bad(PgLevel::pud, pt_.read(pudp)),
         "arch/arm64/mm/mmu.c fixmap_pmd", "pud_none(pud) || pud_bad(pud)");
  const EntryPtr pmdp = pt_.pmd_offset(pudp, addr);
  pt_.populate(PgLevel::pmd, pmdp, pa_symbol("bm_pte"), PMD_TYPE_TABLE);
  steps_.table("early_fixmap_init", "pte", pa_symbol("bm_pte"), g_.page_size(),
               addr & ~(table_span(PgLevel::pte) - 1), table_span(PgLevel::pte),
               "bm_pte, static in the kernel image (not from memblock)");

  // The boot-ioremap range must sit in the pmd just populated.
  const auto pmd_of = [&](uint64_t va) {
    return pt_.pmd_offset(pt_.pud_offset(pt_.p4d_offset(pt_.pgd_offset_pgd(init_mm_pgd_, va), va), va), va);
  };
  const uint64_t btmap_begin = layout_.fix_to_virt(layout_.fix.fix_btmap_begin);
  const uint64_t btmap_end = layout_.fix_to_virt(layout_.fix.fix_btmap_end);
  if (pmdp != pmd_of(btmap_begin) || pmdp != pmd_of(btmap_end)) {
    log_.warn("arch/arm64/mm/mmu.c early_fixmap_init", "1");
  }
  note("early_fixmap_init", fmt::format("FIXADDR_START {:#x}: bm_pud {:#x}, bm_pmd {:#x}, bm_pte {:#x} in pgd {:#x}",
                                        addr, bm_pud, pa_symbol("bm_pmd"), pa_symbol("bm_pte"), init_mm_pgd_));
}

void Arm64Kernel::set_fixmap(long idx, uint64_t phys, pgprot_t prot) {
  bug_on(idx >= layout_.fix.end_of_fixed_addresses, "arch/arm64/mm/mmu.c __set_fixmap",
         "idx >= __end_of_fixed_addresses");
  const uint64_t vaddr = layout_.fix_to_virt(idx);
  const EntryPtr pmdp =
      pt_.pmd_offset(pt_.pud_offset(pt_.p4d_offset(pt_.pgd_offset_pgd(init_mm_pgd_, vaddr), vaddr), vaddr), vaddr);
  const EntryPtr ptep = pt_.pte_offset_kernel(pmdp, vaddr);
  prot = prot.val != 0 ? maybe_ng(prot, use_ng_mappings_) : prot;  // FIXMAP_PAGE_IO has PTE_MAYBE_NG
  if (prot.val != 0) {
    pt_.set(ptep, pt_.pfn_pte(phys >> g_.page_shift, prot));
  } else {
    pt_.set(ptep, 0);  // pte_clear
  }
  note("__set_fixmap", fmt::format("slot {} at {:#x} -> {:#x} prot {:#x}", idx, vaddr, phys, prot.val));
}

// Models: arch/arm64/mm/mmu.c create_mapping_noalloc (v6.1).
void Arm64Kernel::create_mapping_noalloc(uint64_t phys, uint64_t virt, uint64_t size, pgprot_t prot) {
  if (virt < layout_.page_offset) {
    log_.info(kMmu, fmt::format("BUG: not creating mapping for 0x{:016x} at 0x{:016x} - outside kernel range",
                                phys, virt));
    return;
  }
  create_pgd_mapping(init_mm_pgd_, phys, virt, size, prot, NO_CONT_MAPPINGS, false, "create_mapping_noalloc");
}

// Models: arch/arm64/mm/mmu.c update_mapping_prot (v6.1).
void Arm64Kernel::update_mapping_prot(uint64_t phys, uint64_t virt, uint64_t size, pgprot_t prot) {
  if (virt < layout_.page_offset) {
    log_.info(kMmu, fmt::format("BUG: not updating mapping for 0x{:016x} at 0x{:016x} - outside kernel range",
                                phys, virt));
    return;
  }
  create_pgd_mapping(init_mm_pgd_, phys, virt, size, prot, NO_CONT_MAPPINGS, false, "update_mapping_prot");
}

uint64_t Arm64Kernel::fixmap_remap_fdt(uint64_t dt_phys, uint32_t* size, pgprot_t prot) {
  const uint64_t dt_virt_base = layout_.fix_to_virt(layout_.fix.fix_fdt);
  const unsigned block_shift = g_.page_shift == 12 ? static_cast<unsigned>(g_.level_shift(PgLevel::pmd)) : g_.page_shift;
  const uint64_t block = uint64_t{1} << block_shift;  // SWAPPER_BLOCK_SIZE
  if (dt_phys == 0 || (dt_phys % MIN_FDT_ALIGN) != 0) {
    return 0;
  }
  const uint64_t offset = dt_phys % block;
  const uint64_t dt_virt = dt_virt_base + offset;
  // Map the first chunk so the header can be read.
  create_mapping_noalloc(dt_phys & ~(block - 1), dt_virt_base, block, prot);
  const std::optional<uint64_t> header = mem_.try_load64(hw::PhysAddr(dt_phys));
  if (!header || be32(static_cast<uint32_t>(*header)) != FDT_MAGIC) {
    return 0;
  }
  *size = be32(static_cast<uint32_t>(*header >> 32));  // fdt_totalsize()
  if (*size > MAX_FDT_SIZE) {
    return 0;
  }
  if (offset + *size > block) {
    create_mapping_noalloc(dt_phys & ~(block - 1), dt_virt_base, (offset + *size + block - 1) & ~(block - 1), prot);
  }
  note("fixmap_remap_fdt", fmt::format("FDT {:#x} ({} bytes) at {:#x}, prot {:#x}", dt_phys, *size, dt_virt, prot.val));
  return dt_virt;
}

void Arm64Kernel::map_kernel_segment(uint64_t pgdp, const std::string& start, const std::string& end,
                                     pgprot_t prot, int flags) {
  // Models: arch/arm64/mm/mmu.c map_kernel_segment (v6.1).
  const uint64_t pa_start = pa_symbol(start);
  const uint64_t size = va_symbol(end) - va_symbol(start);
  BootSteps::Scope scope(steps_, "map_kernel_segment", start + " .. " + end);
  bug_on((pa_start & (g_.page_size() - 1)) != 0, "arch/arm64/mm/mmu.c map_kernel_segment",
         "!PAGE_ALIGNED(pa_start)");
  bug_on((size & (g_.page_size() - 1)) != 0, "arch/arm64/mm/mmu.c map_kernel_segment", "!PAGE_ALIGNED(size)");
  create_pgd_mapping(pgdp, pa_start, va_symbol(start), size, prot, flags, true, "map_kernel_segment");
}

// Models: arch/arm64/mm/mmu.c map_kernel (v6.1).
void Arm64Kernel::map_kernel(uint64_t pgdp) {
  BootSteps::Scope scope(
      steps_, "map_kernel",
      "the kernel image in swapper_pg_dir, segment by segment, each with its permissions");
  // No BTI on the modelled CPUs, so text keeps PAGE_KERNEL_ROX without PTE_GP.
  const pgprot_t text_prot = rodata_enabled_ ? PAGE_KERNEL_ROX : PAGE_KERNEL_EXEC;
  const pgprot_t kernel = PAGE_KERNEL;
  map_kernel_segment(pgdp, "_stext", "_etext", text_prot, 0);
  map_kernel_segment(pgdp, "__start_rodata", "__inittext_begin", kernel, NO_CONT_MAPPINGS);
  map_kernel_segment(pgdp, "__inittext_begin", "__inittext_end", text_prot, 0);
  map_kernel_segment(pgdp, "__initdata_begin", "__initdata_end", kernel, 0);
  map_kernel_segment(pgdp, "_data", "_end", kernel, 0);

  // The fixmap's pgd entry is copied from init_mm.pgd (still init_pg_dir).
  const EntryPtr dst = pt_.pgd_offset_pgd(pgdp, layout_.fixaddr_start);
  const EntryPtr src = pt_.pgd_offset_pgd(init_mm_pgd_, layout_.fixaddr_start);
  if (pt_.read(dst) == 0) {
    pt_.set(dst, pt_.read(src));
    note("map_kernel", fmt::format("fixmap pgd entry copied from init_pg_dir: {:#x}", pt_.read(dst)));
    return;
  }
  bug_on(g_.pgtable_levels <= 3, "arch/arm64/mm/mmu.c map_kernel", "1 /* BUG() */");
  bug_on(g_.page_shift != 14, "arch/arm64/mm/mmu.c map_kernel", "!IS_ENABLED(CONFIG_ARM64_16K_PAGES)");
  // 16K/4 levels: the kernel and the fixmap share the pgd entry; hook bm_pmd in.
  const EntryPtr p4dp = pt_.p4d_offset(dst, layout_.fixaddr_start);
  const EntryPtr pudp = pt_.pud_offset(p4dp, layout_.fixaddr_start);
  pt_.populate(PgLevel::pud, pudp, pa_symbol("bm_pmd"), PUD_TYPE_TABLE);
}

// map_mem()'s choice of page-granular linear map (arch/arm64/mm/mmu.c, v6.1):
// can_set_direct_map() is rodata_full here (no DEBUG_PAGEALLOC, no KFENCE),
// and crash_mem_map with the crashkernel reservation deferred (ZONE_DMA).
bool Arm64Kernel::linear_map_page_granular() const {
  return rodata_full_ || (in_.crashkernel_size && config_.zone_dma);
}

// Models: arch/arm64/mm/mmu.c map_mem (v6.1).
void Arm64Kernel::map_mem(uint64_t pgdp) {
  BootSteps::Scope scope(steps_, "map_mem",
                         "the linear map: every memblock.memory range at __va(pa) = (pa - "
                         "memstart_addr) | PAGE_OFFSET");
  const uint64_t kernel_start = pa_symbol("_stext");
  const uint64_t kernel_end = pa_symbol("__init_begin");
  int flags = NO_EXEC_MAPPINGS;
  if (linear_map_page_granular()) {
    flags |= NO_BLOCK_MAPPINGS | NO_CONT_MAPPINGS;
  }
  memblock_.memblock_mark_nomap(kernel_start, kernel_end - kernel_start);
  // pgprot_tagged(): MT_NORMAL_TAGGED for all of memory when MTE is built in.
  pgprot_t mem_prot = PAGE_KERNEL;
  if (config_.arm64_mte) {
    mem_prot.val = (mem_prot.val & ~PTE_ATTRINDX_MASK) | PTE_ATTRINDX(MT_NORMAL_TAGGED);
  }
  steps_.note(
      "map_mem",
      fmt::format("rodata={}{}: flags NO_EXEC_MAPPINGS{}; the kernel's text/rodata alias "
                  "[{:#x}-{:#x}) is marked NOMAP and mapped last, without contiguous entries",
                  rodata_full_      ? "full"
                  : rodata_enabled_ ? "on"
                                    : "off",
                  in_.crashkernel_size ? " crashkernel" : "",
                  (flags & NO_BLOCK_MAPPINGS)
                      ? " | NO_BLOCK_MAPPINGS | NO_CONT_MAPPINGS (pages only)"
                      : " (blocks and contiguous runs where aligned)",
                  kernel_start, kernel_end));
  // for_each_mem_range(): memory, minus the NOMAP regions (the kernel alias
  // just marked) and hotplug/driver-managed ones.
  memblock_.for_each_mem_range([&](phys_addr_t start, phys_addr_t end, int) {
    if (start >= end) {
      return false;
    }
    create_pgd_mapping(pgdp, start, phys_to_virt(start), end - start, mem_prot, flags, true, "__map_memblock");
    return true;
  });
  create_pgd_mapping(pgdp, kernel_start, phys_to_virt(kernel_start), kernel_end - kernel_start,
                     PAGE_KERNEL, NO_CONT_MAPPINGS, true, "__map_memblock");
  memblock_.memblock_clear_nomap(kernel_start, kernel_end - kernel_start);
}

// Models: arch/arm64/mm/mmu.c create_idmap (v6.1), the C one at the end of paging_init.
void Arm64Kernel::create_idmap() {
  BootSteps::Scope scope(steps_, "create_idmap",
                         "idmap_pg_dir: the ID map of .idmap.text, built in C");
  const uint64_t start = pa_symbol("__idmap_text_start");
  const uint64_t size = pa_symbol("__idmap_text_end") - start;
  uint64_t pgd = pa_symbol("idmap_pg_dir");
  const uint64_t idmap_pg_dir = pgd;
  if (g_.va_bits < 48 && regs_.idmap_t0sz < 64 - layout_.va_bits_min) {
    const uint64_t pgd_phys = early_pgtable_alloc(static_cast<int>(g_.page_shift));
    const uint64_t span = uint64_t{1} << (g_.va_bits + g_.page_shift - 3);
    steps_.table("create_idmap", "extra level", pgd_phys, g_.page_size(), start & ~(span - 1), span,
                 "early_pgtable_alloc (memblock): the ID map needs more VA bits than VA_BITS");
    pt_.set(EntryPtr{hw::PhysAddr(idmap_pg_dir + (start >> g_.va_bits) * 8)}, pgd_phys | P4D_TYPE_TABLE);
    pgd = pgd_phys;
  }
  create_pgd_mapping(pgd, start, start, size, PAGE_KERNEL_ROX, 0, true, "create_idmap");
  if (config_.layout.unmap_kernel_at_el0 && in_.symbols.has("__idmap_kpti_flag")) {
    const uint64_t pa = pa_symbol("__idmap_kpti_flag");
    create_pgd_mapping(pgd, pa, pa, sizeof(uint32_t), PAGE_KERNEL, 0, true, "create_idmap");
  }
  roots_.push_back({"idmap_pg_dir", idmap_pg_dir, false, 64 - static_cast<unsigned>(regs_.idmap_t0sz)});
}

// Models: arch/arm64/mm/mmu.c paging_init (v6.1).
void Arm64Kernel::paging_init() {
  BootSteps::Scope scope(steps_, "paging_init",
                         "swapper_pg_dir: map_kernel, map_mem, switch TTBR1, the C ID map");
  const uint64_t pgdp = pa_symbol("swapper_pg_dir");
  // idmap_t0sz = 63 - __fls(__pa_symbol(_end) | GENMASK(VA_BITS_MIN - 1, 0))
  regs_.idmap_t0sz = idmap_get_t0sz();
  steps_.compute("paging_init", "idmap_t0sz",
                 "63 - __fls(__pa_symbol(_end) | GENMASK(VA_BITS_MIN - 1, 0))",
                 fmt::format("63 - __fls({:#x} | {:#x})", pa_symbol("_end"),
                             (uint64_t{1} << layout_.va_bits_min) - 1),
                 regs_.idmap_t0sz);
  map_kernel(pgdp);
  map_mem(pgdp);
  // cpu_replace_ttbr1(lm_alias(swapper_pg_dir), init_idmap_pg_dir)
  regs_.ttbr1_el1 = pgdp;
  regs_.ttbr0_el1 = pa_symbol("reserved_pg_dir");
  init_mm_pgd_ = pgdp;
  note("cpu_replace_ttbr1", fmt::format("TTBR1_EL1 = swapper_pg_dir {:#x}", pgdp));
  roots_.insert(roots_.begin(), {"swapper_pg_dir", pgdp, true, g_.va_bits});
  memblock_.memblock_phys_free(pa_symbol("init_pg_dir"), pa_symbol("init_pg_end") - pa_symbol("init_pg_dir"),
                               "paging_init");
  memblock_.memblock_allow_resize();
  create_idmap();
  after_paging_init_ = true;
}

void Arm64Kernel::mark_linear_text_alias_ro() {
  BootSteps::Scope scope(steps_, "mark_linear_text_alias_ro",
                         "the linear alias of text and rodata read-only");
  update_mapping_prot(pa_symbol("_stext"), lm_alias("_stext"), va_symbol("__init_begin") - va_symbol("_stext"),
                      PAGE_KERNEL_RO);
}

void Arm64Kernel::mark_rodata_ro() {
  BootSteps::Scope scope(steps_, "mark_rodata_ro", "rodata read-only in the kernel image mapping");
  const uint64_t section_size = va_symbol("__init_begin") - va_symbol("__start_rodata");
  update_mapping_prot(pa_symbol("__start_rodata"), va_symbol("__start_rodata"), section_size,
                      PAGE_KERNEL_RO);
}

}  // namespace ptsim::kernel::arm64
