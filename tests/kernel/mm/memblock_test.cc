// The memblock API as the boot flows use it: the memblock=debug lines and
// debugfs text in Linux's wording, the build configurations (arm64 and arm),
// queries and iterators.
#include "ptsim/kernel/mm/memblock.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ptsim/error.h"

namespace ptsim::kernel {
namespace {

struct Captured {
  std::vector<std::string> dbg;
  std::vector<std::string> printk;
  std::vector<std::string> warn;
};

MemblockHooks capture(Captured& c) {
  MemblockHooks hooks;
  hooks.dbg = [&c](const std::string& l) { c.dbg.push_back(l); };
  hooks.printk = [&c](const std::string& l) { c.printk.push_back(l); };
  hooks.warn = [&c](const std::string& l) { c.warn.push_back(l); };
  return hooks;
}

MemblockConfig arm64_config() {
  MemblockConfig config;
  config.smp_cache_bytes = 64;  // L1_CACHE_BYTES on arm64
  config.max_numnodes = 64;
  return config;
}

TEST(MemblockDebug, ReserveAndAddLinesReadLikeDmesg) {
  Captured c;
  Memblock mb(arm64_config(), capture(c));
  mb.memblock_add(0x40000000, 0x40000000, "early_init_dt_add_memory_arch+0x54/0x60");
  mb.memblock_reserve(0x40000000, 0x10000, "arm64_memblock_init+0x1c0/0x2a4");
  mb.memblock_add_node(0x80000000, 0x1000, 1, MEMBLOCK_NOMAP, "caller");
  mb.memblock_remove(0x80000000, 0x1000, "caller");
  mb.memblock_phys_free(0x40000000, 0x1000);
  ASSERT_EQ(c.dbg.size(), 5u);
  EXPECT_EQ(c.dbg[0],
            "memblock_add: [0x0000000040000000-0x000000007fffffff] "
            "early_init_dt_add_memory_arch+0x54/0x60");
  EXPECT_EQ(c.dbg[1],
            "memblock_reserve: [0x0000000040000000-0x000000004000ffff] "
            "arm64_memblock_init+0x1c0/0x2a4");
  EXPECT_EQ(c.dbg[2],
            "memblock_add_node: [0x0000000080000000-0x0000000080000fff] nid=1 flags=4 caller");
  EXPECT_EQ(c.dbg[3], "memblock_remove: [0x0000000080000000-0x0000000080000fff] caller");
  EXPECT_EQ(c.dbg[4], "memblock_phys_free: [0x0000000040000000-0x0000000040000fff] 0x0");
}

TEST(MemblockDebug, AllocationLinesNameTheApiAndTheInternalReserve) {
  Captured c;
  Memblock mb(arm64_config(), capture(c));
  mb.memblock_add(0x40000000, 0x40000000);
  c.dbg.clear();
  EXPECT_EQ(mb.memblock_phys_alloc(0x1000, 0x1000, "early_pgtable_alloc+0x24/0xa4"), 0x7ffff000u);
  EXPECT_EQ(
      mb.memblock_alloc_try_nid(0x40, 0, 0, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE, "setup_arch"),
      0x7fffefc0u);
  ASSERT_EQ(c.dbg.size(), 4u);
  EXPECT_EQ(c.dbg[0],
            "memblock_phys_alloc_range: 4096 bytes align=0x1000 from=0x0000000000000000 "
            "max_addr=0x0000000000000000 early_pgtable_alloc+0x24/0xa4");
  EXPECT_EQ(c.dbg[1],
            "memblock_reserve: [0x000000007ffff000-0x000000007fffffff] memblock_alloc_range_nid");
  EXPECT_EQ(c.dbg[2],
            "memblock_alloc_try_nid: 64 bytes align=0x0 nid=-1 from=0x0000000000000000 "
            "max_addr=0x0000000000000000 setup_arch");
}

TEST(MemblockDebug, DoublingReportsTheNewArray) {
  Captured c;
  Memblock mb(MemblockConfig{}, capture(c));
  mb.memblock_add(0x40000000, 0x40000000);
  mb.memblock_allow_resize();
  for (phys_addr_t k = 0; k <= 128; k++) {
    ASSERT_EQ(mb.memblock_reserve(0x40000000 + k * 0x10000, 0x1000), 0);
  }
  std::vector<std::string> doubled;
  for (const std::string& l : c.dbg) {
    if (l.rfind("memblock: ", 0) == 0) {
      doubled.push_back(l);
    }
  }
  ASSERT_EQ(doubled.size(), 1u);
  // 256 entries of 24 bytes end at addr + 6144 - 1.
  EXPECT_EQ(doubled[0],
            "memblock: reserved is doubled to 256 at [0x000000007fffe000-0x000000007ffff7ff]");
  EXPECT_EQ(mb.reserved().max, 256u);
  EXPECT_EQ(mb.reserved().regions_phys, 0x7fffe000u);
}

TEST(MemblockDebug, DebugfsShowsOneLinePerRegion) {
  Memblock mb(arm64_config());
  mb.memblock_add(0x40000000, 0x80000000);
  mb.memblock_reserve(0x40000000, 0x1000);
  mb.memblock_reserve(0xbfff0000, 0x10000);
  EXPECT_EQ(mb.memblock_debug_show(mb.memory()), "   0: 0x0000000040000000..0x00000000bfffffff\n");
  EXPECT_EQ(mb.memblock_debug_show(mb.reserved()),
            "   0: 0x0000000040000000..0x0000000040000fff\n"
            "   1: 0x00000000bfff0000..0x00000000bfffffff\n");
}

TEST(MemblockDebug, DebugfsOfAnEmptyArrayShowsTheDummyEntry) {
  Memblock mb(arm64_config());
  // base 0, size 0: end prints as base + size - 1, wrapped.
  EXPECT_EQ(mb.memblock_debug_show(mb.reserved()),
            "   0: 0x0000000000000000..0xffffffffffffffff\n");
}

TEST(MemblockDebug, DumpAllMatchesMemblockDump) {
  Memblock mb(arm64_config());
  mb.memblock_add_node(0x40000000, 0x1000, 0, MEMBLOCK_NONE);
  mb.memblock_add(0x50000000, 0x2000);
  mb.memblock_mark_nomap(0x50000000, 0x2000);
  const std::vector<std::string> lines = mb.memblock_dump_all_lines();
  const std::vector<std::string> want = {
      "MEMBLOCK configuration:",
      " memory size = 0x0000000000003000 reserved size = 0x0000000000000000",
      " memory.cnt  = 0x2",
      " memory[0x0]\t[0x0000000040000000-0x0000000040000fff], 0x0000000000001000 bytes on node 0 "
      "flags: 0x0",
      " memory[0x1]\t[0x0000000050000000-0x0000000050001fff], 0x0000000000002000 bytes flags: 0x4",
      " reserved.cnt  = 0x1",
      " reserved[0x0]\t[0x0000000000000000-0xffffffffffffffff], 0x0000000000000000 bytes on node 0 "
      "flags: 0x0",
  };
  EXPECT_EQ(lines, want);
}

TEST(MemblockConfig, ArmWithoutLpaeHas32BitPhysAddr) {
  MemblockConfig config;
  config.phys_addr_bits = 32;
  config.numa = false;
  config.smp_cache_bytes = 64;
  Captured c;
  Memblock mb(config, capture(c));
  EXPECT_EQ(mb.current_limit(), 0xffffffffu);
  EXPECT_EQ(mb.alloc_anywhere(), 0xffffffffu);
  // memblock_cap_size() caps at PHYS_ADDR_MAX = 0xffffffff.
  mb.memblock_add(0xfff00000, 0x200000, "arm_memblock_init");
  EXPECT_EQ(mb.memory().regions[0].size, 0xfffffu);
  EXPECT_EQ(c.dbg.back(), "memblock_add: [0xfff00000-0x000fffff] arm_memblock_init");
  // Without CONFIG_NUMA every region is on node 0 and set_node does nothing.
  EXPECT_EQ(mb.memory().regions[0].nid, 0);
  EXPECT_EQ(mb.memblock_set_node(0xfff00000, 0x1000, mb.memory(), 3), 0);
  EXPECT_EQ(mb.memory().cnt, 1u);
  EXPECT_EQ(mb.memblock_debug_show(mb.memory()), "   0: 0xfff00000..0xfffffffe\n");
}

TEST(MemblockConfig, ArrayDoublingUsesTheRegionSizeOfTheBuild) {
  // 32-bit phys_addr_t without NUMA: 12-byte regions, 128 of them double to
  // 3072 bytes, one page.
  MemblockConfig config;
  config.phys_addr_bits = 32;
  config.numa = false;
  Memblock mb(config);
  mb.memblock_add(0x60000000, 0x10000000);
  mb.memblock_allow_resize();
  for (phys_addr_t k = 0; k <= 128; k++) {
    ASSERT_EQ(mb.memblock_reserve(0x60000000 + k * 0x10000, 0x1000), 0);
  }
  const memblock_type& r = mb.reserved();
  EXPECT_EQ(r.max, 256u);
  EXPECT_EQ(r.regions[r.cnt - 1].base, 0x6ffff000u);
  EXPECT_EQ(r.regions[r.cnt - 1].size, 0x1000u);
}

TEST(MemblockConfig, RejectsImpossibleBuilds) {
  MemblockConfig config;
  config.phys_addr_bits = 48;
  EXPECT_THROW(Memblock{config}, Error);
  config.phys_addr_bits = 64;
  config.page_size = 3000;
  EXPECT_THROW(Memblock{config}, Error);
}

TEST(MemblockQueries, DramBoundsAndMembership) {
  Memblock mb(arm64_config());
  mb.memblock_add(0x40000000, 0x10000000);
  mb.memblock_add(0x80000000, 0x10000000);
  mb.memblock_mark_nomap(0x80000000, 0x1000);
  mb.memblock_reserve(0x41000000, 0x1000);
  EXPECT_EQ(mb.memblock_start_of_DRAM(), 0x40000000u);
  EXPECT_EQ(mb.memblock_end_of_DRAM(), 0x90000000u);
  EXPECT_EQ(mb.memblock_phys_mem_size(), 0x20000000u);
  EXPECT_EQ(mb.memblock_reserved_size(), 0x1000u);
  EXPECT_TRUE(mb.memblock_is_memory(0x4fffffff));
  EXPECT_FALSE(mb.memblock_is_memory(0x50000000));
  EXPECT_TRUE(mb.memblock_is_memory(0x80000000));
  EXPECT_FALSE(mb.memblock_is_map_memory(0x80000000));
  EXPECT_TRUE(mb.memblock_is_map_memory(0x80001000));
  EXPECT_TRUE(mb.memblock_is_region_memory(0x40000000, 0x10000000));
  EXPECT_FALSE(mb.memblock_is_region_memory(0x4ffff000, 0x2000));
  EXPECT_TRUE(mb.memblock_is_region_reserved(0x40fff000, 0x1001));
  EXPECT_FALSE(mb.memblock_is_region_reserved(0x40fff000, 0x1000));
  EXPECT_TRUE(mb.memblock_is_reserved(0x41000fff));
  unsigned long start_pfn = 0;
  unsigned long end_pfn = 0;
  EXPECT_EQ(mb.memblock_search_pfn_nid(0x40010, &start_pfn, &end_pfn), 64);
  EXPECT_EQ(start_pfn, 0x40000u);
  EXPECT_EQ(end_pfn, 0x50000u);
  EXPECT_EQ(mb.memblock_search_pfn_nid(0x60000, &start_pfn, &end_pfn), -1);
}

TEST(MemblockIterators, MemRangesSkipNomapAndPfnRangesRoundInwards) {
  Memblock mb(arm64_config());
  mb.memblock_add(0x40000800, 0x3000);  // pfns 0x40001..0x40003
  mb.memblock_add(0x50000000, 0x2000);
  mb.memblock_mark_nomap(0x50000000, 0x1000);
  std::vector<std::pair<phys_addr_t, phys_addr_t>> mem;
  mb.for_each_mem_range([&](phys_addr_t s, phys_addr_t e, int) {
    mem.emplace_back(s, e);
    return true;
  });
  const std::vector<std::pair<phys_addr_t, phys_addr_t>> want_mem = {{0x40000800, 0x40003800},
                                                                     {0x50001000, 0x50002000}};
  EXPECT_EQ(mem, want_mem);
  std::vector<std::pair<phys_addr_t, phys_addr_t>> rev;
  mb.for_each_mem_range_rev([&](phys_addr_t s, phys_addr_t e, int) {
    rev.emplace_back(s, e);
    return true;
  });
  EXPECT_EQ(rev.size(), 2u);
  EXPECT_EQ(rev.front(), want_mem.back());

  std::vector<std::pair<unsigned long, unsigned long>> pfns;
  int i = -1;
  unsigned long s = 0;
  unsigned long e = 0;
  for (mb.next_mem_pfn_range(&i, 64, &s, &e, nullptr); i >= 0;
       mb.next_mem_pfn_range(&i, 64, &s, &e, nullptr)) {
    pfns.emplace_back(s, e);
  }
  const std::vector<std::pair<unsigned long, unsigned long>> want_pfns = {
      {0x40001, 0x40003}, {0x50000, 0x50001}, {0x50001, 0x50002}};
  EXPECT_EQ(pfns, want_pfns);
}

TEST(MemblockIterators, ReservedRangesAndEarlyStop) {
  Memblock mb(arm64_config());
  mb.memblock_reserve(0x1000, 0x1000);
  mb.memblock_reserve(0x4000, 0x1000);
  int seen = 0;
  mb.for_each_reserved_mem_range([&](phys_addr_t s, phys_addr_t, int) {
    EXPECT_EQ(s, 0x1000u);
    seen++;
    return false;
  });
  EXPECT_EQ(seen, 1);
}

TEST(MemblockIterators, FreeRangesOfOneNode) {
  Memblock mb(arm64_config());
  mb.memblock_add_node(0x40000000, 0x1000, 0, MEMBLOCK_NONE);
  mb.memblock_add_node(0x40001000, 0x1000, 1, MEMBLOCK_NONE);
  mb.memblock_reserve(0x40001800, 0x100);
  std::vector<std::pair<phys_addr_t, phys_addr_t>> free;
  mb.for_each_free_mem_range(1, MEMBLOCK_NONE, [&](phys_addr_t s, phys_addr_t e, int nid) {
    EXPECT_EQ(nid, 1);
    free.emplace_back(s, e);
    return true;
  });
  const std::vector<std::pair<phys_addr_t, phys_addr_t>> want = {{0x40001000, 0x40001800},
                                                                 {0x40001900, 0x40002000}};
  EXPECT_EQ(free, want);
}

TEST(MemblockAlloc, HelpersPassLinuxsLimits) {
  MemblockConfig config = arm64_config();
  config.arch_low_address_limit = 0x4fffffff;
  Memblock mb(config);
  mb.memblock_add(0x40000000, 0x40000000);
  EXPECT_EQ(mb.memblock_alloc_low(0x1000, 0x1000), 0x4fffe000u);
  EXPECT_EQ(mb.memblock_alloc(0x1000, 0x1000), 0x7ffff000u);
  EXPECT_EQ(mb.memblock_alloc_raw(0x1000, 0x1000), 0x7fffe000u);
  EXPECT_EQ(mb.memblock_alloc_node(0x1000, 0x1000, 0), 0x7fffd000u);
  EXPECT_EQ(mb.memblock_alloc_from(0x1000, 0x1000, 0x60000000), 0x7fffc000u);
  EXPECT_EQ(mb.memblock_phys_alloc_try_nid(0x1000, 0x1000, NUMA_NO_NODE), 0x7fffb000u);
  mb.memblock_set_bottom_up(true);
  EXPECT_EQ(mb.memblock_alloc_from(0x1000, 0x1000, 0x60000000), 0x60000000u);
  EXPECT_EQ(mb.memblock_get_current_limit(), mb.alloc_anywhere());
}

}  // namespace
}  // namespace ptsim::kernel
