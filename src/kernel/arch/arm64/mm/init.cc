// arch/arm64/mm/init.c (v6.1): arm64_memblock_init and free_initmem.
#include <fmt/format.h>

#include "ptsim/kernel/arch/arm64/boot.h"
#include "ptsim/kernel/arch/arm64/memory.h"

namespace ptsim::kernel::arm64 {

void Arm64Kernel::arm64_memblock_init() {
  // linear_region_size = PAGE_END - _PAGE_OFFSET(vabits_actual).  (The
  // 51-bit cap for KVM in nVHE mode on 52-bit hardware is not modelled: the
  // model boots at EL1.)
  const int64_t linear_region_size = static_cast<int64_t>(layout_.page_end - page_offset(vabits_actual()));
  const uint64_t align = memstart_align(g_);  // ARM64_MEMSTART_ALIGN
  const char* caller = "arm64_memblock_init";
  BootSteps::Scope scope(steps_, caller,
                         "fit memory into the linear map: memstart_addr, mem=, the reservations");
  steps_.compute(caller, "linear_region_size", "PAGE_END - _PAGE_OFFSET(vabits_actual)",
                 fmt::format("{:#x} - {:#x}", layout_.page_end, page_offset(vabits_actual())),
                 linear_region_size);

  // Remove memory above our supported physical address size.
  memblock_.memblock_remove(uint64_t{1} << config_.pa_bits, ~uint64_t{0}, caller);
  memstart_addr_ = memblock_.memblock_start_of_DRAM() & ~(align - 1);
  steps_.compute(caller, "memstart_addr",
                 "round_down(memblock_start_of_DRAM(), ARM64_MEMSTART_ALIGN)",
                 fmt::format("round_down({:#x}, {:#x})", memblock_.memblock_start_of_DRAM(), align),
                 memstart_addr_);
  if (memblock_.memblock_end_of_DRAM() - memstart_addr_ > static_cast<uint64_t>(linear_region_size)) {
    log_.info("arch/arm64/mm/init.c", "Memory doesn't fit in the linear mapping, VA_BITS too small");
  }
  // Remove what the linear map cannot cover, keeping a kernel loaded high.
  memblock_.memblock_remove(std::max<uint64_t>(memstart_addr_ + linear_region_size, pa_symbol("_end")),
                            ~uint64_t{0}, caller);
  if (memstart_addr_ + linear_region_size < memblock_.memblock_end_of_DRAM()) {
    memstart_addr_ = (memblock_.memblock_end_of_DRAM() - linear_region_size + align - 1) & ~(align - 1);
    steps_.compute(caller, "memstart_addr",
                   "round_up(memblock_end_of_DRAM() - linear_region_size, ARM64_MEMSTART_ALIGN)  "
                   "(memory too big)",
                   fmt::format("round_up({:#x} - {:#x}, {:#x})", memblock_.memblock_end_of_DRAM(),
                               linear_region_size, align),
                   memstart_addr_);
    memblock_.memblock_remove(0, memstart_addr_, caller);
  }
  // A 52-bit VA kernel on a 48-bit CPU places memory in the 48-bit part of
  // the linear region: memstart_addr moves down by _PAGE_OFFSET(48) - _PAGE_OFFSET(52).
  if (g_.va_bits == 52 && vabits_actual() != 52) {
    memstart_addr_ -= page_offset(48) - page_offset(52);
  }
  // mem=: apply the limit, then add back the kernel image.
  if (memory_limit_ != ~uint64_t{0}) {
    memblock_.memblock_mem_limit_remove_map(memory_limit_);
    memblock_.memblock_add(pa_symbol("_text"), va_symbol("_end") - va_symbol("_text"), caller);
  }
  // The initrd, added back if mem= removed it and it fits the linear map.
  if (phys_initrd_size_ != 0) {
    const uint64_t page = g_.page_size();
    const uint64_t base = phys_initrd_start_ & ~(page - 1);
    const uint64_t size = ((phys_initrd_start_ + phys_initrd_size_ + page - 1) & ~(page - 1)) - base;
    const uint64_t dram = memblock_.memblock_start_of_DRAM();
    if (base < dram || base + size > dram + static_cast<uint64_t>(linear_region_size)) {
      log_.warn("arch/arm64/mm/init.c arm64_memblock_init",
                "initrd not fully accessible via the linear mapping -- please check your bootloader ...");
      phys_initrd_size_ = 0;
    } else {
      memblock_.memblock_add(base, size, caller);
      memblock_.memblock_clear_nomap(base, size);
      memblock_.memblock_reserve(base, size, caller);
    }
  }
  // KASLR of the linear map (CONFIG_RANDOMIZE_BASE), from the seed head.S saved.
  if (config_.randomize_base && memstart_offset_seed_ > 0) {
    int64_t range = linear_region_size - static_cast<int64_t>(uint64_t{1} << cpu_.parange_bits);
    if (range >= static_cast<int64_t>(align)) {
      range /= static_cast<int64_t>(align);
      memstart_addr_ -= align * static_cast<uint64_t>((range * memstart_offset_seed_) >> 16);
    }
  }
  // The kernel text, data, initrd and initial page tables.
  memblock_.memblock_reserve(pa_symbol("_stext"), va_symbol("_end") - va_symbol("_stext"), caller);
  early_init_fdt_scan_reserved_mem(in_.fdt, memblock_, log_, config_.smp_cache_bytes);
  if (!config_.zone_dma && in_.crashkernel_size) {
    // reserve_crashkernel() runs here only without ZONE_DMA/DMA32.
    const uint64_t base = memblock_.memblock_phys_alloc_range(*in_.crashkernel_size, 2ull << 20, 0,
                                                              uint64_t{1} << 32, "reserve_crashkernel");
    note("reserve_crashkernel", fmt::format("crashkernel at {:#x}", base));
  }
  high_memory_ = phys_to_virt(memblock_.memblock_end_of_DRAM() - 1) + 1;
  if (steps_.on()) {
    const uint64_t dram_start = memblock_.memblock_start_of_DRAM();
    const uint64_t dram_end = memblock_.memblock_end_of_DRAM();
    steps_.compute(caller, "PAGE_OFFSET", "_PAGE_OFFSET(vabits_actual) = -(1 << vabits_actual)",
                   fmt::format("-(1 << {})", vabits_actual()), layout_.page_offset);
    steps_.compute(
        caller, "__va(memblock_start_of_DRAM())", "(pa - memstart_addr) | PAGE_OFFSET",
        fmt::format("({:#x} - {:#x}) | {:#x}", dram_start, memstart_addr_, layout_.page_offset),
        phys_to_virt(dram_start));
    steps_.compute(caller, "high_memory", "__va(memblock_end_of_DRAM() - 1) + 1",
                   fmt::format("(({:#x} - 1 - {:#x}) | {:#x}) + 1", dram_end, memstart_addr_,
                               layout_.page_offset),
                   high_memory_);
  }
  note("arm64_memblock_init", fmt::format("memstart_addr {:#x}, high_memory {:#x}", memstart_addr_, high_memory_));
}

// Models: arch/arm64/mm/init.c free_initmem (v6.1): the linear alias of the
// init sections goes back to the page allocator (its mapping stays), and
// the init sections are unmapped from the kernel image mapping.
void Arm64Kernel::free_initmem() {
  BootSteps::Scope scope(steps_, "free_initmem",
                         "the init sections unmapped from the kernel image mapping");
  PgdMapper mapper(pt_, {}, &log_);
  mapper.unmap_hotplug_range(init_mm_pgd_, va_symbol("__init_begin"), va_symbol("__init_end"));
  note("free_initmem", fmt::format("vunmap_range [{:#x}-{:#x})", va_symbol("__init_begin"),
                                   va_symbol("__init_end")));
}

}  // namespace ptsim::kernel::arm64
