// PAR_EL1 values, each worked out by hand from the field layout of the Arm
// ARM's PAR_EL1 description (D19.2.106) and the fault status codes.
#include "ptsim/hw/arch/arm64/par.h"

#include <gtest/gtest.h>

#include "mmu_fixture.h"

namespace ptsim::hw::arm64 {
namespace {

using testing::Machine;

TEST(Par, SuccessLayout) {
  // ATTR 0xff in [63:56], PA[47:12] in place, bit 11 RES1, NS bit 9, SH=3 in [8:7].
  EXPECT_EQ(par_success(PhysAddr(0x123456789000), 0xff, 3, true), 0xff00123456789b80u);
  EXPECT_EQ(par_success(PhysAddr(0x40000000), 0x04, 2, false), 0x0400000040000900u);
  // A 52-bit PA keeps PA[51:48] in PAR[51:48].
  EXPECT_EQ(par_success(PhysAddr(0xf000040000000), 0x44, 2, true), 0x440f000040000b00u);
}

TEST(Par, FaultStatusCodes) {
  // F=1, FST in [6:1], bit 11 RES1.
  EXPECT_EQ(par_fault(FaultKind::translation, 0), 0x809u);
  EXPECT_EQ(par_fault(FaultKind::translation, 3), 0x80fu);
  EXPECT_EQ(par_fault(FaultKind::translation, -1), 0x857u);  // 0b101011
  EXPECT_EQ(par_fault(FaultKind::address_size, 0), 0x801u);
  EXPECT_EQ(par_fault(FaultKind::address_size, -1), 0x853u);    // 0b101001
  EXPECT_EQ(par_fault(FaultKind::access_flag, 1), 0x813u);      // 0b001001
  EXPECT_EQ(par_fault(FaultKind::permission, 3), 0x81fu);       // 0b001111
  EXPECT_EQ(par_fault(FaultKind::external_abort, 1), 0x82bu);   // 0b010101
  EXPECT_EQ(par_fault(FaultKind::external_abort, -1), 0x827u);  // 0b010011
}

TEST(Par, AtInstructionsOverTables) {
  Machine m;
  const uint64_t va = 0xffff000000400000;
  LeafAttributes a = testing::normal(0b00);
  m.map(va, 0x80000000, a);
  LeafAttributes dev = testing::normal(0b00);
  dev.attr_indx = 1;  // Device-nGnRE: reported Outer Shareable whatever SH says
  dev.sh = 0;
  m.map(va + 0x1000, 0x9000000, dev);
  const Regime r = m.regime();
  EXPECT_EQ(at(m.mem, r, AtOp::s1e1r, va + 0x123), 0xff00000080000b80u);
  EXPECT_EQ(at(m.mem, r, AtOp::s1e1w, va), 0xff00000080000b80u);
  EXPECT_EQ(at(m.mem, r, AtOp::s1e0r, va), 0x81fu);  // permission, level 3
  EXPECT_EQ(at(m.mem, r, AtOp::s1e1r, va + 0x1000), 0x0400000009000b00u);
  EXPECT_EQ(at(m.mem, r, AtOp::s1e1r, va + 0x2000), 0x80fu);         // invalid L3 entry
  EXPECT_EQ(at(m.mem, r, AtOp::s1e1r, 0xffff800000000000), 0x809u);  // invalid L0 entry
}

TEST(Par, OnlyThePFormsHonourPan) {
  Machine m;
  const uint64_t va = 0xffff000000400000;
  m.map(va, 0x80000000, testing::normal(0b01));  // EL0 RW
  m.regs.pstate_pan = true;
  const Regime r = m.regime();
  EXPECT_EQ(par::kF.get(at(m.mem, r, AtOp::s1e1r, va)), 0u);
  EXPECT_EQ(at(m.mem, r, AtOp::s1e1rp, va), 0x81fu);
  EXPECT_EQ(at(m.mem, r, AtOp::s1e1wp, va), 0x81fu);
}

TEST(Par, FiftyTwoBitOutputWith64KGranule) {
  Machine m(Granule::k64K, 48);
  m.regs.tcr_el1 = tcr::kIPS.set(m.regs.tcr_el1, encode_ips(52));
  const Regime r = m.regime();
  ASSERT_EQ(r.range(true).format.oa, OaFormat::lpa);
  const DescriptorFormat f = r.range(true).format;
  const uint64_t va = 0xffff000000400000;
  m.mem.store64(PhysAddr(m.entry_addr(va, 3)),
                make_page(f, PhysAddr(0xf000040010000), testing::normal()));
  EXPECT_EQ(at(m.mem, r, AtOp::s1e1r, va), 0xff0f000040010b80u);
}

TEST(Par, DescribeReadsBothForms) {
  EXPECT_EQ(describe_par(0xff00000080000b80u), "PA 0x80000000 ATTR 0xff SH 3 NS");
  EXPECT_EQ(describe_par(0x81fu), "fault FST 0b001111 (permission, level 3)");
}

}  // namespace
}  // namespace ptsim::hw::arm64
