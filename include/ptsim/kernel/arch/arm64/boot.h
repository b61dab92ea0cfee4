// The arm64 boot model: Linux 6.1 from the first instruction of head.S to
// the end of paging_init (and on to the end of boot for the steps that
// change the kernel's tables), on a machine described by a device tree, a
// kernel image layout and a command line.
//
//   head.S      create_idmap -> __enable_mmu -> create_kernel_mapping
//   __primary_switched -> early_fdt_map (early_fixmap_init, fixmap_remap_fdt)
//   setup_arch  early_fixmap_init, early_ioremap_init, setup_machine_fdt,
//               parse_early_param (earlycon_map), arm64_memblock_init,
//               paging_init (map_kernel, map_mem, cpu_replace_ttbr1,
//               free init_pg_dir, create_idmap)
//   later       mark_linear_text_alias_ro, mark_rodata_ro, free_initmem
//
// Every table lives as raw descriptors in simulated physical memory at the
// physical address Linux uses: the static tables (init_idmap_pg_dir,
// init_pg_dir, swapper_pg_dir, idmap_pg_dir, bm_pud/bm_pmd/bm_pte) inside
// the image, and every other table page taken from memblock.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptsim/hw/phys_mem.h"
#include "ptsim/kernel/arch/arm64/layout.h"
#include "ptsim/kernel/arch/arm64/mm/pgd_mapping.h"
#include "ptsim/kernel/arch/arm64/mm/table_estimate.h"
#include "ptsim/kernel/arch/arm64/pgtable.h"
#include "ptsim/kernel/boot_steps.h"
#include "ptsim/kernel/drivers/of/fdt.h"
#include "ptsim/kernel/events.h"
#include "ptsim/kernel/include/pgtable_geometry.h"
#include "ptsim/kernel/mm/memblock.h"

namespace ptsim::kernel::arm64 {

enum class Rodata { off, on, full };
enum class BootStage { paging_init, final };

// The kernel build: Kconfig values that change what boot does (defaults:
// Debian 12's arm64 6.1 config).
struct KernelConfig {
  unsigned page_shift = 12;  // CONFIG_ARM64_4K_PAGES
  unsigned va_bits = 48;     // CONFIG_ARM64_VA_BITS
  unsigned pa_bits = 48;     // CONFIG_ARM64_PA_BITS
  LayoutConfig layout;
  bool arm64_mte = true;       // CONFIG_ARM64_MTE: map_mem() uses pgprot_tagged()
  bool randomize_base = true;  // CONFIG_RANDOMIZE_BASE
  bool zone_dma = true;        // CONFIG_ZONE_DMA(32): crashkernel reserved after paging_init
  uint64_t smp_cache_bytes = 64;  // L1_CACHE_BYTES
  unsigned nr_cpus = 256;         // CONFIG_NR_CPUS: sizes memblock's reserved array
};

// Sets one Kconfig option from "NAME=y" or "NAME=n" (CONFIG_ prefix
// optional): UNMAP_KERNEL_AT_EL0, RELOCATABLE, RANDOMIZE_BASE,
// ACPI_APEI_GHES, ARM_SDE_INTERFACE, ARM64_MTE, ZONE_DMA.  Throws a usage
// error naming the option and the ones accepted.
void apply_kconfig(KernelConfig& config, std::string_view assignment);

// The CPU: what head.S and setup_arch read from ID registers.
struct CpuFeatures {
  unsigned parange_bits = 44;  // ID_AA64MMFR0_EL1.PARange (Cortex-A57: 44 bits)
  bool e0pd = false;           // FEAT_E0PD: KASLR then needs no KPTI
  bool lva = false;            // FEAT_LVA: 52-bit VAs with 64K pages (vabits_actual 52)
};

// The kernel image, by symbol (virtual addresses of the link, without KASLR).
struct ImageSymbols {
  std::map<std::string, uint64_t> va;
  uint64_t at(const std::string& name) const;  // throws bad_input naming the symbol
  bool has(const std::string& name) const { return va.count(name) != 0; }
};

// What the boot loader and the command line give the kernel.
struct BootInputs {
  FdtInfo fdt;
  std::vector<std::byte> dtb;  // the blob, loaded into RAM at dtb_pa
  uint64_t dtb_pa = 0;
  uint64_t text_pa = 0;        // where the boot loader put _text
  ImageSymbols symbols;
  // Command-line effects (parse_early_param and friends).
  Rodata rodata = Rodata::full;
  bool nokaslr = true;
  std::optional<uint64_t> mem_limit;   // mem=
  std::optional<uint64_t> crashkernel_size;  // crashkernel=SIZE
  bool memblock_debug = false;
  std::optional<uint64_t> earlycon_pa;  // earlycon=pl011,ADDR (or from stdout-path)
};

// One step of the boot, for --trace and the explain narration.
struct TraceEvent {
  std::string function;  // the Linux function that acted
  std::string text;
};

// Register values the boot loaded.
struct MmuRegisters {
  uint64_t ttbr0_el1 = 0;
  uint64_t ttbr1_el1 = 0;
  uint64_t tcr_el1 = 0;
  uint64_t idmap_t0sz = 0;
};

struct TableRoot {
  std::string name;  // swapper_pg_dir, init_pg_dir, ...
  uint64_t pa = 0;
  bool upper_half = true;  // TTBR1 (kernel) or TTBR0 (idmap)
  unsigned ia_bits = 48;   // the VA width the root is walked with
};

class Arm64Kernel {
 public:
  Arm64Kernel(const KernelConfig& config, const CpuFeatures& cpu, BootInputs inputs);

  // Whether trace() and steps() record the boot (on by default).  A very
  // large machine boots faster without: its trace holds a line per table page.
  void set_tracing(bool on) {
    tracing_ = on;
    steps_.set_on(on);
  }

  // Called every 65536 table pages with the count so far, for a progress
  // indication on very large machines.
  void set_progress(std::function<void(uint64_t table_pages)> progress) { progress_ = std::move(progress); }
  // Table pages taken from memblock by early_pgtable_alloc().
  uint64_t table_pages() const { return table_pages_; }

  // ptsim's own limit, not Linux's: boot() refuses, before paging_init
  // allocates a table, a machine whose tables could need more than
  // `bytes` (docs/limits.md).  Each table page costs its size in host
  // memory and one store per entry, so 1 GiB is about 128 Mi entries.
  static constexpr uint64_t kDefaultMaxTableBytes = uint64_t{1} << 30;
  void set_max_table_bytes(uint64_t bytes) { max_table_bytes_ = bytes; }
  uint64_t max_table_bytes() const { return max_table_bytes_; }
  // The table pages paging_init() and later steps may take from memblock,
  // at most: the linear map of memblock.memory (page by page when
  // rodata=full), the kernel image page by page at its address and in the
  // linear map, the idmap.  Meaningful once arm64_memblock_init() has run.
  TableEstimate table_estimate() const;

  // Runs the boot to `stage`.  Throws KernelBug/KernelPanic where Linux
  // would stop, Error(bad_input) for inputs Linux could not boot from.
  void boot(BootStage stage);

  const Geometry& geometry() const { return g_; }
  const Layout& layout() const { return layout_; }
  const KernelConfig& config() const { return config_; }
  hw::PhysMem& mem() { return mem_; }
  const hw::PhysMem& mem() const { return mem_; }
  const Memblock& memblock() const { return memblock_; }
  const KernelLog& log() const { return log_; }
  const std::vector<TraceEvent>& trace() const { return trace_; }
  // The boot told step by step (kernel/boot_steps.h), for `ptsim explain`.
  const std::vector<BootStep>& steps() const { return steps_.steps(); }
  const std::vector<std::string>& memblock_debug_lines() const { return memblock_dbg_; }
  const MmuRegisters& registers() const { return regs_; }
  std::vector<TableRoot> roots() const;

  uint64_t kimage_voffset() const { return kimage_voffset_; }
  uint64_t kaslr_offset() const { return kaslr_offset_; }
  // vabits_actual: 52 only for a VA_BITS=52 kernel on a CPU with FEAT_LVA.
  unsigned vabits_actual() const {
    return g_.va_bits == 52 && cpu_.lva ? 52 : layout_.va_bits_min;
  }
  uint64_t memstart_addr() const { return memstart_addr_; }
  uint64_t high_memory() const { return high_memory_; }
  bool rodata_full() const { return rodata_full_; }
  // __pa_symbol(name): a symbol's physical address.
  uint64_t pa_symbol(const std::string& name) const;
  // The virtual address of a symbol after KASLR.
  uint64_t va_symbol(const std::string& name) const;

  // Each part of the boot, with Linux's name; boot() calls them in order.
  // Models: arch/arm64/kernel/head.S create_idmap (v6.1).
  void create_idmap_head();
  // Models: arch/arm64/kernel/head.S create_kernel_mapping (v6.1).
  void create_kernel_mapping();
  // Models: arch/arm64/kernel/head.S __enable_mmu and __primary_switch (v6.1).
  void enable_mmu();
  // Models: arch/arm64/mm/mmu.c early_fixmap_init (v6.1).
  void early_fixmap_init();
  // Models: mm/early_ioremap.c early_ioremap_setup (v6.1).
  void early_ioremap_setup();
  // Models: arch/arm64/kernel/setup.c setup_machine_fdt (v6.1).
  void setup_machine_fdt();
  // Models: arch/arm64/mm/mmu.c fixmap_remap_fdt (v6.1): the FDT's virtual address, or 0.
  uint64_t fixmap_remap_fdt(uint64_t dt_phys, uint32_t* size, pgprot_t prot);
  // Models: drivers/tty/serial/earlycon.c earlycon_map (v6.1).
  uint64_t earlycon_map(uint64_t paddr);
  // Models: arch/arm64/mm/mmu.c __set_fixmap (v6.1).
  void set_fixmap(long idx, uint64_t phys, pgprot_t prot);
  // Models: arch/arm64/mm/init.c arm64_memblock_init (v6.1).
  void arm64_memblock_init();
  // Models: arch/arm64/mm/mmu.c paging_init (v6.1).
  void paging_init();
  // Models: arch/arm64/mm/mmu.c mark_linear_text_alias_ro (v6.1).
  void mark_linear_text_alias_ro();
  // Models: arch/arm64/mm/mmu.c mark_rodata_ro (v6.1).
  void mark_rodata_ro();
  // Models: arch/arm64/mm/init.c free_initmem (v6.1).
  void free_initmem();

  // mm/early_ioremap.c: map `size` bytes at `phys` into a free FIX_BTMAP
  // slot; returns the virtual address, or 0 with Linux's WARN when refused.
  uint64_t early_ioremap(uint64_t phys, uint64_t size);
  void early_iounmap(uint64_t addr, uint64_t size);

 private:
  struct MapMemoryResult;
  std::vector<std::pair<unsigned, unsigned>> map_memory_levels(uint64_t vend, unsigned order,
                                                               std::optional<unsigned> extra_shift) const;
  void map_memory(uint64_t tbl, uint64_t vstart, uint64_t vend, uint64_t flags, uint64_t phys, unsigned order,
                  std::optional<unsigned> extra_shift, uint64_t* last_table);
  void remap_region(uint64_t table, uint64_t map_start, uint64_t start, uint64_t end, uint64_t pa, uint64_t flags,
                    unsigned block_shift);
  void populate_entries(uint64_t tbl, uint64_t* rtbl, uint64_t index, uint64_t eindex, uint64_t flags,
                        uint64_t inc);
  uint64_t early_pgtable_alloc(int shift);
  void create_pgd_mapping(uint64_t pgdir, uint64_t phys, uint64_t virt, uint64_t size, pgprot_t prot, int flags,
                          bool alloc, const char* caller);
  void create_mapping_noalloc(uint64_t phys, uint64_t virt, uint64_t size, pgprot_t prot);
  void update_mapping_prot(uint64_t phys, uint64_t virt, uint64_t size, pgprot_t prot);
  void map_kernel(uint64_t pgdp);
  void map_kernel_segment(uint64_t pgdp, const std::string& start, const std::string& end, pgprot_t prot,
                          int flags);
  void map_mem(uint64_t pgdp);
  bool linear_map_page_granular() const;  // map_mem()'s NO_BLOCK_MAPPINGS
  uint64_t idmap_get_t0sz() const;        // T0SZ covering __pa_symbol(_end)
  void check_early_table_area(const char* dir, const char* end, uint64_t vstart, uint64_t vend, unsigned order,
                              std::optional<unsigned> extra_shift) const;
  void check_table_memory() const;        // the max_table_bytes() refusal
  void create_idmap();
  void setup_arch(uint64_t kaslr_random);
  void note(const std::string& function, const std::string& text);        // trace and steps
  void trace_only(const std::string& function, const std::string& text);  // trace alone
  void install_memblock_hooks();
  uint64_t lm_alias(const std::string& symbol) const;  // linear-map address of a symbol
  // The VA range one table of `level` covers: its entries times their size.
  uint64_t table_span(PgLevel level) const { return g_.level_size(level) * g_.ptrs_per(level); }
  uint64_t phys_to_virt(uint64_t pa) const { return (pa - memstart_addr_) | layout_.page_offset; }

  KernelConfig config_;
  CpuFeatures cpu_;
  BootInputs in_;
  Geometry g_;
  Layout layout_;
  hw::PhysMem mem_;
  Memblock memblock_;
  KernelLog log_;
  PgTable pt_;
  std::vector<TraceEvent> trace_;
  BootSteps steps_;
  std::vector<std::string> memblock_dbg_;
  bool memblock_debug_on_ = false;
  bool tracing_ = true;
  uint64_t table_pages_ = 0;
  uint64_t max_table_bytes_ = kDefaultMaxTableBytes;
  std::function<void(uint64_t)> progress_;
  MmuRegisters regs_;

  uint64_t kaslr_offset_ = 0;
  uint16_t memstart_offset_seed_ = 0;
  uint64_t kimage_voffset_ = 0;
  uint64_t init_mm_pgd_ = 0;  // init_mm.pgd (physical)
  uint64_t memstart_addr_ = 0;
  uint64_t high_memory_ = 0;
  uint64_t phys_initrd_start_ = 0;
  uint64_t phys_initrd_size_ = 0;
  uint64_t memory_limit_ = ~uint64_t{0};
  bool rodata_enabled_ = true;
  bool rodata_full_ = true;
  bool use_ng_mappings_ = false;
  bool after_paging_init_ = false;
  uint64_t fdt_va_ = 0;
  uint32_t fdt_size_ = 0;
  std::vector<uint64_t> btmap_slot_virt_;
  std::vector<uint64_t> btmap_prev_map_;
  std::vector<uint64_t> btmap_prev_size_;
  std::vector<TableRoot> roots_;
};

}  // namespace ptsim::kernel::arm64
