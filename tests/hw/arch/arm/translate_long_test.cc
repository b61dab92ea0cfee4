// Long-descriptor (LPAE, TTBCR.EAE=1) translation: blocks and pages at every
// level, the TTBR0/TTBR1 ranges from T0SZ/T1SZ with their start levels and
// the gap between them, EPDn, address size faults, the Access flag, the
// table attribute hierarchy and MAIR (Arm ARM B3.6, B3.8.4, B3.12).
#include <gtest/gtest.h>

#include "armv7_fixture.h"
#include "ptsim/hw/arch/arm/par.h"
#include "ptsim/hw/arch/arm/translate.h"

namespace ptsim::hw::arm {
namespace {

namespace sd = short_descriptor;
namespace ld = long_descriptor;

using testing::long_attrs;
using testing::Machine;

constexpr Access kPl1Read{false, AccessType::read};

TEST(LongWalk, BlocksAndPagesAtEachLevel) {
  Machine m;
  m.use_lpae();
  m.long_leaf(0x40000000, 0x1c0000000, 1, long_attrs(0b00));  // 1 GiB above 4 GiB
  m.long_leaf(0x00200000, 0x80400000, 2, long_attrs(0b00));
  m.long_leaf(0x00401000, 0x81234000, 3, long_attrs(0b00));
  const Translation b1 = m.translate(0x40123456);
  ASSERT_TRUE(b1.ok()) << fault_kind_name(b1.fault);
  EXPECT_TRUE(b1.lpae);
  EXPECT_EQ(b1.pa.value(), 0x1c0123456u);
  EXPECT_EQ(b1.level, 1u);
  EXPECT_EQ(b1.size, 1u << 30);
  EXPECT_EQ(b1.step_count, 1u);
  const Translation b2 = m.translate(0x00212345);
  ASSERT_TRUE(b2.ok());
  EXPECT_EQ(b2.pa.value(), 0x80412345u);
  EXPECT_EQ(b2.level, 2u);
  EXPECT_EQ(b2.step_count, 2u);
  const Translation p = m.translate(0x00401abc);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.pa.value(), 0x81234abcu);
  EXPECT_EQ(p.level, 3u);
  ASSERT_EQ(p.step_count, 3u);
  EXPECT_EQ(p.steps[0].addr.value(), m.l1);
  for (unsigned i = 0; i < 3; ++i) {
    EXPECT_EQ(p.steps[i].level, i + 1);
    EXPECT_EQ(p.steps[i].raw, m.mem.load64(p.steps[i].addr));
  }
}

TEST(LongWalk, TranslationFaultsAtEveryLevel) {
  Machine m;
  m.use_lpae();
  m.long_leaf(0x00401000, 0x81234000, 3, long_attrs(0b00));
  const Translation l1 = m.translate(0x80000000);
  EXPECT_EQ(l1.fault, FaultKind::translation);
  EXPECT_EQ(l1.level, 1u);
  const Translation l2 = m.translate(0x00600000);
  EXPECT_EQ(l2.fault, FaultKind::translation);
  EXPECT_EQ(l2.level, 2u);
  const Translation l3 = m.translate(0x00402000);
  EXPECT_EQ(l3.fault, FaultKind::translation);
  EXPECT_EQ(l3.level, 3u);
  EXPECT_EQ(long_fault_status(l3.fault, l3.level), 0b000111u);
  // A level 3 entry with bits[1:0] = 0b01 is reserved: a translation fault.
  const uint64_t table3 = m.l2_short.empty() ? 0 : 0;
  (void)table3;
  const PhysAddr entry = l3.steps[2].addr;
  m.mem.store64(entry, 0x81235000 | 0x401);  // AF, type 0b01
  const Translation r = m.translate(0x00402000);
  EXPECT_EQ(r.fault, FaultKind::translation);
  EXPECT_EQ(r.level, 3u);
}

TEST(LongWalk, AccessFlagFaultNoHardwareUpdate) {
  Machine m;
  m.use_lpae();
  m.long_leaf(0x00200000, 0x80400000, 2, long_attrs(0b00, false));
  const Translation t = m.translate(0x00200000);
  EXPECT_EQ(t.fault, FaultKind::access_flag);
  EXPECT_EQ(t.level, 2u);
  EXPECT_EQ(long_fault_status(t.fault, t.level), 0b001010u);
  EXPECT_EQ(m.mem.load64(t.steps[1].addr) & (1u << 10), 0u);
}

TEST(LongWalk, AddressSizeFaults) {
  Machine m;
  m.use_lpae();
  m.long_leaf(0x00200000, 0x80400000, 2, long_attrs(0b00));
  // TTBR bits [47:40]: level 0.
  m.regs.ttbr0 = m.l1 | (uint64_t{1} << 40);
  const Translation ttbr = m.translate(0x00200000);
  EXPECT_EQ(ttbr.fault, FaultKind::address_size);
  EXPECT_EQ(ttbr.level, 0u);
  EXPECT_EQ(long_fault_status(ttbr.fault, 0), 0u);
  EXPECT_EQ(par_for(ttbr), 0x801u);
  m.regs.ttbr0 = m.l1;
  // A block whose output address has bit 40 set.
  const PhysAddr entry = m.translate(0x00200000).steps[1].addr;
  m.mem.store64(entry, m.mem.load64(entry) | (uint64_t{1} << 40));
  const Translation oa = m.translate(0x00200000);
  EXPECT_EQ(oa.fault, FaultKind::address_size);
  EXPECT_EQ(oa.level, 2u);
}

TEST(LongWalk, T1szGivesTtbr1TheTopAndStartsAtLevel2) {
  Machine m;
  // Linux's 3G/1G split: T1SZ = 2, TTBR1 at the level 2 table of 0xc0000000.
  const uint64_t kernel_l2 = m.alloc(4096);
  m.use_lpae(0x80000000 | (2u << 16));
  m.regs.ttbr1 = kernel_l2;
  m.long_leaf(0x00200000, 0x80400000, 2, long_attrs(0b01));
  ld::Block b{2, PhysAddr(0x80000000), long_attrs(0b00), 0};
  m.mem.store64(PhysAddr(kernel_l2 + 8), ld::encode(b));  // 0xc0200000
  const Regime r = m.regime();
  EXPECT_EQ(r.range(true).start_level, 2u);
  EXPECT_EQ(r.range(true).ia_bits, 30u);
  EXPECT_EQ(r.range(false).start_level, 1u);
  EXPECT_TRUE(r.selects_upper(0xc0000000));
  EXPECT_FALSE(r.selects_upper(0xbfffffff));
  const Translation k = m.translate(0xc0212345);
  ASSERT_TRUE(k.ok()) << fault_kind_name(k.fault);
  EXPECT_TRUE(k.upper);
  EXPECT_EQ(k.pa.value(), 0x80012345u);
  EXPECT_EQ(k.step_count, 1u);
  EXPECT_EQ(k.steps[0].level, 2u);
  EXPECT_TRUE(m.translate(0x00200000).ok());
}

TEST(LongWalk, GapBetweenTheRangesAndEpdAreLevel1TranslationFaults) {
  Machine m;
  m.use_lpae(0x80000000 | (2u << 16) | 1u);  // TTBR0 below 2 GiB, TTBR1 above 3 GiB
  const Regime r = m.regime();
  EXPECT_FALSE(r.va_in_range(0x80000000));
  EXPECT_TRUE(r.va_in_range(0x7fffffff));
  const Translation gap = m.translate(0x90000000);
  EXPECT_EQ(gap.fault, FaultKind::translation);
  EXPECT_EQ(gap.level, 1u);
  EXPECT_EQ(gap.step_count, 0u);
  m.long_leaf(0x00200000, 0x80400000, 2, long_attrs(0b00));
  EXPECT_TRUE(m.translate(0x00200000).ok());
  m.regs.ttbcr |= static_cast<uint32_t>(ttbcr::epd0.mask());
  const Translation epd = m.translate(0x00200000);
  EXPECT_EQ(epd.fault, FaultKind::translation);
  EXPECT_EQ(epd.level, 1u);
}

TEST(LongWalk, T0szOnlyLeavesTheRestToTtbr1FromLevel1) {
  Machine m;
  m.use_lpae(0x80000000 | 1u);  // T0SZ 1: TTBR0 below 2 GiB; T1SZ 0: TTBR1 the rest
  const Regime r = m.regime();
  EXPECT_TRUE(r.selects_upper(0x80000000));
  EXPECT_TRUE(r.va_in_range(0x80000000));
  EXPECT_EQ(r.range(true).start_level, 1u);
  m.long_leaf(0x80000000, 0x40000000, 1, long_attrs(0b00));
  const Translation t = m.translate(0x80000010);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t.upper);
  // Index VA[31:30] = 2 in the TTBR1 table (here the same table).
  EXPECT_EQ(t.steps[0].addr.value(), m.l1 + 2 * 8);
}

TEST(LongWalk, MairSelectsTheMemoryType) {
  Machine m;
  m.use_lpae();
  for (unsigned idx = 0; idx < 4; ++idx) {
    ld::LeafAttributes a = long_attrs(0b00);
    a.attr_indx = idx;
    m.long_leaf(0x00200000 * (idx + 1), 0x80000000, 2, a);
  }
  const MemoryType want[] = {MemoryType::normal, MemoryType::device, MemoryType::normal,
                             MemoryType::strongly_ordered};
  const uint8_t attr[] = {0xff, 0x04, 0x44, 0x00};
  for (unsigned idx = 0; idx < 4; ++idx) {
    const Translation t = m.translate(0x00200000 * (idx + 1), kPl1Read);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t.memattrs.type, want[idx]) << idx;
    EXPECT_EQ(t.mair_attr, attr[idx]);
    const uint64_t par = par_for(t);
    EXPECT_EQ(par::attr.get(par), attr[idx]);
    // Device, Strongly-ordered and Normal NC report Outer Shareable.
    EXPECT_EQ(par::sh64.get(par), idx == 0 ? 0b11u : 0b10u) << idx;
  }
}

TEST(LongWalk, NotGlobalFromNg) {
  Machine m;
  m.use_lpae();
  ld::LeafAttributes a = long_attrs(0b00);
  a.ng = true;
  m.long_leaf(0x00200000, 0x80000000, 2, a);
  EXPECT_FALSE(m.translate(0x00200000).global);
}

}  // namespace
}  // namespace ptsim::hw::arm
