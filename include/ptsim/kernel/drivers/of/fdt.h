// What the early device-tree code reads, and what it does with it
// (drivers/of/fdt.c, of_reserved_mem.c; v6.1): the memory nodes become
// memblock memory, /memreserve/ entries and /reserved-memory nodes become
// reservations or no-map regions, and /chosen gives the initrd, the command
// line and linux,usable-memory-range.
//
// The device tree itself is parsed by machine/ (with libfdt); it hands the
// kernel model this plain description, cell values already combined.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ptsim/kernel/events.h"
#include "ptsim/kernel/mm/memblock.h"

namespace ptsim::kernel {

struct DtRange {
  uint64_t base = 0;
  uint64_t size = 0;
};

struct DtMemoryNode {
  std::string name;
  std::vector<DtRange> reg;  // linux,usable-memory if present, else reg
  bool hotpluggable = false;
  bool available = true;  // status okay
};

struct DtReservedNode {
  std::string name;
  bool available = true;
  bool has_reg = false;
  bool reg_well_formed = true;  // reg length a multiple of one (address, size) pair
  std::vector<DtRange> reg;
  std::optional<uint64_t> size;       // dynamic allocation
  bool size_well_formed = true;
  std::optional<uint64_t> alignment;
  std::vector<DtRange> alloc_ranges;
  bool no_map = false;
  bool reusable = false;
  std::string compatible;
};

struct FdtInfo {
  uint32_t totalsize = 0;  // fdt_totalsize(): what the kernel maps and reserves
  std::string model;
  std::vector<DtMemoryNode> memory;
  std::vector<DtRange> memreserve;  // the /memreserve/ block
  bool reserved_memory_ok = true;   // /reserved-memory cells match the root and it has ranges
  std::vector<DtReservedNode> reserved_memory;
  std::optional<uint64_t> initrd_start;
  std::optional<uint64_t> initrd_end;
  std::string bootargs;
  std::optional<DtRange> usable_memory_range;
  uint64_t kaslr_seed = 0;
};

// The state early_init_dt_scan() leaves for the architecture code.
struct DtScanResult {
  bool found_memory = false;
  uint64_t phys_initrd_start = 0;
  uint64_t phys_initrd_size = 0;
};

// Models: drivers/of/fdt.c early_init_dt_scan_memory and
// early_init_dt_add_memory_arch (v6.1), with arm64's MIN_MEMBLOCK_ADDR 0
// and MAX_MEMBLOCK_ADDR U64_MAX unless given.
DtScanResult early_init_dt_scan(const FdtInfo& fdt, Memblock& memblock, KernelLog& log, uint64_t page_size,
                                uint64_t min_memblock_addr = 0, uint64_t max_memblock_addr = ~uint64_t{0});

// Models: drivers/of/fdt.c early_init_fdt_scan_reserved_mem (v6.1):
// /memreserve/ first, then /reserved-memory static regions, then the
// dynamic ones (fdt_init_reserved_mem).
void early_init_fdt_scan_reserved_mem(const FdtInfo& fdt, Memblock& memblock, KernelLog& log,
                                      uint64_t smp_cache_bytes);

}  // namespace ptsim::kernel
