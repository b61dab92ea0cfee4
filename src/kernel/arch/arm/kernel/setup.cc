// setup_arch() up to paging_init(): memory from the device tree, early
// parameters, the memblock reservations.
#include <algorithm>
#include <cctype>
#include <fmt/format.h>

#include "kernel/arch/arm/mm/arm_boot_run.h"
#include "ptsim/error.h"

namespace ptsim::kernel::arm {
namespace {

constexpr uint64_t PAGE_SIZE = 4096;
constexpr uint64_t PAGE_MASK = ~(PAGE_SIZE - 1);
constexpr uint32_t SZ_16M = 16u << 20;
constexpr uint32_t SZ_32M = 32u << 20;

uint64_t page_align(uint64_t x) {
  return (x + PAGE_SIZE - 1) & PAGE_MASK;
}

}  // namespace


ArmBootRun::ArmBootRun(const ArmBootInput& input) {
  b_.input = input;
  b_.steps.set_on(input.record_steps);
  b_.state.layout = arm_layout(input.config);
  if (input.memory.empty()) {
    throw bad_input("the machine has no memory bank: arm needs at least one /memory reg pair");
  }
  const ArmKernelImage& img = input.image;
  if (img.text < l().PAGE_OFFSET || img.end <= img.text || img.init_end < img.text ||
      img.stext < img.text) {
    throw bad_input(fmt::format(
        "kernel image symbols do not fit PAGE_OFFSET {:#010x}: _text {:#010x}, _stext {:#010x}, "
        "__init_end {:#010x}, _end {:#010x} (a VMSPLIT other than the kernel's?)",
        l().PAGE_OFFSET, img.text, img.stext, img.init_end, img.end));
  }
  MemblockConfig mc;
  mc.phys_addr_bits = input.config.lpae ? 64 : 32;
  mc.numa = false;
  mc.smp_cache_bytes = 64;  // L1_CACHE_BYTES, CONFIG_ARM_L1_CACHE_SHIFT 6 (v7 multiplatform)
  MemblockHooks hooks;
  hooks.dbg = [this](const std::string& line) {
    if (b_.state.memblock_debug) {
      b_.dmesg.push_back(line);
    }
    b_.trace.push_back({"memblock", line});
  };
  hooks.printk = [this](const std::string& line) { b_.dmesg.push_back(line); };
  hooks.warn = [this](const std::string& cond) { b_.log.warn("mm/memblock.c", cond); };
  b_.memblock = std::make_unique<Memblock>(mc, hooks);
  b_.mem = std::make_unique<hw::PhysMem>();
  for (const ArmMemoryBank& bank : input.memory) {
    b_.mem->add_ram(hw::PhysAddr(bank.base), bank.size, "ram");
  }

  // PHYS_OFFSET: head.S computes it as __pa(_text) - TEXT_OFFSET; the
  // decompressor (AUTO_ZRELADDR) put the kernel at the 128 MiB boundary
  // below where zImage was loaded, in the first bank.
  s().PHYS_OFFSET = input.phys_offset != 0 ? input.phys_offset
                                           : (input.memory.front().base & ~uint64_t{0x7ffffff});
  s().TEXT_OFFSET = img.text - l().PAGE_OFFSET;
  // head.S: swapper_pg_dir = KERNEL_RAM_VADDR - PG_DIR_SIZE.
  const uint32_t swapper_va = img.swapper_pg_dir.value_or(img.text - l().PG_DIR_SIZE);
  s().swapper_pg_dir = virt_to_phys(swapper_va);
  s().vmalloc_size = l().default_vmalloc_size;
  s().vmalloc_min = l().VMALLOC_END - l().default_vmalloc_size - l().VMALLOC_OFFSET;
  pt_.emplace(*b_.mem, s().swapper_pg_dir, input.config.lpae);
  explain_constants();
}

// The constants the rest of the boot builds on, for `ptsim explain`.
void ArmBootRun::explain_constants() {
  BootSteps& st = steps();
  if (!st.on()) {
    return;
  }
  const ArmBootInput& in = b_.input;
  st.compute("asm/memory.h", "PAGE_OFFSET", "CONFIG_PAGE_OFFSET",
             fmt::format("VMSPLIT_{}G", in.config.vmsplit_user_gib), l().PAGE_OFFSET);
  st.compute("asm/memory.h", "MODULES_VADDR", "PAGE_OFFSET - SZ_16M",
             fmt::format("{:#x} - 0x1000000", l().PAGE_OFFSET), l().MODULES_VADDR);
  if (in.phys_offset != 0) {
    st.compute("__fixup_pv_table", "PHYS_OFFSET", "__pa(_text) - TEXT_OFFSET", "given",
               s().PHYS_OFFSET);
  } else {
    st.compute("__fixup_pv_table", "PHYS_OFFSET",
               "memory[0].base & ~(SZ_128M - 1)  (where zImage put the kernel)",
               fmt::format("{:#x} & ~0x7ffffff", in.memory.front().base), s().PHYS_OFFSET);
  }
  st.compute("asm/memory.h", "TEXT_OFFSET", "_text - PAGE_OFFSET",
             fmt::format("{:#x} - {:#x}", in.image.text, l().PAGE_OFFSET), s().TEXT_OFFSET);
  st.compute("__create_page_tables", "swapper_pg_dir", "__pa(KERNEL_RAM_VADDR - PG_DIR_SIZE)",
             fmt::format("__pa({:#x} - {:#x})", in.image.text, l().PG_DIR_SIZE),
             s().swapper_pg_dir);
  if (version() == ArmVersion::v6_1) {
    st.compute("mmu.c", "vmalloc_size", "240 << 20  (the default, before vmalloc=)", "",
               s().vmalloc_size);
    return;
  }
  st.compute("mmu.c", "vmalloc_min", "VMALLOC_END - (240 << 20) - VMALLOC_OFFSET",
             fmt::format("{:#x} - {:#x} - {:#x}", l().VMALLOC_END, l().default_vmalloc_size,
                         l().VMALLOC_OFFSET),
             s().vmalloc_min);
}

ArmBoot ArmBootRun::finish() {
  b_.memblock->set_hooks({});
  return std::move(b_);
}

void ArmBootRun::pr(std::string_view where, const std::string& line) {
  b_.dmesg.push_back(line);
  b_.log.info(where, line);
}

void ArmBootRun::trace(std::string_view function, const std::string& text) {
  b_.trace.push_back({std::string(function), text});
}

void ArmBootRun::run() {
  create_page_tables();
  BootSteps::Scope scope(steps(), "setup_arch",
                         "the machine's memory, the command line, the tables");
  setup_machine_fdt();
  if (has_early_fixmap()) {
    early_fixmap_init();
  }
  parse_early_param();
  const mem_type_result mt = build_mem_type_table(lpae(), b_.input.config.smp, &b_.log);
  b_.mem_types = mt.types;
  b_.dmesg.push_back(std::string("Memory policy: Data cache ") +
                     cache_policy_name(b_.input.config.smp));
  steps().note("build_mem_type_table", b_.dmesg.back());
  adjust_lowmem_bounds();
  arm_memblock_init();
  adjust_lowmem_bounds();
  paging_init();
  if (b_.input.stage == ArmBootInput::Stage::final) {
    BootSteps::Scope init(steps(), "kernel_init",
                          "after boot: free the init sections, make text read-only");
    free_initmem();
    mark_rodata_ro();
  }
}

// Models: drivers/of/fdt.c early_init_dt_scan_memory / early_init_dt_check_for_initrd (v6.1)
void ArmBootRun::setup_machine_fdt() {
  BootSteps::Scope scope(steps(), "setup_machine_fdt", "each /memory bank into memblock.memory");
  for (const ArmMemoryBank& bank : b_.input.memory) {
    early_init_dt_add_memory_arch(bank.base, bank.size);
  }
  // 6.1's setup_machine_fdt reserves the blob itself, before memblock=debug
  // is parsed (so no trace line shows it).
  if (version() == ArmVersion::v6_1 && b_.input.dtb_phys != 0 && b_.input.dtb_size != 0) {
    b_.memblock->memblock_reserve(b_.input.dtb_phys, b_.input.dtb_size, "setup_machine_fdt");
  }
  if (b_.input.dt_initrd) {
    s().phys_initrd_start = b_.input.dt_initrd->first;
    s().phys_initrd_size = b_.input.dt_initrd->second - b_.input.dt_initrd->first;
  }
}

// Models: drivers/of/fdt.c early_init_dt_add_memory_arch (v6.1)
void ArmBootRun::early_init_dt_add_memory_arch(uint64_t base, uint64_t size) {
  constexpr const char* kWhere = "drivers/of/fdt.c early_init_dt_add_memory_arch";
  const uint64_t phys_offset = s().PHYS_OFFSET;  // MIN_MEMBLOCK_ADDR = __pa(PAGE_OFFSET)
  const uint64_t max_addr = lpae() ? ~uint64_t{0} : 0xffffffffULL;  // MAX_MEMBLOCK_ADDR
  if (size < PAGE_SIZE - (base & ~PAGE_MASK)) {
    pr(kWhere, fmt::format("Ignoring memory block 0x{:x} - 0x{:x}", base, base + size));
    return;
  }
  if ((base & ~PAGE_MASK) != 0) {
    size -= PAGE_SIZE - (base & ~PAGE_MASK);
    base = page_align(base);
  }
  size &= PAGE_MASK;
  if (base > max_addr) {
    pr(kWhere, fmt::format("Ignoring memory block 0x{:x} - 0x{:x}", base, base + size));
    return;
  }
  if (base + size - 1 > max_addr) {
    pr(kWhere, fmt::format("Ignoring memory range 0x{:x} - 0x{:x}", max_addr + 1, base + size));
    size = max_addr - base + 1;
  }
  if (base + size < phys_offset) {
    pr(kWhere, fmt::format("Ignoring memory block 0x{:x} - 0x{:x}", base, base + size));
    return;
  }
  if (base < phys_offset) {
    pr(kWhere, fmt::format("Ignoring memory range 0x{:x} - 0x{:x}", base, phys_offset));
    size -= phys_offset - base;
    base = phys_offset;
  }
  b_.memblock->memblock_add(base, size, "early_init_dt_add_memory_arch");
  steps().note(
      "early_init_dt_add_memory_arch",
      fmt::format("memblock_add({:#x}, {:#x}): RAM {:#x}-{:#x}", base, size, base, base + size));
}

// Models: init/main.c parse_early_param / do_early_param (v6.1): every
// `name=value` word, in command-line order.
void ArmBootRun::parse_early_param() {
  const std::string& cmdline = b_.input.cmdline;
  size_t pos = 0;
  while (pos < cmdline.size()) {
    while (pos < cmdline.size() && cmdline[pos] == ' ') {
      ++pos;
    }
    size_t end = cmdline.find(' ', pos);
    if (end == std::string::npos) {
      end = cmdline.size();
    }
    const std::string_view word(cmdline.data() + pos, end - pos);
    pos = end;
    const size_t eq = word.find('=');
    const std::string_view name = word.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? "" : word.substr(eq + 1);
    if (name == "mem") {
      early_mem(value);
    } else if (name == "vmalloc") {
      early_vmalloc(value);
    } else if (name == "initrd") {
      early_initrd(value);
    } else if (name == "cma") {
      // Models: kernel/dma/contiguous.c early_cma (v6.1): cma=SIZE
      s().cma_cmdline = memparse(value, nullptr);
    } else if (name == "memblock" && value == "debug") {
      s().memblock_debug = true;  // mm/memblock.c early_memblock
    }
  }
}

// Models: arch/arm/kernel/setup.c early_mem (v6.1)
void ArmBootRun::early_mem(std::string_view arg) {
  // "If the user specifies memory size, we blow away any automatically
  // generated size."
  if (!usermem_) {
    usermem_ = true;
    Memblock& mb = *b_.memblock;
    mb.memblock_remove(mb.memblock_start_of_DRAM(),
                       mb.memblock_end_of_DRAM() - mb.memblock_start_of_DRAM(), "early_mem");
  }
  uint64_t start = s().PHYS_OFFSET;
  size_t used = 0;
  const uint64_t size = memparse(arg, &used);
  if (used < arg.size() && arg[used] == '@') {
    start = memparse(arg.substr(used + 1), nullptr);
  }
  steps().note("early_mem", fmt::format("mem={}: the memory from the device tree is dropped; "
                                        "arm_add_memory({:#x}, {:#x})",
                                        arg, start, size));
  arm_add_memory(start, size);
}

// Models: arch/arm/kernel/setup.c arm_add_memory (v6.1)
int ArmBootRun::arm_add_memory(uint64_t start, uint64_t size) {
  constexpr const char* kWhere = "arch/arm/kernel/setup.c arm_add_memory";
  uint64_t aligned_start = page_align(start);
  if (aligned_start > start + size) {
    size = 0;
  } else {
    size -= aligned_start - start;
  }
  if (!lpae()) {  // !CONFIG_PHYS_ADDR_T_64BIT
    constexpr uint64_t kUlongMax = 0xffffffffULL;  // ULONG_MAX
    if (aligned_start > kUlongMax) {
      pr(kWhere, fmt::format("Ignoring memory at 0x{:08x} outside 32-bit physical address space",
                             start));
      return -22;
    }
    if (aligned_start + size > kUlongMax) {
      pr(kWhere, fmt::format("Truncating memory at 0x{:08x} to fit in 32-bit physical address "
                             "space",
                             start));
      size = kUlongMax - aligned_start;
    }
  }
  if (aligned_start < s().PHYS_OFFSET) {
    if (aligned_start + size <= s().PHYS_OFFSET) {
      pr(kWhere, fmt::format("Ignoring memory below PHYS_OFFSET: 0x{:08x}-0x{:08x}", aligned_start,
                             aligned_start + size));
      return -22;
    }
    pr(kWhere, fmt::format("Ignoring memory below PHYS_OFFSET: 0x{:08x}-0x{:08x}", aligned_start,
                           s().PHYS_OFFSET));
    size -= s().PHYS_OFFSET - aligned_start;
    aligned_start = s().PHYS_OFFSET;
  }
  start = aligned_start;
  size &= PAGE_MASK;
  if (size == 0) {
    return -22;
  }
  b_.memblock->memblock_add(start, size, "arm_add_memory");
  return 0;
}

// Models: arch/arm/mm/mmu.c early_vmalloc (v6.1; v4.14, v4.3 and v3.18 set
// vmalloc_min and word the warnings "vmalloc area too small, limiting to %luMB").
void ArmBootRun::early_vmalloc(std::string_view arg) {
  constexpr const char* kWhere = "arch/arm/mm/mmu.c early_vmalloc";
  uint64_t vmalloc_reserve = memparse(arg, nullptr) & 0xffffffffULL;  // unsigned long
  const bool v6 = version() == ArmVersion::v6_1;
  if (vmalloc_reserve < SZ_16M) {
    vmalloc_reserve = SZ_16M;
    pr(kWhere, v6 ? fmt::format("vmalloc area is too small, limiting to {}MiB",
                                vmalloc_reserve >> 20)
                  : fmt::format("vmalloc area too small, limiting to {}MB", vmalloc_reserve >> 20));
  }
  const uint32_t vmalloc_max =
      v6 ? l().VMALLOC_END - (l().PAGE_OFFSET + SZ_32M + l().VMALLOC_OFFSET)
         : l().VMALLOC_END - (l().PAGE_OFFSET + SZ_32M);
  if (vmalloc_reserve > vmalloc_max) {
    vmalloc_reserve = vmalloc_max;
    pr(kWhere, v6 ? fmt::format("vmalloc area is too big, limiting to {}MiB",
                                vmalloc_reserve >> 20)
                  : fmt::format("vmalloc area is too big, limiting to {}MB",
                                vmalloc_reserve >> 20));
  }
  s().vmalloc_size = static_cast<uint32_t>(vmalloc_reserve);
  s().vmalloc_min = static_cast<uint32_t>(l().VMALLOC_END - vmalloc_reserve);
  if (v6) {
    steps().compute("early_vmalloc", "vmalloc_size",
                    "clamp(memparse(vmalloc=), SZ_16M, vmalloc_max)",
                    fmt::format("clamp({:#x}, 0x1000000, {:#x})",
                                memparse(arg, nullptr) & 0xffffffffULL, vmalloc_max),
                    s().vmalloc_size);
    return;
  }
  steps().compute("early_vmalloc", "vmalloc_min",
                  "VMALLOC_END - clamp(memparse(vmalloc=), SZ_16M, vmalloc_max)",
                  fmt::format("{:#x} - {:#x}", l().VMALLOC_END, vmalloc_reserve), s().vmalloc_min);
}

// Models: init/do_mounts_initrd.c early_initrdmem (v6.1): initrd=start,size
void ArmBootRun::early_initrd(std::string_view arg) {
  size_t used = 0;
  const uint64_t start = memparse(arg, &used);
  if (used < arg.size() && arg[used] == ',') {
    s().phys_initrd_start = start;
    s().phys_initrd_size = memparse(arg.substr(used + 1), nullptr);
  }
}

// Models: arch/arm/mm/init.c arm_memblock_init (v6.1; v4.14, v4.3 and v3.18 also
// reserve the DT blob itself, early_init_fdt_reserve_self)
void ArmBootRun::arm_memblock_init() {
  BootSteps::Scope scope(steps(), "arm_memblock_init",
                         "reserve the kernel, the initrd, swapper_pg_dir and the DT's regions");
  const ArmKernelImage& img = b_.input.image;
  // KERNEL_START is _stext (non-XIP), KERNEL_END _end.
  b_.memblock->memblock_reserve(virt_to_phys(img.stext), img.end - img.stext,
                                "arm_memblock_init");
  steps().note(
      "arm_memblock_init",
      fmt::format(
          "memblock_reserve(__pa(KERNEL_START) = {:#x}, KERNEL_END - KERNEL_START = {:#x}): "
          "the kernel image",
          virt_to_phys(img.stext), img.end - img.stext));
  reserve_initrd_mem();
  arm_mm_memblock_reserve();
  if (version() != ArmVersion::v6_1) {
    early_init_fdt_reserve_self();
  }
  early_init_fdt_scan_reserved_mem();
  dma_contiguous_reserve();
  if (s().memblock_debug) {
    for (const std::string& line : b_.memblock->memblock_dump_all_lines()) {
      b_.dmesg.push_back(line);
    }
  }
}

// Models: init/initramfs.c reserve_initrd_mem (v6.1)
void ArmBootRun::reserve_initrd_mem() {
  constexpr const char* kWhere = "init/initramfs.c reserve_initrd_mem";
  if (s().phys_initrd_size == 0) {
    return;
  }
  const phys_addr_t start = s().phys_initrd_start & PAGE_MASK;
  const phys_addr_t size =
      page_align(s().phys_initrd_size + (s().phys_initrd_start - start));
  Memblock& mb = *b_.memblock;
  if (!mb.memblock_is_region_memory(start, size)) {
    pr(kWhere, fmt::format("INITRD: 0x{:08x}+0x{:08x} is not a memory region - disabling initrd",
                           start, size));
    s().phys_initrd_size = 0;
    return;
  }
  if (mb.memblock_is_region_reserved(start, size)) {
    pr(kWhere, fmt::format(
                   "INITRD: 0x{:08x}+0x{:08x} overlaps in-use memory region - disabling initrd",
                   start, size));
    s().phys_initrd_size = 0;
    return;
  }
  mb.memblock_reserve(start, size, "reserve_initrd_mem");
}

// Models: arch/arm/mm/mmu.c arm_mm_memblock_reserve (v6.1)
void ArmBootRun::arm_mm_memblock_reserve() {
  // Inlined into arm_memblock_init, which is what %pS names.
  b_.memblock->memblock_reserve(s().swapper_pg_dir, l().SWAPPER_PG_DIR_SIZE,
                                "arm_memblock_init");
  steps().note(
      "arm_mm_memblock_reserve",
      fmt::format("memblock_reserve(swapper_pg_dir = {:#x}, SWAPPER_PG_DIR_SIZE = {:#x}): the "
                  "first-level table head.S built",
                  s().swapper_pg_dir, l().SWAPPER_PG_DIR_SIZE));
}

// Models: drivers/of/fdt.c early_init_fdt_reserve_self (v4.14)
void ArmBootRun::early_init_fdt_reserve_self() {
  if (b_.input.dtb_phys == 0 || b_.input.dtb_size == 0) {
    return;
  }
  b_.memblock->memblock_reserve(b_.input.dtb_phys, b_.input.dtb_size,
                                "early_init_fdt_reserve_self");
}

// Models: drivers/of/fdt.c early_init_fdt_scan_reserved_mem and
// __reserved_mem_reserve_reg / early_init_dt_reserve_memory, then
// drivers/of/of_reserved_mem.c fdt_init_reserved_mem (v6.1)
void ArmBootRun::early_init_fdt_scan_reserved_mem() {
  Memblock& mb = *b_.memblock;
  for (const auto& [base, size] : b_.input.memreserve) {
    mb.memblock_reserve(base, size, "early_init_fdt_scan_reserved_mem");
  }
  std::vector<ArmReservedMemory> regions;
  for (const ArmReservedMemory& r : b_.input.reserved_memory) {
    if (r.dynamic) {
      regions.push_back(r);
      continue;
    }
    regions.push_back(r);
    if (r.no_map) {
      if (mb.memblock_overlaps_region(mb.memory(), r.base, r.size) &&
          mb.memblock_is_region_reserved(r.base, r.size)) {
        pr("drivers/of/of_reserved_mem.c __reserved_mem_reserve_reg",
           fmt::format("OF: fdt: Reserved memory: failed to reserve memory for node '{}': base "
                       "{}, size {} MiB",
                       r.name, mb.format_pa(r.base), r.size >> 20));
        continue;
      }
      mb.memblock_mark_nomap(r.base, r.size);
      continue;
    }
    mb.memblock_reserve(r.base, r.size, "early_init_dt_reserve_memory");
  }
  fdt_init_reserved_mem(regions);
}

// Models: drivers/of/of_reserved_mem.c fdt_init_reserved_mem,
// __reserved_mem_alloc_size, and the shared-dma-pool setups rmem_cma_setup
// (kernel/dma/contiguous.c) and rmem_dma_setup (kernel/dma/coherent.c) (v6.1)
void ArmBootRun::fdt_init_reserved_mem(std::vector<ArmReservedMemory>& regions) {
  constexpr const char* kWhere = "drivers/of/of_reserved_mem.c fdt_init_reserved_mem";
  Memblock& mb = *b_.memblock;
  const phys_addr_t cma_align = (version() == ArmVersion::v6_1 && lpae()) ? phys_addr_t{2} << 20
                                                                          : phys_addr_t{4} << 20;
  for (ArmReservedMemory& r : regions) {
    if (r.dynamic) {
      phys_addr_t align = r.alignment != 0 ? r.alignment : mb.config().smp_cache_bytes;
      if (r.shared_dma_pool && r.reusable && !r.no_map) {
        align = std::max(align, cma_align);
      }
      phys_addr_t base = 0;
      auto alloc = [&](phys_addr_t start, phys_addr_t end) {
        // early_init_dt_alloc_reserved_memory_arch: end 0 is "anywhere".
        return mb.memblock_phys_alloc_range(r.size, align, start,
                                            end == 0 ? mb.alloc_anywhere() : end,
                                            "early_init_dt_alloc_reserved_memory_arch");
      };
      if (r.alloc_ranges.empty()) {
        base = alloc(0, 0);
      }
      for (const auto& [start, size] : r.alloc_ranges) {
        base = alloc(start, start + size);
        if (base != 0) {
          break;
        }
      }
      if (base == 0) {
        pr(kWhere, fmt::format("OF: reserved mem: failed to allocate memory for node '{}'", r.name));
        continue;
      }
      if (r.no_map) {
        mb.memblock_mark_nomap(base, r.size);
      }
      r.base = base;
    }
    if (!r.shared_dma_pool) {
      continue;
    }
    if (r.reusable && !r.no_map) {
      if (((r.base | r.size) & (cma_align - 1)) != 0) {
        pr(kWhere, "Reserved memory: incorrect alignment of CMA region");
        continue;
      }
      if (r.cma_default && s().cma_size == 0) {
        s().cma_base = r.base;
        s().cma_size = r.size;
      }
      pr(kWhere, fmt::format("Reserved memory: created CMA memory pool at {}, size {} MiB",
                             mb.format_pa(r.base), r.size >> 20));
      continue;
    }
    if (r.reusable) {
      continue;
    }
    if (!r.no_map) {
      pr(kWhere, "Reserved memory: regions without no-map are not yet supported");
      continue;
    }
    pr(kWhere, fmt::format("Reserved memory: created DMA memory pool at {}, size {} MiB",
                           mb.format_pa(r.base), r.size >> 20));
  }
}

ArmBoot run_arm_boot(const ArmBootInput& input) {
  ArmBootRun run(input);
  run.run();
  return run.finish();
}

}  // namespace ptsim::kernel::arm
