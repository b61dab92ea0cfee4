// memblock, after mm/memblock.c (v6.1).  Each function below keeps the name
// and the order of steps of the Linux function it models, including the
// WARN_ON conditions, the BUG_ONs and the places where total_size is left
// stale, because the boot flows must allocate at the addresses Linux would.
#include "ptsim/kernel/mm/memblock.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cerrno>

#include "ptsim/error.h"

namespace ptsim::kernel {
namespace {

constexpr u64 ULLONG_MAX_IDX = ~u64{0};

}  // namespace

Memblock::Memblock(MemblockConfig config, MemblockHooks hooks)
    : config_(config),
      hooks_(std::move(hooks)),
      phys_mask_(config.phys_addr_bits >= 64 ? ~phys_addr_t{0}
                                             : (phys_addr_t{1} << config.phys_addr_bits) - 1),
      current_limit_(phys_mask_) {
  if (config_.phys_addr_bits != 32 && config_.phys_addr_bits != 64) {
    throw bad_input(fmt::format("memblock: phys_addr_t is {} bits; Linux has 32 or 64",
                                config_.phys_addr_bits));
  }
  if (config_.page_size == 0 || (config_.page_size & (config_.page_size - 1)) != 0) {
    throw bad_input(
        fmt::format("memblock: PAGE_SIZE {:#x} is not a power of two", config_.page_size));
  }
  if (!config_.numa) {
    config_.max_numnodes = 1;  // NODES_SHIFT is 0 without CONFIG_NUMA
  }
  reset();
}

void Memblock::init_type(memblock_type& type, const char* name, unsigned long max) {
  type.cnt = 1;
  type.max = max;
  type.total_size = 0;
  type.regions.assign(max, memblock_region{});
  type.name = name;
  type.regions_phys = 0;
}

// The static initialiser of `struct memblock memblock` in mm/memblock.c.
void Memblock::reset() {
  init_type(memory_, "memory", config_.init_memory_regions);
  init_type(reserved_, "reserved", config_.init_reserved_regions);
  bottom_up_ = false;
  current_limit_ = phys_mask_;
  can_resize_ = false;
  system_has_some_mirror_ = false;
  movable_node_enabled_ = false;
  mirrored_kernelcore_ = false;
}

// --- messages ---

void Memblock::warn(const std::string& cond) {
  if (hooks_.warn) {
    hooks_.warn(cond);
  }
}

bool Memblock::warn_once(OnceSite site, bool cond, const char* message) {
  if (!cond) {
    return false;
  }
  bool& fired = warned_once_[static_cast<int>(site)];
  if (!fired) {
    fired = true;
    warn(message);
  }
  return true;
}

void Memblock::bug(const std::string& cond) {
  throw Error(ErrorKind::linux_panic, "BUG: " + cond);
}

void Memblock::dbg(const std::string& line) {
  if (hooks_.dbg) {
    hooks_.dbg(line);
  }
}

void Memblock::printk(const std::string& line) {
  if (hooks_.printk) {
    hooks_.printk(line);
  }
}

std::string Memblock::format_pa(phys_addr_t addr) const {
  if (config_.phys_addr_bits == 32) {
    return fmt::format("0x{:08x}", addr & phys_mask_);
  }
  return fmt::format("0x{:016x}", addr);
}

// "%s: [%pa-%pa] %pS": the end printed is base + size - 1, wrapping as C does.
std::string Memblock::dbg_range(std::string_view func, phys_addr_t base, phys_addr_t size,
                                std::string_view caller) const {
  const phys_addr_t end = (base + size - 1) & phys_mask_;
  return fmt::format("{}: [{}-{}] {}", func, format_pa(base), format_pa(end),
                     caller.empty() ? "0x0" : caller);
}

// --- helpers ---

// sizeof(struct memblock_region): two phys_addr_t, the flags enum and, with
// CONFIG_NUMA, an int nid, padded to the alignment of phys_addr_t.
phys_addr_t Memblock::region_struct_size() const {
  const phys_addr_t phys_bytes = static_cast<phys_addr_t>(config_.phys_addr_bits / 8);
  const phys_addr_t raw = 2 * phys_bytes + 4 + (config_.numa ? 4 : 0);
  return (raw + phys_bytes - 1) / phys_bytes * phys_bytes;
}

// Models: mm/memblock.c memblock_cap_size (v6.1)
phys_addr_t Memblock::cap_size(phys_addr_t base, phys_addr_t* size) const {
  *size = std::min(*size, phys_mask_ - base);
  return *size;
}

// Models: include/linux/math.h round_up/round_down (v6.1): mask arithmetic,
// meaningful for powers of two only, as in Linux.
phys_addr_t Memblock::round_up(phys_addr_t x, phys_addr_t align) const {
  return ((((x - 1) & phys_mask_) | (align - 1)) + 1) & phys_mask_;
}

phys_addr_t Memblock::round_down(phys_addr_t x, phys_addr_t align) const {
  return x & ~(align - 1) & phys_mask_;
}

// Models: mm/memblock.c choose_memblock_flags (v6.1)
unsigned Memblock::choose_memblock_flags() const {
  return system_has_some_mirror_ ? MEMBLOCK_MIRROR : MEMBLOCK_NONE;
}

// Models: mm/memblock.c memblock_addrs_overlap (v6.1)
static bool memblock_addrs_overlap(phys_addr_t base1, phys_addr_t size1, phys_addr_t base2,
                                   phys_addr_t size2) {
  return base1 < base2 + size2 && base2 < base1 + size1;
}

// Models: mm/memblock.c memblock_overlaps_region (v6.1)
bool Memblock::memblock_overlaps_region(const memblock_type& type, phys_addr_t base,
                                        phys_addr_t size) const {
  cap_size(base, &size);
  for (unsigned long i = 0; i < type.cnt; i++) {
    if (memblock_addrs_overlap(base, size, type.regions[i].base, type.regions[i].size)) {
      return true;
    }
  }
  return false;
}

// --- finding free ranges ---

// Models: mm/memblock.c __memblock_find_range_bottom_up (v6.1)
phys_addr_t Memblock::find_range_bottom_up(phys_addr_t start, phys_addr_t end, phys_addr_t size,
                                           phys_addr_t align, int nid, unsigned flags) {
  phys_addr_t this_start = 0;
  phys_addr_t this_end = 0;
  for (u64 i = 0;
       next_mem_range(&i, nid, flags, &memory_, &reserved_, &this_start, &this_end, nullptr),
           i != ULLONG_MAX_IDX;) {
    this_start = std::clamp(this_start, start, end);
    this_end = std::clamp(this_end, start, end);
    const phys_addr_t cand = round_up(this_start, align);
    if (cand < this_end && this_end - cand >= size) {
      return cand;
    }
  }
  return 0;
}

// Models: mm/memblock.c __memblock_find_range_top_down (v6.1)
phys_addr_t Memblock::find_range_top_down(phys_addr_t start, phys_addr_t end, phys_addr_t size,
                                          phys_addr_t align, int nid, unsigned flags) {
  phys_addr_t this_start = 0;
  phys_addr_t this_end = 0;
  for (u64 i = ULLONG_MAX_IDX;
       next_mem_range_rev(&i, nid, flags, &memory_, &reserved_, &this_start, &this_end, nullptr),
           i != ULLONG_MAX_IDX;) {
    this_start = std::clamp(this_start, start, end);
    this_end = std::clamp(this_end, start, end);
    if (this_end < size) {
      continue;
    }
    const phys_addr_t cand = round_down(this_end - size, align);
    if (cand >= this_start) {
      return cand;
    }
  }
  return 0;
}

// Models: mm/memblock.c memblock_find_in_range_node (v6.1)
phys_addr_t Memblock::memblock_find_in_range_node(phys_addr_t size, phys_addr_t align,
                                                  phys_addr_t start, phys_addr_t end, int nid,
                                                  unsigned flags) {
  // pump up @end
  if (end == MEMBLOCK_ALLOC_ACCESSIBLE || end == MEMBLOCK_ALLOC_NOLEAKTRACE) {
    end = current_limit_;
  }
  // avoid allocating the first page
  start = std::max(start, config_.page_size);
  end = std::max(start, end);
  if (bottom_up_) {
    return find_range_bottom_up(start, end, size, align, nid, flags);
  }
  return find_range_top_down(start, end, size, align, nid, flags);
}

// Models: mm/memblock.c memblock_find_in_range (v6.1)
phys_addr_t Memblock::memblock_find_in_range(phys_addr_t start, phys_addr_t end, phys_addr_t size,
                                             phys_addr_t align) {
  unsigned flags = choose_memblock_flags();
  for (;;) {
    const phys_addr_t ret =
        memblock_find_in_range_node(size, align, start, end, NUMA_NO_NODE, flags);
    if (ret == 0 && (flags & MEMBLOCK_MIRROR) != 0) {
      printk(fmt::format("Could not allocate {} bytes of mirrored memory", format_pa(size)));
      flags &= ~MEMBLOCK_MIRROR;
      continue;
    }
    return ret;
  }
}

// --- the region arrays ---

// Models: mm/memblock.c memblock_remove_region (v6.1)
void Memblock::memblock_remove_region(memblock_type& type, unsigned long r) {
  type.total_size -= type.regions[r].size;
  std::copy(type.regions.begin() + static_cast<long>(r + 1),
            type.regions.begin() + static_cast<long>(type.cnt),
            type.regions.begin() + static_cast<long>(r));
  type.cnt--;

  // Special case for empty arrays
  if (type.cnt == 0) {
    if (type.total_size != 0) {
      warn("type->total_size != 0");
    }
    type.cnt = 1;
    type.regions[0].base = 0;
    type.regions[0].size = 0;
    type.regions[0].flags = 0;
    set_node(type.regions[0], config_.max_numnodes);
  }
}

// Models: mm/memblock.c memblock_double_array (v6.1).  Slab is never up while
// memblock is modelled, so the new array always comes from memblock itself.
int Memblock::memblock_double_array(memblock_type& type, phys_addr_t new_area_start,
                                    phys_addr_t new_area_size) {
  // We don't allow resizing until we know about the reserved regions of
  // memory that aren't suitable for allocation.
  if (!can_resize_) {
    return -1;
  }

  const phys_addr_t old_size = type.max * region_struct_size();
  const phys_addr_t new_size = old_size << 1;
  // PAGE_ALIGN, so the arrays can be freed completely later.
  const phys_addr_t page_mask = config_.page_size - 1;
  const phys_addr_t old_alloc_size = (old_size + page_mask) & ~page_mask;
  const phys_addr_t new_alloc_size = (new_size + page_mask) & ~page_mask;

  // only exclude range when trying to double reserved.regions
  if (&type != &reserved_) {
    new_area_start = new_area_size = 0;
  }
  phys_addr_t addr = memblock_find_in_range(new_area_start + new_area_size, current_limit_,
                                            new_alloc_size, config_.page_size);
  if (addr == 0 && new_area_size != 0) {
    addr = memblock_find_in_range(0, std::min(new_area_start, current_limit_), new_alloc_size,
                                  config_.page_size);
  }
  if (addr == 0) {
    printk(fmt::format("memblock: Failed to double {} array from {} to {} entries !", type.name,
                       type.max, type.max * 2));
    return -1;
  }

  const phys_addr_t new_end = (addr + new_size - 1) & phys_mask_;
  if (memblock_debug()) {
    dbg(fmt::format("memblock: {} is doubled to {} at [{}-{}]", type.name, type.max * 2,
                    format_pa(addr), format_pa(new_end)));
  }

  // Move the array over before reserving it: it may be the reserved array
  // itself that is full.  The new half is zeroed.
  const phys_addr_t old_array_phys = type.regions_phys;
  type.regions.resize(type.max * 2, memblock_region{});
  type.regions_phys = addr;
  type.max <<= 1;

  // Free the old array, unless it is the static one.
  if (old_array_phys != 0) {
    memblock_phys_free(old_array_phys, old_alloc_size, "memblock_free");
  }

  // Reserve the new array: it comes from memblock.
  if (memblock_reserve(addr, new_alloc_size, "memblock_double_array") != 0) {
    bug("memblock_reserve(addr, new_alloc_size)");
  }
  return 0;
}

// Models: mm/memblock.c memblock_merge_regions (v6.1)
void Memblock::memblock_merge_regions(memblock_type& type) {
  unsigned long i = 0;
  // cnt never goes below 1
  while (i < type.cnt - 1) {
    memblock_region& self = type.regions[i];
    const memblock_region& next = type.regions[i + 1];
    if (self.base + self.size != next.base || get_node(self) != get_node(next) ||
        self.flags != next.flags) {
      if (self.base + self.size > next.base) {
        bug("this->base + this->size > next->base");
      }
      i++;
      continue;
    }
    self.size += next.size;
    // move forward from next + 1, index of which is i + 2
    std::copy(type.regions.begin() + static_cast<long>(i + 2),
              type.regions.begin() + static_cast<long>(type.cnt),
              type.regions.begin() + static_cast<long>(i + 1));
    type.cnt--;
  }
}

// Models: mm/memblock.c memblock_insert_region (v6.1)
void Memblock::memblock_insert_region(memblock_type& type, int idx, phys_addr_t base,
                                      phys_addr_t size, int nid, unsigned flags) {
  if (type.cnt >= type.max) {
    bug("type->cnt >= type->max");
  }
  auto first = type.regions.begin() + idx;
  std::copy_backward(first, type.regions.begin() + static_cast<long>(type.cnt),
                     type.regions.begin() + static_cast<long>(type.cnt + 1));
  memblock_region& rgn = type.regions[static_cast<unsigned long>(idx)];
  rgn.base = base;
  rgn.size = size;
  rgn.flags = flags;
  set_node(rgn, nid);
  type.cnt++;
  type.total_size += size;
}

// Where the scans of memblock_add_range() and memblock_isolate_range() reach
// their first region of interest: both skip (`continue`) every region that
// ends at or below @base.  The array is sorted and its regions disjoint (the
// BUG_ON in memblock_merge_regions() guards that), so their ends ascend and
// a binary search finds the same index Linux's linear walk reaches.
static int first_region_ending_after(const memblock_type& type, phys_addr_t base) {
  const auto first = type.regions.begin();
  const auto last = first + static_cast<long>(type.cnt);
  const auto it = std::partition_point(
      first, last, [base](const memblock_region& r) { return r.base + r.size <= base; });
  return static_cast<int>(it - first);
}

// Models: mm/memblock.c memblock_add_range (v6.1)
int Memblock::memblock_add_range(memblock_type& type, phys_addr_t base, phys_addr_t size, int nid,
                                 unsigned flags) {
  const phys_addr_t obase = base;
  const phys_addr_t end = base + cap_size(base, &size);

  if (size == 0) {
    return 0;
  }

  // special case for empty array
  if (type.regions[0].size == 0) {
    if (type.cnt != 1 || type.total_size != 0) {
      warn("type->cnt != 1 || type->total_size");
    }
    type.regions[0].base = base;
    type.regions[0].size = size;
    type.regions[0].flags = flags;
    set_node(type.regions[0], nid);
    type.total_size = size;
    return 0;
  }

  // The worst case is when the new range overlaps all existing regions, then
  // cnt + 1 empty regions are needed; with that much room, insert directly.
  bool insert = type.cnt * 2 + 1 < type.max;

  for (;;) {
    // Executed twice when room is short: the first pass counts the regions
    // needed, the second inserts them.
    base = obase;
    int nr_new = 0;
    int idx = first_region_ending_after(type, base);
    for (; static_cast<unsigned long>(idx) < type.cnt; idx++) {
      const memblock_region& rgn = type.regions[static_cast<unsigned long>(idx)];
      const phys_addr_t rbase = rgn.base;
      const phys_addr_t rend = rbase + rgn.size;

      if (rbase >= end) {
        break;
      }
      if (rend <= base) {
        continue;
      }
      // @rgn overlaps.  If it separates the lower part of the new area,
      // insert that portion.
      if (rbase > base) {
        if (config_.numa && nid != get_node(rgn)) {
          warn("nid != memblock_get_region_node(rgn)");
        }
        if (flags != rgn.flags) {
          warn("flags != rgn->flags");
        }
        nr_new++;
        if (insert) {
          memblock_insert_region(type, idx++, base, rbase - base, nid, flags);
        }
      }
      // area below @rend is dealt with, forget about it
      base = std::min(rend, end);
    }

    // insert the remaining portion
    if (base < end) {
      nr_new++;
      if (insert) {
        memblock_insert_region(type, idx, base, end - base, nid, flags);
      }
    }

    if (nr_new == 0) {
      return 0;
    }

    // If this was the first round, resize the array and repeat for the
    // actual insertions; otherwise merge and return.
    if (insert) {
      memblock_merge_regions(type);
      return 0;
    }
    while (type.cnt + static_cast<unsigned long>(nr_new) > type.max) {
      if (memblock_double_array(type, obase, size) < 0) {
        return -ENOMEM;
      }
    }
    insert = true;
  }
}

// Models: mm/memblock.c memblock_add_node (v6.1)
int Memblock::memblock_add_node(phys_addr_t base, phys_addr_t size, int nid, unsigned flags,
                                std::string_view caller) {
  const phys_addr_t end = (base + size - 1) & phys_mask_;
  if (memblock_debug()) {
    dbg(fmt::format("memblock_add_node: [{}-{}] nid={} flags={:x} {}", format_pa(base),
                    format_pa(end), nid, flags, caller.empty() ? "0x0" : caller));
  }
  return memblock_add_range(memory_, base, size, nid, flags);
}

// Models: mm/memblock.c memblock_add (v6.1)
int Memblock::memblock_add(phys_addr_t base, phys_addr_t size, std::string_view caller) {
  if (memblock_debug()) {
    dbg(dbg_range("memblock_add", base, size, caller));
  }
  return memblock_add_range(memory_, base, size, config_.max_numnodes, 0);
}

// Models: mm/memblock.c memblock_isolate_range (v6.1)
int Memblock::memblock_isolate_range(memblock_type& type, phys_addr_t base, phys_addr_t size,
                                     int* start_rgn, int* end_rgn) {
  const phys_addr_t end = base + cap_size(base, &size);
  *start_rgn = *end_rgn = 0;

  if (size == 0) {
    return 0;
  }

  // we'll create at most two more regions
  while (type.cnt + 2 > type.max) {
    if (memblock_double_array(type, base, size) < 0) {
      return -ENOMEM;
    }
  }

  for (int idx = first_region_ending_after(type, base); static_cast<unsigned long>(idx) < type.cnt;
       idx++) {
    memblock_region& rgn = type.regions[static_cast<unsigned long>(idx)];
    const phys_addr_t rbase = rgn.base;
    const phys_addr_t rend = rbase + rgn.size;

    if (rbase >= end) {
      break;
    }
    if (rend <= base) {
      continue;
    }

    if (rbase < base) {
      // @rgn intersects from below: split, and go on with the next region,
      // the new top half.
      rgn.base = base;
      rgn.size -= base - rbase;
      type.total_size -= base - rbase;
      memblock_insert_region(type, idx, rbase, base - rbase, get_node(rgn), rgn.flags);
    } else if (rend > end) {
      // @rgn intersects from above: split, and redo the current region,
      // the new bottom half.
      rgn.base = end;
      rgn.size -= end - rbase;
      type.total_size -= end - rbase;
      memblock_insert_region(type, idx--, rbase, end - rbase, get_node(rgn), rgn.flags);
    } else {
      // @rgn is fully contained, record it
      if (*end_rgn == 0) {
        *start_rgn = idx;
      }
      *end_rgn = idx + 1;
    }
  }
  return 0;
}

// Models: mm/memblock.c memblock_remove_range (v6.1)
int Memblock::memblock_remove_range(memblock_type& type, phys_addr_t base, phys_addr_t size) {
  int start_rgn = 0;
  int end_rgn = 0;
  const int ret = memblock_isolate_range(type, base, size, &start_rgn, &end_rgn);
  if (ret != 0) {
    return ret;
  }
  for (int i = end_rgn - 1; i >= start_rgn; i--) {
    memblock_remove_region(type, static_cast<unsigned long>(i));
  }
  return 0;
}

// Models: mm/memblock.c memblock_remove (v6.1)
int Memblock::memblock_remove(phys_addr_t base, phys_addr_t size, std::string_view caller) {
  if (memblock_debug()) {
    dbg(dbg_range("memblock_remove", base, size, caller));
  }
  return memblock_remove_range(memory_, base, size);
}

// Models: mm/memblock.c memblock_phys_free (v6.1)
int Memblock::memblock_phys_free(phys_addr_t base, phys_addr_t size, std::string_view caller) {
  if (memblock_debug()) {
    dbg(dbg_range("memblock_phys_free", base, size, caller));
  }
  return memblock_remove_range(reserved_, base, size);
}

// Models: mm/memblock.c memblock_reserve (v6.1)
int Memblock::memblock_reserve(phys_addr_t base, phys_addr_t size, std::string_view caller) {
  if (memblock_debug()) {
    dbg(dbg_range("memblock_reserve", base, size, caller));
  }
  return memblock_add_range(reserved_, base, size, config_.max_numnodes, 0);
}

// Models: mm/memblock.c memblock_setclr_flag (v6.1)
int Memblock::memblock_setclr_flag(phys_addr_t base, phys_addr_t size, bool set, unsigned flag) {
  int start_rgn = 0;
  int end_rgn = 0;
  const int ret = memblock_isolate_range(memory_, base, size, &start_rgn, &end_rgn);
  if (ret != 0) {
    return ret;
  }
  for (int i = start_rgn; i < end_rgn; i++) {
    memblock_region& r = memory_.regions[static_cast<unsigned long>(i)];
    if (set) {
      r.flags |= flag;
    } else {
      r.flags &= ~flag;
    }
  }
  memblock_merge_regions(memory_);
  return 0;
}

// Models: mm/memblock.c memblock_mark_hotplug (v6.1)
int Memblock::memblock_mark_hotplug(phys_addr_t base, phys_addr_t size) {
  return memblock_setclr_flag(base, size, true, MEMBLOCK_HOTPLUG);
}

// Models: mm/memblock.c memblock_clear_hotplug (v6.1)
int Memblock::memblock_clear_hotplug(phys_addr_t base, phys_addr_t size) {
  return memblock_setclr_flag(base, size, false, MEMBLOCK_HOTPLUG);
}

// Models: mm/memblock.c memblock_mark_mirror (v6.1)
int Memblock::memblock_mark_mirror(phys_addr_t base, phys_addr_t size) {
  if (!mirrored_kernelcore_) {
    return 0;
  }
  system_has_some_mirror_ = true;
  return memblock_setclr_flag(base, size, true, MEMBLOCK_MIRROR);
}

// Models: mm/memblock.c memblock_mark_nomap (v6.1)
int Memblock::memblock_mark_nomap(phys_addr_t base, phys_addr_t size) {
  return memblock_setclr_flag(base, size, true, MEMBLOCK_NOMAP);
}

// Models: mm/memblock.c memblock_clear_nomap (v6.1)
int Memblock::memblock_clear_nomap(phys_addr_t base, phys_addr_t size) {
  return memblock_setclr_flag(base, size, false, MEMBLOCK_NOMAP);
}

// Models: mm/memblock.c memblock_set_node (v6.1); a no-op without CONFIG_NUMA.
int Memblock::memblock_set_node(phys_addr_t base, phys_addr_t size, const memblock_type& which,
                                int nid) {
  if (!config_.numa) {
    return 0;
  }
  memblock_type& type = &which == &reserved_ ? reserved_ : memory_;
  int start_rgn = 0;
  int end_rgn = 0;
  const int ret = memblock_isolate_range(type, base, size, &start_rgn, &end_rgn);
  if (ret != 0) {
    return ret;
  }
  for (int i = start_rgn; i < end_rgn; i++) {
    set_node(type.regions[static_cast<unsigned long>(i)], nid);
  }
  memblock_merge_regions(type);
  return 0;
}

// --- iterators ---

// Models: mm/memblock.c should_skip_region (v6.1)
bool Memblock::should_skip_region(const memblock_type* type, const memblock_region& m, int nid,
                                  unsigned flags) const {
  const int m_nid = get_node(m);

  // we never skip regions when iterating memblock.reserved or physmem
  if (type != &memory_) {
    return false;
  }
  // only memory regions are associated with nodes, check it
  if (nid != NUMA_NO_NODE && nid != m_nid) {
    return true;
  }
  // skip hotpluggable memory regions if needed
  if (movable_node_enabled_ && (m.flags & MEMBLOCK_HOTPLUG) != 0 &&
      (flags & MEMBLOCK_HOTPLUG) == 0) {
    return true;
  }
  // if we want mirror memory skip non-mirror memory regions
  if ((flags & MEMBLOCK_MIRROR) != 0 && (m.flags & MEMBLOCK_MIRROR) == 0) {
    return true;
  }
  // skip nomap memory unless we were asked for it explicitly
  if ((flags & MEMBLOCK_NOMAP) == 0 && (m.flags & MEMBLOCK_NOMAP) != 0) {
    return true;
  }
  // skip driver-managed memory unless we were asked for it explicitly
  if ((flags & MEMBLOCK_DRIVER_MANAGED) == 0 && (m.flags & MEMBLOCK_DRIVER_MANAGED) != 0) {
    return true;
  }
  return false;
}

static void set_outputs(phys_addr_t start, phys_addr_t end, int nid, phys_addr_t* out_start,
                        phys_addr_t* out_end, int* out_nid) {
  if (out_start != nullptr) {
    *out_start = start;
  }
  if (out_end != nullptr) {
    *out_end = end;
  }
  if (out_nid != nullptr) {
    *out_nid = nid;
  }
}

static u64 pack_idx(int idx_a, int idx_b) {
  return static_cast<u64>(static_cast<uint32_t>(idx_a)) | static_cast<u64>(idx_b) << 32;
}

// The area before type.regions[idx]: from the end of the region before it
// (0 for the first) to its base (PHYS_ADDR_MAX past the last region).
std::pair<phys_addr_t, phys_addr_t> Memblock::gap_before(const memblock_type& type, int idx) const {
  const auto b = static_cast<unsigned long>(idx);
  const phys_addr_t r_start = b != 0 ? type.regions[b - 1].base + type.regions[b - 1].size : 0;
  const phys_addr_t r_end = b < type.cnt ? type.regions[b].base : phys_mask_;
  return {r_start, r_end};
}

static constexpr const char* kMaxNumnodesDeprecated =
    "Usage of MAX_NUMNODES is deprecated. Use NUMA_NO_NODE instead";

// Models: mm/memblock.c __next_mem_range (v6.1).  The lower 32 bits of *idx
// index type_a; the upper 32 bits index the gaps before each type_b region.
void Memblock::next_mem_range(u64* idx, int nid, unsigned flags, const memblock_type* type_a,
                              const memblock_type* type_b, phys_addr_t* out_start,
                              phys_addr_t* out_end, int* out_nid) {
  int idx_a = static_cast<int>(*idx & 0xffffffff);
  int idx_b = static_cast<int>(*idx >> 32);

  if (warn_once(OnceSite::next_mem_range, nid == config_.max_numnodes, kMaxNumnodesDeprecated)) {
    nid = NUMA_NO_NODE;
  }

  for (; static_cast<unsigned long>(idx_a) < type_a->cnt; idx_a++) {
    const memblock_region& m = type_a->regions[static_cast<unsigned long>(idx_a)];
    const phys_addr_t m_start = m.base;
    const phys_addr_t m_end = m.base + m.size;
    const int m_nid = get_node(m);

    if (should_skip_region(type_a, m, nid, flags)) {
      continue;
    }

    if (type_b == nullptr) {
      set_outputs(m_start, m_end, m_nid, out_start, out_end, out_nid);
      idx_a++;
      *idx = pack_idx(idx_a, idx_b);
      return;
    }

    // scan areas before each reservation
    for (; static_cast<unsigned long>(idx_b) < type_b->cnt + 1; idx_b++) {
      const auto [r_start, r_end] = gap_before(*type_b, idx_b);

      // if idx_b advanced past idx_a, break out to advance idx_a
      if (r_start >= m_end) {
        break;
      }
      // if the two regions intersect, we're done
      if (m_start < r_end) {
        set_outputs(std::max(m_start, r_start), std::min(m_end, r_end), m_nid, out_start, out_end,
                    out_nid);
        // The region which ends first is advanced for the next iteration.
        if (m_end <= r_end) {
          idx_a++;
        } else {
          idx_b++;
        }
        *idx = pack_idx(idx_a, idx_b);
        return;
      }
    }
  }
  // signal end of iteration
  *idx = ULLONG_MAX_IDX;
}

// Models: mm/memblock.c __next_mem_range_rev (v6.1)
void Memblock::next_mem_range_rev(u64* idx, int nid, unsigned flags, const memblock_type* type_a,
                                  const memblock_type* type_b, phys_addr_t* out_start,
                                  phys_addr_t* out_end, int* out_nid) {
  int idx_a = static_cast<int>(*idx & 0xffffffff);
  int idx_b = static_cast<int>(*idx >> 32);

  if (warn_once(OnceSite::next_mem_range_rev, nid == config_.max_numnodes,
                kMaxNumnodesDeprecated)) {
    nid = NUMA_NO_NODE;
  }

  if (*idx == ULLONG_MAX_IDX) {
    idx_a = static_cast<int>(type_a->cnt) - 1;
    idx_b = type_b != nullptr ? static_cast<int>(type_b->cnt) : 0;
  }

  for (; idx_a >= 0; idx_a--) {
    const memblock_region& m = type_a->regions[static_cast<unsigned long>(idx_a)];
    const phys_addr_t m_start = m.base;
    const phys_addr_t m_end = m.base + m.size;
    const int m_nid = get_node(m);

    if (should_skip_region(type_a, m, nid, flags)) {
      continue;
    }

    if (type_b == nullptr) {
      set_outputs(m_start, m_end, m_nid, out_start, out_end, out_nid);
      idx_a--;
      *idx = pack_idx(idx_a, idx_b);
      return;
    }

    // scan areas before each reservation
    for (; idx_b >= 0; idx_b--) {
      const auto [r_start, r_end] = gap_before(*type_b, idx_b);

      // if idx_b advanced past idx_a, break out to advance idx_a
      if (r_end <= m_start) {
        break;
      }
      // if the two regions intersect, we're done
      if (m_end > r_start) {
        set_outputs(std::max(m_start, r_start), std::min(m_end, r_end), m_nid, out_start, out_end,
                    out_nid);
        if (m_start >= r_start) {
          idx_a--;
        } else {
          idx_b--;
        }
        *idx = pack_idx(idx_a, idx_b);
        return;
      }
    }
  }
  // signal end of iteration
  *idx = ULLONG_MAX_IDX;
}

// Models: mm/memblock.c __next_mem_pfn_range (v6.1)
void Memblock::next_mem_pfn_range(int* idx, int nid, unsigned long* out_start_pfn,
                                  unsigned long* out_end_pfn, int* out_nid) const {
  const memblock_type& type = memory_;
  const int page_shift = std::countr_zero(config_.page_size);
  const auto pfn_up = [&](phys_addr_t x) {
    return static_cast<unsigned long>((x + config_.page_size - 1) >> page_shift);
  };
  const auto pfn_down = [&](phys_addr_t x) { return static_cast<unsigned long>(x >> page_shift); };

  const memblock_region* r = nullptr;
  int r_nid = 0;
  while (static_cast<unsigned long>(++*idx) < type.cnt) {
    r = &type.regions[static_cast<unsigned long>(*idx)];
    r_nid = get_node(*r);
    if (pfn_up(r->base) >= pfn_down(r->base + r->size)) {
      continue;
    }
    if (nid == config_.max_numnodes || nid == r_nid) {
      break;
    }
  }
  if (static_cast<unsigned long>(*idx) >= type.cnt) {
    *idx = -1;
    return;
  }
  if (out_start_pfn != nullptr) {
    *out_start_pfn = pfn_up(r->base);
  }
  if (out_end_pfn != nullptr) {
    *out_end_pfn = pfn_down(r->base + r->size);
  }
  if (out_nid != nullptr) {
    *out_nid = r_nid;
  }
}

// Models: include/linux/memblock.h __for_each_mem_range and
// __for_each_mem_range_rev (v6.1)
void Memblock::walk_mem_ranges(bool reverse, const memblock_type* type_a,
                               const memblock_type* type_b, int nid, unsigned flags,
                               const RangeFn& fn) {
  phys_addr_t start = 0;
  phys_addr_t end = 0;
  int out_nid = 0;
  u64 i = reverse ? ULLONG_MAX_IDX : 0;
  for (;;) {
    if (reverse) {
      next_mem_range_rev(&i, nid, flags, type_a, type_b, &start, &end, &out_nid);
    } else {
      next_mem_range(&i, nid, flags, type_a, type_b, &start, &end, &out_nid);
    }
    if (i == ULLONG_MAX_IDX || !fn(start, end, out_nid)) {
      return;
    }
  }
}

// Models: include/linux/memblock.h for_each_free_mem_range (v6.1)
void Memblock::for_each_free_mem_range(int nid, unsigned flags, const RangeFn& fn) {
  walk_mem_ranges(false, &memory_, &reserved_, nid, flags, fn);
}

// Models: include/linux/memblock.h for_each_free_mem_range_reverse (v6.1)
void Memblock::for_each_free_mem_range_reverse(int nid, unsigned flags, const RangeFn& fn) {
  walk_mem_ranges(true, &memory_, &reserved_, nid, flags, fn);
}

// Models: include/linux/memblock.h for_each_mem_range (v6.1)
void Memblock::for_each_mem_range(const RangeFn& fn) {
  walk_mem_ranges(false, &memory_, nullptr, NUMA_NO_NODE,
                  MEMBLOCK_HOTPLUG | MEMBLOCK_DRIVER_MANAGED, fn);
}

// Models: include/linux/memblock.h for_each_mem_range_rev (v6.1)
void Memblock::for_each_mem_range_rev(const RangeFn& fn) {
  walk_mem_ranges(true, &memory_, nullptr, NUMA_NO_NODE, MEMBLOCK_HOTPLUG | MEMBLOCK_DRIVER_MANAGED,
                  fn);
}

// Models: include/linux/memblock.h for_each_reserved_mem_range (v6.1)
void Memblock::for_each_reserved_mem_range(const RangeFn& fn) {
  walk_mem_ranges(false, &reserved_, nullptr, NUMA_NO_NODE, MEMBLOCK_NONE, fn);
}

// --- allocation ---

// Models: mm/memblock.c memblock_alloc_range_nid (v6.1)
phys_addr_t Memblock::memblock_alloc_range_nid(phys_addr_t size, phys_addr_t align,
                                               phys_addr_t start, phys_addr_t end, int nid,
                                               bool exact_nid) {
  unsigned flags = choose_memblock_flags();

  if (warn_once(OnceSite::alloc_range_nid, nid == config_.max_numnodes, kMaxNumnodesDeprecated)) {
    nid = NUMA_NO_NODE;
  }
  if (align == 0) {
    // Linux calls dump_stack() here ("Can't use WARNs this early in boot on
    // powerpc"), which is no WARN.
    align = config_.smp_cache_bytes;
  }

  for (;;) {
    phys_addr_t found = memblock_find_in_range_node(size, align, start, end, nid, flags);
    if (found != 0 && memblock_reserve(found, size, "memblock_alloc_range_nid") == 0) {
      return found;
    }
    if (nid != NUMA_NO_NODE && !exact_nid) {
      found = memblock_find_in_range_node(size, align, start, end, NUMA_NO_NODE, flags);
      if (found != 0 && memblock_reserve(found, size, "memblock_alloc_range_nid") == 0) {
        return found;
      }
    }
    if ((flags & MEMBLOCK_MIRROR) == 0) {
      return 0;
    }
    flags &= ~MEMBLOCK_MIRROR;
    printk(fmt::format("Could not allocate {} bytes of mirrored memory", format_pa(size)));
  }
}

// Models: mm/memblock.c memblock_phys_alloc_range (v6.1)
phys_addr_t Memblock::memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
                                                phys_addr_t start, phys_addr_t end,
                                                std::string_view caller) {
  if (memblock_debug()) {
    dbg(fmt::format("memblock_phys_alloc_range: {} bytes align=0x{:x} from={} max_addr={} {}", size,
                    align, format_pa(start), format_pa(end), caller.empty() ? "0x0" : caller));
  }
  return memblock_alloc_range_nid(size, align, start, end, NUMA_NO_NODE, false);
}

// Models: include/linux/memblock.h memblock_phys_alloc (v6.1)
phys_addr_t Memblock::memblock_phys_alloc(phys_addr_t size, phys_addr_t align,
                                          std::string_view caller) {
  return memblock_phys_alloc_range(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE, caller);
}

// Models: mm/memblock.c memblock_phys_alloc_try_nid (v6.1)
phys_addr_t Memblock::memblock_phys_alloc_try_nid(phys_addr_t size, phys_addr_t align, int nid) {
  return memblock_alloc_range_nid(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid, false);
}

// Models: mm/memblock.c memblock_alloc_internal (v6.1).  slab_is_available()
// is false throughout, so its WARN_ON_ONCE never fires.
phys_addr_t Memblock::memblock_alloc_internal(phys_addr_t size, phys_addr_t align,
                                              phys_addr_t min_addr, phys_addr_t max_addr, int nid,
                                              bool exact_nid) {
  if (max_addr > current_limit_) {
    max_addr = current_limit_;
  }
  phys_addr_t alloc = memblock_alloc_range_nid(size, align, min_addr, max_addr, nid, exact_nid);
  // retry allocation without lower limit
  if (alloc == 0 && min_addr != 0) {
    alloc = memblock_alloc_range_nid(size, align, 0, max_addr, nid, exact_nid);
  }
  return alloc;
}

static std::string nid_alloc_dbg(std::string_view func, phys_addr_t size, phys_addr_t align,
                                 int nid, const std::string& from, const std::string& max,
                                 std::string_view caller) {
  return fmt::format("{}: {} bytes align=0x{:x} nid={} from={} max_addr={} {}", func, size, align,
                     nid, from, max, caller.empty() ? "0x0" : caller);
}

// Models: mm/memblock.c memblock_alloc_exact_nid_raw (v6.1)
phys_addr_t Memblock::memblock_alloc_exact_nid_raw(phys_addr_t size, phys_addr_t align,
                                                   phys_addr_t min_addr, phys_addr_t max_addr,
                                                   int nid, std::string_view caller) {
  if (memblock_debug()) {
    dbg(nid_alloc_dbg("memblock_alloc_exact_nid_raw", size, align, nid, format_pa(min_addr),
                      format_pa(max_addr), caller));
  }
  return memblock_alloc_internal(size, align, min_addr, max_addr, nid, true);
}

// Models: mm/memblock.c memblock_alloc_try_nid_raw (v6.1)
phys_addr_t Memblock::memblock_alloc_try_nid_raw(phys_addr_t size, phys_addr_t align,
                                                 phys_addr_t min_addr, phys_addr_t max_addr,
                                                 int nid, std::string_view caller) {
  if (memblock_debug()) {
    dbg(nid_alloc_dbg("memblock_alloc_try_nid_raw", size, align, nid, format_pa(min_addr),
                      format_pa(max_addr), caller));
  }
  return memblock_alloc_internal(size, align, min_addr, max_addr, nid, false);
}

// Models: mm/memblock.c memblock_alloc_try_nid (v6.1); zeroing the block is
// the caller's job, since memblock owns no RAM here.
phys_addr_t Memblock::memblock_alloc_try_nid(phys_addr_t size, phys_addr_t align,
                                             phys_addr_t min_addr, phys_addr_t max_addr, int nid,
                                             std::string_view caller) {
  if (memblock_debug()) {
    dbg(nid_alloc_dbg("memblock_alloc_try_nid", size, align, nid, format_pa(min_addr),
                      format_pa(max_addr), caller));
  }
  return memblock_alloc_internal(size, align, min_addr, max_addr, nid, false);
}

// Models: include/linux/memblock.h memblock_alloc (v6.1)
phys_addr_t Memblock::memblock_alloc(phys_addr_t size, phys_addr_t align, std::string_view caller) {
  return memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT, MEMBLOCK_ALLOC_ACCESSIBLE,
                                NUMA_NO_NODE, caller);
}

// Models: include/linux/memblock.h memblock_alloc_raw (v6.1)
phys_addr_t Memblock::memblock_alloc_raw(phys_addr_t size, phys_addr_t align,
                                         std::string_view caller) {
  return memblock_alloc_try_nid_raw(size, align, MEMBLOCK_LOW_LIMIT, MEMBLOCK_ALLOC_ACCESSIBLE,
                                    NUMA_NO_NODE, caller);
}

// Models: include/linux/memblock.h memblock_alloc_from (v6.1)
phys_addr_t Memblock::memblock_alloc_from(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
                                          std::string_view caller) {
  return memblock_alloc_try_nid(size, align, min_addr, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE,
                                caller);
}

// Models: include/linux/memblock.h memblock_alloc_low (v6.1)
phys_addr_t Memblock::memblock_alloc_low(phys_addr_t size, phys_addr_t align,
                                         std::string_view caller) {
  return memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT, config_.arch_low_address_limit,
                                NUMA_NO_NODE, caller);
}

// Models: include/linux/memblock.h memblock_alloc_node (v6.1)
phys_addr_t Memblock::memblock_alloc_node(phys_addr_t size, phys_addr_t align, int nid,
                                          std::string_view caller) {
  return memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT, MEMBLOCK_ALLOC_ACCESSIBLE, nid,
                                caller);
}

// --- queries and limits ---

// Models: mm/memblock.c memblock_start_of_DRAM (v6.1)
phys_addr_t Memblock::memblock_start_of_DRAM() const {
  return memory_.regions[0].base;
}

// Models: mm/memblock.c memblock_end_of_DRAM (v6.1)
phys_addr_t Memblock::memblock_end_of_DRAM() const {
  const memblock_region& r = memory_.regions[memory_.cnt - 1];
  return r.base + r.size;
}

// Models: mm/memblock.c __find_max_addr (v6.1): the address below which
// @limit bytes of memory lie, or PHYS_ADDR_MAX if there is not that much.
phys_addr_t Memblock::find_max_addr(phys_addr_t limit) const {
  for (unsigned long i = 0; i < memory_.cnt; i++) {
    const memblock_region& r = memory_.regions[i];
    if (limit <= r.size) {
      return r.base + limit;
    }
    limit -= r.size;
  }
  return phys_mask_;
}

// Models: mm/memblock.c memblock_enforce_memory_limit (v6.1)
void Memblock::memblock_enforce_memory_limit(phys_addr_t limit) {
  if (limit == 0) {
    return;
  }
  const phys_addr_t max_addr = find_max_addr(limit);
  // @limit exceeds the total size of the memory, do nothing
  if (max_addr == phys_mask_) {
    return;
  }
  // truncate both memory and reserved regions
  memblock_remove_range(memory_, max_addr, phys_mask_);
  memblock_remove_range(reserved_, max_addr, phys_mask_);
}

// Models: mm/memblock.c memblock_cap_memory_range (v6.1)
void Memblock::memblock_cap_memory_range(phys_addr_t base, phys_addr_t size) {
  if (size == 0) {
    return;
  }
  if (memory_.total_size == 0) {
    printk("memblock_cap_memory_range: No memory registered yet");
    return;
  }
  int start_rgn = 0;
  int end_rgn = 0;
  if (memblock_isolate_range(memory_, base, size, &start_rgn, &end_rgn) != 0) {
    return;
  }
  // remove all the MAP regions
  for (long i = static_cast<long>(memory_.cnt) - 1; i >= end_rgn; i--) {
    if ((memory_.regions[static_cast<unsigned long>(i)].flags & MEMBLOCK_NOMAP) == 0) {
      memblock_remove_region(memory_, static_cast<unsigned long>(i));
    }
  }
  for (int i = start_rgn - 1; i >= 0; i--) {
    if ((memory_.regions[static_cast<unsigned long>(i)].flags & MEMBLOCK_NOMAP) == 0) {
      memblock_remove_region(memory_, static_cast<unsigned long>(i));
    }
  }
  // truncate the reserved regions
  memblock_remove_range(reserved_, 0, base);
  memblock_remove_range(reserved_, base + size, phys_mask_);
}

// Models: mm/memblock.c memblock_mem_limit_remove_map (v6.1)
void Memblock::memblock_mem_limit_remove_map(phys_addr_t limit) {
  if (limit == 0) {
    return;
  }
  const phys_addr_t max_addr = find_max_addr(limit);
  // @limit exceeds the total size of the memory, do nothing
  if (max_addr == phys_mask_) {
    return;
  }
  memblock_cap_memory_range(0, max_addr);
}

// Models: mm/memblock.c memblock_search (v6.1): binary search for the region
// holding @addr, -1 if none.
int Memblock::memblock_search(const memblock_type& type, phys_addr_t addr) const {
  unsigned left = 0;
  auto right = static_cast<unsigned>(type.cnt);
  do {
    const unsigned mid = (right + left) / 2;
    if (addr < type.regions[mid].base) {
      right = mid;
    } else if (addr >= type.regions[mid].base + type.regions[mid].size) {
      left = mid + 1;
    } else {
      return static_cast<int>(mid);
    }
  } while (left < right);
  return -1;
}

// Models: mm/memblock.c memblock_is_reserved (v6.1)
bool Memblock::memblock_is_reserved(phys_addr_t addr) const {
  return memblock_search(reserved_, addr) != -1;
}

// Models: mm/memblock.c memblock_is_memory (v6.1)
bool Memblock::memblock_is_memory(phys_addr_t addr) const {
  return memblock_search(memory_, addr) != -1;
}

// Models: mm/memblock.c memblock_is_map_memory (v6.1)
bool Memblock::memblock_is_map_memory(phys_addr_t addr) const {
  const int i = memblock_search(memory_, addr);
  if (i == -1) {
    return false;
  }
  return (memory_.regions[static_cast<unsigned long>(i)].flags & MEMBLOCK_NOMAP) == 0;
}

// Models: mm/memblock.c memblock_search_pfn_nid (v6.1)
int Memblock::memblock_search_pfn_nid(unsigned long pfn, unsigned long* start_pfn,
                                      unsigned long* end_pfn) const {
  const int page_shift = std::countr_zero(config_.page_size);
  const int mid = memblock_search(memory_, static_cast<phys_addr_t>(pfn) << page_shift);
  if (mid == -1) {
    return -1;
  }
  const memblock_region& r = memory_.regions[static_cast<unsigned long>(mid)];
  *start_pfn = static_cast<unsigned long>(r.base >> page_shift);
  *end_pfn = static_cast<unsigned long>((r.base + r.size) >> page_shift);
  return get_node(r);
}

// Models: mm/memblock.c memblock_is_region_memory (v6.1)
bool Memblock::memblock_is_region_memory(phys_addr_t base, phys_addr_t size) const {
  const int idx = memblock_search(memory_, base);
  const phys_addr_t end = base + cap_size(base, &size);
  if (idx == -1) {
    return false;
  }
  const memblock_region& r = memory_.regions[static_cast<unsigned long>(idx)];
  return r.base + r.size >= end;
}

// Models: mm/memblock.c memblock_is_region_reserved (v6.1)
bool Memblock::memblock_is_region_reserved(phys_addr_t base, phys_addr_t size) const {
  return memblock_overlaps_region(reserved_, base, size);
}

// Models: mm/memblock.c memblock_trim_memory (v6.1).  Note that Linux does
// not update memory.total_size here.
void Memblock::memblock_trim_memory(phys_addr_t align) {
  for (long i = 0; static_cast<unsigned long>(i) < memory_.cnt; i++) {
    memblock_region& r = memory_.regions[static_cast<unsigned long>(i)];
    const phys_addr_t orig_start = r.base;
    const phys_addr_t orig_end = r.base + r.size;
    const phys_addr_t start = round_up(orig_start, align);
    const phys_addr_t end = round_down(orig_end, align);

    if (start == orig_start && end == orig_end) {
      continue;
    }
    if (start < end) {
      r.base = start;
      r.size = end - start;
    } else {
      memblock_remove_region(memory_, static_cast<unsigned long>(i));
      i--;
    }
  }
}

// --- output ---

// Models: mm/memblock.c memblock_debug_show (v6.1)
std::string Memblock::memblock_debug_show(const memblock_type& type) const {
  std::string out;
  for (unsigned long i = 0; i < type.cnt; i++) {
    const memblock_region& reg = type.regions[i];
    const phys_addr_t end = (reg.base + reg.size - 1) & phys_mask_;
    out += fmt::format("{:4}: {}..{}\n", i, format_pa(reg.base), format_pa(end));
  }
  return out;
}

// Models: mm/memblock.c __memblock_dump_all and memblock_dump (v6.1)
std::vector<std::string> Memblock::memblock_dump_all_lines() const {
  std::vector<std::string> lines;
  lines.emplace_back("MEMBLOCK configuration:");
  lines.push_back(fmt::format(" memory size = {} reserved size = {}", format_pa(memory_.total_size),
                              format_pa(reserved_.total_size)));
  for (const memblock_type* type : {&memory_, &reserved_}) {
    lines.push_back(fmt::format(" {}.cnt  = 0x{:x}", type->name, type->cnt));
    for (unsigned long idx = 0; idx < type->cnt; idx++) {
      const memblock_region& rgn = type->regions[idx];
      const phys_addr_t end = (rgn.base + rgn.size - 1) & phys_mask_;
      std::string nid_buf;
      if (config_.numa && get_node(rgn) != config_.max_numnodes) {
        nid_buf = fmt::format(" on node {}", get_node(rgn));
      }
      // The kernel's "%#x" prints 0 as "0x0" (lib/vsprintf.c number()).
      lines.push_back(fmt::format(" {}[{:#x}]\t[{}-{}], {} bytes{} flags: {:#x}", type->name, idx,
                                  format_pa(rgn.base), format_pa(end), format_pa(rgn.size), nid_buf,
                                  rgn.flags));
    }
  }
  return lines;
}

}  // namespace ptsim::kernel
