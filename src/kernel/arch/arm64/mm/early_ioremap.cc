// mm/early_ioremap.c (v6.1) on arm64's fixmap: seven FIX_BTMAP slots of
// NR_FIX_BTMAPS pages each, for mappings made before ioremap() works.
#include <fmt/format.h>

#include "ptsim/kernel/arch/arm64/boot.h"

namespace ptsim::kernel::arm64 {

constexpr const char* kEarlyIoremap = "mm/early_ioremap.c";

void Arm64Kernel::early_ioremap_setup() {
  const FixedAddresses& f = layout_.fix;
  btmap_slot_virt_.assign(static_cast<size_t>(f.fix_btmaps_slots), 0);
  btmap_prev_map_.assign(static_cast<size_t>(f.fix_btmaps_slots), 0);
  btmap_prev_size_.assign(static_cast<size_t>(f.fix_btmaps_slots), 0);
  for (long i = 0; i < f.fix_btmaps_slots; ++i) {
    btmap_slot_virt_[static_cast<size_t>(i)] = layout_.fix_to_virt(f.fix_btmap_begin - f.nr_fix_btmaps * i);
  }
}

// Models: mm/early_ioremap.c __early_ioremap (v6.1) with FIXMAP_PAGE_IO.
uint64_t Arm64Kernel::early_ioremap(uint64_t phys_addr, uint64_t size) {
  const FixedAddresses& f = layout_.fix;
  long slot = -1;
  for (long i = 0; i < f.fix_btmaps_slots; ++i) {
    if (btmap_prev_map_[static_cast<size_t>(i)] == 0) {
      slot = i;
      break;
    }
  }
  if (slot < 0) {
    log_.warn(kEarlyIoremap, fmt::format("__early_ioremap(0x{:016x}, {:08x}) not found slot", phys_addr, size));
    return 0;
  }
  const uint64_t last_addr = phys_addr + size - 1;
  if (size == 0 || last_addr < phys_addr) {
    log_.warn(kEarlyIoremap, "!size || last_addr < phys_addr");
    return 0;
  }
  btmap_prev_size_[static_cast<size_t>(slot)] = size;
  const uint64_t page = g_.page_size();
  const uint64_t offset = phys_addr & (page - 1);
  phys_addr &= ~(page - 1);
  size = ((last_addr + 1 + page - 1) & ~(page - 1)) - phys_addr;
  const long nrpages = static_cast<long>(size / page);
  if (nrpages > f.nr_fix_btmaps) {
    log_.warn(kEarlyIoremap, "nrpages > NR_FIX_BTMAPS");
    return 0;
  }
  long idx = f.fix_btmap_begin - f.nr_fix_btmaps * slot;
  for (long n = nrpages; n > 0; --n, --idx, phys_addr += page) {
    set_fixmap(idx, phys_addr, FIXMAP_PAGE_IO);
  }
  const uint64_t va = btmap_slot_virt_[static_cast<size_t>(slot)] + offset;
  btmap_prev_map_[static_cast<size_t>(slot)] = va;
  note("early_ioremap", fmt::format("slot {}: {} page(s) at {:#x}", slot, nrpages, va));
  return va;
}

// Models: mm/early_ioremap.c early_iounmap (v6.1).
void Arm64Kernel::early_iounmap(uint64_t addr, uint64_t size) {
  const FixedAddresses& f = layout_.fix;
  long slot = -1;
  for (long i = 0; i < f.fix_btmaps_slots; ++i) {
    if (btmap_prev_map_[static_cast<size_t>(i)] == addr) {
      slot = i;
      break;
    }
  }
  if (slot < 0) {
    log_.warn(kEarlyIoremap, fmt::format("early_iounmap({:#x}, {:08x}) not found slot", addr, size));
    return;
  }
  if (btmap_prev_size_[static_cast<size_t>(slot)] != size) {
    log_.warn(kEarlyIoremap, fmt::format("early_iounmap({:#x}, {:08x}) [{}] size not consistent {:08x}", addr,
                                         size, slot, btmap_prev_size_[static_cast<size_t>(slot)]));
    return;
  }
  const uint64_t page = g_.page_size();
  const uint64_t virt = addr & ~(page - 1);
  const long nrpages = static_cast<long>((((addr + size + page - 1) & ~(page - 1)) - virt) / page);
  long idx = f.fix_btmap_begin - f.nr_fix_btmaps * slot;
  for (long n = nrpages; n > 0; --n, --idx) {
    set_fixmap(idx, 0, pgprot_t{0});  // __early_set_fixmap(idx, 0, FIXMAP_PAGE_CLEAR)
  }
  btmap_prev_map_[static_cast<size_t>(slot)] = 0;
}

}  // namespace ptsim::kernel::arm64
