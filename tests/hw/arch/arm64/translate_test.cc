// Translation beyond the walk: hardware Access flag and dirty-state updates
// written back to memory (D8.4.5, D8.4.6), range selection with TBI and
// EPD, and the MMU off.
#include "ptsim/hw/arch/arm64/translate.h"

#include <gtest/gtest.h>

#include "mmu_fixture.h"

namespace ptsim::hw::arm64 {
namespace {

using testing::Machine;

constexpr uint64_t kVa = 0xffff000000400000;
constexpr Access kEl1R{false, AccessType::read};
constexpr Access kEl1W{false, AccessType::write};
constexpr Access kEl0R{true, AccessType::read};

void enable_ha_hd(Machine& m, bool ha, bool hd) {
  m.regs.tcr_el1 = tcr::kHA.set(m.regs.tcr_el1, ha);
  m.regs.tcr_el1 = tcr::kHD.set(m.regs.tcr_el1, hd);
}

TEST(HardwareUpdates, AccessFlagFaultsWithoutHa) {
  Machine m;
  LeafAttributes a = testing::normal();
  a.af = false;
  m.map(kVa, 0x80000000, a);
  const uint64_t before = m.desc(kVa);
  const Translation t = translate(m.mem, m.regime(), kVa, kEl1R);
  EXPECT_EQ(t.fault, FaultKind::access_flag);
  EXPECT_EQ(t.level, 3);
  EXPECT_EQ(m.desc(kVa), before);
}

TEST(HardwareUpdates, HaSetsTheAccessFlagInMemory) {
  Machine m;
  enable_ha_hd(m, true, false);
  LeafAttributes a = testing::normal();
  a.af = false;
  m.map(kVa, 0x80000000, a);
  const Translation t = translate(m.mem, m.regime(), kVa, kEl1R);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t.af_updated);
  EXPECT_EQ(desc::kAF.get(m.desc(kVa)), 1u);
  EXPECT_EQ(t.descriptor, m.desc(kVa));
  // The next access finds it set and changes nothing.
  EXPECT_FALSE(translate(m.mem, m.regime(), kVa, kEl1R).af_updated);
}

TEST(HardwareUpdates, HaSetsTheAccessFlagOfABlock) {
  Machine m;
  enable_ha_hd(m, true, false);
  LeafAttributes a = testing::normal();
  a.af = false;
  m.map(kVa & ~0x1fffffull, 0x80000000, a, 2);
  ASSERT_TRUE(translate(m.mem, m.regime(), kVa + 0x1234, kEl1R).ok());
  EXPECT_EQ(desc::kAF.get(m.desc(kVa, 2)), 1u);
}

TEST(HardwareUpdates, NoAccessFlagUpdateOnAFaultingAccess) {
  Machine m;
  enable_ha_hd(m, true, true);
  LeafAttributes a = testing::normal(0b00);  // no EL0 access
  a.af = false;
  m.map(kVa, 0x80000000, a);
  const uint64_t before = m.desc(kVa);
  EXPECT_EQ(translate(m.mem, m.regime(), kVa, kEl0R).fault, FaultKind::permission);
  EXPECT_EQ(m.desc(kVa), before);
}

TEST(HardwareUpdates, AtStyleTranslationWritesNothing) {
  Machine m;
  enable_ha_hd(m, true, true);
  LeafAttributes a = testing::normal(0b10);
  a.af = false;
  a.dbm = true;
  m.map(kVa, 0x80000000, a);
  const uint64_t before = m.desc(kVa);
  EXPECT_TRUE(translate_no_update(m.mem, m.regime(), kVa, kEl1W).ok());
  EXPECT_EQ(m.desc(kVa), before);
}

TEST(HardwareUpdates, DbmWriteClearsAp2WithHd) {
  Machine m;
  enable_ha_hd(m, true, true);
  LeafAttributes a = testing::normal(0b10);  // read-only: writable-clean with DBM
  a.dbm = true;
  m.map(kVa, 0x80000000, a);
  // A read leaves it clean.
  EXPECT_FALSE(translate(m.mem, m.regime(), kVa, kEl1R).dirty_updated);
  EXPECT_EQ(desc::kAP.get(m.desc(kVa)), 0b10u);
  const Translation t = translate(m.mem, m.regime(), kVa, kEl1W);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t.dirty_updated);
  EXPECT_EQ(desc::kAP.get(m.desc(kVa)), 0b00u);
  EXPECT_TRUE(t.perms.el1_write);
}

TEST(HardwareUpdates, DbmWithAfClearSetsBoth) {
  Machine m;
  enable_ha_hd(m, true, true);
  LeafAttributes a = testing::normal(0b11);
  a.dbm = true;
  a.af = false;
  m.map(kVa, 0x80000000, a);
  ASSERT_TRUE(translate(m.mem, m.regime(), kVa, {true, AccessType::write}).ok());
  EXPECT_EQ(desc::kAP.get(m.desc(kVa)), 0b01u);
  EXPECT_EQ(desc::kAF.get(m.desc(kVa)), 1u);
}

TEST(HardwareUpdates, WritesFaultWhenDirtyManagementIsOff) {
  struct Case {
    bool ha, hd, dbm;
    unsigned ap_table;
  };
  // HD without HA is not effective; DBM=0 is a plain read-only page;
  // APTable[1] forbids writes whatever DBM says.
  for (const Case c : {Case{false, true, true, 0}, Case{true, true, false, 0},
                       Case{true, false, true, 0}, Case{true, true, true, 0b10}}) {
    Machine m;
    enable_ha_hd(m, c.ha, c.hd);
    LeafAttributes a = testing::normal(0b10);
    a.dbm = c.dbm;
    TableAttributes t;
    t.ap_table = c.ap_table;
    m.map(kVa, 0x80000000, a, 3, t);
    const uint64_t before = m.desc(kVa);
    EXPECT_EQ(translate(m.mem, m.regime(), kVa, kEl1W).fault, FaultKind::permission)
        << c.ha << c.hd << c.dbm << c.ap_table;
    EXPECT_EQ(m.desc(kVa), before);
  }
}

TEST(Ranges, Bit55SelectsTheRangeAndTbiIgnoresTheTopByte) {
  Machine m;
  m.map(kVa, 0x80000000, testing::normal());
  m.map(0x400000, 0x90000000, testing::normal());
  const Regime plain = m.regime();
  EXPECT_EQ(translate(m.mem, plain, kVa, kEl1R).pa.value(), 0x80000000u);
  EXPECT_EQ(translate(m.mem, plain, 0x400000, kEl1R).pa.value(), 0x90000000u);
  // A tagged pointer faults at level 0 without TBI ...
  const Translation untagged = translate(m.mem, plain, 0x5a00000000400000, kEl1R);
  EXPECT_EQ(untagged.fault, FaultKind::translation);
  EXPECT_EQ(untagged.level, 0);
  // ... and translates with TBI0; TBID0 keeps instruction fetches strict.
  m.regs.tcr_el1 = tcr::kTBI0.set(m.regs.tcr_el1, 1);
  m.regs.tcr_el1 = tcr::kTBID0.set(m.regs.tcr_el1, 1);
  const Regime tbi = m.regime();
  EXPECT_EQ(translate(m.mem, tbi, 0x5a00000000400000, kEl1R).pa.value(), 0x90000000u);
  EXPECT_EQ(translate(m.mem, tbi, 0x5a00000000400000, {false, AccessType::execute}).fault,
            FaultKind::translation);
  // The upper range keeps checking its top byte (TBI1=0).
  EXPECT_EQ(translate(m.mem, tbi, kVa & ~(uint64_t{0xff} << 56), kEl1R).fault,
            FaultKind::translation);
}

TEST(Ranges, EpdDisablesWalksOfItsRange) {
  Machine m;
  m.map(0x400000, 0x90000000, testing::normal());
  m.regs.tcr_el1 = tcr::kEPD0.set(m.regs.tcr_el1, 1);
  const Translation t = translate(m.mem, m.regime(), 0x400000, kEl1R);
  EXPECT_EQ(t.fault, FaultKind::translation);
  EXPECT_EQ(t.level, 0);
  EXPECT_EQ(t.walk.step_count, 0u);
}

TEST(Ranges, MmuOffIsAFlatDeviceMap) {
  Machine m;
  m.regs.sctlr_el1 = 0;
  const Translation t = translate(m.mem, m.regime(), 0x40001234, kEl1W);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t.pa.value(), 0x40001234u);
  EXPECT_EQ(t.mair_attr, 0x00);
  EXPECT_EQ(translate(m.mem, m.regime(), uint64_t{1} << 52, kEl1R).fault, FaultKind::address_size);
}

TEST(Ranges, ContiguousEntriesCoverTheirRun) {
  Machine m;
  LeafAttributes a = testing::normal();
  a.contiguous = true;
  m.map(kVa, 0x80000000, a);
  const Translation t = translate(m.mem, m.regime(), kVa, kEl1R);
  EXPECT_EQ(t.size, 4096u);
  EXPECT_EQ(t.tlb_size, 16u * 4096u);
}

}  // namespace
}  // namespace ptsim::hw::arm64
