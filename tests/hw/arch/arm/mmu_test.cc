// The ARMv7 TLB: entries at their size, ASID tagging and global entries,
// the four TLB maintenance operations (Arm ARM B3.10, B4.2.2), and traces.
#include "ptsim/hw/arch/arm/mmu.h"

#include <gtest/gtest.h>

#include <sstream>

#include "armv7_fixture.h"
#include "ptsim/error.h"
#include "ptsim/hw/arch/arm/trace.h"

namespace ptsim::hw::arm {
namespace {

namespace sd = short_descriptor;
namespace ld = long_descriptor;

using testing::Machine;
using testing::short_attrs;

constexpr Access kRead{false, AccessType::read};

TEST(ArmTlb, SectionsAndSupersectionsHitAcrossTheirSize) {
  Machine m;
  m.section(0x10000000, 0x60000000, short_attrs(0b011));
  m.supersection(0x20000000, 0x61000000, short_attrs(0b011));
  m.small_page(0x30001000, 0x62001000, short_attrs(0b011));
  Mmu mmu(m.mem, m.regime());
  EXPECT_FALSE(mmu.access(0x10000000, kRead).tlb_hit);
  const MmuResult s = mmu.access(0x100fffff, kRead);
  EXPECT_TRUE(s.tlb_hit);
  EXPECT_EQ(s.pa.value(), 0x600fffffu);
  EXPECT_FALSE(mmu.access(0x20000000, kRead).tlb_hit);
  const MmuResult ss = mmu.access(0x20ffff00, kRead);
  EXPECT_TRUE(ss.tlb_hit);
  EXPECT_EQ(ss.pa.value(), 0x61ffff00u);
  EXPECT_FALSE(mmu.access(0x30001000, kRead).tlb_hit);
  EXPECT_TRUE(mmu.access(0x30001fff, kRead).tlb_hit);
  EXPECT_FALSE(mmu.access(0x30002000, kRead).ok());  // next page: not mapped
  EXPECT_EQ(mmu.stats().hits, 3u);
  EXPECT_EQ(mmu.stats().fault_count(FaultKind::translation), 1u);
}

TEST(ArmTlb, NonGlobalEntriesBelongToTheirAsid) {
  Machine m;
  sd::RegionAttributes a = short_attrs(0b011);
  a.ng = true;
  m.section(0x10000000, 0x60000000, a);
  m.section(0x20000000, 0x60000000, short_attrs(0b011));  // global
  m.regs.contextidr = 5;
  Mmu mmu(m.mem, m.regime());
  mmu.access(0x10000000, kRead);
  mmu.access(0x20000000, kRead);
  EXPECT_TRUE(mmu.access(0x10000000, kRead).tlb_hit);
  mmu.set_asid(6);
  EXPECT_FALSE(mmu.access(0x10000000, kRead).tlb_hit);  // walks again for ASID 6
  EXPECT_TRUE(mmu.access(0x20000000, kRead).tlb_hit);
  // TLBIASID 5 removes ASID 5's entry, not the global one nor ASID 6's.
  mmu.tlbi(TlbiOp::tlbiasid, 0, 5);
  EXPECT_TRUE(mmu.access(0x10000000, kRead).tlb_hit);
  EXPECT_TRUE(mmu.access(0x20000000, kRead).tlb_hit);
  mmu.set_asid(5);
  EXPECT_FALSE(mmu.access(0x10000000, kRead).tlb_hit);
}

TEST(ArmTlb, ByMvaOperations) {
  Machine m;
  sd::RegionAttributes a = short_attrs(0b011);
  a.ng = true;
  m.section(0x10000000, 0x60000000, a);
  m.section(0x20000000, 0x60000000, short_attrs(0b011));
  Mmu mmu(m.mem, m.regime());
  mmu.access(0x10000000, kRead);
  mmu.access(0x20000000, kRead);
  // TLBIMVA with another ASID keeps the non-global entry, drops the global.
  mmu.tlbi(TlbiOp::tlbimva, 0x10080000, 9);
  EXPECT_TRUE(mmu.access(0x10000000, kRead).tlb_hit);
  mmu.tlbi(TlbiOp::tlbimva, 0x20080000, 9);
  EXPECT_FALSE(mmu.access(0x20000000, kRead).tlb_hit);
  // TLBIMVAA drops whatever the ASID.
  mmu.tlbi(TlbiOp::tlbimvaa, 0x10000000);
  EXPECT_FALSE(mmu.access(0x10000000, kRead).tlb_hit);
  mmu.tlbi(TlbiOp::tlbiall);
  EXPECT_EQ(mmu.tlb_valid_entries(), 0u);
}

TEST(ArmTlb, AHitThatDoesNotPermitWalksAndFaults) {
  Machine m;
  m.section(0x10000000, 0x60000000, short_attrs(0b101));  // PL1 read-only
  Mmu mmu(m.mem, m.regime());
  EXPECT_TRUE(mmu.access(0x10000000, kRead).ok());
  const MmuResult w = mmu.access(0x10000000, {false, AccessType::write});
  EXPECT_EQ(w.fault, FaultKind::permission);
  EXPECT_FALSE(w.tlb_hit);
}

TEST(ArmTlb, LpaeAsidComesFromTheTtbr) {
  Machine m;
  m.use_lpae();
  m.regs.ttbr0 = m.l1 | (uint64_t{3} << 48);
  ld::LeafAttributes a = testing::long_attrs(0b00);
  a.ng = true;
  m.long_leaf(0x00200000, 0x80000000, 2, a);
  Mmu mmu(m.mem, m.regime());
  EXPECT_EQ(mmu.regime().asid(), 3);
  mmu.access(0x00200000, kRead);
  EXPECT_TRUE(mmu.access(0x003fffff, kRead).tlb_hit);  // a 2 MiB entry
  mmu.tlbi(TlbiOp::tlbiasid, 0, 3);
  EXPECT_FALSE(mmu.access(0x00200000, kRead).tlb_hit);
}

TEST(ArmTlb, OperationNames) {
  EXPECT_EQ(parse_tlbi_op("TLBIMVAIS"), TlbiOp::tlbimva);
  EXPECT_EQ(parse_tlbi_op("tlbiall"), TlbiOp::tlbiall);
  EXPECT_FALSE(parse_tlbi_op("tlbivmalle1").has_value());
  EXPECT_EQ(tlbi_op_name(TlbiOp::tlbimvaa), "TLBIMVAA");
}

}  // namespace
}  // namespace ptsim::hw::arm

namespace ptsim::hw::arm {
namespace {

TEST(ArmTrace, ParsesAccessesAsidAndTlbiLines) {
  const auto a = parse_trace_line("0xc0001234 el0w", 1);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->kind, TraceEvent::Kind::access);
  EXPECT_EQ(a->va, 0xc0001234u);
  EXPECT_EQ(a->access, (Access{true, AccessType::write}));
  EXPECT_FALSE(parse_trace_line("  # comment", 2).has_value());
  const auto t = parse_trace_line("tlbi tlbimva 0x400000 7", 3);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->tlbi, TlbiOp::tlbimva);
  EXPECT_EQ(t->va, 0x400000u);
  EXPECT_EQ(t->asid, 7);
  EXPECT_EQ(parse_trace_line("tlbi tlbiasidis 9", 4)->asid, 9);
  EXPECT_THROW(parse_trace_line("0x100000000 el1r", 5), Error);
  EXPECT_THROW(parse_trace_line("tlbi vmalle1", 6), Error);
  EXPECT_THROW(parse_trace_line("tlbi tlbimvaa", 7), Error);
  EXPECT_THROW(parse_trace_line("tlbi tlbiall 5", 8), Error);
}

TEST(ArmTrace, ReplayDrivesTheMmu) {
  testing::Machine m;
  m.section(0x10000000, 0x60000000, testing::short_attrs(0b011));
  Mmu mmu(m.mem, m.regime());
  std::istringstream in(
      "0x10000000 el1r\n0x10000004 el1r\ntlbi tlbimvaa 0x10000000\n0x10000008 el1r\n");
  EXPECT_EQ(replay_trace(mmu, in), 4u);
  EXPECT_EQ(mmu.stats().hits, 1u);
  EXPECT_EQ(mmu.stats().walks, 2u);
  EXPECT_EQ(mmu.stats().tlbis, 1u);
}

}  // namespace
}  // namespace ptsim::hw::arm
