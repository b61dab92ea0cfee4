#include "ptsim/kernel/drivers/of/fdt.h"

#include <fmt/format.h>

namespace ptsim::kernel {
namespace {

constexpr const char* kFdt = "drivers/of/fdt.c";

// Models: drivers/of/fdt.c early_init_dt_add_memory_arch (v6.1).
void early_init_dt_add_memory_arch(uint64_t base, uint64_t size, Memblock& memblock, KernelLog& log,
                                   uint64_t page_size, uint64_t phys_offset, uint64_t max_addr) {
  const uint64_t in_page = base & (page_size - 1);
  if (size < page_size - in_page) {
    log.info(kFdt, fmt::format("Ignoring memory block 0x{:x} - 0x{:x}", base, base + size));
    return;
  }
  if (in_page != 0) {
    size -= page_size - in_page;
    base = (base + page_size - 1) & ~(page_size - 1);
  }
  size &= ~(page_size - 1);
  if (base > max_addr) {
    log.info(kFdt, fmt::format("Ignoring memory block 0x{:x} - 0x{:x}", base, base + size));
    return;
  }
  if (base + size - 1 > max_addr) {
    log.info(kFdt, fmt::format("Ignoring memory range 0x{:x} - 0x{:x}", max_addr + 1, base + size));
    size = max_addr - base + 1;
  }
  if (base + size < phys_offset) {
    log.info(kFdt, fmt::format("Ignoring memory block 0x{:x} - 0x{:x}", base, base + size));
    return;
  }
  if (base < phys_offset) {
    log.info(kFdt, fmt::format("Ignoring memory range 0x{:x} - 0x{:x}", base, phys_offset));
    size -= phys_offset - base;
    base = phys_offset;
  }
  memblock.memblock_add(base, size, "early_init_dt_add_memory_arch");
}

// Models: drivers/of/fdt.c early_init_dt_reserve_memory (v6.1).
int early_init_dt_reserve_memory(uint64_t base, uint64_t size, bool nomap, Memblock& memblock) {
  if (nomap) {
    if (memblock.memblock_overlaps_region(memblock.memory(), base, size) &&
        memblock.memblock_is_region_reserved(base, size)) {
      return -16;  // -EBUSY
    }
    return memblock.memblock_mark_nomap(base, size);
  }
  return memblock.memblock_reserve(base, size, "early_init_dt_reserve_memory");
}

// Models: drivers/of/of_reserved_mem.c early_init_dt_alloc_reserved_memory_arch (v6.1).
int alloc_reserved_memory(uint64_t size, uint64_t align, uint64_t start, uint64_t end, bool nomap,
                          uint64_t* base, Memblock& memblock, uint64_t smp_cache_bytes) {
  end = end == 0 ? memblock.alloc_anywhere() : end;
  align = align == 0 ? smp_cache_bytes : align;
  const uint64_t found = memblock.memblock_phys_alloc_range(size, align, start, end,
                                                            "early_init_dt_alloc_reserved_memory_arch");
  if (found == 0) {
    return -12;  // -ENOMEM
  }
  *base = found;
  if (nomap) {
    const int err = memblock.memblock_mark_nomap(found, size);
    if (err != 0) {
      memblock.memblock_phys_free(found, size, "early_init_dt_alloc_reserved_memory_arch");
    }
    return err;
  }
  return 0;
}

}  // namespace

// Models: drivers/of/fdt.c early_init_dt_scan_memory, early_init_dt_check_for_initrd (v6.1).
DtScanResult early_init_dt_scan(const FdtInfo& fdt, Memblock& memblock, KernelLog& log, uint64_t page_size,
                                uint64_t min_memblock_addr, uint64_t max_memblock_addr) {
  DtScanResult r;
  for (const DtMemoryNode& node : fdt.memory) {
    if (!node.available) {
      continue;
    }
    for (const DtRange& range : node.reg) {
      if (range.size == 0) {
        continue;
      }
      early_init_dt_add_memory_arch(range.base, range.size, memblock, log, page_size, min_memblock_addr,
                                    max_memblock_addr);
      r.found_memory = true;
      if (node.hotpluggable && memblock.memblock_mark_hotplug(range.base, range.size) != 0) {
        log.info(kFdt, fmt::format("failed to mark hotplug range 0x{:x} - 0x{:x}", range.base,
                                   range.base + range.size));
      }
    }
  }
  if (fdt.initrd_start && fdt.initrd_end && *fdt.initrd_end > *fdt.initrd_start) {
    r.phys_initrd_start = *fdt.initrd_start;
    r.phys_initrd_size = *fdt.initrd_end - *fdt.initrd_start;
  }
  // early_init_dt_check_for_usable_mem_range: cap memory to the range.
  if (fdt.usable_memory_range) {
    memblock.memblock_cap_memory_range(fdt.usable_memory_range->base, fdt.usable_memory_range->size);
  }
  return r;
}

void early_init_fdt_scan_reserved_mem(const FdtInfo& fdt, Memblock& memblock, KernelLog& log,
                                      uint64_t smp_cache_bytes) {
  for (const DtRange& r : fdt.memreserve) {
    if (r.size == 0) {
      break;
    }
    memblock.memblock_reserve(r.base, r.size, "early_init_fdt_scan_reserved_mem");
  }
  if (!fdt.reserved_memory_ok) {
    if (!fdt.reserved_memory.empty()) {
      log.info(kFdt, "Reserved memory: unsupported node format, ignoring");
    }
    return;
  }
  // fdt_scan_reserved_mem: static regions now, dynamic ones remembered.
  std::vector<const DtReservedNode*> dynamic;
  for (const DtReservedNode& node : fdt.reserved_memory) {
    if (!node.available) {
      continue;
    }
    if (!node.has_reg) {
      if (node.size) {
        dynamic.push_back(&node);
      }
      continue;
    }
    if (!node.reg_well_formed) {
      log.info(kFdt, fmt::format("Reserved memory: invalid reg property in '{}', skipping node.", node.name));
      continue;
    }
    for (const DtRange& r : node.reg) {
      if (r.size == 0 || early_init_dt_reserve_memory(r.base, r.size, node.no_map, memblock) != 0) {
        log.info(kFdt, fmt::format("Reserved memory: failed to reserve memory for node '{}': base "
                                   "0x{:016x}, size {} MiB",
                                   node.name, r.base, r.size >> 20));
      }
    }
  }
  // fdt_init_reserved_mem -> __reserved_mem_alloc_size for each dynamic node.
  for (const DtReservedNode* node : dynamic) {
    if (!node->size_well_formed) {
      log.info(kFdt, fmt::format("invalid size property in '{}' node.", node->name));
      continue;
    }
    uint64_t align = node->alignment.value_or(0);
    if (node->compatible == "shared-dma-pool" && node->reusable && !node->no_map) {
      // CMA_MIN_ALIGNMENT_BYTES: PAGE_SIZE << pageblock_order (4 MiB with 4K pages)
      align = std::max<uint64_t>(align, uint64_t{4} << 20);
    }
    uint64_t base = 0;
    if (!node->alloc_ranges.empty()) {
      for (const DtRange& r : node->alloc_ranges) {
        if (alloc_reserved_memory(*node->size, align, r.base, r.base + r.size, node->no_map, &base, memblock,
                                  smp_cache_bytes) == 0) {
          break;
        }
      }
    } else {
      alloc_reserved_memory(*node->size, align, 0, 0, node->no_map, &base, memblock, smp_cache_bytes);
    }
    if (base == 0) {
      log.info(kFdt, fmt::format("failed to allocate memory for node '{}': size {} MiB", node->name,
                                 *node->size >> 20));
    }
  }
}

}  // namespace ptsim::kernel
