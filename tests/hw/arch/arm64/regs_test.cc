// Register decoding and validation, and the regime they describe.
#include "ptsim/hw/arch/arm64/regs.h"

#include <gtest/gtest.h>

#include "ptsim/error.h"

namespace ptsim::hw::arm64 {
namespace {

// As Linux 6.1 sets it for 4K pages and 48-bit VAs: T0SZ=T1SZ=16, IRGN/ORGN
// write-back, SH inner, TG0 4K, TG1 4K, IPS 48 bits, AS, TBI0, HA, HD.
constexpr uint64_t kLinuxTcr = 0x000001b5b5103510ull;

std::string error_of(const Registers& r) {
  try {
    Regime::from_registers(r);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Regs, TgEncodingsDifferBetweenTheHalves) {
  EXPECT_EQ(decode_tg0(0b00), Granule::k4K);
  EXPECT_EQ(decode_tg0(0b01), Granule::k64K);
  EXPECT_EQ(decode_tg0(0b10), Granule::k16K);
  EXPECT_EQ(decode_tg1(0b01), Granule::k16K);
  EXPECT_EQ(decode_tg1(0b10), Granule::k4K);
  EXPECT_EQ(decode_tg1(0b11), Granule::k64K);
  EXPECT_THROW(decode_tg0(0b11), Error);
  EXPECT_THROW(decode_tg1(0b00), Error);
  for (Granule g : {Granule::k4K, Granule::k16K, Granule::k64K}) {
    EXPECT_EQ(decode_tg0(encode_tg0(g)), g);
    EXPECT_EQ(decode_tg1(encode_tg1(g)), g);
  }
}

TEST(Regs, DecodesALinuxTcr) {
  Registers r;
  r.tcr_el1 = kLinuxTcr;
  r.ttbr1_el1 = 0x41fa0000 | (uint64_t{7} << 48);
  r.mair_el1 = 0x000000040044ffffull;
  const Regime g = Regime::from_registers(r);
  EXPECT_EQ(g.range(true).granule, Granule::k4K);
  EXPECT_EQ(g.range(true).ia_bits, 48u);
  EXPECT_EQ(g.range(true).start_level, 0);
  EXPECT_EQ(g.range(true).table_base.value(), 0x41fa0000u);
  EXPECT_EQ(g.pa_bits(), 48u);
  EXPECT_TRUE(g.hardware_af());
  EXPECT_TRUE(g.hardware_dirty());
  EXPECT_TRUE(g.range(false).tbi);
  EXPECT_FALSE(g.range(true).tbi);
  EXPECT_EQ(g.asid(), 0u);  // A1=0: the ASID is TTBR0's
  EXPECT_EQ(g.mair_attr(1), 0xff);
  EXPECT_EQ(g.mair_attr(2), 0x44);
}

TEST(Regs, AsidComesFromTheTtbrA1NamesAndIsEightBitsWithoutAs) {
  Registers r;
  r.tcr_el1 = kLinuxTcr & ~(uint64_t{1} << 36);
  r.ttbr0_el1 = uint64_t{0x1234} << 48;
  r.ttbr1_el1 = uint64_t{0x5678} << 48;
  EXPECT_EQ(Regime::from_registers(r).asid(), 0x34u);
  r.tcr_el1 = tcr::kA1.set(r.tcr_el1, 1);
  EXPECT_EQ(Regime::from_registers(r).asid(), 0x78u);
  r.tcr_el1 = tcr::kAS.set(r.tcr_el1, 1);
  EXPECT_EQ(Regime::from_registers(r).asid(), 0x5678u);
}

TEST(Regs, ErrorsNameRegisterFieldAndValue) {
  Registers r;
  r.tcr_el1 = kLinuxTcr | (uint64_t{1} << 35);
  EXPECT_NE(error_of(r).find("TCR_EL1.RES0 = 0x800000000"), std::string::npos) << error_of(r);
  r.tcr_el1 = tcr::kIPS.set(kLinuxTcr, 7);
  EXPECT_NE(error_of(r).find("TCR_EL1.IPS = 0x7"), std::string::npos) << error_of(r);
  r.tcr_el1 = tcr::kTG1.set(kLinuxTcr, 0);
  EXPECT_NE(error_of(r).find("TCR_EL1.TG1 = 0x0"), std::string::npos) << error_of(r);
  r.tcr_el1 = tcr::kT1SZ.set(kLinuxTcr, 8);
  EXPECT_NE(error_of(r).find("TCR_EL1.T1SZ = 0x8"), std::string::npos) << error_of(r);
  r.tcr_el1 = kLinuxTcr;
  r.mair_el1 = 0x08;  // Device with bits [1:0] = 0b00 but ... 0x08 is nGRE: valid
  EXPECT_EQ(error_of(r), "");
  r.mair_el1 = 0x0c01;  // Attr0 = 0x01: reserved Device encoding
  EXPECT_NE(error_of(r).find("MAIR_EL1.Attr0 = 0x1"), std::string::npos) << error_of(r);
  EXPECT_THROW(r.assign("TTBR2_EL1=0"), Error);
  EXPECT_THROW(r.assign("TCR_EL1"), Error);
  EXPECT_THROW(r.assign("PAN=2"), Error);
}

TEST(Regs, DisabledRangeMayHoldAnyTxsz) {
  Registers r;
  r.tcr_el1 = tcr::kEPD0.set(tcr::kT0SZ.set(kLinuxTcr, 0), 1);
  EXPECT_EQ(error_of(r), "");
}

TEST(Regs, StartLevelsAndTableAlignment) {
  struct Case {
    Granule g;
    unsigned txsz;
    int start;
  };
  for (const Case c :
       {Case{Granule::k4K, 16, 0}, Case{Granule::k4K, 25, 1}, Case{Granule::k4K, 34, 2},
        Case{Granule::k16K, 17, 1}, Case{Granule::k16K, 16, 0}, Case{Granule::k64K, 16, 1},
        Case{Granule::k64K, 22, 2}, Case{Granule::k64K, 12, 1}, Case{Granule::k64K, 25, 2}}) {
    Registers r;
    r.tcr_el1 = tcr::kIPS.set(0, 5);
    r.tcr_el1 = tcr::kT1SZ.set(r.tcr_el1, c.txsz);
    r.tcr_el1 = tcr::kTG1.set(r.tcr_el1, encode_tg1(c.g));
    r.tcr_el1 = tcr::kEPD0.set(r.tcr_el1, 1);
    r.ttbr1_el1 = 0x40000fc0;  // low bits below the table size are ignored
    const Regime g = Regime::from_registers(r);
    EXPECT_EQ(g.range(true).start_level, c.start) << granule_name(c.g) << " T1SZ=" << c.txsz;
    EXPECT_EQ(g.range(true).table_base.value() & 0x3f, 0u);
  }
}

TEST(Regs, FiftyTwoBitIpsNeedsLpaOrDs) {
  Registers r;
  r.tcr_el1 = tcr::kIPS.set(kLinuxTcr, 6);
  EXPECT_EQ(Regime::from_registers(r).pa_bits(), 48u);  // 4K and DS=0
  r.tcr_el1 = tcr::kDS.set(r.tcr_el1, 1);
  r.tcr_el1 = tcr::kT1SZ.set(r.tcr_el1, 12);
  r.ttbr1_el1 = 0x40000000 | (uint64_t{0x3} << 2);  // BADDR[51:48] = 3
  const Regime g = Regime::from_registers(r);
  EXPECT_EQ(g.pa_bits(), 52u);
  EXPECT_EQ(g.range(true).start_level, -1);
  EXPECT_EQ(g.range(true).format.oa, OaFormat::lpa2);
  EXPECT_EQ(g.range(true).table_base.value(), 0x3000040000000u);
}

TEST(Regs, VaRangeChecks) {
  Registers r;
  r.tcr_el1 = tcr::kT1SZ.set(tcr::kT0SZ.set(kLinuxTcr, 25), 25);  // 39-bit ranges
  const Regime g = Regime::from_registers(r);
  EXPECT_TRUE(g.va_in_range(0xffffff8000000000, false));
  EXPECT_FALSE(g.va_in_range(0xffff000000000000, false));
  EXPECT_TRUE(g.va_in_range(0x0000007fffffffff, false));
  EXPECT_FALSE(g.va_in_range(0x0000008000000000, false));
  EXPECT_TRUE(g.va_in_range(0xab0000007fffffff, false));  // TBI0
}

TEST(Regs, MairNames) {
  EXPECT_EQ(mair_attr_name(0x00), "Device-nGnRnE");
  EXPECT_EQ(mair_attr_name(0x04), "Device-nGnRE");
  EXPECT_EQ(mair_attr_name(0x44), "Normal NC");
  EXPECT_EQ(mair_attr_name(0xff), "Normal WB-RWA");
  EXPECT_EQ(mair_attr_name(0xf0), "Normal-Tagged");
  EXPECT_FALSE(mair_attr_valid(0x10));
}

}  // namespace
}  // namespace ptsim::hw::arm64
