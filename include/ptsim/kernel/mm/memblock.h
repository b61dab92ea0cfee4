// memblock: Linux's boot-time memory allocator, as mm/memblock.c (v6.1) has it.
//
// Two sorted arrays of regions describe physical memory: `memory` (what RAM
// exists) and `reserved` (what is taken).  Every page-table page a boot flow
// allocates comes from here, so the rules are Linux's to the letter: the
// insertion, split and merge order of memblock_add_range() and
// memblock_isolate_range(), the "empty dummy entry" an empty array keeps, the
// total_size that memblock_trim_memory() leaves stale, the array doubling that
// reserves its own new array, and the top-down / bottom-up free-range search.
//
//   memory:    |  [0]  |   [1]    |          [2]          |
//   reserved:       |r0|      |r1|      |  r2  |
//   free:      |----|  |------|  |------|      |---------|   <- for_each_free_mem_range
//
// memblock does not own simulated RAM: it hands out physical addresses, and
// zeroing what memblock_alloc_try_nid() returns is the caller's job.
//
// Modelled WARN_ON/WARN/BUG_ON and printk output goes to MemblockHooks; a
// BUG_ON that fires throws ptsim::Error of kind linux_panic ("BUG: cond").
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ptsim/kernel/types.h"

namespace ptsim::kernel {

using u64 = uint64_t;

// Models: include/linux/numa.h NUMA_NO_NODE (v6.1)
inline constexpr int NUMA_NO_NODE = -1;

// Models: include/linux/memblock.h enum memblock_flags (v6.1)
enum memblock_flags : unsigned {
  MEMBLOCK_NONE = 0x0,
  MEMBLOCK_HOTPLUG = 0x1,
  MEMBLOCK_MIRROR = 0x2,
  MEMBLOCK_NOMAP = 0x4,
  MEMBLOCK_DRIVER_MANAGED = 0x8,
};

// Models: include/linux/memblock.h allocation limits (v6.1).  ANYWHERE is
// ~(phys_addr_t)0, so it depends on the width; see Memblock::alloc_anywhere().
inline constexpr phys_addr_t MEMBLOCK_ALLOC_ACCESSIBLE = 0;
inline constexpr phys_addr_t MEMBLOCK_ALLOC_NOLEAKTRACE = 1;
inline constexpr phys_addr_t MEMBLOCK_LOW_LIMIT = 0;
inline constexpr int INIT_MEMBLOCK_REGIONS = 128;

// Models: include/linux/memblock.h struct memblock_region (v6.1)
struct memblock_region {
  phys_addr_t base = 0;
  phys_addr_t size = 0;
  unsigned flags = MEMBLOCK_NONE;
  int nid = 0;  // present with CONFIG_NUMA; always 0 otherwise
};

// Models: include/linux/memblock.h struct memblock_type (v6.1).  `regions`
// holds `max` entries, of which the first `cnt` are in use.  regions_phys is
// where the array lives once memblock_double_array() has moved it out of the
// static __initdata array (0 while it is the static one).
struct memblock_type {
  unsigned long cnt = 1;  // empty dummy entry
  unsigned long max = INIT_MEMBLOCK_REGIONS;
  phys_addr_t total_size = 0;
  std::vector<memblock_region> regions;
  const char* name = "";
  phys_addr_t regions_phys = 0;
};

// The build-time configuration memblock depends on.  The defaults are those
// of Linux's userspace test harness built with `make NUMA=1`
// (tools/testing/memblock: CONFIG_NUMA, NODES_SHIFT 4, 64-bit phys_addr_t).
struct MemblockConfig {
  phys_addr_t smp_cache_bytes = 32;  // SMP_CACHE_BYTES (L1_CACHE_BYTES)
  int max_numnodes = 16;             // MAX_NUMNODES = 1 << CONFIG_NODES_SHIFT
  bool numa = true;                  // CONFIG_NUMA: regions carry a nid
  phys_addr_t page_size = 4096;      // PAGE_SIZE
  int phys_addr_bits = 64;           // sizeof(phys_addr_t) * 8: 64, or 32 (arm without LPAE)
  phys_addr_t arch_low_address_limit = 0xffffffffULL;  // ARCH_LOW_ADDRESS_LIMIT
  // The static region arrays: INIT_MEMBLOCK_MEMORY_REGIONS and
  // INIT_MEMBLOCK_RESERVED_REGIONS (128 unless the architecture says more;
  // arm64: 128 * 8 and 128 + NR_CPUS + 1).
  unsigned long init_memory_regions = INIT_MEMBLOCK_REGIONS;
  unsigned long init_reserved_regions = INIT_MEMBLOCK_REGIONS;
};

// Where memblock's messages go.  Each is optional.
struct MemblockHooks {
  // memblock_dbg() lines (memblock=debug), without the trailing newline.
  std::function<void(const std::string&)> dbg;
  // pr_info/pr_warn/pr_err lines that print whatever memblock=debug says.
  std::function<void(const std::string&)> printk;
  // A WARN_ON(cond)/WARN_ON_ONCE(cond) that fired: the condition as written
  // in the source; for WARN/WARN_ONCE the message.
  std::function<void(const std::string&)> warn;
};

class Memblock {
 public:
  explicit Memblock(MemblockConfig config = {}, MemblockHooks hooks = {});

  // Back to the boot-time state of the statically initialised `memblock`:
  // both arrays empty and static, top-down, current_limit ANYWHERE, resize
  // not allowed, no mirror.  WARN_ONCE sites that have fired stay fired.
  void reset();

  const MemblockConfig& config() const { return config_; }
  void set_hooks(MemblockHooks hooks) { hooks_ = std::move(hooks); }

  // ~(phys_addr_t)0 for this width: PHYS_ADDR_MAX and MEMBLOCK_ALLOC_ANYWHERE.
  phys_addr_t phys_addr_max() const { return phys_mask_; }
  phys_addr_t alloc_anywhere() const { return phys_mask_; }

  const memblock_type& memory() const { return memory_; }
  const memblock_type& reserved() const { return reserved_; }
  bool bottom_up() const { return bottom_up_; }
  phys_addr_t current_limit() const { return current_limit_; }

  // Stand-ins for the kernel globals memblock reads.
  void set_movable_node(bool enabled) { movable_node_enabled_ = enabled; }
  void set_mirrored_kernelcore(bool enabled) { mirrored_kernelcore_ = enabled; }

  // --- registering memory; `caller` is what %pS prints in memblock=debug ---
  int memblock_add_node(phys_addr_t base, phys_addr_t size, int nid, unsigned flags,
                        std::string_view caller = {});
  int memblock_add(phys_addr_t base, phys_addr_t size, std::string_view caller = {});
  int memblock_remove(phys_addr_t base, phys_addr_t size, std::string_view caller = {});
  int memblock_reserve(phys_addr_t base, phys_addr_t size, std::string_view caller = {});
  int memblock_phys_free(phys_addr_t base, phys_addr_t size, std::string_view caller = {});
  int memblock_mark_hotplug(phys_addr_t base, phys_addr_t size);
  int memblock_clear_hotplug(phys_addr_t base, phys_addr_t size);
  int memblock_mark_mirror(phys_addr_t base, phys_addr_t size);
  int memblock_mark_nomap(phys_addr_t base, phys_addr_t size);
  int memblock_clear_nomap(phys_addr_t base, phys_addr_t size);
  // @type is memory() or reserved(), as Linux passes &memblock.memory.
  int memblock_set_node(phys_addr_t base, phys_addr_t size, const memblock_type& type, int nid);
  void memblock_set_bottom_up(bool enable) { bottom_up_ = enable; }
  void memblock_set_current_limit(phys_addr_t limit) { current_limit_ = limit & phys_mask_; }
  phys_addr_t memblock_get_current_limit() const { return current_limit_; }
  void memblock_allow_resize() { can_resize_ = true; }

  // --- allocation: physical addresses, 0 on failure ---
  phys_addr_t memblock_alloc_range_nid(phys_addr_t size, phys_addr_t align, phys_addr_t start,
                                       phys_addr_t end, int nid, bool exact_nid);
  phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t start,
                                        phys_addr_t end, std::string_view caller = {});
  phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align,
                                  std::string_view caller = {});
  phys_addr_t memblock_phys_alloc_try_nid(phys_addr_t size, phys_addr_t align, int nid);
  // The memblock_alloc*() family returns virtual addresses in Linux; here the
  // physical address (phys_to_virt is the caller's), 0 for NULL.
  phys_addr_t memblock_alloc_try_nid(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
                                     phys_addr_t max_addr, int nid, std::string_view caller = {});
  phys_addr_t memblock_alloc_try_nid_raw(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
                                         phys_addr_t max_addr, int nid,
                                         std::string_view caller = {});
  phys_addr_t memblock_alloc_exact_nid_raw(phys_addr_t size, phys_addr_t align,
                                           phys_addr_t min_addr, phys_addr_t max_addr, int nid,
                                           std::string_view caller = {});
  phys_addr_t memblock_alloc(phys_addr_t size, phys_addr_t align, std::string_view caller = {});
  phys_addr_t memblock_alloc_raw(phys_addr_t size, phys_addr_t align, std::string_view caller = {});
  phys_addr_t memblock_alloc_from(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
                                  std::string_view caller = {});
  phys_addr_t memblock_alloc_low(phys_addr_t size, phys_addr_t align, std::string_view caller = {});
  phys_addr_t memblock_alloc_node(phys_addr_t size, phys_addr_t align, int nid,
                                  std::string_view caller = {});

  // --- limiting memory ---
  void memblock_enforce_memory_limit(phys_addr_t limit);
  void memblock_cap_memory_range(phys_addr_t base, phys_addr_t size);
  void memblock_mem_limit_remove_map(phys_addr_t limit);
  void memblock_trim_memory(phys_addr_t align);

  // --- queries ---
  phys_addr_t memblock_phys_mem_size() const { return memory_.total_size; }
  phys_addr_t memblock_reserved_size() const { return reserved_.total_size; }
  phys_addr_t memblock_start_of_DRAM() const;
  phys_addr_t memblock_end_of_DRAM() const;
  bool memblock_is_memory(phys_addr_t addr) const;
  bool memblock_is_map_memory(phys_addr_t addr) const;
  bool memblock_is_reserved(phys_addr_t addr) const;
  bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size) const;
  bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size) const;
  bool memblock_overlaps_region(const memblock_type& type, phys_addr_t base,
                                phys_addr_t size) const;
  int memblock_search_pfn_nid(unsigned long pfn, unsigned long* start_pfn,
                              unsigned long* end_pfn) const;

  // --- iterators, as include/linux/memblock.h defines them ---
  // The low-level steps: *idx starts at 0 (forward) or ULLONG_MAX (reverse)
  // and is ULLONG_MAX when the walk ends.  type_b may be null.
  void next_mem_range(u64* idx, int nid, unsigned flags, const memblock_type* type_a,
                      const memblock_type* type_b, phys_addr_t* out_start, phys_addr_t* out_end,
                      int* out_nid);
  void next_mem_range_rev(u64* idx, int nid, unsigned flags, const memblock_type* type_a,
                          const memblock_type* type_b, phys_addr_t* out_start, phys_addr_t* out_end,
                          int* out_nid);
  void next_mem_pfn_range(int* idx, int nid, unsigned long* out_start_pfn,
                          unsigned long* out_end_pfn, int* out_nid) const;

  // The for_each_* macros: `fn(start, end, nid)` returns false to stop.
  using RangeFn = std::function<bool(phys_addr_t start, phys_addr_t end, int nid)>;
  void for_each_free_mem_range(int nid, unsigned flags, const RangeFn& fn);
  void for_each_free_mem_range_reverse(int nid, unsigned flags, const RangeFn& fn);
  void for_each_mem_range(const RangeFn& fn);
  void for_each_mem_range_rev(const RangeFn& fn);
  void for_each_reserved_mem_range(const RangeFn& fn);

  // --- output formats ---
  // %pa: "0x" and the address zero-padded to the width of phys_addr_t.
  std::string format_pa(phys_addr_t addr) const;
  // The text of /sys/kernel/debug/memblock/{memory,reserved}
  // (memblock_debug_show), one "%4d: %pa..%pa" line per region.
  std::string memblock_debug_show(const memblock_type& type) const;
  // memblock_dump_all()'s lines (printed only with memblock=debug).
  std::vector<std::string> memblock_dump_all_lines() const;

 private:
  // One WARN_ONCE/WARN_ON_ONCE call site in memblock.c.
  enum class OnceSite { next_mem_range, next_mem_range_rev, alloc_range_nid, count };

  void warn(const std::string& cond);
  // Takes a C string: it is evaluated on every iterator step.
  bool warn_once(OnceSite site, bool cond, const char* message);
  [[noreturn]] void bug(const std::string& cond);
  // memblock=debug is on when a dbg hook is set; lines are only built then.
  bool memblock_debug() const { return static_cast<bool>(hooks_.dbg); }
  void dbg(const std::string& line);
  void printk(const std::string& line);
  std::string dbg_range(std::string_view func, phys_addr_t base, phys_addr_t size,
                        std::string_view caller) const;

  void init_type(memblock_type& type, const char* name, unsigned long max);
  int get_node(const memblock_region& r) const { return config_.numa ? r.nid : 0; }
  void set_node(memblock_region& r, int nid) const {
    if (config_.numa) {
      r.nid = nid;
    }
  }
  phys_addr_t region_struct_size() const;
  phys_addr_t cap_size(phys_addr_t base, phys_addr_t* size) const;
  phys_addr_t round_up(phys_addr_t x, phys_addr_t align) const;
  phys_addr_t round_down(phys_addr_t x, phys_addr_t align) const;
  unsigned choose_memblock_flags() const;
  bool should_skip_region(const memblock_type* type, const memblock_region& m, int nid,
                          unsigned flags) const;
  int memblock_search(const memblock_type& type, phys_addr_t addr) const;
  std::pair<phys_addr_t, phys_addr_t> gap_before(const memblock_type& type, int idx) const;
  void walk_mem_ranges(bool reverse, const memblock_type* type_a, const memblock_type* type_b,
                       int nid, unsigned flags, const RangeFn& fn);
  phys_addr_t find_max_addr(phys_addr_t limit) const;

  phys_addr_t find_range_bottom_up(phys_addr_t start, phys_addr_t end, phys_addr_t size,
                                   phys_addr_t align, int nid, unsigned flags);
  phys_addr_t find_range_top_down(phys_addr_t start, phys_addr_t end, phys_addr_t size,
                                  phys_addr_t align, int nid, unsigned flags);
  phys_addr_t memblock_find_in_range_node(phys_addr_t size, phys_addr_t align, phys_addr_t start,
                                          phys_addr_t end, int nid, unsigned flags);
  phys_addr_t memblock_find_in_range(phys_addr_t start, phys_addr_t end, phys_addr_t size,
                                     phys_addr_t align);
  phys_addr_t memblock_alloc_internal(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
                                      phys_addr_t max_addr, int nid, bool exact_nid);

  void memblock_remove_region(memblock_type& type, unsigned long r);
  int memblock_double_array(memblock_type& type, phys_addr_t new_area_start,
                            phys_addr_t new_area_size);
  void memblock_merge_regions(memblock_type& type);
  void memblock_insert_region(memblock_type& type, int idx, phys_addr_t base, phys_addr_t size,
                              int nid, unsigned flags);
  int memblock_add_range(memblock_type& type, phys_addr_t base, phys_addr_t size, int nid,
                         unsigned flags);
  int memblock_isolate_range(memblock_type& type, phys_addr_t base, phys_addr_t size,
                             int* start_rgn, int* end_rgn);
  int memblock_remove_range(memblock_type& type, phys_addr_t base, phys_addr_t size);
  int memblock_setclr_flag(phys_addr_t base, phys_addr_t size, bool set, unsigned flag);

  MemblockConfig config_;
  MemblockHooks hooks_;
  phys_addr_t phys_mask_;

  memblock_type memory_;
  memblock_type reserved_;
  bool bottom_up_ = false;
  phys_addr_t current_limit_;
  bool can_resize_ = false;
  bool system_has_some_mirror_ = false;
  bool movable_node_enabled_ = false;
  bool mirrored_kernelcore_ = false;
  bool warned_once_[static_cast<int>(OnceSite::count)] = {};
};

}  // namespace ptsim::kernel
