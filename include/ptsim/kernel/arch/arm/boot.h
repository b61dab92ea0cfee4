// The arm (32-bit) boot path from setup_arch() to the end of paging_init()
// and beyond: what Linux does with a machine's RAM, its reserved memory and
// its command line, and the kernel page tables it builds, entry by entry, in
// simulated physical memory.
//
// Models: arch/arm/kernel/setup.c setup_arch, arch/arm/mm/init.c,
// arch/arm/mm/mmu.c (v6.1, v4.14, v4.3, v3.18).  The sequence, as setup_arch runs
// it:
//
//   setup_machine_fdt          memblock_add each /memory bank (arm_add_memory)
//   early_fixmap_init          (4.14, 6.1) bm_pte hooked under FIXADDR_TOP
//   parse_early_param          mem=, vmalloc=, initrd=, memblock=debug
//   build_mem_type_table       mem_types[] for an ARMv7 SMP CPU with TEX remap
//   adjust_lowmem_bounds       arm_lowmem_limit, high_memory, memblock limit
//   arm_memblock_init          kernel, initrd, swapper_pg_dir, DT reservations
//   adjust_lowmem_bounds       again: memory may have been removed
//   paging_init                prepare_page_table, map_lowmem, map_kernel,
//                              early_fixmap_shutdown, devicemaps_init,
//                              kmap_init, the zero page
//   (final)                    free_initmem, mark_rodata_ro (STRICT_KERNEL_RWX)
//
// Only classic (non-XIP, ARM-mode, no KASAN, no TCM) kernels are modelled.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ptsim/hw/phys_mem.h"
#include "ptsim/kernel/arch/arm/memory.h"
#include "ptsim/kernel/arch/arm/mm/mmu.h"
#include "ptsim/kernel/boot_steps.h"
#include "ptsim/kernel/events.h"
#include "ptsim/kernel/lib/cmdline.h"
#include "ptsim/kernel/mm/memblock.h"

namespace ptsim::kernel::arm {

// The kernel image, as link-time virtual addresses (System.map).
struct ArmKernelImage {
  uint32_t text = 0;        // _text = PAGE_OFFSET + TEXT_OFFSET
  uint32_t stext = 0;       // _stext = KERNEL_START
  uint32_t etext = 0;       // _etext
  uint32_t init_begin = 0;  // __init_begin
  uint32_t init_end = 0;    // __init_end
  uint32_t sdata = 0;       // _sdata
  uint32_t edata = 0;       // _edata
  uint32_t bss_start = 0;   // __bss_start
  uint32_t bss_stop = 0;    // __bss_stop
  uint32_t end = 0;         // _end = KERNEL_END
  std::optional<uint32_t> swapper_pg_dir;  // else _text - PG_DIR_SIZE, as head.S places it
  std::optional<uint32_t> start_rodata;    // __start_rodata (mark_rodata_ro)
};

struct ArmMemoryBank {
  phys_addr_t base = 0;
  phys_addr_t size = 0;
};

// A /reserved-memory child: static (`reg`: base, size) or dynamic (`size`
// only, placed by memblock at boot, within `alloc_ranges` if given).
struct ArmReservedMemory {
  std::string name;
  phys_addr_t base = 0;
  phys_addr_t size = 0;
  bool no_map = false;
  bool dynamic = false;
  phys_addr_t alignment = 0;                                     // `alignment`
  std::vector<std::pair<phys_addr_t, phys_addr_t>> alloc_ranges;  // (base, size)
  bool shared_dma_pool = false;                                  // compatible "shared-dma-pool"
  bool reusable = false;                                         // `reusable` (CMA)
  bool cma_default = false;                                      // `linux,cma-default`
};

// What the bootloader hands over and the machine is.
struct ArmBootInput {
  ArmConfig config;
  ArmKernelImage image;
  std::vector<ArmMemoryBank> memory;                   // /memory reg, in blob order
  std::vector<std::pair<phys_addr_t, phys_addr_t>> memreserve;  // (base, size)
  std::vector<ArmReservedMemory> reserved_memory;
  std::optional<std::pair<phys_addr_t, phys_addr_t>> dt_initrd;  // /chosen (start, end)
  std::string cmdline;
  phys_addr_t dtb_phys = 0;  // __atags_pointer (r2); 0: none
  phys_addr_t dtb_size = 0;
  // The machine's static I/O mappings (mdesc->map_io -> iotable_init).
  std::vector<map_desc> io_desc;
  // CONFIG_DEBUG_LL without a map_io: the debug UART's physical and virtual
  // address (debug_ll_addr), mapped by debug_ll_io_init.
  std::optional<std::pair<uint32_t, uint32_t>> debug_ll;
  // The physical load address: PHYS_OFFSET (ARM_PATCH_PHYS_VIRT derives it
  // from where the kernel runs).  0: the first RAM bank's base rounded down
  // to 16 MiB, where a bootloader puts zImage's decompressed kernel.
  phys_addr_t phys_offset = 0;
  enum class Stage { paging_init, final } stage = Stage::paging_init;
  // Record the boot's steps (ArmBoot::steps) for `ptsim explain`.
  bool record_steps = false;
};

// One step of the boot as --trace shows it.
struct TraceEvent {
  std::string function;  // the Linux function
  std::string text;
};

// The state Linux keeps in globals, after the run.
struct ArmBootState {
  ArmLayout layout;
  phys_addr_t PHYS_OFFSET = 0;
  phys_addr_t swapper_pg_dir = 0;  // physical
  uint32_t TEXT_OFFSET = 0;
  uint32_t vmalloc_size = 0;       // 6.1: vmalloc_size
  uint32_t vmalloc_min = 0;        // 3.18/4.3/4.14: vmalloc_min (virtual)
  uint64_t vmalloc_limit = 0;      // the physical bound adjust_lowmem_bounds derives
  phys_addr_t arm_lowmem_limit = 0;
  uint32_t high_memory = 0;
  uint32_t VMALLOC_START = 0;
  phys_addr_t memblock_limit = 0;  // memblock_set_current_limit in adjust_lowmem_bounds
  phys_addr_t kernel_sec_start = 0;
  phys_addr_t kernel_sec_end = 0;
  phys_addr_t kernel_x_start = 0;
  phys_addr_t kernel_x_end = 0;
  phys_addr_t phys_initrd_start = 0;
  phys_addr_t phys_initrd_size = 0;
  // The default CMA area (dma_contiguous_reserve); size 0 when none.
  phys_addr_t cma_base = 0;
  phys_addr_t cma_size = 0;
  std::optional<uint64_t> cma_cmdline;  // cma=SIZE
  bool memblock_debug = false;
  // The three clearing loops of prepare_page_table: [start, end) each.
  std::vector<std::pair<uint32_t, uint32_t>> clear_loops;
  phys_addr_t vectors = 0;         // the vectors page pair
  phys_addr_t pkmap_page_table = 0;
  phys_addr_t fixmap_page_table = 0;
  phys_addr_t bm_pte = 0;          // early fixmap pte table (in the image)
  phys_addr_t zero_page = 0;
  std::vector<map_desc> mappings;  // every create_mapping call, in order
};

struct ArmBoot {
  ArmBootInput input;
  ArmBootState state;
  mem_type_table mem_types;
  std::unique_ptr<hw::PhysMem> mem;
  std::unique_ptr<Memblock> memblock;
  KernelLog log;                       // WARN/pr_* lines with their function
  std::vector<std::string> dmesg;      // printk lines in order (memblock=debug included)
  std::vector<TraceEvent> trace;
  BootSteps steps;  // recorded when input.record_steps

  // The root of the kernel tables (swapper_pg_dir) and the translation
  // base the hardware uses for it.
  phys_addr_t pgd() const { return state.swapper_pg_dir; }
};

// Runs the boot path to input.stage.  Linux's BUG_ON/panic throw KernelBug /
// KernelPanic; inputs that break a rule ptsim::Error(bad_input).
ArmBoot run_arm_boot(const ArmBootInput& input);

// The "Virtual kernel memory layout:" lines of mem_init (4.14, 4.3 and 3.18
// print them; 6.1 no longer does, and gets them in the 4.14 format).
// Models: arch/arm/mm/init.c mem_init (v4.14)
std::vector<std::string> mem_init_layout_lines(const ArmBoot& boot);

using kernel::memparse;  // lib/cmdline.c, in kernel/lib/cmdline.h

}  // namespace ptsim::kernel::arm
