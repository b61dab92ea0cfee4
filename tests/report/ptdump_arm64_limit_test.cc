// ptdump of cyclic tables ends with an error (found by tests/fuzz/walk_fuzz:
// a 4 KiB table page whose entries all point at itself made the dump walk
// 512^4 entries).
#include <gtest/gtest.h>

#include "ptsim/error.h"
#include "ptsim/report/ptdump_arm64.h"

namespace ptsim::report {
namespace {

TEST(PtdumpArm64Limit, SelfReferencingTableIsRefused) {
  constexpr uint64_t kBase = 0x40000000;
  hw::PhysMem mem;
  mem.add_ram(hw::PhysAddr(kBase), 0x1000);
  for (uint64_t i = 0; i < 512; ++i) {
    mem.store64(hw::PhysAddr(kBase + i * 8), kBase | 0x3);
  }
  PtdumpArm64Input in;
  in.va_bits = 48;
  in.upper = false;
  in.pgd = hw::PhysAddr(kBase);
  try {
    (void)ptdump_arm64(mem, in);
    FAIL() << "a cyclic table was dumped to the end";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_NE(std::string(e.what()).find("cyclic tables"), std::string::npos) << e.what();
  }
}

// As KASAN's early shadow: one pte table below several pmd entries.  Linux's
// ptdump skips kasan_early_shadow_pte by name; a memory image has no names,
// so the shared table is dumped at each reference, and is not a cycle.
TEST(PtdumpArm64Limit, ATableSharedBySeveralParentsIsDumpedAtEachReference) {
  constexpr uint64_t kBase = 0x40000000;
  hw::PhysMem mem;
  mem.add_ram(hw::PhysAddr(kBase), 0x4000);
  mem.store64(hw::PhysAddr(kBase), (kBase + 0x1000) | 0x3);
  mem.store64(hw::PhysAddr(kBase + 0x1000), (kBase + 0x2000) | 0x3);
  for (uint64_t i = 0; i < 4; ++i) {
    mem.store64(hw::PhysAddr(kBase + 0x2000 + i * 8), (kBase + 0x3000) | 0x3);
  }
  for (uint64_t i = 0; i < 512; ++i) {
    mem.store64(hw::PhysAddr(kBase + 0x3000 + i * 8), kBase | 0x703);  // AF, inner shareable, page
  }
  PtdumpArm64Input in;
  in.va_bits = 48;
  in.upper = false;
  in.pgd = hw::PhysAddr(kBase);
  const std::string dump = ptdump_arm64(mem, in);
  // The four 2 MiB ranges the shared table maps merge into one run of ptes.
  EXPECT_NE(dump.find("0x0000000000000000-0x0000000000800000           8M PTE"), std::string::npos)
      << dump;
}

TEST(PtdumpArm64Limit, TablesOutsideMemoryReadAsHoles) {
  constexpr uint64_t kBase = 0x40000000;
  hw::PhysMem mem;
  mem.add_ram(hw::PhysAddr(kBase), 0x1000);
  for (uint64_t i = 0; i < 512; ++i) {
    mem.store64(hw::PhysAddr(kBase + i * 8), (0x80000000 + i * 0x1000) | 0x3);
  }
  PtdumpArm64Input in;
  in.va_bits = 48;
  in.upper = false;
  in.pgd = hw::PhysAddr(kBase);
  EXPECT_NO_THROW((void)ptdump_arm64(mem, in));
}

}  // namespace
}  // namespace ptsim::report
