#include "ptsim/kernel/arch/arm64/layout.h"

#include "ptsim/kernel/arch/arm64/memory.h"

namespace ptsim::kernel::arm64 {
namespace {

constexpr uint64_t SZ_2M = 2ull << 20;
constexpr uint64_t SZ_8M = 8ull << 20;
constexpr uint64_t SZ_16M = 16ull << 20;
constexpr uint64_t SZ_32M = 32ull << 20;
constexpr uint64_t SZ_128M = 128ull << 20;
constexpr uint64_t SZ_256M = 256ull << 20;
constexpr uint64_t SZ_256K = 256ull << 10;
constexpr uint64_t MAX_FDT_SIZE = SZ_2M;  // asm/boot.h

// _PAGE_END(va) = -(1 << (va - 1))
constexpr uint64_t page_end_of(unsigned va) { return ~uint64_t{0} << (va - 1); }

// Models: arch/arm64/include/asm/fixmap.h enum fixed_addresses (v6.1.192).
FixedAddresses fixed_addresses(const Geometry& g, const LayoutConfig& c) {
  FixedAddresses f;
  long next = 0;
  f.fix_hole = next++;
  f.fix_fdt_end = next++;
  // FIX_FDT_SIZE = MAX_FDT_SIZE + SZ_2M, so the FDT window is 2 MiB larger
  // than the largest FDT and stays 2 MiB aligned at the top of the fixmap.
  f.fix_fdt = f.fix_fdt_end + static_cast<long>((MAX_FDT_SIZE + SZ_2M) / g.page_size()) - 1;
  next = f.fix_fdt + 1;
  f.fix_earlycon_mem_base = next++;
  f.fix_text_poke0 = next++;
  if (c.acpi_apei_ghes) {
    f.fix_apei_ghes_irq = next++;
    f.fix_apei_ghes_sea = next++;
    if (c.arm_sde_interface) {
      f.fix_apei_ghes_sdei_normal = next++;
      f.fix_apei_ghes_sdei_critical = next++;
    }
  }
  if (c.unmap_kernel_at_el0) {
    if (c.relocatable) {
      f.fix_entry_tramp_text4 = next++;
    }
    f.fix_entry_tramp_text3 = next++;
    f.fix_entry_tramp_text2 = next++;
    f.fix_entry_tramp_text1 = next++;
  }
  f.end_of_permanent_fixed_addresses = next;
  f.nr_fix_btmaps = static_cast<long>(SZ_256K / g.page_size()) + 1;
  f.fix_btmap_end = f.end_of_permanent_fixed_addresses;
  f.fix_btmap_begin = f.fix_btmap_end + f.nr_fix_btmaps * f.fix_btmaps_slots - 1;
  f.fix_pte = f.fix_btmap_begin + 1;
  f.fix_pmd = f.fix_pte + 1;
  f.fix_pud = f.fix_pmd + 1;
  f.fix_pgd = f.fix_pud + 1;
  f.end_of_fixed_addresses = f.fix_pgd + 1;
  return f;
}

}  // namespace

std::vector<std::pair<std::string, long>> FixedAddresses::named() const {
  std::vector<std::pair<std::string, long>> out = {
      {"FIX_HOLE", fix_hole}, {"FIX_FDT_END", fix_fdt_end}, {"FIX_FDT", fix_fdt},
      {"FIX_EARLYCON_MEM_BASE", fix_earlycon_mem_base}, {"FIX_TEXT_POKE0", fix_text_poke0},
      {"FIX_APEI_GHES_IRQ", fix_apei_ghes_irq}, {"FIX_APEI_GHES_SEA", fix_apei_ghes_sea},
      {"FIX_APEI_GHES_SDEI_NORMAL", fix_apei_ghes_sdei_normal},
      {"FIX_APEI_GHES_SDEI_CRITICAL", fix_apei_ghes_sdei_critical},
      {"FIX_ENTRY_TRAMP_TEXT4", fix_entry_tramp_text4}, {"FIX_ENTRY_TRAMP_TEXT3", fix_entry_tramp_text3},
      {"FIX_ENTRY_TRAMP_TEXT2", fix_entry_tramp_text2}, {"FIX_ENTRY_TRAMP_TEXT1", fix_entry_tramp_text1},
      {"__end_of_permanent_fixed_addresses", end_of_permanent_fixed_addresses},
      {"FIX_BTMAP_END", fix_btmap_end}, {"FIX_BTMAP_BEGIN", fix_btmap_begin}, {"FIX_PTE", fix_pte},
      {"FIX_PMD", fix_pmd}, {"FIX_PUD", fix_pud}, {"FIX_PGD", fix_pgd},
      {"__end_of_fixed_addresses", end_of_fixed_addresses}};
  std::erase_if(out, [](const auto& slot) { return slot.second < 0; });
  return out;
}

// Models: arch/arm64/include/asm/memory.h and pgtable.h layout macros (v6.1).
Layout arm64_layout(const Geometry& g, const LayoutConfig& c) {
  Layout l;
  l.page_shift = g.page_shift;
  l.va_bits = g.va_bits;
  l.va_bits_min = g.va_bits > 48 ? 48 : g.va_bits;
  l.page_offset = page_offset(g.va_bits);
  l.page_end = page_end_of(l.va_bits_min);
  l.modules_vaddr = page_end_of(l.va_bits_min);
  l.modules_end = l.modules_vaddr + SZ_128M;
  l.kimage_vaddr = l.modules_end;
  l.vmalloc_start = l.modules_end;
  // VMEMMAP_SHIFT = PAGE_SHIFT - STRUCT_PAGE_MAX_SHIFT
  const unsigned vmemmap_shift = g.page_shift - c.struct_page_max_shift;
  l.vmemmap_start = ~uint64_t{0} << (g.va_bits - vmemmap_shift);
  l.vmemmap_end = l.vmemmap_start + ((page_end_of(l.va_bits_min) - l.page_offset) >> vmemmap_shift);
  l.vmalloc_end = l.vmemmap_start - SZ_256M;
  l.pci_io_end = l.vmemmap_start - SZ_8M;
  l.pci_io_start = l.pci_io_end - SZ_16M;
  l.fixaddr_top = l.vmemmap_start - SZ_32M;
  l.fix = fixed_addresses(g, c);
  l.fixaddr_size = static_cast<uint64_t>(l.fix.end_of_permanent_fixed_addresses) << g.page_shift;
  l.fixaddr_start = l.fixaddr_top - l.fixaddr_size;
  return l;
}

}  // namespace ptsim::kernel::arm64
