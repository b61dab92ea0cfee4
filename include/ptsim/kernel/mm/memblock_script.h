// memblock scripts: one memblock operation per line, run against a Memblock
// configured like Linux's userspace memblock test harness built with
// `make NUMA=1` (tools/testing/memblock, v6.1): MAX_NUMNODES 16, PAGE_SIZE
// 4096, 64-bit phys_addr_t, SMP_CACHE_BYTES 32 unless told otherwise.
//
// The language (fields separated by white space, `#` comments):
//   reset | add BASE SIZE | add_node BASE SIZE NID [FLAGS] | remove/reserve/free BASE SIZE
//   mark_nomap/clear_nomap/mark_hotplug/clear_hotplug/mark_mirror BASE SIZE
//   set_node BASE SIZE NID | bottom_up 0|1 | set_current_limit LIMIT | allow_resize
//   movable_node 0|1 | mirrored_kernelcore 0|1
//   alloc SIZE ALIGN | alloc_range SIZE ALIGN MIN MAX | alloc_nid SIZE ALIGN NID
//   alloc_try_nid / alloc_try_nid_raw / alloc_exact_nid_raw SIZE ALIGN MIN MAX NID
//   mem_limit_remove_map LIMIT | cap_memory_range BASE SIZE | enforce_memory_limit LIMIT
//   trim_memory ALIGN | dump
// Numbers are decimal or 0x-hex; a NID may be negative; the symbols ANYWHERE,
// ACCESSIBLE, NOLEAKTRACE, NUMA_NO_NODE and MAX_NUMNODES (and the
// MEMBLOCK_* flag names) stand for their values.
#pragma once

#include <iosfwd>
#include <string>

#include "ptsim/kernel/mm/memblock.h"

namespace ptsim::kernel {

struct MemblockScriptOptions {
  phys_addr_t smp_cache_bytes = 32;
  // Beyond the harness: a 32-bit phys_addr_t (arm without LPAE; arguments
  // are truncated to it as a C call would) and CONFIG_NUMA off (MAX_NUMNODES
  // 1, every nid 0).
  int phys_addr_bits = 64;
  bool numa = true;
  // If set, memblock=debug lines and memblock's printk output go here.
  std::ostream* trace = nullptr;
};

struct MemblockScriptResult {
  // Set when a modelled BUG_ON/panic stopped the script; holds "BUG: cond"
  // or "panic: message", as printed.
  std::string stopped_by;
  // memblock.memory and memblock.reserved when the script ended.
  memblock_type memory;
  memblock_type reserved;
};

// Runs the script read from `in`, writing its output to `out`: alloc results,
// non-zero return codes, WARNs, the BUG/panic that stops it, and the dumps
// (after each `dump` and once at the end).  A malformed line throws
// ptsim::Error of kind bad_input naming the line; what ran before it has
// already been written.
MemblockScriptResult run_memblock_script(std::istream& in, std::ostream& out,
                                         const MemblockScriptOptions& options);

// The state dump the script prints: memory.cnt/total, one line per region,
// then the same for reserved.
std::string memblock_script_dump(const Memblock& mb);

}  // namespace ptsim::kernel
