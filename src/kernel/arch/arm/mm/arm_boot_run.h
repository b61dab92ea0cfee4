// The state and functions of one arm boot run: Linux's globals become
// members, its functions methods of the same name.  Split over setup.cc
// (setup_arch, early parameters, arm_memblock_init), mmu.cc (paging_init
// and everything under it) and init.cc (mem_init's print, free_initmem).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "kernel/arch/arm/mm/kernel_pgtable.h"
#include "ptsim/kernel/arch/arm/boot.h"

namespace ptsim::kernel::arm {

class ArmBootRun {
 public:
  explicit ArmBootRun(const ArmBootInput& input);
  // The result; memblock's hooks, which point into this run, are dropped.
  ArmBoot finish();
  void run();
  void explain_constants();

  // --- arch/arm/kernel/setup.c, drivers/of/fdt.c, init/ ---
  void setup_machine_fdt();
  void early_init_dt_add_memory_arch(uint64_t base, uint64_t size);
  void parse_early_param();
  void early_mem(std::string_view arg);
  int arm_add_memory(uint64_t start, uint64_t size);
  void early_vmalloc(std::string_view arg);
  void early_initrd(std::string_view arg);
  void arm_memblock_init();
  void reserve_initrd_mem();
  void arm_mm_memblock_reserve();
  void early_init_fdt_reserve_self();
  void early_init_fdt_scan_reserved_mem();
  void fdt_init_reserved_mem(std::vector<ArmReservedMemory>& regions);

  // --- arch/arm/kernel/head.S ---
  void create_page_tables();

  // --- arch/arm/mm/mmu.c ---
  void early_fixmap_init();
  void adjust_lowmem_bounds();
  void paging_init();
  void prepare_page_table();
  void map_lowmem();
  void map_lowmem_v3();
  void map_lowmem_v4();
  void map_lowmem_v6();
  void map_kernel();
  void dma_contiguous_reserve();
  void dma_contiguous_remap();
  void early_fixmap_shutdown();
  void devicemaps_init();
  void iotable_init(const std::vector<map_desc>& io);
  void vm_reserve_area_early(uint32_t addr, uint32_t size, std::string_view caller);
  void kmap_init();
  void create_mapping(const map_desc& md, std::string_view caller);
  void __create_mapping(const map_desc& md);
  void alloc_init_pmd(phys_addr_t pmdp, uint32_t addr, uint32_t end, phys_addr_t phys,
                      const mem_type& type);
  void __map_init_section(phys_addr_t pmdp, uint32_t addr, uint32_t end, phys_addr_t phys,
                          const mem_type& type);
  void alloc_init_pte(phys_addr_t pmdp, uint32_t addr, uint32_t end, uint64_t pfn,
                      const mem_type& type);
  phys_addr_t early_pte_alloc(phys_addr_t pmdp, uint32_t addr, uint64_t prot,
                              std::string_view why);
  // `pte_table_va`: the allocation is the pte table for that pmd's VA.
  phys_addr_t early_alloc(phys_addr_t sz, std::string_view why,
                          std::optional<uint32_t> pte_table_va = std::nullopt);
  void explain_clear(std::string_view function, uint64_t start, uint64_t end);
  void explain_kernel_x(std::string_view function);
  // The descriptor type a section-level leaf has: "section" (1 MiB) or, LPAE, "block" (2 MiB).
  const char* section_type() const { return lpae() ? "block" : "section"; }

  // --- arch/arm/mm/init.c (after paging_init) ---
  void free_initmem();
  void fix_kernmem_perms();
  void mark_rodata_ro();

  // --- helpers ---
  uint32_t phys_to_virt(phys_addr_t pa) const {
    return static_cast<uint32_t>(pa - s().PHYS_OFFSET + l().PAGE_OFFSET);
  }
  phys_addr_t virt_to_phys(uint32_t va) const {
    return phys_addr_t{va} - l().PAGE_OFFSET + s().PHYS_OFFSET;
  }
  const ArmLayout& l() const { return b_.state.layout; }
  const ArmBootState& s() const { return b_.state; }
  ArmBootState& s() { return b_.state; }
  bool lpae() const { return b_.input.config.lpae; }
  // early_fixmap_init / early_fixmap_shutdown exist (4.14, 6.1).
  bool has_early_fixmap() const {
    return version() == ArmVersion::v4_14 || version() == ArmVersion::v6_1;
  }
  ArmVersion version() const { return b_.input.config.version; }
  void pr(std::string_view where, const std::string& line);
  void trace(std::string_view function, const std::string& text);
  BootSteps& steps() { return b_.steps; }

 private:
  ArmBoot b_;
  std::optional<KernelPgtable> pt_;
  bool usermem_ = false;
  const char* mapping_type_ = "";  // the MT_* of the create_mapping in progress
};

}  // namespace ptsim::kernel::arm
