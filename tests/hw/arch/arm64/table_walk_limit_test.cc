// Whole-table walks of shared or cyclic tables end with an error instead of
// repeating the subtree at every reference (found by tests/fuzz/walk_fuzz:
// one 4 KiB page whose 512 entries all point at the page itself made
// for_each_leaf visit 512^4 entries).
#include <gtest/gtest.h>

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
