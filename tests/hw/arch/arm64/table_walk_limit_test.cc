// Whole-table walks of cyclic tables end with an error instead of repeating
// the subtree at every reference (found by tests/fuzz/walk_fuzz: one 4 KiB
// page whose 512 entries all point at the page itself made for_each_leaf
// visit 512^4 entries), while a table shared by several parents, as KASAN's
// early shadow tables are (docs/shared-tables.md), is walked at each one.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ptsim/error.h"
#include "ptsim/hw/arch/arm64/table_walk.h"

namespace ptsim::hw::arm64 {
namespace {

constexpr uint64_t kBase = 0x40000000;
constexpr uint64_t kTable = 0x3;  // valid table descriptor, no attributes

WalkRequest request_4k_48() {
  WalkRequest r;
  r.table_base = PhysAddr(kBase);
  r.ia_bits = 48;
  return r;
}

uint64_t count_leaves(const PhysMem& mem) {
  uint64_t leaves = 0;
  for_each_leaf(mem, request_4k_48(), {.leaf = [&](const Leaf&) { ++leaves; }});
  return leaves;
}

TEST(TableVisitLimit, EveryEntryPointingAtItsOwnTableIsRefused) {
  PhysMem mem;
  mem.add_ram(PhysAddr(kBase), 0x1000);
  for (uint64_t i = 0; i < 512; ++i) {
    mem.store64(PhysAddr(kBase + i * 8), kBase | kTable);
  }
  try {
    count_leaves(mem);
    FAIL() << "a cyclic table was walked to the end";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_NE(std::string(e.what()).find("cyclic tables"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("PA 0x40000000"), std::string::npos) << e.what();
  }
}

TEST(TableVisitLimit, AnEntryPointingAtAnAncestorIsRefusedNamingBothTables) {
  // Level 0 -> level 1 -> level 2, whose entry 5 points back at level 0.
  PhysMem mem;
  mem.add_ram(PhysAddr(kBase), 0x3000);
  mem.store64(PhysAddr(kBase), (kBase + 0x1000) | kTable);
  mem.store64(PhysAddr(kBase + 0x1000), (kBase + 0x2000) | kTable);
  mem.store64(PhysAddr(kBase + 0x2000 + 5 * 8), kBase | kTable);
  try {
    count_leaves(mem);
    FAIL() << "a cycle through an ancestor was walked to the end";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_NE(what.find("cyclic tables"), std::string::npos) << what;
    EXPECT_NE(what.find("level 2 entry of the table at PA 0x40002000 points at PA 0x40000000, the "
                        "level 0 table"),
              std::string::npos)
        << what;
  }
}

// KASAN's shape in small: one pte table (two pages mapped) below four pmd
// entries, and one pmd table below two pud entries.  A shared table page is
// reachable from many parents without a cycle; it is walked at each.
TEST(TableVisitLimit, ATableSharedBySeveralParentsIsWalkedAtEachReference) {
  PhysMem mem;
  mem.add_ram(PhysAddr(kBase), 0x4000);
  mem.store64(PhysAddr(kBase), (kBase + 0x1000) | kTable);           // L0[0] -> L1
  mem.store64(PhysAddr(kBase + 0x1000), (kBase + 0x2000) | kTable);  // L1[0] -> L2
  mem.store64(PhysAddr(kBase + 0x1008), (kBase + 0x2000) | kTable);  // L1[1] -> the same L2
  for (uint64_t i = 0; i < 4; ++i) {
    mem.store64(PhysAddr(kBase + 0x2000 + i * 8), (kBase + 0x3000) | kTable);  // L2[0..3] -> one L3
  }
  mem.store64(PhysAddr(kBase + 0x3000), kBase | 0x403);
  mem.store64(PhysAddr(kBase + 0x3008), kBase | 0x403);
  std::vector<uint64_t> vas;
  for_each_leaf(mem, request_4k_48(), {.leaf = [&](const Leaf& l) { vas.push_back(l.va); }});
  const std::vector<uint64_t> want = {
      0x0,        0x1000,     0x200000,   0x201000,   0x400000,   0x401000,
      0x600000,   0x601000,   0x40000000, 0x40001000, 0x40200000, 0x40201000,
      0x40400000, 0x40401000, 0x40600000, 0x40601000,
  };
  EXPECT_EQ(vas, want);
}

// No cycle, but every entry of each table points at the next table: 512^3
// pte tables' worth of repeated work.  The work bound stops it.
TEST(TableVisitLimit, AChainOfTablesSharedByEveryEntryIsRefusedByWork) {
  PhysMem mem;
  mem.add_ram(PhysAddr(kBase), 0x4000);
  for (uint64_t level = 0; level < 3; ++level) {
    for (uint64_t i = 0; i < 512; ++i) {
      mem.store64(PhysAddr(kBase + level * 0x1000 + i * 8),
                  (kBase + (level + 1) * 0x1000) | kTable);
    }
  }
  mem.store64(PhysAddr(kBase + 0x3000), kBase | 0x403);
  try {
    count_leaves(mem);
    FAIL() << "a chain of shared tables was walked to the end";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_NE(what.find("is reached again"), std::string::npos) << what;
    EXPECT_EQ(what.find("cyclic"), std::string::npos) << what;
  }
}

TEST(TableVisitLimit, ATreeFillingTheMemoryIsWalked) {
  // Four table pages, one per level, the last mapping two pages.
  PhysMem mem;
  mem.add_ram(PhysAddr(kBase), 0x4000);
  for (uint64_t level = 0; level < 3; ++level) {
    mem.store64(PhysAddr(kBase + level * 0x1000), (kBase + (level + 1) * 0x1000) | kTable);
  }
  mem.store64(PhysAddr(kBase + 0x3000), kBase | 0x403);
  mem.store64(PhysAddr(kBase + 0x3008), kBase | 0x403);
  EXPECT_EQ(count_leaves(mem), 2u);
}

TEST(TableVisitLimit, TablesOutsideMemoryAreNotCounted) {
  // Every top-level entry points outside RAM: reported, not followed.
  PhysMem mem;
  mem.add_ram(PhysAddr(kBase), 0x1000);
  for (uint64_t i = 0; i < 512; ++i) {
    mem.store64(PhysAddr(kBase + i * 8), (0x80000000 + i * 0x1000) | kTable);
  }
  unsigned unreadable = 0;
  for_each_leaf(mem, request_4k_48(),
                {.leaf = [](const Leaf&) {}, .unreadable = [&](int, PhysAddr) { ++unreadable; }});
  EXPECT_EQ(unreadable, 512u);
}

}  // namespace
}  // namespace ptsim::hw::arm64
