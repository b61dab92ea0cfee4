// Randomised differential test of memblock against a deliberately simple
// model: one record per 16-byte unit of a 64 KiB physical space, saying
// whether it is memory (with its nid and flags) and whether it is reserved.
// After every operation the region arrays must be exactly the maximal runs
// of that model, allocations must return the highest (top-down) or lowest
// (bottom-up) fitting address, and the free-range iterators must walk the
// model's free runs.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "ptsim/kernel/mm/memblock.h"

namespace ptsim::kernel {
namespace {

constexpr phys_addr_t kUnit = 16;
constexpr phys_addr_t kSpace = 0x10000;
constexpr size_t kUnits = kSpace / kUnit;
constexpr phys_addr_t kCell = 0x400;  // grid of memory-shaping operations
constexpr phys_addr_t kPage = 4096;
constexpr int kMaxNumnodes = 16;

struct Unit {
  bool mem = false;
  int nid = 0;
  unsigned flags = 0;
  bool res = false;
};

struct Span {
  phys_addr_t base;
  phys_addr_t size;
  unsigned flags;
  int nid;
  bool operator==(const Span&) const = default;
};

class Model {
 public:
  std::vector<Unit> u = std::vector<Unit>(kUnits);

  template <class F>
  void each(phys_addr_t base, phys_addr_t size, F f) {
    for (phys_addr_t a = base; a < base + size && a < kSpace; a += kUnit) {
      f(u[a / kUnit]);
    }
  }

  std::vector<Span> memory_runs() const {
    std::vector<Span> runs;
    for (size_t i = 0; i < kUnits; i++) {
      if (!u[i].mem) {
        continue;
      }
      const phys_addr_t addr = i * kUnit;
      if (!runs.empty() && runs.back().base + runs.back().size == addr &&
          runs.back().flags == u[i].flags && runs.back().nid == u[i].nid) {
        runs.back().size += kUnit;
        continue;
      }
      runs.push_back({addr, kUnit, u[i].flags, u[i].nid});
    }
    return runs;
  }

  std::vector<Span> reserved_runs() const {
    std::vector<Span> runs;
    for (size_t i = 0; i < kUnits; i++) {
      if (!u[i].res) {
        continue;
      }
      const phys_addr_t addr = i * kUnit;
      if (!runs.empty() && runs.back().base + runs.back().size == addr) {
        runs.back().size += kUnit;
        continue;
      }
      runs.push_back({addr, kUnit, 0, kMaxNumnodes});
    }
    return runs;
  }

  // Usable for an allocation on `nid`: memory, free, not NOMAP.
  bool eligible(size_t i, int nid) const {
    return u[i].mem && !u[i].res && (u[i].flags & MEMBLOCK_NOMAP) == 0 &&
           (nid == NUMA_NO_NODE || u[i].nid == nid);
  }

  // Free runs as for_each_free_mem_range(NUMA_NO_NODE, MEMBLOCK_NONE) gives
  // them: split wherever the memory region changes.
  std::vector<Span> free_runs() const {
    std::vector<Span> runs;
    for (size_t i = 0; i < kUnits; i++) {
      if (!eligible(i, NUMA_NO_NODE)) {
        continue;
      }
      const phys_addr_t addr = i * kUnit;
      if (!runs.empty() && runs.back().base + runs.back().size == addr && i > 0 &&
          u[i - 1].flags == u[i].flags && u[i - 1].nid == u[i].nid) {
        runs.back().size += kUnit;
        continue;
      }
      runs.push_back({addr, kUnit, 0, u[i].nid});
    }
    return runs;
  }

  // [a, a + size) lies in free memory of one region.
  bool fits(phys_addr_t a, phys_addr_t size, int nid) const {
    const size_t first = a / kUnit;
    for (phys_addr_t x = a; x < a + size; x += kUnit) {
      const size_t i = x / kUnit;
      if (!eligible(i, nid) || u[i].flags != u[first].flags || u[i].nid != u[first].nid) {
        return false;
      }
    }
    return true;
  }

  // memblock_find_in_range_node, by brute force.
  std::optional<phys_addr_t> find(phys_addr_t size, phys_addr_t align, phys_addr_t start,
                                  phys_addr_t end, int nid, bool bottom_up) const {
    if (end == MEMBLOCK_ALLOC_ACCESSIBLE || end == MEMBLOCK_ALLOC_NOLEAKTRACE) {
      end = kSpace;  // current_limit is MEMBLOCK_ALLOC_ANYWHERE
    }
    start = std::max(start, kPage);
    end = std::min(std::max(start, end), kSpace);
    std::optional<phys_addr_t> found;
    for (phys_addr_t a = (start + align - 1) / align * align; a + size <= end; a += align) {
      if (fits(a, size, nid)) {
        found = a;
        if (bottom_up) {
          break;
        }
      }
    }
    return found;
  }

  // memblock_alloc_range_nid without mirror: the node, then any node.
  phys_addr_t alloc_range_nid(phys_addr_t size, phys_addr_t align, phys_addr_t start,
                              phys_addr_t end, int nid, bool bottom_up) {
    std::optional<phys_addr_t> found = find(size, align, start, end, nid, bottom_up);
    if (!found && nid != NUMA_NO_NODE) {
      found = find(size, align, start, end, NUMA_NO_NODE, bottom_up);
    }
    if (!found) {
      return 0;
    }
    each(*found, size, [](Unit& x) { x.res = true; });
    return *found;
  }
};

std::vector<Span> regions_of(const memblock_type& type) {
  std::vector<Span> runs;
  if (type.cnt == 1 && type.regions[0].size == 0) {
    return runs;
  }
  for (unsigned long i = 0; i < type.cnt; i++) {
    const memblock_region& r = type.regions[i];
    runs.push_back({r.base, r.size, r.flags, r.nid});
  }
  return runs;
}

std::string describe(const std::vector<Span>& runs) {
  std::string s;
  for (const Span& r : runs) {
    s += fmt::format("[{:#x}+{:#x} f{:x} n{}] ", r.base, r.size, r.flags, r.nid);
  }
  return s;
}

class Differential : public ::testing::TestWithParam<unsigned> {};

TEST_P(Differential, RegionArraysAllocationsAndIteratorsMatchTheUnitModel) {
  std::mt19937 rng(GetParam());
  const auto pick = [&](unsigned lo, unsigned hi) {
    return std::uniform_int_distribution<unsigned>(lo, hi)(rng);
  };
  Memblock mb;
  Model model;
  bool bottom_up = false;
  std::string log;

  for (int step = 0; step < 400; step++) {
    const unsigned cell = pick(0, 63);
    const phys_addr_t base = cell * kCell;
    const phys_addr_t size = pick(1, std::min(12u, 64 - cell)) * kCell;
    const int nid = static_cast<int>(pick(0, 2));
    const unsigned op = pick(0, 11);
    int rc = 0;
    switch (op) {
      case 0:
      case 1: {
        const unsigned flags =
            std::array<unsigned, 4>{0, 0, MEMBLOCK_HOTPLUG, MEMBLOCK_NOMAP}[pick(0, 3)];
        log += fmt::format("add_node {:#x} {:#x} {} {}\n", base, size, nid, flags);
        rc = mb.memblock_add_node(base, size, nid, flags);
        model.each(base, size, [&](Unit& x) {
          if (!x.mem) {
            x = {true, nid, flags, x.res};
          }
        });
        break;
      }
      case 2:
        log += fmt::format("remove {:#x} {:#x}\n", base, size);
        rc = mb.memblock_remove(base, size);
        model.each(base, size, [](Unit& x) { x.mem = false; });
        break;
      case 3:
      case 4: {
        // reserve up to 64 units, or free up to 128
        const bool reserve = op == 3;
        const unsigned units = reserve ? 64 : 128;
        const phys_addr_t rbase = pick(0, kUnits - units) * kUnit;
        const phys_addr_t rsize = pick(1, units) * kUnit;
        log += fmt::format("{} {:#x} {:#x}\n", reserve ? "reserve" : "free", rbase, rsize);
        rc = reserve ? mb.memblock_reserve(rbase, rsize) : mb.memblock_phys_free(rbase, rsize);
        model.each(rbase, rsize, [reserve](Unit& x) { x.res = reserve; });
        break;
      }
      case 5: {
        const bool set = pick(0, 1) == 1;
        const unsigned flag = pick(0, 1) == 1 ? MEMBLOCK_NOMAP : MEMBLOCK_HOTPLUG;
        log += fmt::format("{} {} {:#x} {:#x}\n", set ? "mark" : "clear", flag, base, size);
        if (flag == MEMBLOCK_NOMAP) {
          rc = set ? mb.memblock_mark_nomap(base, size) : mb.memblock_clear_nomap(base, size);
        } else {
          rc = set ? mb.memblock_mark_hotplug(base, size) : mb.memblock_clear_hotplug(base, size);
        }
        model.each(base, size, [&](Unit& x) {
          if (x.mem) {
            x.flags = set ? (x.flags | flag) : (x.flags & ~flag);
          }
        });
        break;
      }
      case 6:
        log += fmt::format("set_node {:#x} {:#x} {}\n", base, size, nid);
        rc = mb.memblock_set_node(base, size, mb.memory(), nid);
        model.each(base, size, [&](Unit& x) {
          if (x.mem) {
            x.nid = nid;
          }
        });
        break;
      case 7:
        bottom_up = !bottom_up;
        mb.memblock_set_bottom_up(bottom_up);
        log += fmt::format("bottom_up {}\n", bottom_up);
        break;
      default: {
        const phys_addr_t asize = pick(1, 128) * kUnit;
        const phys_addr_t align = phys_addr_t{16} << pick(0, 8);
        const phys_addr_t start = pick(0, 1) == 1 ? pick(0, 63) * kCell : 0;
        const phys_addr_t end =
            pick(0, 1) == 1 ? start + pick(1, 64) * kCell : MEMBLOCK_ALLOC_ACCESSIBLE;
        const int anid = pick(0, 1) == 1 ? nid : NUMA_NO_NODE;
        log += fmt::format("alloc {:#x} {:#x} {:#x} {:#x} {}\n", asize, align, start, end, anid);
        const phys_addr_t want = model.alloc_range_nid(asize, align, start, end, anid, bottom_up);
        const phys_addr_t got = mb.memblock_alloc_range_nid(asize, align, start, end, anid, false);
        ASSERT_EQ(got, want) << log;
        break;
      }
    }
    if (rc == -12) {
      // Only a full array may refuse: isolating needs cnt + 2 <= max.
      ASSERT_GE(std::max(mb.memory().cnt, mb.reserved().cnt) + 2, 128u) << log;
      return;
    }
    ASSERT_EQ(rc, 0) << log;

    const std::vector<Span> mem = regions_of(mb.memory());
    ASSERT_EQ(mem, model.memory_runs())
        << log << "memblock " << describe(mem) << "\nmodel    " << describe(model.memory_runs());
    const std::vector<Span> res = regions_of(mb.reserved());
    ASSERT_EQ(res, model.reserved_runs())
        << log << "memblock " << describe(res) << "\nmodel    " << describe(model.reserved_runs());
    phys_addr_t mem_total = 0;
    for (const Span& r : mem) {
      mem_total += r.size;
    }
    ASSERT_EQ(mb.memblock_phys_mem_size(), mem_total) << log;

    std::vector<Span> forward;
    mb.for_each_free_mem_range(NUMA_NO_NODE, MEMBLOCK_NONE,
                               [&](phys_addr_t s, phys_addr_t e, int n) {
                                 forward.push_back({s, e - s, 0, n});
                                 return true;
                               });
    ASSERT_EQ(forward, model.free_runs()) << log;
    std::vector<Span> backward;
    mb.for_each_free_mem_range_reverse(NUMA_NO_NODE, MEMBLOCK_NONE,
                                       [&](phys_addr_t s, phys_addr_t e, int n) {
                                         backward.insert(backward.begin(), {s, e - s, 0, n});
                                         return true;
                                       });
    ASSERT_EQ(backward, forward) << log;

    const phys_addr_t probe = pick(0, kUnits - 1) * kUnit;
    ASSERT_EQ(mb.memblock_is_memory(probe), model.u[probe / kUnit].mem) << log << probe;
    ASSERT_EQ(mb.memblock_is_reserved(probe), model.u[probe / kUnit].res) << log << probe;
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, Differential, ::testing::Range(1u, 41u));

}  // namespace
}  // namespace ptsim::kernel
