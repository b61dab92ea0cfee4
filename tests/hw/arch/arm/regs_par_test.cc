// ARMv7 register decoding (refusals naming the register, field and value)
// and the PAR and fault status encodings, bit for bit.
#include <gtest/gtest.h>

#include <string>

#include "armv7_fixture.h"
#include "ptsim/error.h"
#include "ptsim/hw/arch/arm/par.h"
#include "ptsim/hw/arch/arm/regs.h"

namespace ptsim::hw::arm {
namespace {

namespace sd = short_descriptor;
namespace ld = long_descriptor;

using testing::Machine;

std::string refusal(const Registers& regs) {
  try {
    Regime::from_registers(regs);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    return e.what();
  }
  return "";
}

TEST(ArmRegs, RefusesRes0AndReservedEncodings) {
  Registers r;
  r.ttbcr = 0x8;
  EXPECT_NE(refusal(r).find("TTBCR.RES0 = 0x8"), std::string::npos) << refusal(r);
  r.ttbcr = 0x80000000 | (1u << 20);
  EXPECT_NE(refusal(r).find("TTBCR.RES0 = 0x100000"), std::string::npos) << refusal(r);
  r = {};
  r.dacr = 0b10 << 6;
  EXPECT_NE(refusal(r).find("DACR.D3 = 0x2: reserved"), std::string::npos) << refusal(r);
  r = {};
  r.sctlr |= static_cast<uint32_t>(sctlr::tre.mask());
  r.prrr = 0b11 << 4;
  EXPECT_NE(refusal(r).find("PRRR.TR2 = 0x3"), std::string::npos) << refusal(r);
  r.prrr = 1u << 21;
  EXPECT_NE(refusal(r).find("PRRR.[23:20]"), std::string::npos) << refusal(r);
  r = {};
  r.ttbcr = 0x80000000;
  r.mair1 = 0x0100;  // Attr5 = 0x01
  EXPECT_NE(refusal(r).find("MAIR1.Attr5 = 0x1"), std::string::npos) << refusal(r);
  r.mair1 = 0;
  r.ttbr1 = uint64_t{1} << 60;
  EXPECT_NE(refusal(r).find("TTBR1.[63:56]"), std::string::npos) << refusal(r);
  r = {};
  r.ttbr0 = uint64_t{1} << 32;
  EXPECT_NE(refusal(r).find("TTBR0.[63:32]"), std::string::npos) << refusal(r);
  r = {};
  r.sctlr |= static_cast<uint32_t>(sctlr::ee.mask());
  EXPECT_NE(refusal(r).find("SCTLR.EE"), std::string::npos);
  r = {};
  r.sctlr |= static_cast<uint32_t>(sctlr::ha.mask());
  EXPECT_NE(refusal(r).find("SCTLR.HA"), std::string::npos);
}

TEST(ArmRegs, RegisterNamesAndWidths) {
  Registers r;
  r.assign("ttbr0=0x80004000");
  r.assign("TTBCR=0x80000002");
  r.assign("CONTEXTIDR=0x1234");
  EXPECT_EQ(r.ttbr0, 0x80004000u);
  EXPECT_EQ(r.ttbcr, 0x80000002u);
  EXPECT_THROW(r.assign("DACR=0x100000000"), Error);
  EXPECT_THROW(r.assign("TCR_EL1=0"), Error);
  EXPECT_THROW(r.assign("TTBR0"), Error);
  r.assign("TTBR1=0x00ab000080000000");  // 64-bit with LPAE
  EXPECT_EQ(r.ttbr1, 0x00ab000080000000u);
}

TEST(ArmRegs, AsidFromContextidrOrTheTtbrA1Names) {
  Registers r;
  r.contextidr = 0x12345;
  EXPECT_EQ(Regime::from_registers(r).asid(), 0x45);
  r.ttbcr = 0x80000000;
  r.ttbr0 = uint64_t{0x21} << 48;
  r.ttbr1 = uint64_t{0x42} << 48;
  EXPECT_EQ(Regime::from_registers(r).asid(), 0x21);
  r.ttbcr |= static_cast<uint32_t>(ttbcr::a1.mask());
  Regime g = Regime::from_registers(r);
  EXPECT_EQ(g.asid(), 0x42);
  g.set_asid(7);
  EXPECT_EQ(g.asid(), 7);
  EXPECT_EQ(ttbr::asid.get(g.registers().ttbr1), 7u);
}

TEST(ArmPar, ShortFaultStatusEncodings) {
  // Table B3-23.
  EXPECT_EQ(short_fault_status(FaultKind::translation, 1), 0b00101u);
  EXPECT_EQ(short_fault_status(FaultKind::translation, 2), 0b00111u);
  EXPECT_EQ(short_fault_status(FaultKind::access_flag, 1), 0b00011u);
  EXPECT_EQ(short_fault_status(FaultKind::access_flag, 2), 0b00110u);
  EXPECT_EQ(short_fault_status(FaultKind::domain, 1), 0b01001u);
  EXPECT_EQ(short_fault_status(FaultKind::domain, 2), 0b01011u);
  EXPECT_EQ(short_fault_status(FaultKind::permission, 1), 0b01101u);
  EXPECT_EQ(short_fault_status(FaultKind::permission, 2), 0b01111u);
  EXPECT_EQ(short_fault_status(FaultKind::external_abort, 1), 0b01100u);
  EXPECT_EQ(short_fault_status(FaultKind::external_abort, 2), 0b01110u);
}

TEST(ArmPar, LongFaultStatusEncodings) {
  // Table B3-24.
  EXPECT_EQ(long_fault_status(FaultKind::address_size, 0), 0b000000u);
  EXPECT_EQ(long_fault_status(FaultKind::translation, 1), 0b000101u);
  EXPECT_EQ(long_fault_status(FaultKind::translation, 3), 0b000111u);
  EXPECT_EQ(long_fault_status(FaultKind::access_flag, 2), 0b001010u);
  EXPECT_EQ(long_fault_status(FaultKind::permission, 3), 0b001111u);
  EXPECT_EQ(long_fault_status(FaultKind::external_abort, 1), 0b010101u);
}

TEST(ArmPar, ShortFormatFaultPutsFs4InBit5) {
  Translation t;
  t.fault = FaultKind::domain;  // FS 0b01001: FS[4] = 0
  t.level = 1;
  EXPECT_EQ(par_for(t), (0b1001u << 1) | 1u);
  t.fault = FaultKind::permission;
  t.level = 2;  // 0b01111
  EXPECT_EQ(par_for(t), (0b1111u << 1) | 1u);
}

TEST(ArmPar, ShortFormatSuccessBitForBit) {
  Machine m;
  sd::RegionAttributes a = testing::short_attrs(0b011);  // Normal WB-WA, S
  m.section(0x10000000, 0x60000000, a);
  // PA 0x60012000 | NS (bit 9) | SH (bit 7) | Inner 101 (bits 6:4) | Outer 01 (bits 3:2).
  EXPECT_EQ(ats1c(m.mem, m.regs, AtsOp::ats1cpr, 0x10012345),
            0x60012000u | 0x200 | 0x80 | 0x50 | 0x4);
  EXPECT_EQ(ats1c(m.mem, m.regs, AtsOp::ats1cuw, 0x10012345),
            0x60012000u | 0x200 | 0x80 | 0x50 | 0x4);
  m.section(0x20000000, 0x60000000, testing::short_attrs(0b001));
  EXPECT_EQ(ats1c(m.mem, m.regs, AtsOp::ats1cur, 0x20000000), (0b01101u << 1) | 1u);
  EXPECT_EQ(ats1c(m.mem, m.regs, AtsOp::ats1cpw, 0x20000000) & 1u, 0u);
}

TEST(ArmPar, LongFormatSuccessBitForBit) {
  Machine m;
  m.use_lpae();
  m.long_leaf(0x00401000, 0x1234567000, 3, testing::long_attrs(0b01));
  // ATTR 0xff, PA[39:12], LPAE (bit 11), NS (bit 9), SH 11 (bits 8:7).
  EXPECT_EQ(ats1c(m.mem, m.regs, AtsOp::ats1cur, 0x00401abc),
            0xff00001234567000u | 0x800 | 0x200 | 0x180);
  m.long_leaf(0x00601000, 0x1234567000, 3, testing::long_attrs(0b10));
  EXPECT_EQ(ats1c(m.mem, m.regs, AtsOp::ats1cpw, 0x00601000), 0x800u | (0b001111u << 1) | 1u);
}

TEST(ArmPar, AtsOperationsAndTheirAccesses) {
  EXPECT_EQ(ats_access(AtsOp::ats1cpr), (Access{false, AccessType::read}));
  EXPECT_EQ(ats_access(AtsOp::ats1cuw), (Access{true, AccessType::write}));
  EXPECT_EQ(parse_ats_op("ats1cuR"), AtsOp::ats1cur);
  EXPECT_FALSE(parse_ats_op("ats12nsopr").has_value());
  EXPECT_EQ(ats_op_for({true, AccessType::write}), AtsOp::ats1cuw);
  EXPECT_FALSE(ats_op_for({false, AccessType::execute}).has_value());
}

TEST(ArmPar, DescribeReadsBothFormats) {
  EXPECT_EQ(describe_par((0b00111u << 1) | 1u, false), "fault FS 0b00111 (translation, level 2)");
  EXPECT_EQ(describe_par(0x801u | (0b001010u << 1), true),
            "fault FST 0b001010 (access flag, level 2)");
  EXPECT_EQ(describe_par(0xff00001234567b80u, true), "PA 0x1234567000 ATTR 0xff SH 3 NS");
  EXPECT_EQ(describe_par(0x600122d4u, false), "PA 0x60012000 Inner 0b101 Outer 0b01 SH NS");
  EXPECT_EQ(describe_par(0x01ab0002u | 0x200, false),
            "PA 0xab01000000 (supersection) Inner 0b000 Outer 0b00 NS");
}

TEST(ArmPar, MmuOffReportsTheVaAsAStronglyOrderedPa) {
  Machine m;
  m.regs.sctlr = 0;
  // Short: PA, NS, SH, Inner 001 (Strongly-ordered).
  EXPECT_EQ(ats1c(m.mem, m.regs, AtsOp::ats1cuw, 0x12345678), 0x12345000u | 0x200 | 0x80 | 0x10);
  // Long: ATTR 0x00, LPAE, NS, SH 10.
  m.use_lpae();
  m.regs.sctlr = 0;
  EXPECT_EQ(ats1c(m.mem, m.regs, AtsOp::ats1cpr, 0x12345678), 0x12345000u | 0x800 | 0x200 | 0x100);
}

TEST(ArmTranslate, CheckedVaRefusesAddressesAbove4GiB) {
  EXPECT_EQ(checked_va(0xffffffff), 0xffffffffu);
  try {
    checked_va(uint64_t{1} << 32);
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_NE(std::string(e.what()).find("0x100000000"), std::string::npos);
  }
}

}  // namespace
}  // namespace ptsim::hw::arm
