#include "ptsim/hw/phys_mem.h"

#include <sstream>
#include <vector>

#include <gtest/gtest.h>

#include "ptsim/error.h"

namespace ptsim::hw {
namespace {

PhysMem one_gib_at_1g() {
  PhysMem mem;
  mem.add_ram(PhysAddr(0x40000000), 0x40000000);
  return mem;
}

TEST(PhysMem, UnwrittenRamReadsZeroAndBacksNothing) {
  PhysMem mem = one_gib_at_1g();
  EXPECT_EQ(mem.load64(PhysAddr(0x40000000)), 0u);
  EXPECT_EQ(mem.load32(PhysAddr(0x7ffffffc)), 0u);
  EXPECT_EQ(mem.frames_backed(), 0u);
}

TEST(PhysMem, StoresAreLittleEndianAndReadBack) {
  PhysMem mem = one_gib_at_1g();
  mem.store64(PhysAddr(0x40001008), 0x1122334455667788);
  EXPECT_EQ(mem.load64(PhysAddr(0x40001008)), 0x1122334455667788u);
  EXPECT_EQ(mem.load32(PhysAddr(0x40001008)), 0x55667788u);
  EXPECT_EQ(mem.load32(PhysAddr(0x4000100c)), 0x11223344u);
  std::vector<std::byte> b(2);
  mem.read(PhysAddr(0x40001008), b);
  EXPECT_EQ(b[0], std::byte{0x88});
  EXPECT_EQ(b[1], std::byte{0x77});
  EXPECT_EQ(mem.frames_backed(), 1u);
}

TEST(PhysMem, AccessSpanningTwoFramesWorks) {
  PhysMem mem = one_gib_at_1g();
  mem.store64(PhysAddr(0x40000ffc), 0xaabbccdd00112233);
  EXPECT_EQ(mem.load64(PhysAddr(0x40000ffc)), 0xaabbccdd00112233u);
  EXPECT_EQ(mem.frames_backed(), 2u);
}

TEST(PhysMem, AccessOutsideEveryBankIsAnError) {
  PhysMem mem = one_gib_at_1g();
  EXPECT_THROW(mem.load64(PhysAddr(0x3ffffff8)), Error);
  EXPECT_THROW(mem.store64(PhysAddr(0x80000000), 1), Error);
  // Straddling the end of the bank is refused too.
  EXPECT_THROW(mem.load64(PhysAddr(0x7ffffffc)), Error);
  EXPECT_FALSE(mem.try_load64(PhysAddr(0x0)).has_value());
  EXPECT_TRUE(mem.try_load64(PhysAddr(0x40000000)).has_value());
  try {
    mem.load64(PhysAddr(0x1000));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_NE(std::string(e.what()).find("0x1000 is outside every declared RAM or device bank"),
              std::string::npos)
        << e.what();
  }
}

TEST(PhysMem, AdjacentBanksAcceptAnAccessAcrossTheirBoundary) {
  PhysMem mem;
  mem.add_ram(PhysAddr(0x0), 0x1000, "a");
  mem.add_bank(Bank{PhysAddr(0x1000), 0x1000, BankKind::device, "b"});
  mem.store64(PhysAddr(0xffc), 42);
  EXPECT_EQ(mem.load64(PhysAddr(0xffc)), 42u);
}

TEST(PhysMem, BadBanksAreRefusedWithTheRule) {
  PhysMem mem = one_gib_at_1g();
  EXPECT_THROW(mem.add_ram(PhysAddr(0x7ffff000), 0x2000), Error);  // overlap
  EXPECT_THROW(mem.add_ram(PhysAddr(0x0), 0), Error);                // empty
  EXPECT_THROW(mem.add_ram(PhysAddr(0xffffffffff000), 0x2000), Error);  // past 2^52
  try {
    mem.add_ram(PhysAddr(0x40000000), 0x1000, "dup");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("overlaps bank 'ram'"), std::string::npos) << e.what();
  }
}

TEST(PhysMem, HighestPhysicalAddressesWork) {
  PhysMem mem;
  mem.add_ram(PhysAddr(0xfffffff000000), 0x1000000);
  mem.store64(PhysAddr(0xffffffffffff8), 7);
  EXPECT_EQ(mem.load64(PhysAddr(0xffffffffffff8)), 7u);
}

TEST(PhysMem, ZeroLeavesUnbackedFramesUnbacked) {
  PhysMem mem = one_gib_at_1g();
  mem.store64(PhysAddr(0x40000000), 5);
  mem.zero(PhysAddr(0x40000000), 0x10000);
  EXPECT_EQ(mem.load64(PhysAddr(0x40000000)), 0u);
  EXPECT_EQ(mem.frames_backed(), 1u);
}

TEST(PhysMem, ImageLoadSkipsZeroFramesAndSaveRoundTrips) {
  PhysMem mem = one_gib_at_1g();
  std::vector<std::byte> image(3 * PhysMem::kFrameSize);
  image[PhysMem::kFrameSize + 3] = std::byte{0xab};
  mem.load_image(PhysAddr(0x40100000), image);
  EXPECT_EQ(mem.frames_backed(), 1u);
  std::ostringstream out;
  mem.save_range(PhysAddr(0x40100000), image.size(), out);
  const std::string saved = out.str();
  ASSERT_EQ(saved.size(), image.size());
  EXPECT_EQ(static_cast<unsigned char>(saved[PhysMem::kFrameSize + 3]), 0xab);
  EXPECT_THROW(mem.load_image(PhysAddr(0x7fffff00), image), Error);
}

TEST(PhysMem, MissingImageFileIsAnError) {
  PhysMem mem = one_gib_at_1g();
  EXPECT_THROW(mem.load_image_file("/nonexistent/ptsim.img", PhysAddr(0x40000000)), Error);
}

}  // namespace
}  // namespace ptsim::hw
