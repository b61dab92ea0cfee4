#include "ptsim/kernel/arch/arm64/boot.h"

#include <fmt/format.h>

#include "ptsim/error.h"

namespace ptsim::kernel::arm64 {
namespace {

constexpr uint64_t MIN_KIMG_ALIGN = 2ull << 20;  // asm/boot.h

// The image symbols the boot reads; a System.map missing one cannot be booted.
constexpr const char* kRequiredSymbols[] = {
    "_text",         "_stext",           "_etext",          "__start_rodata", "__inittext_begin",
    "__inittext_end", "__initdata_begin", "__initdata_end",  "_data",          "_end",
    "__init_begin",  "__init_end",       "swapper_pg_dir",  "init_pg_dir",    "init_pg_end",
    "init_idmap_pg_dir", "init_idmap_pg_end", "idmap_pg_dir", "reserved_pg_dir", "bm_pud",
    "bm_pmd",        "bm_pte",           "__idmap_text_start", "__idmap_text_end",
};

// The Linux name of a pgprot_t the boot maps with (asm/pgtable-prot.h), with
// PTE_NG and the tagged memory type (pgprot_tagged) spelt out; hex otherwise.
std::string pgprot_name(pgprot_t prot) {
  pteval_t v = prot.val & ~PTE_CONT;
  std::string extra;
  if ((v & PTE_NG) != 0) {
    v &= ~PTE_NG;
    extra += " | PTE_NG";
  }
  if ((v & PTE_ATTRINDX_MASK) == PTE_ATTRINDX(MT_NORMAL_TAGGED)) {
    v = (v & ~PTE_ATTRINDX_MASK) | PTE_ATTRINDX(MT_NORMAL);
    extra = " (pgprot_tagged: MT_NORMAL_TAGGED)" + extra;
  }
  static const std::pair<pgprot_t, const char*> kNames[] = {
      {PAGE_KERNEL, "PAGE_KERNEL"},         {PAGE_KERNEL_RO, "PAGE_KERNEL_RO"},
      {PAGE_KERNEL_ROX, "PAGE_KERNEL_ROX"}, {PAGE_KERNEL_EXEC, "PAGE_KERNEL_EXEC"},
      {FIXMAP_PAGE_IO, "FIXMAP_PAGE_IO"},
  };
  for (const auto& [p, name] : kNames) {
    if ((p.val & ~PTE_CONT) == v) {
      return name + extra;
    }
  }
  return fmt::format("{:#x}", prot.val);
}

// The descriptor type of a leaf written at `level`.
const char* leaf_type(PgLevel level, pteval_t desc) {
  const bool cont = (desc & PTE_CONT) != 0;
  if (level == PgLevel::pte) {
    return cont ? "contiguous page" : "page";
  }
  return cont ? "contiguous block" : "block";
}

MemblockConfig memblock_config(const KernelConfig& c, const Geometry& g) {
  MemblockConfig m;
  m.smp_cache_bytes = c.smp_cache_bytes;
  m.page_size = g.page_size();
  m.phys_addr_bits = 64;
  m.numa = true;
  m.max_numnodes = 16;  // CONFIG_NODES_SHIFT 4
  // arch/arm64/include/asm/memory.h (v6.1)
  m.init_memory_regions = INIT_MEMBLOCK_REGIONS * 8;
  m.init_reserved_regions = INIT_MEMBLOCK_REGIONS + c.nr_cpus + 1;
  return m;
}

// "256 TiB", "64 KiB", "2.5 GiB": in the largest binary unit not above the size.
std::string size_text(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"PiB", "TiB", "GiB", "MiB", "KiB"};
  for (unsigned i = 0; i < 5; ++i) {
    const unsigned shift = 50 - 10 * i;
    if ((bytes >> shift) == 0) {
      continue;
    }
    if ((bytes & ((uint64_t{1} << shift) - 1)) == 0) {
      return fmt::format("{} {}", bytes >> shift, kUnits[i]);
    }
    return fmt::format("{:.1f} {}",
                       static_cast<double>(bytes) / static_cast<double>(uint64_t{1} << shift),
                       kUnits[i]);
  }
  return fmt::format("{} bytes", bytes);
}

}  // namespace

void apply_kconfig(KernelConfig& config, std::string_view assignment) {
  const auto eq = assignment.find('=');
  std::string_view name = assignment.substr(0, eq);
  if (name.rfind("CONFIG_", 0) == 0) {
    name.remove_prefix(7);
  }
  const std::string_view value = eq == std::string_view::npos ? "" : assignment.substr(eq + 1);
  if (value != "y" && value != "n") {
    throw usage_error(fmt::format("--kconfig '{}': give NAME=y or NAME=n", assignment));
  }
  const bool on = value == "y";
  const std::pair<std::string_view, bool*> options[] = {
      {"UNMAP_KERNEL_AT_EL0", &config.layout.unmap_kernel_at_el0},
      {"RELOCATABLE", &config.layout.relocatable},
      {"RANDOMIZE_BASE", &config.randomize_base},
      {"ACPI_APEI_GHES", &config.layout.acpi_apei_ghes},
      {"ARM_SDE_INTERFACE", &config.layout.arm_sde_interface},
      {"ARM64_MTE", &config.arm64_mte},
      {"ZONE_DMA", &config.zone_dma},
  };
  for (const auto& [option, field] : options) {
    if (option == name) {
      *field = on;
      return;
    }
  }
  throw usage_error(fmt::format(
      "--kconfig: CONFIG_{} is not one ptsim models; known: UNMAP_KERNEL_AT_EL0, RELOCATABLE, RANDOMIZE_BASE, "
      "ACPI_APEI_GHES, ARM_SDE_INTERFACE, ARM64_MTE, ZONE_DMA",
      name));
}

uint64_t ImageSymbols::at(const std::string& name) const {
  const auto it = va.find(name);
  if (it == va.end()) {
    throw bad_input(fmt::format(
        "kernel symbol '{}' is missing from the image layout, and the boot needs it (fix: give the "
        "kernel's full System.map with --kernel-symbols)",
        name));
  }
  return it->second;
}

Arm64Kernel::Arm64Kernel(const KernelConfig& config, const CpuFeatures& cpu, BootInputs inputs)
    : config_(config),
      cpu_(cpu),
      in_(std::move(inputs)),
      g_(arm64_geometry(config.page_shift, config.va_bits)),
      layout_(arm64_layout(g_, config.layout)),
      memblock_(memblock_config(config, g_)),
      pt_(g_, mem_, config.pa_bits == 52) {
  for (const char* name : kRequiredSymbols) {
    in_.symbols.at(name);
  }
  if (in_.symbols.at("_text") != layout_.kimage_vaddr) {
    throw bad_input(fmt::format(
        "the image's _text {:#x} is not KIMAGE_VADDR {:#x} of a {}: the symbols belong to another "
        "configuration (fix: give the --page-size and --va-bits the kernel was built with)",
        in_.symbols.at("_text"), layout_.kimage_vaddr, g_.describe()));
  }
  if (in_.symbols.at("_end") <= in_.symbols.at("_text")) {
    throw bad_input(fmt::format(
        "the image's _end {:#x} is not above its _text {:#x}: a kernel image ends after it starts",
        in_.symbols.at("_end"), in_.symbols.at("_text")));
  }
  if ((in_.text_pa & (g_.page_size() - 1)) != 0) {
    throw bad_input(
        fmt::format("load address {:#x} of _text is not aligned to the {}-byte page (fix: e.g. "
                    "--load-address {:#x})",
                    in_.text_pa, g_.page_size(), in_.text_pa & ~(g_.page_size() - 1)));
  }
  // Simulated RAM: the banks of the device tree's memory nodes.
  for (const DtMemoryNode& node : in_.fdt.memory) {
    for (const DtRange& r : node.reg) {
      if (r.size != 0) {
        mem_.add_ram(hw::PhysAddr(r.base), r.size, node.name);
      }
    }
  }
  const uint64_t image_size = in_.symbols.at("_end") - in_.symbols.at("_text");
  if (mem_.find_bank(hw::PhysAddr(in_.text_pa)) == nullptr ||
      mem_.find_bank(hw::PhysAddr(in_.text_pa + image_size - 1)) == nullptr) {
    throw bad_input(
        fmt::format("the kernel image [{:#x}-{:#x}) is not inside the machine's RAM (fix: a "
                    "--load-address inside a "
                    "memory bank, 2 MiB into RAM as the default does, or more RAM)",
                    in_.text_pa, in_.text_pa + image_size));
  }
  if (!in_.dtb.empty()) {
    if (mem_.find_bank(hw::PhysAddr(in_.dtb_pa)) == nullptr) {
      mem_.add_bank(hw::Bank{hw::PhysAddr(in_.dtb_pa), in_.dtb.size(), hw::BankKind::device, "dtb"});
    }
    mem_.write(hw::PhysAddr(in_.dtb_pa), in_.dtb);
  }
  steps_.set_on(tracing_);
  install_memblock_hooks();
}

// memblock formats a memblock=debug line only when a hook takes it: when
// the trace records the boot or the command line asked for memblock=debug.
void Arm64Kernel::install_memblock_hooks() {
  MemblockHooks hooks;
  if (tracing_ || in_.memblock_debug) {
    hooks.dbg = [this](const std::string& line) {
      trace_only("memblock", line);
      if (memblock_debug_on_) {
        memblock_dbg_.push_back(line);  // what the console prints with memblock=debug
      }
    };
  }
  hooks.printk = [this](const std::string& line) { log_.info("mm/memblock.c", line); };
  hooks.warn = [this](const std::string& cond) { log_.warn("mm/memblock.c", cond); };
  memblock_.set_hooks(std::move(hooks));
}

uint64_t Arm64Kernel::va_symbol(const std::string& name) const { return in_.symbols.at(name) + kaslr_offset_; }

uint64_t Arm64Kernel::pa_symbol(const std::string& name) const {
  return in_.symbols.at(name) - in_.symbols.at("_text") + in_.text_pa;
}

uint64_t Arm64Kernel::lm_alias(const std::string& symbol) const { return phys_to_virt(pa_symbol(symbol)); }

void Arm64Kernel::note(const std::string& function, const std::string& text) {
  trace_only(function, text);
  steps_.note(function, text);
}

void Arm64Kernel::trace_only(const std::string& function, const std::string& text) {
  if (tracing_) {
    trace_.push_back({function, text});
  }
}

std::vector<TableRoot> Arm64Kernel::roots() const { return roots_; }

uint64_t Arm64Kernel::early_pgtable_alloc(int shift) {
  // Models: arch/arm64/mm/mmu.c early_pgtable_alloc (v6.1).
  const uint64_t page = g_.page_size();
  const uint64_t phys = memblock_.memblock_phys_alloc_range(page, page, 0, MEMBLOCK_ALLOC_NOLEAKTRACE,
                                                            "early_pgtable_alloc");
  if (phys == 0) {
    throw KernelPanic("Failed to allocate page table page");
  }
  mem_.zero(hw::PhysAddr(phys), page);
  ++table_pages_;
  if (progress_ && (table_pages_ & 0xffff) == 0) {
    progress_(table_pages_);
  }
  if (tracing_) {
    std::string level_name = "table";
    for (PgLevel l : g_.hw_levels()) {
      if (static_cast<int>(g_.level_shift(l)) == shift) {
        level_name = std::string(pg_level_name(l));
      }
    }
    trace_only("early_pgtable_alloc",
               fmt::format("{} table page at {:#x} (shift {})", level_name, phys, shift));
  }
  return phys;
}

void Arm64Kernel::create_pgd_mapping(uint64_t pgdir, uint64_t phys, uint64_t virt, uint64_t size, pgprot_t prot,
                                     int flags, bool alloc, const char* caller) {
  // Every PROT_* and PAGE_* value carries PTE_MAYBE_NG: nG once setup_arch()
  // has set arm64_use_ng_mappings.
  prot = maybe_ng(prot, use_ng_mappings_);
  trace_only(
      caller,
      fmt::format("__create_pgd_mapping(pgd {:#x}, phys {:#x}, virt {:#x}, size {:#x}, prot {:#x}, "
                  "flags {}{}{})",
                  pgdir, phys, virt, size, prot.val, (flags & NO_BLOCK_MAPPINGS) ? "NO_BLOCK " : "",
                  (flags & NO_CONT_MAPPINGS) ? "NO_CONT " : "",
                  (flags & NO_EXEC_MAPPINGS) ? "NO_EXEC" : ""));
  PgdMapper mapper(pt_, alloc ? PgtableAlloc([this](int shift) { return early_pgtable_alloc(shift); })
                              : PgtableAlloc{},
                   &log_);
  if (!steps_.on()) {
    mapper.create_pgd_mapping(pgdir, phys, virt, size, prot, flags);
    return;
  }
  const std::string prot_name = pgprot_name(prot);
  BootSteps::Scope scope(
      steps_, "__create_pgd_mapping",
      fmt::format("for {}: virt {:#x}-{:#x} -> phys {:#x}, {}{}{}{}", caller, virt, virt + size,
                  phys, prot_name, (flags & NO_BLOCK_MAPPINGS) ? ", NO_BLOCK_MAPPINGS" : "",
                  (flags & NO_CONT_MAPPINGS) ? ", NO_CONT_MAPPINGS" : "",
                  (flags & NO_EXEC_MAPPINGS) ? ", NO_EXEC_MAPPINGS" : ""));
  MapObserver observer;
  observer.table = [this, caller](PgLevel level, uint64_t va, phys_addr_t table) {
    const char* allocator = level == PgLevel::pud   ? "alloc_init_pud"
                            : level == PgLevel::pmd ? "alloc_init_cont_pmd"
                                                    : "alloc_init_cont_pte";
    const uint64_t span = table_span(level);
    steps_.table(allocator, pg_level_name(level), table, g_.table_bytes(level), va & ~(span - 1),
                 span, fmt::format("early_pgtable_alloc (memblock) for {}", caller));
  };
  observer.leaf = [this, &prot_name](PgLevel level, uint64_t va, uint64_t end, phys_addr_t pa,
                                     pteval_t desc) {
    const char* writer = level == PgLevel::pte   ? "init_pte"
                         : level == PgLevel::pmd ? "init_pmd"
                                                 : "alloc_init_pud";
    const uint64_t attrs = desc ^ pt_.phys_to_pte_val(pt_.pte_to_phys(desc));
    steps_.map(writer, leaf_type(level, desc), prot_name, va, pa, end - va,
               (end - va) / g_.level_size(level), desc, attrs);
  };
  mapper.set_observer(std::move(observer));
  mapper.create_pgd_mapping(pgdir, phys, virt, size, prot, flags);
}

TableEstimate Arm64Kernel::table_estimate() const {
  std::vector<std::pair<uint64_t, uint64_t>> linear;
  const memblock_type& memory = memblock_.memory();
  for (unsigned long i = 0; i < memory.cnt; ++i) {
    const memblock_region& r = memory.regions[i];
    linear.emplace_back(phys_to_virt(r.base), phys_to_virt(r.base) + r.size);
  }
  TableEstimate e = estimate_mapping_tables(g_, linear, linear_map_page_granular());
  // The image page by page, at its own address (map_kernel) and in the
  // linear map, where mark_linear_text_alias_ro() may split blocks.
  const uint64_t text_pa = pa_symbol("_text");
  const uint64_t image_size = va_symbol("_end") - va_symbol("_text");
  const TableEstimate image =
      estimate_mapping_tables(g_,
                              {{va_symbol("_text"), va_symbol("_text") + image_size},
                               {phys_to_virt(text_pa), phys_to_virt(text_pa) + image_size}},
                              /*page_granular=*/true);
  for (size_t l = 0; l < e.tables.size(); ++l) {
    e.tables[l] += image.tables[l];
  }
  // create_idmap(): an extra top table when VA_BITS < 48, and one table per
  // level below it for the idmap text and the KPTI flag.
  e.tables[static_cast<int>(PgLevel::pgd)] += 1 + 2 * g_.pgtable_levels;
  return e;
}

void Arm64Kernel::check_table_memory() const {
  const TableEstimate e = table_estimate();
  const uint64_t bytes = e.pages() * g_.page_size();
  if (bytes <= max_table_bytes_) {
    return;
  }
  uint64_t ram = 0;
  for (unsigned long i = 0; i < memblock_.memory().cnt; ++i) {
    ram += memblock_.memory().regions[i].size;
  }
  const uint64_t gib = uint64_t{1} << 30;
  throw bad_input(fmt::format(
      "machine too large for ptsim's table memory limit: mapping {} of RAM {} with {} pages could "
      "take up "
      "to {} table pages ({}; {}), more than the limit of {} (fix: give --max-table-memory {}G "
      "if the host has that much memory to spare{}, or boot less RAM, e.g. mem=)",
      size_text(ram),
      !linear_map_page_granular() ? "with block mappings"
      : rodata_full_              ? "page by page (rodata=full)"
                                  : "page by page (crashkernel= with ZONE_DMA)",
      size_text(g_.page_size()), e.pages(), size_text(bytes), e.describe(g_),
      size_text(max_table_bytes_), (bytes + gib - 1) / gib,
      rodata_full_ ? ", or use block mappings with rodata=on" : ""));
}

void Arm64Kernel::boot(BootStage stage) {
  install_memblock_hooks();  // set_tracing() may have changed what is recorded
  // The KASLR displacement head.S computes (__primary_switch): the random
  // part from kaslr_early_init(), plus the load address's offset in 2 MiB.
  uint64_t random = 0;
  if (config_.randomize_base && !in_.nokaslr && in_.fdt.kaslr_seed != 0) {
    // Models: arch/arm64/kernel/pi/kaslr_early.c kaslr_early_init (v6.1).
    const unsigned b = layout_.va_bits_min - 3;
    random = (uint64_t{1} << b) + (in_.fdt.kaslr_seed & ((uint64_t{1} << (b + 1)) - 1));
    memstart_offset_seed_ = static_cast<uint16_t>(random & (MIN_KIMG_ALIGN - 1));
    random &= ~(MIN_KIMG_ALIGN - 1);
  }
  kaslr_offset_ = random | (in_.text_pa & (MIN_KIMG_ALIGN - 1));
  kimage_voffset_ = va_symbol("_text") - in_.text_pa;
  if (steps_.on()) {
    steps_.compute("__primary_switch", "kaslr_offset",
                   "random displacement (2 MiB multiple) | (__pa(_text) & (MIN_KIMG_ALIGN - 1))",
                   fmt::format("{:#x} | ({:#x} & 0x1fffff)", random, in_.text_pa), kaslr_offset_);
    steps_.compute(
        "__primary_switch", "kimage_voffset", "(KIMAGE_VADDR + kaslr_offset) - __pa(_text)",
        fmt::format("({:#x} + {:#x}) - {:#x}", layout_.kimage_vaddr, kaslr_offset_, in_.text_pa),
        kimage_voffset_);
  }

  create_idmap_head();
  enable_mmu();
  create_kernel_mapping();

  // __primary_switched -> early_fdt_map(); init_mm.pgd is init_pg_dir.
  init_mm_pgd_ = pa_symbol("init_pg_dir");
  {
    BootSteps::Scope scope(steps_, "early_fdt_map",
                           "the fixmap, and the FDT in it, before setup_arch");
    early_fixmap_init();
    uint32_t size = 0;
    fixmap_remap_fdt(in_.dtb_pa, &size, PAGE_KERNEL);
  }

  setup_arch(random);
  if (stage == BootStage::paging_init) {
    return;
  }
  // kernel_init(): smp_cpus_done() then free_initmem() then mark_readonly().
  BootSteps::Scope kernel_init(
      steps_, "kernel_init",
      "after boot: the linear alias of the kernel read-only, init freed, rodata read-only");
  mark_linear_text_alias_ro();
  free_initmem();
  if (rodata_enabled_) {
    mark_rodata_ro();
  }
}

// Models: arch/arm64/kernel/setup.c setup_arch (v6.1), the part that shapes the tables.
void Arm64Kernel::setup_arch(uint64_t random) {
  BootSteps::Scope scope(steps_, "setup_arch",
                         "the fixmap, the device tree, memblock, paging_init");
  use_ng_mappings_ = config_.randomize_base && random != 0 && !cpu_.e0pd;  // kaslr_requires_kpti()
  early_fixmap_init();
  early_ioremap_setup();
  setup_machine_fdt();
  // parse_early_param(): the parameters that matter before paging_init.
  memblock_debug_on_ = in_.memblock_debug;
  rodata_enabled_ = in_.rodata != Rodata::off;
  rodata_full_ = in_.rodata == Rodata::full;
  if (in_.mem_limit) {
    memory_limit_ = *in_.mem_limit & ~(g_.page_size() - 1);  // early_mem(): memparse & PAGE_MASK
    note("early_mem", fmt::format("memory_limit = {:#x}", memory_limit_));
  }
  if (in_.earlycon_pa) {
    earlycon_map(*in_.earlycon_pa);
  }
  arm64_memblock_init();
  check_table_memory();
  paging_init();
}

}  // namespace ptsim::kernel::arm64
