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
