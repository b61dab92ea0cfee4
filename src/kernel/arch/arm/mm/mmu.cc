// paging_init() and what it calls: Linux arm's kernel page tables.
#include <fmt/format.h>

#include "kernel/arch/arm/mm/arm_boot_run.h"
#include "ptsim/hw/addr.h"
#include "ptsim/kernel/arch/arm/mm/proc_v7_2level.h"
#include "ptsim/kernel/arch/arm/pgalloc.h"
#include "ptsim/kernel/arch/arm/pgtable_2level.h"
#include "ptsim/kernel/arch/arm/pgtable_3level.h"

namespace ptsim::kernel::arm {
namespace {

constexpr uint32_t PAGE_SIZE = 4096;
constexpr uint32_t PAGE_MASK = ~(PAGE_SIZE - 1);
constexpr uint32_t SZ_2M = 2u << 20;
constexpr const char* kMmu = "arch/arm/mm/mmu.c";

// pgalloc.h _PAGE_KERNEL_TABLE: PMD_TYPE_TABLE | PMD_BIT4 | PMD_DOMAIN(DOMAIN_KERNEL).
uint64_t page_kernel_table(bool lpae) {
  if (lpae) {
    return pgtable_3level::PMD_TYPE_TABLE;
  }
  return pgtable_2level::_PAGE_KERNEL_TABLE;
}

// proc-v7.S mm_mmuflags for the v7 SMP processors: the section flags head.S
// maps the kernel with.
// ALT_SMP/ALT_UP choose PMD_FLAGS_SMP (WBWA, shared) or PMD_FLAGS_UP (WB).
uint64_t mm_mmuflags(bool lpae, bool smp) {
  if (lpae) {
    namespace p = pgtable_3level;
    return p::PMD_TYPE_SECT | p::PMD_SECT_AP_WRITE | p::PMD_SECT_AP_READ | p::PMD_SECT_AF |
           (smp ? p::PMD_SECT_WBWA | p::PMD_SECT_S : p::PMD_SECT_WB);
  }
  namespace p = pgtable_2level;
  return p::PMD_TYPE_SECT | p::PMD_SECT_AP_WRITE | p::PMD_SECT_AP_READ | p::PMD_SECT_AF |
         (smp ? p::PMD_FLAGS_SMP : p::PMD_FLAGS_UP);
}

// pgd_addr_end / pmd_addr_end on unsigned long, wrapping as Linux's do.
uint32_t addr_end(uint32_t addr, uint32_t end, uint32_t size) {
  const uint32_t boundary = (addr + size) & ~(size - 1);
  return (boundary - 1 < end - 1) ? boundary : end;
}

uint64_t round_up(uint64_t x, uint64_t align) {
  return (x + align - 1) & ~(align - 1);
}

uint64_t round_down(uint64_t x, uint64_t align) {
  return x & ~(align - 1);
}

}  // namespace

// Models: arch/arm/kernel/head.S __create_page_tables (v6.1): the kernel
// sections from PAGE_OFFSET to _end, and the DT blob's two sections
// (6.1: at FDT_FIXED_BASE; older: at its linear address).  The
// identity map of __turn_mmu_on is not modelled (it lies in the user
// range, which prepare_page_table clears).
void ArmBootRun::create_page_tables() {
  BootSteps::Scope scope(
      steps(), "__create_page_tables",
      "head.S, MMU off: sections for the kernel from PAGE_OFFSET to _end, and the DT");
  KernelPgtable& pt = *pt_;
  const phys_addr_t pgd = s().swapper_pg_dir;
  b_.mem->zero(hw::PhysAddr(pgd), l().PG_DIR_SIZE);
  if (lpae()) {
    for (uint32_t i = 0; i < l().PTRS_PER_PGD; ++i) {
      const uint64_t pmd_table = pgd + 0x1000 + uint64_t{i} * 0x1000;
      b_.mem->store64(hw::PhysAddr(pgd + i * 8),
                      pmd_table | pgtable_3level::PMD_TYPE_TABLE | pgtable_3level::L_PGD_SWAPPER);
    }
  }
  const uint64_t flags = mm_mmuflags(lpae(), b_.input.config.smp);
  const uint32_t sect = l().SECTION_SIZE;
  const uint32_t last = b_.input.image.end - 1;
  phys_addr_t phys = s().PHYS_OFFSET;
  uint32_t va = l().KERNEL_OFFSET;
  for (;;) {
    pt.write_pmd(lpae() ? pt.pmd_off_k(va) : pgd + phys_addr_t{va >> 20} * 4, phys | flags);
    phys += sect;
    if ((va >> l().SECTION_SHIFT) == (last >> l().SECTION_SHIFT)) {
      break;
    }
    va += sect;
  }
  s().kernel_sec_start = s().PHYS_OFFSET;
  s().kernel_sec_end = phys;
  steps().map("__create_page_tables", section_type(), "mm_mmuflags (proc-v7.S)", l().KERNEL_OFFSET,
              s().kernel_sec_start, phys - s().kernel_sec_start,
              (phys - s().kernel_sec_start) / sect, s().kernel_sec_start | flags, flags);
  steps().compute("__create_page_tables", "kernel_sec_end",
                  "__pa(round_up(_end, SECTION_SIZE))  (the end of the last kernel section)",
                  fmt::format("__pa(round_up({:#x}, {:#x}))", b_.input.image.end, sect),
                  s().kernel_sec_end);
  trace("__create_page_tables",
        fmt::format("kernel sections {:#010x}-{:#010x} -> {:#x}-{:#x}", l().KERNEL_OFFSET,
                    static_cast<uint32_t>(va + sect), s().kernel_sec_start, s().kernel_sec_end));

  const phys_addr_t dtb = b_.input.dtb_phys;
  if (dtb == 0) {
    return;
  }
  const phys_addr_t dtb_sect = dtb & ~phys_addr_t{sect - 1};
  const uint32_t dtb_va = version() == ArmVersion::v6_1
                              ? l().FDT_FIXED_BASE
                              : static_cast<uint32_t>(dtb_sect - s().PHYS_OFFSET + l().PAGE_OFFSET);
  for (uint32_t i = 0; i < 2; ++i) {
    const uint32_t v = dtb_va + i * sect;
    pt.write_pmd(lpae() ? pt.pmd_off_k(v) : pgd + phys_addr_t{v >> 20} * 4,
                 (dtb_sect + phys_addr_t{i} * sect) | flags);
  }
  steps().map("__create_page_tables", section_type(), "mm_mmuflags: the DT blob", dtb_va, dtb_sect,
              2 * sect, 2, dtb_sect | flags, flags);
}

// Models: arch/arm/mm/mmu.c early_fixmap_init (v6.1): bm_pte, a pte table in
// the kernel's init data, hooked under FIXADDR_TOP.  Its place is not in
// System.map's usual symbols; the model puts it in the last page of .init.
void ArmBootRun::early_fixmap_init() {
  s().bm_pte = virt_to_phys(b_.input.image.init_end) - PAGE_SIZE;
  s().bm_pte &= ~phys_addr_t{PAGE_SIZE - 1};
  KernelPgtable& pt = *pt_;
  pt.pmd_populate(pt.pmd_off_k(l().FIXADDR_TOP), s().bm_pte, page_kernel_table(lpae()));
  steps().table("early_fixmap_init", "pte", s().bm_pte, PAGE_SIZE,
                l().FIXADDR_TOP & ~(l().PMD_SIZE - 1), l().PMD_SIZE,
                "bm_pte, static in the kernel image (not from memblock), for the early fixmap");
  trace("early_fixmap_init", fmt::format("bm_pte at {:#x} for {:#010x}", s().bm_pte,
                                         l().FIXADDR_TOP & ~(l().PMD_SIZE - 1)));
}

// Models: arch/arm/mm/mmu.c adjust_lowmem_bounds (v6.1; v4.14, and
// sanity_check_meminfo of v4.3 and v3.18, derive the limit from vmalloc_min and do not mark
// an unaligned first bank NOMAP)
void ArmBootRun::adjust_lowmem_bounds() {
  BootSteps::Scope scope(steps(), "adjust_lowmem_bounds",
                         "where lowmem ends: arm_lowmem_limit, high_memory, the memblock limit");
  Memblock& mb = *b_.memblock;
  const uint64_t PHYS_OFFSET = s().PHYS_OFFSET;
  uint64_t vmalloc_limit = 0;
  if (version() == ArmVersion::v6_1) {
    vmalloc_limit = uint64_t{l().VMALLOC_END} - s().vmalloc_size - l().VMALLOC_OFFSET -
                    l().PAGE_OFFSET + PHYS_OFFSET;
  } else {
    vmalloc_limit = uint64_t{s().vmalloc_min} - l().PAGE_OFFSET + PHYS_OFFSET;
  }
  s().vmalloc_limit = vmalloc_limit;
  if (version() == ArmVersion::v6_1) {
    steps().compute("adjust_lowmem_bounds", "vmalloc_limit",
                    "__pa(VMALLOC_END - vmalloc_size - VMALLOC_OFFSET)",
                    fmt::format("{:#x} - {:#x} - {:#x} - {:#x} + {:#x}", l().VMALLOC_END,
                                s().vmalloc_size, l().VMALLOC_OFFSET, l().PAGE_OFFSET, PHYS_OFFSET),
                    vmalloc_limit);
  } else {
    steps().compute(
        "adjust_lowmem_bounds", "vmalloc_limit", "__pa(vmalloc_min)",
        fmt::format("{:#x} - {:#x} + {:#x}", s().vmalloc_min, l().PAGE_OFFSET, PHYS_OFFSET),
        vmalloc_limit);
  }

  if (version() == ArmVersion::v6_1) {
    // The first usable region must be PMD aligned; mark its start NOMAP if not.
    phys_addr_t first_start = 0;
    bool have = false;
    mb.for_each_mem_range([&](phys_addr_t start, phys_addr_t, int) {
      first_start = start;
      have = true;
      return false;
    });
    if (have && (first_start & (l().PMD_SIZE - 1)) != 0) {
      mb.memblock_mark_nomap(first_start, round_up(first_start, l().PMD_SIZE) - first_start);
    }
  }

  phys_addr_t memblock_limit = 0;
  phys_addr_t lowmem_limit = 0;
  phys_addr_t lowmem_block_end = 0;  // the block end that set lowmem_limit
  const phys_addr_t pmd_mask = l().PMD_SIZE - 1;
  mb.for_each_mem_range([&](phys_addr_t block_start, phys_addr_t block_end, int) {
    if (block_start < vmalloc_limit) {
      if (block_end > lowmem_limit) {
        lowmem_limit = std::min<uint64_t>(vmalloc_limit, block_end);
        lowmem_block_end = block_end;
      }
      if (memblock_limit == 0) {
        if ((block_start & pmd_mask) != 0) {
          memblock_limit = block_start;
        } else if ((block_end & pmd_mask) != 0) {
          memblock_limit = lowmem_limit;
        }
      }
    }
    return true;
  });
  s().arm_lowmem_limit = lowmem_limit;
  s().high_memory = phys_to_virt(lowmem_limit - 1) + 1;
  steps().compute("adjust_lowmem_bounds", "arm_lowmem_limit",
                  "min(vmalloc_limit, end of the highest memblock block starting below it)",
                  fmt::format("min({:#x}, {:#x})", vmalloc_limit, lowmem_block_end), lowmem_limit);
  steps().compute("adjust_lowmem_bounds", "high_memory", "__va(arm_lowmem_limit - 1) + 1",
                  fmt::format("__va({:#x} - 1) + 1 = ({:#x} - {:#x} + {:#x}) + 1", lowmem_limit,
                              lowmem_limit - 1, PHYS_OFFSET, l().PAGE_OFFSET),
                  s().high_memory);
  if (memblock_limit == 0) {
    memblock_limit = lowmem_limit;
  }
  const phys_addr_t unrounded_limit = memblock_limit;
  memblock_limit = round_down(memblock_limit, l().PMD_SIZE);
  steps().compute("adjust_lowmem_bounds", "memblock_limit",
                  "round_down(first unaligned bank edge, else arm_lowmem_limit, PMD_SIZE)",
                  fmt::format("round_down({:#x}, {:#x})", unrounded_limit, l().PMD_SIZE),
                  memblock_limit);
  if (!b_.input.config.highmem && mb.memblock_end_of_DRAM() > lowmem_limit) {
    const phys_addr_t end = mb.memblock_end_of_DRAM();
    constexpr const char* kWhere = "arch/arm/mm/mmu.c adjust_lowmem_bounds";
    pr(kWhere, fmt::format("Ignoring RAM at {}-{}", mb.format_pa(memblock_limit),
                           mb.format_pa(end)));
    pr(kWhere, "Consider using a HIGHMEM enabled kernel.");
    mb.memblock_remove(memblock_limit, end - memblock_limit, "adjust_lowmem_bounds");
  }
  mb.memblock_set_current_limit(memblock_limit);
  s().memblock_limit = memblock_limit;
  // pgtable.h VMALLOC_START: high_memory + VMALLOC_OFFSET, rounded down to it.
  s().VMALLOC_START = (s().high_memory + l().VMALLOC_OFFSET) & ~(l().VMALLOC_OFFSET - 1);
  steps().compute("adjust_lowmem_bounds", "VMALLOC_START",
                  "(high_memory + VMALLOC_OFFSET) & ~(VMALLOC_OFFSET-1)",
                  fmt::format("({:#x} + {:#x}) & ~{:#x}", s().high_memory, l().VMALLOC_OFFSET,
                              l().VMALLOC_OFFSET - 1),
                  s().VMALLOC_START);
  trace("adjust_lowmem_bounds",
        fmt::format("vmalloc_limit {:#x} arm_lowmem_limit {:#x} high_memory {:#010x} "
                    "memblock_limit {:#x} VMALLOC_START {:#010x}",
                    vmalloc_limit, lowmem_limit, s().high_memory, memblock_limit,
                    s().VMALLOC_START));
}

// Models: arch/arm/mm/mmu.c paging_init (v6.1; v4.14 splits the kernel in
// map_lowmem and has no map_kernel; v4.3 and v3.18 have no early fixmap)
void ArmBootRun::paging_init() {
  BootSteps::Scope scope(steps(), "paging_init",
                         "build the kernel's page tables in swapper_pg_dir");
  prepare_page_table();
  map_lowmem();
  // "ARM: 8394/1: update memblock limit after mapping lowmem" (4.2).
  if (version() != ArmVersion::v3_18) {
    b_.memblock->memblock_set_current_limit(s().arm_lowmem_limit);
  }
  if (version() == ArmVersion::v6_1) {
    map_kernel();
  }
  dma_contiguous_remap();
  if (has_early_fixmap()) {
    early_fixmap_shutdown();
  }
  devicemaps_init();
  kmap_init();
  s().zero_page = early_alloc(PAGE_SIZE, "the zero page (paging_init)");
}

// Models: arch/arm/mm/mmu.c prepare_page_table (v6.1), without KASAN.
void ArmBootRun::prepare_page_table() {
  BootSteps::Scope scope(steps(), "prepare_page_table",
                         "clear the pmd entries of user space, modules and the hole above lowmem");
  KernelPgtable& pt = *pt_;
  const uint32_t PMD_SIZE = l().PMD_SIZE;
  uint32_t addr = 0;
  // Clear out all the mappings below the kernel image.
  for (addr = 0; addr < l().MODULES_VADDR; addr += PMD_SIZE) {
    pt.pmd_clear(pt.pmd_off_k(addr));
  }
  s().clear_loops.emplace_back(0, l().MODULES_VADDR);
  explain_clear("prepare_page_table", 0, l().MODULES_VADDR);
  // CONFIG_XIP_KERNEL: the kernel is mapped in the module area; skip it.
  if (const auto exiprom = b_.input.config.xip_exiprom) {
    addr = (*exiprom + PMD_SIZE - 1) & ~(PMD_SIZE - 1);
  }
  const uint32_t second = addr;
  for (; addr < l().PAGE_OFFSET; addr += PMD_SIZE) {
    pt.pmd_clear(pt.pmd_off_k(addr));
  }
  s().clear_loops.emplace_back(second, l().PAGE_OFFSET);
  explain_clear("prepare_page_table", second, l().PAGE_OFFSET);
  // Find the end of the first block of lowmem (regions[0], NOMAP or not).
  const memblock_region& r0 = b_.memblock->memory().regions.at(0);
  phys_addr_t end = r0.base + r0.size;
  if (end >= s().arm_lowmem_limit) {
    end = s().arm_lowmem_limit;
  }
  steps().compute("prepare_page_table", "end",
                  "min(memblock.memory.regions[0].base + regions[0].size, arm_lowmem_limit)",
                  fmt::format("min({:#x} + {:#x}, {:#x})", r0.base, r0.size, s().arm_lowmem_limit),
                  end);
  // Clear out all the kernel space mappings, except for the first memory
  // bank, up to the vmalloc region.
  const uint32_t third = phys_to_virt(end);
  for (addr = third; addr < s().VMALLOC_START; addr += PMD_SIZE) {
    pt.pmd_clear(pt.pmd_off_k(addr));
  }
  s().clear_loops.emplace_back(third, s().VMALLOC_START);
  explain_clear("prepare_page_table", third, s().VMALLOC_START);
  trace("prepare_page_table",
        fmt::format("pmd_clear {:#010x}-{:#010x}, {:#010x}-{:#010x}, {:#010x}-{:#010x}", 0u,
                    l().MODULES_VADDR, second, l().PAGE_OFFSET, third, s().VMALLOC_START));
}

void ArmBootRun::map_lowmem() {
  BootSteps::Scope scope(steps(), "map_lowmem",
                         "the linear map of lowmem, PAGE_OFFSET up to high_memory");
  if (version() == ArmVersion::v6_1) {
    map_lowmem_v6();
    return;
  }
  if (version() == ArmVersion::v3_18) {
    map_lowmem_v3();
    return;
  }
  map_lowmem_v4();
}

// Models: arch/arm/mm/mmu.c map_lowmem (v3.18): each lowmem bank, capped at
// arm_lowmem_limit, as one MT_MEMORY_RWX mapping.
void ArmBootRun::map_lowmem_v3() {
  const memblock_type& memory = b_.memblock->memory();
  const std::vector<memblock_region> regions(memory.regions.begin(),
                                             memory.regions.begin() + memory.cnt);
  for (const memblock_region& reg : regions) {
    const phys_addr_t start = reg.base;
    phys_addr_t end = start + reg.size;
    if (end > s().arm_lowmem_limit) {
      end = s().arm_lowmem_limit;
    }
    if (start >= end) {
      break;
    }
    create_mapping(map_desc{phys_to_virt(start), start >> 12, static_cast<uint32_t>(end - start),
                            MT_MEMORY_RWX},
                   "map_lowmem");
  }
}

// Models: arch/arm/mm/mmu.c map_lowmem (v4.14; v4.3 the same with _stext
// for KERNEL_START): RW memory around an RWX kernel_x_start..kernel_x_end,
// both rounded to SECTION_SIZE.
void ArmBootRun::map_lowmem_v4() {
  const uint32_t SECTION_SIZE = l().SECTION_SIZE;
  const phys_addr_t kernel_x_start = round_down(virt_to_phys(b_.input.image.stext), SECTION_SIZE);
  const phys_addr_t kernel_x_end = round_up(virt_to_phys(b_.input.image.init_end), SECTION_SIZE);
  s().kernel_x_start = kernel_x_start;
  s().kernel_x_end = kernel_x_end;
  explain_kernel_x(version() == ArmVersion::v6_1 ? "map_kernel" : "map_lowmem");
  const memblock_type& memory = b_.memblock->memory();
  // A copy: create_mapping allocates, which may change the arrays.
  const std::vector<memblock_region> regions(memory.regions.begin(),
                                             memory.regions.begin() + memory.cnt);
  for (const memblock_region& reg : regions) {
    phys_addr_t start = reg.base;
    phys_addr_t end = start + reg.size;
    if ((reg.flags & MEMBLOCK_NOMAP) != 0) {
      continue;
    }
    if (end > s().arm_lowmem_limit) {
      end = s().arm_lowmem_limit;
    }
    if (start >= end) {
      break;
    }
    auto map = [&](phys_addr_t from, phys_addr_t to, unsigned type) {
      create_mapping(map_desc{phys_to_virt(from), from >> 12, static_cast<uint32_t>(to - from), type},
                     "map_lowmem");
    };
    if (end < kernel_x_start) {
      map(start, end, MT_MEMORY_RW);
    } else if (start >= kernel_x_end) {
      map(start, end, MT_MEMORY_RW);
    } else {
      // This better cover the entire kernel.
      if (start < kernel_x_start) {
        map(start, kernel_x_start, MT_MEMORY_RW);
      }
      map(kernel_x_start, kernel_x_end, MT_MEMORY_RWX);
      if (kernel_x_end < end) {
        map(kernel_x_end, end, MT_MEMORY_RW);
      }
    }
  }
}

// Models: arch/arm/mm/mmu.c map_lowmem (v6.1): every lowmem range as
// MT_MEMORY_RW, chiselling out kernel_sec_start..kernel_sec_end, which
// map_kernel maps.
void ArmBootRun::map_lowmem_v6() {
  std::vector<std::pair<phys_addr_t, phys_addr_t>> ranges;
  b_.memblock->for_each_mem_range([&](phys_addr_t start, phys_addr_t end, int) {
    ranges.emplace_back(start, end);
    return true;
  });
  const phys_addr_t kernel_sec_start = s().kernel_sec_start;
  const phys_addr_t kernel_sec_end = s().kernel_sec_end;
  auto map = [&](phys_addr_t from, phys_addr_t to) {
    create_mapping(
        map_desc{phys_to_virt(from), from >> 12, static_cast<uint32_t>(to - from), MT_MEMORY_RW},
        "map_lowmem");
  };
  for (auto [start, end] : ranges) {
    if (end > s().arm_lowmem_limit) {
      end = s().arm_lowmem_limit;
    }
    if (start >= end) {
      break;
    }
    // Case 5: kernel covers range, don't map anything.
    if (start > kernel_sec_start && end < kernel_sec_end) {
      break;
    }
    if (kernel_sec_start >= start && kernel_sec_start <= end) {
      // Case 6: kernel is embedded in the range, we need two mappings.
      if (start < kernel_sec_start && end > kernel_sec_end) {
        map(start, kernel_sec_start);
        map(kernel_sec_end, end);
        break;
      }
      // Case 1: kernel and range start at the same address.
      if (kernel_sec_start == start) {
        start = kernel_sec_end;
      }
      // Case 3: kernel and range end at the same address.
      if (kernel_sec_end == end) {
        end = kernel_sec_start;
      }
    } else if (kernel_sec_start < start && kernel_sec_end > start && kernel_sec_end < end) {
      // Case 2: kernel ends inside range, starts below it.
      start = kernel_sec_end;
    } else if (kernel_sec_start > start && kernel_sec_start < end && kernel_sec_end > end) {
      // Case 4: kernel starts inside range, ends above it.
      end = kernel_sec_start;
    }
    map(start, end);
  }
}

// Models: arch/arm/mm/mmu.c map_kernel (v6.1), non-XIP: RWX up to
// __init_end rounded up to a section, RW (NX) from there to kernel_sec_end.
void ArmBootRun::map_kernel() {
  BootSteps::Scope scope(steps(), "map_kernel",
                         "the kernel's own sections: RWX text, RW (NX) data");
  const phys_addr_t kernel_x_start = s().kernel_sec_start;
  const phys_addr_t kernel_x_end =
      round_up(virt_to_phys(b_.input.image.init_end), l().SECTION_SIZE);
  const phys_addr_t kernel_nx_start = kernel_x_end;
  const phys_addr_t kernel_nx_end = s().kernel_sec_end;
  s().kernel_x_start = kernel_x_start;
  s().kernel_x_end = kernel_x_end;
  explain_kernel_x(version() == ArmVersion::v6_1 ? "map_kernel" : "map_lowmem");
  create_mapping(map_desc{phys_to_virt(kernel_x_start), kernel_x_start >> 12,
                          static_cast<uint32_t>(kernel_x_end - kernel_x_start), MT_MEMORY_RWX},
                 "map_kernel");
  // If the nx part is small it may end up covered by the tail of the RWX section.
  if (kernel_x_end == kernel_nx_end) {
    return;
  }
  create_mapping(map_desc{phys_to_virt(kernel_nx_start), kernel_nx_start >> 12,
                          static_cast<uint32_t>(kernel_nx_end - kernel_nx_start), MT_MEMORY_RW},
                 "map_kernel");
}

// Models: arch/arm/mm/mmu.c early_fixmap_shutdown (v6.1): the early pmd
// goes; permanent fixmap entries (earlycon) would be recreated with
// create_mapping, none are mapped in the model.
void ArmBootRun::early_fixmap_shutdown() {
  KernelPgtable& pt = *pt_;
  const uint32_t va = l().FIXADDR_TOP;  // fix_to_virt(__end_of_permanent_fixed_addresses - 1)
  pt.pmd_clear(pt.pmd_off_k(va));
  explain_clear("early_fixmap_shutdown", va & ~(l().PMD_SIZE - 1),
                (va & ~(l().PMD_SIZE - 1)) + l().PMD_SIZE);
  trace("early_fixmap_shutdown", fmt::format("pmd_clear {:#010x}", va & ~(l().PMD_SIZE - 1)));
}

// Models: arch/arm/mm/mmu.c devicemaps_init (v6.1; v4.14 has no FDT
// mapping; v4.3 and v3.18 clear everything from VMALLOC_START to the top)
void ArmBootRun::devicemaps_init() {
  BootSteps::Scope scope(
      steps(), "devicemaps_init",
      "clear the vmalloc area, map the DT, the vectors and the machine's devices");
  KernelPgtable& pt = *pt_;
  // Allocate the vector page early.
  s().vectors = early_alloc(PAGE_SIZE * 2, "the vectors page (devicemaps_init)");
  // Clear page table except top pmd used by early fixmaps.
  const uint32_t PMD_SIZE = l().PMD_SIZE;
  if (!has_early_fixmap()) {
    for (uint32_t addr = s().VMALLOC_START; addr != 0; addr += PMD_SIZE) {
      pt.pmd_clear(pt.pmd_off_k(addr));
    }
    explain_clear("devicemaps_init", s().VMALLOC_START, uint64_t{1} << 32);
  } else {
    for (uint32_t addr = s().VMALLOC_START; addr < (l().FIXADDR_TOP & ~(PMD_SIZE - 1));
         addr += PMD_SIZE) {
      pt.pmd_clear(pt.pmd_off_k(addr));
    }
    explain_clear("devicemaps_init", s().VMALLOC_START, l().FIXADDR_TOP & ~(PMD_SIZE - 1));
  }
  if (version() == ArmVersion::v6_1 && b_.input.dtb_phys != 0) {
    // Create a read-only mapping of the device tree.
    const phys_addr_t sect = b_.input.dtb_phys & ~phys_addr_t{l().SECTION_SIZE - 1};
    create_mapping(map_desc{l().FDT_FIXED_BASE, sect >> 12, l().FDT_FIXED_SIZE, MT_MEMORY_RO},
                   "devicemaps_init");
  }
  // The machine vectors at the high-vectors location (0xffff0000).
  map_desc map{l().VECTORS_BASE, s().vectors >> 12, PAGE_SIZE,
               b_.input.config.kuser_helpers ? MT_HIGH_VECTORS : MT_LOW_VECTORS};
  create_mapping(map, "devicemaps_init");
  // Now create a kernel read-only mapping.
  map.pfn += 1;
  map.virtual_ = l().VECTORS_BASE + PAGE_SIZE;
  map.length = PAGE_SIZE;
  map.type = MT_LOW_VECTORS;
  create_mapping(map, "devicemaps_init");
  // The machine's statically mapped devices, or else the debug UART.
  if (!b_.input.io_desc.empty()) {
    iotable_init(b_.input.io_desc);
  } else if (b_.input.debug_ll) {
    // Models: arch/arm/mm/mmu.c debug_ll_io_init (v6.1).
    const auto [phys, virt] = *b_.input.debug_ll;
    if (phys != 0 && virt != 0) {
      iotable_init({map_desc{virt & ~(PAGE_SIZE - 1), phys >> 12, PAGE_SIZE, MT_DEVICE}});
    }
  }
  // fill_pmd_gaps: the static mappings of the model are whole pmds or the
  // caller's problem; pci_reserve_io reserves the fixed PCI I/O window.
  if (b_.input.config.pci) {
    vm_reserve_area_early(l().PCI_IO_VIRT_BASE, SZ_2M, "pci_reserve_io");
  }
}

// Models: arch/arm/mm/mmu.c iotable_init (v6.1)
void ArmBootRun::iotable_init(const std::vector<map_desc>& io) {
  const phys_addr_t svm_size = lpae() ? 48 : 40;  // sizeof(struct static_vm)
  const phys_addr_t svm_align = lpae() ? 8 : 4;
  const phys_addr_t svm =
      b_.memblock->memblock_alloc(svm_size * io.size(), svm_align, "iotable_init");
  if (svm == 0) {
    throw KernelPanic(fmt::format("iotable_init: Failed to allocate {} bytes align=0x{:x}",
                                  svm_size * io.size(), svm_align));
  }
  trace("iotable_init", fmt::format("static_vm[{}] at {:#x}", io.size(), svm));
  steps().alloc("iotable_init", fmt::format("static_vm[{}]", io.size()), svm, svm_size * io.size());
  for (const map_desc& md : io) {
    create_mapping(md, "iotable_init");
  }
}

// Models: arch/arm/mm/mmu.c vm_reserve_area_early (v6.1)
void ArmBootRun::vm_reserve_area_early(uint32_t addr, uint32_t size, std::string_view caller) {
  const phys_addr_t svm_size = lpae() ? 48 : 40;
  const phys_addr_t svm_align = lpae() ? 8 : 4;
  const phys_addr_t svm = b_.memblock->memblock_alloc(svm_size, svm_align, "vm_reserve_area_early");
  if (svm == 0) {
    throw KernelPanic(fmt::format("vm_reserve_area_early: Failed to allocate {} bytes align=0x{:x}",
                                  svm_size, svm_align));
  }
  trace(caller, fmt::format("static_vm for {:#010x}-{:#010x} at {:#x}", addr, addr + size, svm));
  steps().alloc(caller, fmt::format("static_vm reserving {:#010x}-{:#010x}", addr, addr + size),
                svm, svm_size);
}

// Models: arch/arm/mm/mmu.c kmap_init (v6.1)
void ArmBootRun::kmap_init() {
  BootSteps::Scope scope(steps(), "kmap_init", "pte tables for pkmap (HIGHMEM) and the fixmap");
  KernelPgtable& pt = *pt_;
  if (b_.input.config.highmem) {
    s().pkmap_page_table =
        early_pte_alloc(pt.pmd_off_k(l().PKMAP_BASE), l().PKMAP_BASE, page_kernel_table(lpae()),
                        "pkmap_page_table (kmap_init)");
  }
  const phys_addr_t fixmap_pte =
      early_pte_alloc(pt.pmd_off_k(l().FIXADDR_START), l().FIXADDR_START,
                      page_kernel_table(lpae()), "the fixmap pte table (kmap_init)");
  s().fixmap_page_table = fixmap_pte & ~phys_addr_t{PAGE_SIZE - 1};
}

// Models: arch/arm/mm/mmu.c create_mapping (v6.1)
void ArmBootRun::create_mapping(const map_desc& md, std::string_view caller) {
  s().mappings.push_back(md);
  BootSteps::Scope scope(
      steps(), "create_mapping",
      steps().on() ? fmt::format("virtual={:#010x} pfn={:#x} length={:#x} type={}, for {}",
                                 md.virtual_, md.pfn, md.length, mem_type_name(md.type), caller)
                   : std::string());
  mapping_type_ = mem_type_name(md.type);
  trace(caller, fmt::format("create_mapping(virtual={:#010x} pfn={:#x} length={:#x} type={})",
                            md.virtual_, md.pfn, md.length, mem_type_name(md.type)));
  const uint64_t phys = md.pfn << 12;
  if (md.virtual_ != l().VECTORS_BASE && md.virtual_ < l().TASK_SIZE) {
    pr(kMmu, fmt::format("BUG: not creating mapping for 0x{:08x} at 0x{:08x} in user region",
                         phys, md.virtual_));
    return;
  }
  const bool out_of_vmalloc = md.virtual_ < s().VMALLOC_START || md.virtual_ >= l().VMALLOC_END;
  const bool checked_type = md.type == MT_DEVICE ||
                            (version() == ArmVersion::v3_18 && md.type == MT_ROM);
  const bool below_fixmap = version() == ArmVersion::v3_18 || md.virtual_ < l().FIXADDR_START;
  if (checked_type && md.virtual_ >= l().PAGE_OFFSET && below_fixmap && out_of_vmalloc) {
    pr(kMmu, fmt::format("BUG: mapping for 0x{:08x} at 0x{:08x} out of vmalloc space", phys,
                         md.virtual_));
  }
  __create_mapping(md);
}

// Models: arch/arm/mm/mmu.c __create_mapping and create_36bit_mapping (v6.1)
void ArmBootRun::__create_mapping(const map_desc& md) {
  const mem_type& type = b_.mem_types.at(md.type);
  const uint64_t md_phys = md.pfn << 12;
  if (!lpae() && md.pfn >= 0x100000) {
    // create_36bit_mapping: supersections only, domain 0 only.
    if (type.domain != 0) {
      pr(kMmu, fmt::format("MM: invalid domain in supersection mapping for 0x{:08x} at 0x{:08x}",
                           md_phys, md.virtual_));
      return;
    }
    const uint32_t length = (md.length + PAGE_SIZE - 1) & PAGE_MASK;
    constexpr uint64_t kSupersectionOffset = (uint64_t{1} << 24) - 1;  // ~SUPERSECTION_MASK
    if (((md.virtual_ | length | md_phys) & kSupersectionOffset) != 0) {
      pr(kMmu, fmt::format("MM: cannot create mapping for 0x{:08x} at 0x{:08x} invalid alignment",
                           md_phys, md.virtual_));
      return;
    }
    uint64_t phys = (md_phys & 0xffffffffULL) | (((md.pfn >> 20) & 0xf) << 20);
    uint32_t addr = md.virtual_;
    const uint32_t end = addr + length;
    do {
      phys_addr_t pmdp = s().swapper_pg_dir + phys_addr_t{addr >> 20} * 4;
      for (int i = 0; i < 16; ++i, pmdp += 4) {
        pt_->write_pmd(pmdp, phys | type.prot_sect | pgtable_2level::PMD_SECT_SUPER);
      }
      steps().map("create_36bit_mapping", "supersection", mapping_type_, addr,
                  md_phys + (addr - md.virtual_), 1u << 24, 16,
                  phys | type.prot_sect | pgtable_2level::PMD_SECT_SUPER,
                  type.prot_sect | pgtable_2level::PMD_SECT_SUPER);
      addr += 1u << 24;
      phys += 1u << 24;
    } while (addr != end);
    return;
  }
  const uint32_t addr0 = md.virtual_ & PAGE_MASK;
  uint64_t phys = md_phys;
  const uint32_t length = (md.length + (md.virtual_ & ~PAGE_MASK) + PAGE_SIZE - 1) & PAGE_MASK;
  const uint32_t SECTION_MASK = ~(l().SECTION_SIZE - 1);
  if (type.prot_l1 == 0 && ((addr0 | phys | length) & ~uint64_t{SECTION_MASK}) != 0) {
    pr(kMmu, fmt::format(
                 "BUG: map for 0x{:08x} at 0x{:08x} can not be mapped using pages, ignoring.",
                 md_phys, addr0));
    return;
  }
  const uint32_t PGDIR_SIZE = 1u << (lpae() ? 30 : 21);
  uint32_t addr = addr0;
  const uint32_t end = addr + length;
  do {
    const uint32_t next = addr_end(addr, end, PGDIR_SIZE);
    // alloc_init_p4d / alloc_init_pud: folded, one iteration each.
    alloc_init_pmd(pt_->pmd_off_k(addr), addr, next, phys, type);
    phys += next - addr;
    addr = next;
  } while (addr != end);
}

// Models: arch/arm/mm/mmu.c alloc_init_pmd (v6.1).  Two-level: the pmd is
// folded, pmd_addr_end() is `end`; LPAE: one pmd entry per 2 MiB.
void ArmBootRun::alloc_init_pmd(phys_addr_t pmdp, uint32_t addr, uint32_t end, phys_addr_t phys,
                                const mem_type& type) {
  const uint32_t SECTION_MASK = ~(l().SECTION_SIZE - 1);
  do {
    const uint32_t next = lpae() ? addr_end(addr, end, l().PMD_SIZE) : end;
    // Try a section mapping - addr, next and phys must all be aligned to a
    // section boundary.
    if (type.prot_sect != 0 && ((uint64_t{addr} | next | phys) & ~uint64_t{SECTION_MASK} &
                                0xffffffffULL) == 0) {
      __map_init_section(pmdp, addr, next, phys, type);
    } else {
      alloc_init_pte(pmdp, addr, next, phys >> 12, type);
    }
    phys += next - addr;
    pmdp += 8;
    addr = next;
  } while (addr != end);
}

// Models: arch/arm/mm/mmu.c __map_init_section (v6.1)
void ArmBootRun::__map_init_section(phys_addr_t pmdp, uint32_t addr, uint32_t end,
                                    phys_addr_t phys, const mem_type& type) {
  const uint32_t SECTION_SIZE = l().SECTION_SIZE;
  const unsigned step = pt_->pmd_entry_size();
  steps().map("__map_init_section", section_type(), mapping_type_, addr, phys, uint64_t{end} - addr,
              (uint64_t{end} - addr) / SECTION_SIZE, phys | type.prot_sect, type.prot_sect);
  // Classic MMU: a pgd entry is two 1 MiB hardware entries; an odd section
  // uses the second.
  if (!lpae() && (addr & SECTION_SIZE) != 0) {
    pmdp += step;
  }
  do {
    pt_->write_pmd(pmdp, phys | type.prot_sect);
    phys += SECTION_SIZE;
    pmdp += step;
    addr += SECTION_SIZE;
  } while (addr != end);
}

// Models: arch/arm/mm/mmu.c alloc_init_pte (v6.1)
void ArmBootRun::alloc_init_pte(phys_addr_t pmdp, uint32_t addr, uint32_t end, uint64_t pfn,
                                const mem_type& type) {
  phys_addr_t ptep = early_pte_alloc(pmdp, addr, type.prot_l1,
                                     fmt::format("pte table for {:#010x}", addr & ~(l().PMD_SIZE - 1)));
  const unsigned entry = lpae() ? 8 : 4;
  steps().map("alloc_init_pte", "page", mapping_type_, addr, pfn << 12, uint64_t{end} - addr,
              (uint64_t{end} - addr) / PAGE_SIZE, (pfn << 12) | type.prot_pte, type.prot_pte);
  do {
    pt_->set_pte_ext(ptep, (pfn << 12) | type.prot_pte, 0);
    ++pfn;
    ptep += entry;
    addr += PAGE_SIZE;
  } while (addr != end);
}

// Models: arch/arm/mm/mmu.c early_pte_alloc / arm_pte_alloc (v6.1)
phys_addr_t ArmBootRun::early_pte_alloc(phys_addr_t pmdp, uint32_t addr, uint64_t prot,
                                        std::string_view why) {
  KernelPgtable& pt = *pt_;
  if (pt.pmd_none(pmdp)) {
    const uint32_t size = lpae() ? pgtable_3level::PTE_HWTABLE_OFF + pgtable_3level::PTE_HWTABLE_SIZE
                                 : pgtable_2level::PTE_HWTABLE_OFF + pgtable_2level::PTE_HWTABLE_SIZE;
    const phys_addr_t pte = early_alloc(size, why, addr & ~(l().PMD_SIZE - 1));
    pt.pmd_populate(pmdp, pte, prot);
  }
  bug_on(pt.pmd_bad(pmdp), "arch/arm/mm/mmu.c arm_pte_alloc", "pmd_bad(*pmd)");
  return pt.pte_offset_kernel(pmdp, addr);
}

// Models: arch/arm/mm/mmu.c early_alloc (v6.1): memblock_alloc(sz, sz), zeroed.
phys_addr_t ArmBootRun::early_alloc(phys_addr_t sz, std::string_view why,
                                    std::optional<uint32_t> pte_table_va) {
  const phys_addr_t pa = b_.memblock->memblock_alloc(sz, sz, "early_alloc");
  if (pa == 0) {
    throw KernelPanic(fmt::format("early_alloc: Failed to allocate {} bytes align=0x{:x}", sz, sz));
  }
  b_.mem->zero(hw::PhysAddr(pa), sz);
  trace("early_alloc", fmt::format("{} bytes at {:#x}: {}", sz, pa, why));
  if (pte_table_va) {
    steps().table("early_pte_alloc", "pte", pa, sz, *pte_table_va, l().PMD_SIZE,
                  fmt::format("memblock_alloc: {}", why));
  } else {
    steps().alloc("early_alloc", why, pa, sz);
  }
  return pa;
}

// A pmd_clear loop over [start, end), for `ptsim explain`.
void ArmBootRun::explain_clear(std::string_view function, uint64_t start, uint64_t end) {
  if (end > start) {
    steps().clear(function, "pmd", start, end - start, (end - start) / l().PMD_SIZE);
  }
}

// kernel_x_start/kernel_x_end as map_lowmem (4.x) or map_kernel (6.1) compute them.
void ArmBootRun::explain_kernel_x(std::string_view function) {
  if (!steps().on()) {
    return;
  }
  const uint32_t sect = l().SECTION_SIZE;
  if (version() == ArmVersion::v6_1) {
    steps().compute(function, "kernel_x_start", "kernel_sec_start",
                    fmt::format("{:#x}", s().kernel_sec_start), s().kernel_x_start);
  } else {
    steps().compute(
        function, "kernel_x_start", "round_down(__pa(KERNEL_START), SECTION_SIZE)",
        fmt::format("round_down({:#x}, {:#x})", virt_to_phys(b_.input.image.stext), sect),
        s().kernel_x_start);
  }
  steps().compute(
      function, "kernel_x_end", "round_up(__pa(__init_end), SECTION_SIZE)",
      fmt::format("round_up({:#x}, {:#x})", virt_to_phys(b_.input.image.init_end), sect),
      s().kernel_x_end);
}

}  // namespace ptsim::kernel::arm

namespace ptsim::kernel::arm {

// Models: kernel/dma/contiguous.c dma_contiguous_reserve and mm/cma.c
// cma_declare_contiguous_nid (v6.1), the non-fixed placement: from highmem
// first when the range crosses it, then (64-bit phys_addr_t, memory above
// 4 GiB) bottom-up above 4 GiB, then anywhere below the limit.
void ArmBootRun::dma_contiguous_reserve() {
  const uint64_t selected_size = s().cma_cmdline.value_or(
      uint64_t{b_.input.config.cma_size_mbytes} << 20);
  // A DT linux,cma-default pool already is dma_contiguous_default_area.
  if (selected_size == 0 || s().cma_size != 0) {
    return;
  }
  Memblock& mb = *b_.memblock;
  // arm_dma_limit without a DMA zone (arch/arm/mm/init.c setup_dma_zone).
  phys_addr_t limit = 0xffffffff;
  const phys_addr_t memblock_end = mb.memblock_end_of_DRAM();
  const phys_addr_t highmem_start = virt_to_phys(s().high_memory - 1) + 1;
  // CMA_MIN_ALIGNMENT_BYTES: a pageblock, MAX_ORDER - 1 (4 MiB) or, with
  // LPAE's huge pages in 6.1, HUGETLB_PAGE_ORDER (2 MiB).
  const phys_addr_t alignment =
      (version() == ArmVersion::v6_1 && lpae()) ? phys_addr_t{2} << 20 : phys_addr_t{4} << 20;
  phys_addr_t base = 0;
  const phys_addr_t size = round_up(selected_size, alignment);
  limit &= ~(alignment - 1);
  if (limit == 0 || limit > memblock_end) {
    limit = memblock_end;
  }
  if (base + size > limit) {
    pr("mm/cma.c cma_declare_contiguous_nid",
       fmt::format("cma: Size ({}) of region at {} exceeds limit ({})", mb.format_pa(size),
                   mb.format_pa(base), mb.format_pa(limit)));
    return;
  }
  phys_addr_t addr = 0;
  if (base < highmem_start && limit > highmem_start) {
    addr = mb.memblock_alloc_range_nid(size, alignment, highmem_start, limit, NUMA_NO_NODE, true);
    limit = highmem_start;
  }
  if (lpae() && !mb.bottom_up() && memblock_end >= (phys_addr_t{1} << 32) + size) {
    mb.memblock_set_bottom_up(true);
    addr = mb.memblock_alloc_range_nid(size, alignment, phys_addr_t{1} << 32, limit, NUMA_NO_NODE,
                                       true);
    mb.memblock_set_bottom_up(false);
  }
  if (addr == 0) {
    addr = mb.memblock_alloc_range_nid(size, alignment, base, limit, NUMA_NO_NODE, true);
    if (addr == 0) {
      pr("mm/cma.c cma_declare_contiguous_nid",
         fmt::format("cma: Failed to reserve {} MiB", size >> 20));
      return;
    }
  }
  s().cma_base = addr;
  s().cma_size = size;
  pr("mm/cma.c cma_declare_contiguous_nid",
     fmt::format("cma: Reserved {} MiB at {}", size >> 20, mb.format_pa(addr)));
}

// Models: arch/arm/mm/dma-mapping.c dma_contiguous_remap (v6.1): a CMA area
// in lowmem loses its sections and is remapped with pages
// (MT_MEMORY_DMA_READY), so its pages can later be unmapped one by one.
void ArmBootRun::dma_contiguous_remap() {
  if (s().cma_size == 0) {
    return;
  }
  const phys_addr_t start = s().cma_base;
  phys_addr_t end = start + s().cma_size;
  if (end > s().arm_lowmem_limit) {
    end = s().arm_lowmem_limit;
  }
  if (start >= end) {
    return;
  }
  BootSteps::Scope scope(steps(), "dma_contiguous_remap",
                         "the CMA area in lowmem: sections cleared, remapped with pages");
  for (uint32_t addr = phys_to_virt(start); addr < phys_to_virt(end); addr += l().PMD_SIZE) {
    pt_->pmd_clear(pt_->pmd_off_k(addr));
  }
  explain_clear("dma_contiguous_remap", phys_to_virt(start), phys_to_virt(end));
  iotable_init({map_desc{phys_to_virt(start), start >> 12, static_cast<uint32_t>(end - start),
                         MT_MEMORY_DMA_READY}});
}

}  // namespace ptsim::kernel::arm
