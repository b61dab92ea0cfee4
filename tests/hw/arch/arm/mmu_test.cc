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
  EXPECT_EQ(mmu.stats().hits(), 3u);
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

TEST(ArmTlb, AHitThatDoesNotPermitFaultsWithoutAWalk) {
  Machine m;
  m.section(0x10000000, 0x60000000, short_attrs(0b101));  // PL1 read-only
  Mmu mmu(m.mem, m.regime());
  EXPECT_TRUE(mmu.access(0x10000000, kRead).ok());
  const MmuResult w = mmu.access(0x10000000, {false, AccessType::write});
  EXPECT_EQ(w.fault, FaultKind::permission);
  EXPECT_EQ(w.level, 1u);
  EXPECT_TRUE(w.tlb_hit);
  EXPECT_EQ(mmu.stats().walks, 1u);
}

// A TLB entry keeps its domain; each hit looks it up in the DACR of that
// moment, so a DACR write needs no TLBI (as Linux's set_domain() assumes).
TEST(ArmTlb, HitsFollowDacrWritesWithoutMaintenance) {
  Machine m;
  m.section(0x10000000, 0x60000000, short_attrs(0b101), 3);  // PL1 read-only, domain 3 client
  m.small_page(0x20001000, 0x61001000, short_attrs(0b001), 3);
  Mmu mmu(m.mem, m.regime());
  Regime current = m.regime();
  const Access write{false, AccessType::write};
  ASSERT_TRUE(mmu.access(0x10000000, kRead).ok());
  ASSERT_TRUE(mmu.access(0x20001000, kRead).ok());
  // D3 no access, then manager, then client again; each hit answers as a
  // walk under the same DACR does.
  for (const uint32_t d3 : {0b00u, 0b11u, 0b01u}) {
    const uint32_t dacr = (testing::kDacr & ~(0b11u << 6)) | d3 << 6;
    mmu.set_dacr(dacr);
    current.set_dacr(dacr);
    for (const uint32_t va : {0x10000010u, 0x20001010u}) {
      for (const Access a : {kRead, write, Access{true, AccessType::read}}) {
        const MmuResult got = mmu.access(va, a);
        const Translation want = translate(m.mem, current, va, a);
        EXPECT_TRUE(got.tlb_hit) << std::hex << va << " DACR " << dacr;
        EXPECT_EQ(fault_kind_name(got.fault), fault_kind_name(want.fault))
            << std::hex << va << " DACR " << dacr << " " << access_name(a);
        EXPECT_EQ(got.level, want.level);
      }
    }
  }
  EXPECT_EQ(mmu.stats().walks, 2u);
  EXPECT_EQ(mmu.stats().dacr_writes, 3u);
  EXPECT_EQ(mmu.stats().fault_count(FaultKind::domain), 6u);
  EXPECT_THROW(mmu.set_dacr(0b10u << 6), Error);  // D3 reserved
}

TEST(ArmTlb, MicroTlbInFrontOfTheMainTlb) {
  Machine m;
  for (uint32_t i = 0; i < 8; ++i) {
    m.small_page(0x30000000 + i * 0x1000, 0x62000000 + i * 0x1000, short_attrs(0b011));
  }
  arm64::TlbConfig c;
  c.micro_entries = 4;
  Mmu mmu(m.mem, m.regime(), c);
  for (uint32_t i = 0; i < 8; ++i) {
    mmu.access(0x30000000 + i * 0x1000, kRead);  // the micro-TLB keeps the last four
  }
  EXPECT_TRUE(mmu.access(0x30007000, kRead).tlb_hit);
  EXPECT_TRUE(mmu.access(0x30000000, kRead).tlb_hit);
  EXPECT_EQ(mmu.stats().micro_hits, 1u);
  EXPECT_EQ(mmu.stats().main_hits, 1u);
  // A TLBI leaves neither TLB holding the page.
  mmu.tlbi(TlbiOp::tlbimvaa, 0x30007000);
  EXPECT_FALSE(mmu.access(0x30007000, kRead).tlb_hit);
}

TEST(ArmTlb, WalkCacheKeepsShortPageTableEntries) {
  Machine m;
  m.small_page(0x00101000, 0x70001000, short_attrs(0b011), 1, true);  // domain 1 manager, PXN
  m.small_page(0x00102000, 0x70002000, short_attrs(0b011), 1, true);
  arm64::TlbConfig c;
  c.walk_cache_entries = 16;
  Mmu mmu(m.mem, m.regime(), c);
  const Access fetch{false, AccessType::execute};
  EXPECT_TRUE(mmu.access(0x00101000, kRead).ok());
  EXPECT_EQ(mmu.stats().descriptor_reads, 2u);
  // The second page's walk starts at level 2 with the cached table's
  // domain and PXN: a manager domain may fetch in spite of PXN.
  const MmuResult second = mmu.access(0x00102000, fetch);
  EXPECT_EQ(second.fault, m.translate(0x00102000, fetch).fault);
  EXPECT_EQ(mmu.stats().descriptor_reads, 3u);
  EXPECT_EQ(mmu.stats().walk_cache_hits, 1u);
  // TLBIMVA drops the walk cache entry of that MVA too.
  mmu.tlbi(TlbiOp::tlbimva, 0x00103000);
  mmu.access(0x00103000, kRead);
  EXPECT_EQ(mmu.stats().descriptor_reads, 5u);
}

TEST(ArmTlb, WalkCacheKeepsLpaeTablesWithTheirAttributes) {
  Machine m;
  m.use_lpae();
  ld::Table no_pl0;
  no_pl0.ap_table = ld::ApTable::no_pl0_access;  // APTable[0]: no PL0 access below
  m.long_leaf(0x00201000, 0x80201000, 3, testing::long_attrs(0b01), no_pl0);
  m.long_leaf(0x00202000, 0x80202000, 3, testing::long_attrs(0b01), no_pl0);
  m.long_leaf(0x00401000, 0x80401000, 3, testing::long_attrs(0b01), no_pl0);
  arm64::TlbConfig c;
  c.walk_cache_entries = 16;
  Mmu mmu(m.mem, m.regime(), c);
  const Access el0{true, AccessType::read};
  EXPECT_TRUE(mmu.access(0x00201000, kRead).ok());
  EXPECT_EQ(mmu.stats().descriptor_reads, 3u);
  // Same 2 MiB: the level 2 table entry is cached, one read; its APTable
  // still forbids PL0.
  EXPECT_EQ(mmu.access(0x00202000, el0).fault, FaultKind::permission);
  EXPECT_EQ(mmu.stats().descriptor_reads, 4u);
  // Same 1 GiB, another 2 MiB: the level 1 entry is cached, two reads.
  EXPECT_TRUE(mmu.access(0x00401000, kRead).ok());
  EXPECT_EQ(mmu.stats().descriptor_reads, 6u);
  EXPECT_EQ(mmu.stats().walk_cache_hits, 2u);
  mmu.tlbi(TlbiOp::tlbiall);
  mmu.access(0x00202000, kRead);
  EXPECT_EQ(mmu.stats().descriptor_reads, 9u);
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

TEST(ArmTrace, DacrLines) {
  const auto d = parse_trace_line("dacr 0x55555555 # all client", 1);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, TraceEvent::Kind::dacr);
  EXPECT_EQ(d->dacr, 0x55555555u);
  EXPECT_THROW(parse_trace_line("dacr", 2), Error);
  EXPECT_THROW(parse_trace_line("dacr 0x100000000", 3), Error);
  EXPECT_THROW(parse_trace_line("dacr 5 6", 4), Error);
  testing::Machine m;
  Mmu mmu(m.mem, m.regime());
  std::istringstream in("dacr 0x5\ndacr 0x8\n");  // D1 = 0b10, reserved
  try {
    replay_trace(mmu, in);
    ADD_FAILURE() << "a reserved DACR field was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("trace line 2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("DACR.D1"), std::string::npos) << e.what();
  }
}

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
  EXPECT_EQ(mmu.stats().hits(), 1u);
  EXPECT_EQ(mmu.stats().walks, 2u);
  EXPECT_EQ(mmu.stats().tlbis, 1u);
}

}  // namespace
}  // namespace ptsim::hw::arm
