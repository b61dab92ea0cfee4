// Short-descriptor translation (TTBCR.EAE=0): every leaf kind, every fault
// kind at both levels, TTBR selection by TTBCR.N and PDn, domains, the
// Access flag with SCTLR.AFE, and the memory attributes with and without
// TEX remap (Arm ARM B3.5, B3.7, B3.8, B3.12).
#include <gtest/gtest.h>

#include "armv7_fixture.h"
#include "ptsim/hw/arch/arm/par.h"
#include "ptsim/hw/arch/arm/translate.h"

namespace ptsim::hw::arm {
namespace {

namespace sd = short_descriptor;
namespace ld = long_descriptor;

using testing::Machine;
using testing::short_attrs;

constexpr Access kPl1Read{false, AccessType::read};
constexpr Access kPl1Write{false, AccessType::write};
constexpr Access kPl0Read{true, AccessType::read};
constexpr Access kPl1Exec{false, AccessType::execute};

TEST(ShortWalk, SectionTranslatesWithOneDescriptorRead) {
  Machine m;
  m.section(0xc0000000, 0x60000000, short_attrs(0b001));
  const Translation t = m.translate(0xc0012345);
  ASSERT_TRUE(t.ok()) << fault_kind_name(t.fault);
  EXPECT_EQ(t.pa.value(), 0x60012345u);
  EXPECT_EQ(t.level, 1u);
  EXPECT_EQ(t.size, 1u << 20);
  ASSERT_EQ(t.step_count, 1u);
  EXPECT_EQ(t.steps[0].level, 1u);
  EXPECT_EQ(t.steps[0].addr.value(), m.l1 + 0xc00 * 4);
  EXPECT_EQ(t.steps[0].raw, m.mem.load32(PhysAddr(m.l1 + 0xc00 * 4)));
}

TEST(ShortWalk, SupersectionHasA40BitOutputAndDomain0) {
  Machine m;
  m.supersection(0xd0000000, 0xab01000000, short_attrs(0b001));
  const Translation t = m.translate(0xd0abcdef);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t.pa.value(), 0xab01abcdefu);
  EXPECT_TRUE(t.supersection);
  EXPECT_EQ(t.size, 16u << 20);
  EXPECT_EQ(t.domain, 0u);
  // PAR: SS, PA[31:24] in [31:24], PA[39:32] in [23:16].
  const uint64_t par = par_for(t);
  EXPECT_EQ(par::ss.get(par), 1u);
  EXPECT_EQ(par::ss_pa_31_24.get(par), 0x01u);
  EXPECT_EQ(par::ss_pa_39_32.get(par), 0xabu);
  EXPECT_EQ(par & 0xf000, 0u);
}

TEST(ShortWalk, SmallAndLargePagesReadTwoDescriptors) {
  Machine m;
  m.small_page(0x00401000, 0x81234000, short_attrs(0b011));
  m.large_page(0x00410000, 0x90000000, short_attrs(0b011));
  const Translation s = m.translate(0x00401abc);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.pa.value(), 0x81234abcu);
  EXPECT_EQ(s.level, 2u);
  EXPECT_EQ(s.size, 4096u);
  ASSERT_EQ(s.step_count, 2u);
  EXPECT_EQ(s.steps[1].level, 2u);
  EXPECT_EQ(s.steps[1].addr.value(), m.l2_short.at(0x004) + 1 * 4);
  const Translation l = m.translate(0x0041fabc);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l.pa.value(), 0x9000fabcu);
  EXPECT_EQ(l.size, 64u << 10);
}

TEST(ShortWalk, TranslationFaultsAtLevel1And2) {
  Machine m;
  m.small_page(0x00401000, 0x81234000, short_attrs(0b011));
  const Translation l1 = m.translate(0x10000000);
  EXPECT_EQ(l1.fault, FaultKind::translation);
  EXPECT_EQ(l1.level, 1u);
  EXPECT_EQ(short_fault_status(l1.fault, l1.level), 0b00101u);
  const Translation l2 = m.translate(0x00402000);
  EXPECT_EQ(l2.fault, FaultKind::translation);
  EXPECT_EQ(l2.level, 2u);
  EXPECT_EQ(l2.step_count, 2u);
  EXPECT_EQ(par_for(l2), 0b0'0111'1u | 0u);  // F, FS 0b00111 in [5:1]
}

TEST(ShortWalk, TtbcrNSplitsTheRangesAndPdDisablesWalks) {
  Machine m;
  const uint64_t table1 = m.alloc(16 * 1024);
  m.regs.ttbcr = 2;  // TTBR0 covers VA < 1 GiB with a 4 KiB table
  m.regs.ttbr1 = table1;
  m.section(0x00100000, 0x60000000, short_attrs(0b001));  // TTBR0 index 1
  m.mem.store32(PhysAddr(table1 + 0xc00 * 4), m.mem.load32(PhysAddr(m.l1 + 4)));
  const Regime r = m.regime();
  EXPECT_FALSE(r.selects_upper(0x3fffffff));
  EXPECT_TRUE(r.selects_upper(0x40000000));
  const Translation low = m.translate(0x00100010);
  ASSERT_TRUE(low.ok());
  EXPECT_EQ(low.pa.value(), 0x60000010u);
  const Translation high = m.translate(0xc0000020);
  ASSERT_TRUE(high.ok());
  EXPECT_TRUE(high.upper);
  EXPECT_EQ(high.steps[0].addr.value(), table1 + 0xc00 * 4);
  m.regs.ttbcr = static_cast<uint32_t>(2 | ttbcr::pd1.mask());
  const Translation pd1 = m.translate(0xc0000020);
  EXPECT_EQ(pd1.fault, FaultKind::translation);
  EXPECT_EQ(pd1.level, 1u);
  EXPECT_EQ(pd1.step_count, 0u);
  m.regs.ttbcr = static_cast<uint32_t>(2 | ttbcr::pd0.mask());
  EXPECT_EQ(m.translate(0x00100010).fault, FaultKind::translation);
  EXPECT_TRUE(m.translate(0xc0000020).ok());
}

TEST(ShortWalk, DomainsNoAccessClientManager) {
  Machine m;
  // Domain 2 is no access, 1 manager, 0 client (testing::kDacr).
  m.section(0x10000000, 0x60000000, short_attrs(0b000), 2);
  m.small_page(0x20001000, 0x60001000, short_attrs(0b000), 2);
  m.section(0x30000000, 0x60000000, short_attrs(0b000, true), 1);
  m.section(0x40000000, 0x60000000, short_attrs(0b000), 0);
  const Translation s = m.translate(0x10000000);
  EXPECT_EQ(s.fault, FaultKind::domain);
  EXPECT_EQ(s.level, 1u);
  EXPECT_EQ(short_fault_status(s.fault, s.level), 0b01001u);
  const Translation p = m.translate(0x20001000);
  EXPECT_EQ(p.fault, FaultKind::domain);
  EXPECT_EQ(p.level, 2u);
  EXPECT_EQ(short_fault_status(p.fault, p.level), 0b01011u);
  // A manager is not checked: AP 000 and XN do not stop it.
  EXPECT_TRUE(m.translate(0x30000000, kPl1Write).ok());
  EXPECT_TRUE(m.translate(0x30000000, kPl1Exec).ok());
  EXPECT_TRUE(m.translate(0x30000000, kPl0Read).ok());
  // A client is: AP 000 is no access.
  const Translation c = m.translate(0x40000000, kPl1Read);
  EXPECT_EQ(c.fault, FaultKind::permission);
  EXPECT_EQ(short_fault_status(c.fault, c.level), 0b01101u);
}

TEST(ShortWalk, PageDomainComesFromThePageTableDescriptor) {
  Machine m;
  m.small_page(0x20001000, 0x60001000, short_attrs(0b000), 1);  // manager
  EXPECT_TRUE(m.translate(0x20001000, kPl1Write).ok());
  EXPECT_EQ(m.translate(0x20001000).domain, 1u);
}

TEST(ShortWalk, AccessFlagFaultsWithAfeBeforeTheDomainCheck) {
  Machine m;
  m.regs.sctlr |= static_cast<uint32_t>(sctlr::afe.mask());
  m.section(0x10000000, 0x60000000, short_attrs(0b110), 1);     // AP[0]=0, manager
  m.small_page(0x20001000, 0x60001000, short_attrs(0b010), 2);  // AP[0]=0, no access
  m.section(0x30000000, 0x60000000, short_attrs(0b011), 0);     // AP[0]=1: AP[2:1]=01
  const Translation s = m.translate(0x10000000);
  EXPECT_EQ(s.fault, FaultKind::access_flag);
  EXPECT_EQ(s.level, 1u);
  EXPECT_EQ(short_fault_status(s.fault, 1), 0b00011u);
  const Translation p = m.translate(0x20001000);
  EXPECT_EQ(p.fault, FaultKind::access_flag);
  EXPECT_EQ(p.level, 2u);
  EXPECT_EQ(short_fault_status(p.fault, 2), 0b00110u);
  // The simplified model: AP[2:1] = 01 is read/write at PL0 and PL1.
  EXPECT_TRUE(m.translate(0x30000000, {true, AccessType::write}).ok());
  m.regs.sctlr &= ~static_cast<uint32_t>(sctlr::afe.mask());
  EXPECT_TRUE(m.translate(0x10000000).ok());  // without AFE AP[0] is a permission bit
}

TEST(ShortWalk, PageTablePxnForbidsPl1ExecutionOfItsPages) {
  Machine m;
  m.small_page(0x00401000, 0x81234000, short_attrs(0b011), 0, true);
  EXPECT_EQ(m.translate(0x00401000, kPl1Exec).fault, FaultKind::permission);
  EXPECT_TRUE(m.translate(0x00401000, {true, AccessType::execute}).ok());
}

TEST(ShortWalk, DescriptorOutsideMemoryIsAnExternalAbortOnTheWalk) {
  Machine m;
  sd::PageTable t;
  t.base = PhysAddr(0x10000000);  // no RAM there
  m.set_l1(0x00400000, sd::encode(t));
  const Translation r = m.translate(0x00401000);
  EXPECT_EQ(r.fault, FaultKind::external_abort);
  EXPECT_EQ(r.level, 2u);
  EXPECT_EQ(short_fault_status(r.fault, 2), 0b01110u);
  m.regs.ttbr0 = 0x10000000;
  const Translation r1 = m.translate(0x00401000);
  EXPECT_EQ(r1.fault, FaultKind::external_abort);
  EXPECT_EQ(r1.level, 1u);
}

TEST(ShortWalk, MemoryTypesWithoutAndWithTexRemap) {
  Machine m;
  sd::RegionAttributes dev = short_attrs(0b011);
  dev.tex = 0;
  dev.c = false;
  dev.b = true;  // TEX 000 C 0 B 1: shareable Device
  m.section(0x10000000, 0x60000000, dev);
  const Translation d = m.translate(0x10000000);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.memattrs.type, MemoryType::device);
  EXPECT_EQ(par::inner.get(par_for(d)), 0b011u);
  const Translation n = [&] {
    m.section(0x20000000, 0x60000000, short_attrs(0b011));  // TEX 001 C 1 B 1: WB-WA
    return m.translate(0x20000000);
  }();
  EXPECT_EQ(n.memattrs.type, MemoryType::normal);
  EXPECT_EQ(n.memattrs.inner, CacheAttribute::write_back_write_allocate);
  EXPECT_EQ(par::inner.get(par_for(n)), 0b101u);
  EXPECT_EQ(par::outer.get(par_for(n)), 0b01u);
  EXPECT_EQ(par::sh.get(par_for(n)), 1u);
  // The TEX remap register values Linux writes (PRRR 0xff0a81a8, NMRR
  // 0x40e040e0): index TEX[0]:C:B = 0b111 is Normal WB-WA, Inner Shareable.
  m.regs.sctlr |= static_cast<uint32_t>(sctlr::tre.mask());
  m.regs.prrr = 0xff0a81a8;
  m.regs.nmrr = 0x40e040e0;
  sd::RegionAttributes wb = short_attrs(0b011);
  wb.tex = 0b001;
  wb.c = true;
  wb.b = true;
  m.section(0x30000000, 0x60000000, wb);
  const Translation r = m.translate(0x30000000);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.memattrs.type, MemoryType::normal);
  EXPECT_EQ(r.memattrs.inner, CacheAttribute::write_back_write_allocate);
  EXPECT_EQ(r.memattrs.shareability, Shareability::inner_shareable);  // NOS7 set
  EXPECT_EQ(par::nos.get(par_for(r)), 1u);
  sd::RegionAttributes io = short_attrs(0b011);
  io.tex = 0;
  io.c = false;
  io.b = true;  // index TEX[0]:C:B = 1: PRRR.TR1 decides the type
  m.section(0x40000000, 0x60000000, io);
  EXPECT_EQ(m.translate(0x40000000).memattrs.type,
            static_cast<MemoryType>(prrr::tr(1).get(0xff0a81a8)));
}

TEST(ShortWalk, MmuOffIsAFlatStronglyOrderedMap) {
  Machine m;
  m.regs.sctlr = 0;
  const Translation t = m.translate(0x12345678, {true, AccessType::write});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t.pa.value(), 0x12345678u);
  EXPECT_EQ(t.step_count, 0u);
  EXPECT_EQ(par_for(t) & ~uint64_t{0xfff}, 0x12345000u);
}

TEST(ShortWalk, NotGlobalFromNgBit) {
  Machine m;
  sd::RegionAttributes a = short_attrs(0b011);
  a.ng = true;
  m.section(0x10000000, 0x60000000, a);
  m.small_page(0x20001000, 0x60001000, a);
  EXPECT_FALSE(m.translate(0x10000000).global);
  EXPECT_FALSE(m.translate(0x20001000).global);
  m.section(0x30000000, 0x60000000, short_attrs(0b011));
  EXPECT_TRUE(m.translate(0x30000000).global);
}

}  // namespace
}  // namespace ptsim::hw::arm
