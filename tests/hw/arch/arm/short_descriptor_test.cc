#include "ptsim/hw/arch/arm/short_descriptor.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "ptsim/error.h"
#include "support/error_of.h"

namespace ptsim::hw::arm::short_descriptor {
namespace {

using ::ptsim::testing::error_of;
using ::testing::HasSubstr;

// Every RegionAttributes value: 2 (B) * 2 (C) * 8 (TEX) * 4 (AP) * 2 (APX) * 2 (S) * 2 (nG) * 2
// (XN).
std::vector<RegionAttributes> all_region_attributes() {
  std::vector<RegionAttributes> out;
  for (unsigned bits = 0; bits < 2048; ++bits) {
    RegionAttributes a;
    a.b = (bits & 1) != 0;
    a.c = (bits & 2) != 0;
    a.tex = (bits >> 2) & 7;
    a.ap = (bits >> 5) & 3;
    a.apx = (bits & (1u << 7)) != 0;
    a.s = (bits & (1u << 8)) != 0;
    a.ng = (bits & (1u << 9)) != 0;
    a.xn = (bits & (1u << 10)) != 0;
    out.push_back(a);
  }
  return out;
}

// --- Hand-checked values -----------------------------------------------------
// Each value below is worked out bit by bit from the B3.5.1 descriptor
// figures; the comments give the fields.

TEST(ShortDescriptorSection, NormalWriteBackSharedSectionHasKnownValue) {
  // Section at PA 0x60000000, TEX 0b001 C 1 B 1, AP[2:0] 0b001, S 1, domain 0:
  // base 0x600 << 20 | S (1 << 16) | AP[1:0] 01 (1 << 10) | TEX 001 (1 << 12) |
  // C (1 << 3) | B (1 << 2) | 0b10  =  0x6001140e.
  Section s;
  s.base = PhysAddr(0x60000000);
  s.attrs.tex = 1;
  s.attrs.c = true;
  s.attrs.b = true;
  s.attrs.ap = 1;
  s.attrs.s = true;
  EXPECT_EQ(encode(s), 0x6001140eu);
  EXPECT_EQ(decode_section(0x6001140e), s);
}

TEST(ShortDescriptorSection, ExecuteNeverSectionSeenInARealFirstLevelTable) {
  // 0x6e21141e, a first-level entry printed by an ARMv7 kernel's fault report
  // ("*pgd=6e21141e"): the section above at 0x6e200000 with XN (bit 4) set.
  const Section s = decode_section(0x6e21141e);
  EXPECT_EQ(s.base, PhysAddr(0x6e200000));
  EXPECT_TRUE(s.attrs.xn);
  EXPECT_EQ(s.attrs.tex, 1u);
  EXPECT_TRUE(s.attrs.c);
  EXPECT_TRUE(s.attrs.b);
  EXPECT_EQ(s.attrs.ap_2_0(), 0b001u);
  EXPECT_TRUE(s.attrs.s);
  EXPECT_FALSE(s.attrs.ng);
  EXPECT_FALSE(s.pxn);
  EXPECT_FALSE(s.ns);
  EXPECT_EQ(s.domain, 0u);
}

TEST(ShortDescriptorSection, EveryFieldLandsAtItsBit) {
  // One field at a time, against the B3.5.1 section figure.
  const Section base{PhysAddr(0), {}, false, 0, false, false};
  auto with = [&](auto change) {
    Section s = base;
    change(s);
    return encode(s);
  };
  EXPECT_EQ(with([](Section&) {}), 0x00000002u);
  EXPECT_EQ(with([](Section& s) { s.pxn = true; }), 0x00000003u);
  EXPECT_EQ(with([](Section& s) { s.attrs.b = true; }), 0x00000006u);
  EXPECT_EQ(with([](Section& s) { s.attrs.c = true; }), 0x0000000au);
  EXPECT_EQ(with([](Section& s) { s.attrs.xn = true; }), 0x00000012u);
  EXPECT_EQ(with([](Section& s) { s.domain = 15; }), 0x000001e2u);
  EXPECT_EQ(with([](Section& s) { s.imp = true; }), 0x00000202u);
  EXPECT_EQ(with([](Section& s) { s.attrs.ap = 3; }), 0x00000c02u);
  EXPECT_EQ(with([](Section& s) { s.attrs.tex = 7; }), 0x00007002u);
  EXPECT_EQ(with([](Section& s) { s.attrs.apx = true; }), 0x00008002u);
  EXPECT_EQ(with([](Section& s) { s.attrs.s = true; }), 0x00010002u);
  EXPECT_EQ(with([](Section& s) { s.attrs.ng = true; }), 0x00020002u);
  EXPECT_EQ(with([](Section& s) { s.ns = true; }), 0x00080002u);
  EXPECT_EQ(with([](Section& s) { s.base = PhysAddr(0xfff00000); }), 0xfff00002u);
}

TEST(ShortDescriptorSupersection, ExtendedBaseAddressBitsGoToTheirFields) {
  // PA 0x9a4f000000: PA[31:24] 0x4f -> bits[31:24], PA[35:32] 0xa -> bits[23:20],
  // PA[39:36] 0x9 -> bits[8:5]; bit 18 set; 0b10.  0x4f000000 | 0x00a00000 |
  // 0x00040000 | 0x120 | 0x2 = 0x4fa40122.
  Supersection s;
  s.base = PhysAddr(0x9a4f000000);
  EXPECT_EQ(encode(s), 0x4fa40122u);
  EXPECT_EQ(decode_supersection(0x4fa40122), s);
  EXPECT_EQ(first_level_kind(0x4fa40122), FirstLevelKind::supersection);
}

TEST(ShortDescriptorPageTable, KernelPageTableEntriesSeenInRealTables) {
  // "*pgd=61bb7831" and "*pgd=029d6811" from ARMv7 kernels' fault reports:
  // page-table descriptors, bit 4 set, domain 1 and domain 0.
  const PageTable user = decode_page_table(0x61bb7831);
  EXPECT_EQ(user.base, PhysAddr(0x61bb7800));
  EXPECT_EQ(user.domain, 1u);
  EXPECT_TRUE(user.sbz);
  EXPECT_FALSE(user.pxn);
  EXPECT_FALSE(user.ns);
  EXPECT_FALSE(user.imp);
  const PageTable kernel = decode_page_table(0x029d6811);
  EXPECT_EQ(kernel.base, PhysAddr(0x029d6800));
  EXPECT_EQ(kernel.domain, 0u);
  EXPECT_EQ(encode(kernel), 0x029d6811u);
  // PXN bit 2, NS bit 3, IMP bit 9.
  EXPECT_EQ(encode(PageTable{PhysAddr(0x400), true, true, false, 0, true}), 0x0000060du);
}

TEST(ShortDescriptorSmallPage, PagesSeenInRealSecondLevelTables) {
  // "*ppte=615d2c7f": XN, B, C, AP[1:0] 0b11, TEX 0b001, S, nG.
  const SmallPage user = decode_small_page(0x615d2c7f);
  EXPECT_EQ(user.base, PhysAddr(0x615d2000));
  EXPECT_TRUE(user.attrs.xn);
  EXPECT_TRUE(user.attrs.b);
  EXPECT_TRUE(user.attrs.c);
  EXPECT_EQ(user.attrs.ap, 3u);
  EXPECT_EQ(user.attrs.tex, 1u);
  EXPECT_FALSE(user.attrs.apx);
  EXPECT_TRUE(user.attrs.s);
  EXPECT_TRUE(user.attrs.ng);
  // "*ppte=f8050013": XN, AP[1:0] 0b01, TEX 0 C 0 B 0.
  const SmallPage device = decode_small_page(0xf8050013);
  EXPECT_EQ(device.base, PhysAddr(0xf8050000));
  EXPECT_EQ(device.attrs, (RegionAttributes{false, false, 0, 1, false, false, false, true}));
}

TEST(ShortDescriptorLargePage, EveryFieldLandsAtItsBit) {
  // Base 0x12340000, XN (bit 15), TEX 0b101 (bits[14:12]), nG, S, AP[2], AP[1:0]
  // 0b10 (bits[5:4]), C, B, 0b01:  0x12340000 | 0x8000 | 0x5000 | 0x800 | 0x400
  // | 0x200 | 0x20 | 0x8 | 0x4 | 0x1 = 0x1234de2d.
  LargePage p;
  p.base = PhysAddr(0x12340000);
  p.attrs = RegionAttributes{true, true, 5, 2, true, true, true, true};
  EXPECT_EQ(encode(p), 0x1234de2du);
  EXPECT_EQ(decode_large_page(0x1234de2d), p);
  EXPECT_EQ(encode(LargePage{PhysAddr(0), {}, 7}), 0x000001c1u);  // SBZ bits[8:6]
}

// --- Round trips ---------------------------------------------------------------

TEST(ShortDescriptorRoundTrip, EveryFirstLevelLowHalfDecodesAndEncodesBack) {
  // Exhaustive over bits[19:0] (every type, attribute and domain bit), the
  // base-address bits above them varying with a multiplicative hash.
  for (uint32_t low = 0; low < (1u << 20); ++low) {
    const uint32_t desc = ((low * 0x9e3779b9u) & 0xfff00000u) | low;
    const uint32_t back = encode(decode_first_level(desc));
    if (back != desc) {
      FAIL() << fmt::format("first-level {:#010x} came back as {:#010x}", desc, back);
    }
  }
}

TEST(ShortDescriptorRoundTrip, EverySecondLevelLowHalfDecodesAndEncodesBack) {
  for (uint32_t high : {0x00000000u, 0xffff0000u, 0x5a5a0000u}) {
    for (uint32_t low = 0; low < (1u << 16); ++low) {
      const uint32_t desc = high | low;
      const uint32_t back = encode(decode_second_level(desc));
      if (back != desc) {
        FAIL() << fmt::format("second-level {:#010x} came back as {:#010x}", desc, back);
      }
    }
  }
}

TEST(ShortDescriptorRoundTrip, RandomWordsDecodeAndEncodeBack) {
  std::mt19937 rng(20260521);
  for (int i = 0; i < 50000; ++i) {
    const uint32_t desc = static_cast<uint32_t>(rng());
    ASSERT_EQ(encode(decode_first_level(desc)), desc) << fmt::format("{:#010x}", desc);
    ASSERT_EQ(encode(decode_second_level(desc)), desc) << fmt::format("{:#010x}", desc);
  }
}

TEST(ShortDescriptorRoundTrip, EveryAttributeCombinationSurvivesEachLeafFormat) {
  for (const RegionAttributes& a : all_region_attributes()) {
    const Section s{PhysAddr(0x80100000), a, a.b, 5, a.c, a.s};
    ASSERT_EQ(decode_section(encode(s)), s);
    const Supersection ss{PhysAddr(0xff01000000), a, a.xn, a.ng, a.apx};
    ASSERT_EQ(decode_supersection(encode(ss)), ss);
    const LargePage lp{PhysAddr(0xffff0000), a, a.tex};
    ASSERT_EQ(decode_large_page(encode(lp)), lp);
    const SmallPage sp{PhysAddr(0x00001000), a};
    ASSERT_EQ(decode_small_page(encode(sp)), sp);
  }
}

TEST(ShortDescriptorKind, TypeBitsAndBit18SelectTheKind) {
  EXPECT_EQ(first_level_kind(0x00000000), FirstLevelKind::fault);
  EXPECT_EQ(first_level_kind(0xfffffffc), FirstLevelKind::fault);
  EXPECT_EQ(first_level_kind(0x00000001), FirstLevelKind::page_table);
  EXPECT_EQ(first_level_kind(0x00000002), FirstLevelKind::section);
  // 0b11: a section with PXN set.
  EXPECT_EQ(first_level_kind(0x00000003), FirstLevelKind::section);
  EXPECT_TRUE(decode_section(0x00000003).pxn);
  EXPECT_EQ(first_level_kind(0x00040002), FirstLevelKind::supersection);
  // Bit 18 of a page-table descriptor is address, not the supersection bit.
  EXPECT_EQ(first_level_kind(0x00040001), FirstLevelKind::page_table);
  EXPECT_EQ(second_level_kind(0x00000000), SecondLevelKind::fault);
  EXPECT_EQ(second_level_kind(0x00000001), SecondLevelKind::large_page);
  EXPECT_EQ(second_level_kind(0x00000002), SecondLevelKind::small_page);
  EXPECT_EQ(second_level_kind(0x00000003), SecondLevelKind::small_page);  // XN set
  EXPECT_TRUE(decode_small_page(0x00000003).attrs.xn);
}

TEST(ShortDescriptorFault, IgnoredBitsArePreserved) {
  EXPECT_EQ(std::get<Fault>(decode_first_level(0xdeadbeec)).ignored, 0xdeadbeecu);
  EXPECT_EQ(encode(FirstLevelDescriptor{Fault{0xdeadbeec}}), 0xdeadbeecu);
  EXPECT_EQ(encode(SecondLevelDescriptor{Fault{0x12345678}}), 0x12345678u);
}

// --- Bad input -------------------------------------------------------------------

TEST(ShortDescriptorErrors, DecodingTheWrongKindNamesBothKinds) {
  EXPECT_THAT(error_of([] { decode_section(0x61bb7831); }),
              HasSubstr("0x61bb7831 is a first-level page table descriptor, not a section"));
  EXPECT_THAT(error_of([] { decode_supersection(0x6001140e); }),
              HasSubstr("is a first-level section descriptor, not a supersection"));
  EXPECT_THAT(error_of([] { decode_page_table(0x00000000); }),
              HasSubstr("is a first-level fault descriptor, not a page table"));
  EXPECT_THAT(error_of([] { decode_large_page(0x615d2c7f); }),
              HasSubstr("is a second-level small page descriptor, not a large page"));
  EXPECT_THAT(error_of([] { decode_small_page(0x1234de2d); }),
              HasSubstr("is a second-level large page descriptor, not a small page"));
}

TEST(ShortDescriptorErrors, BaseAddressesMustBeAlignedAndFit) {
  EXPECT_THAT(error_of([] {
                encode(Section{PhysAddr(0x60080000), {}, false, 0, false, false});
              }),
              HasSubstr("section base address 0x60080000 is not aligned to 0x100000"));
  EXPECT_THAT(error_of([] {
                encode(Section{PhysAddr(0x100000000), {}, false, 0, false, false});
              }),
              HasSubstr("section base address 0x100000000 does not fit the 32-bit output address"));
  EXPECT_THAT(error_of([] {
                encode(Supersection{PhysAddr(0x10000000000), {}, false, false, false});
              }),
              HasSubstr("does not fit the 40-bit output address"));
  EXPECT_THAT(error_of([] {
                encode(Supersection{PhysAddr(0x61000000 + 0x100000), {}, false, false, false});
              }),
              HasSubstr("not aligned to 0x1000000"));
  EXPECT_THAT(error_of([] {
                encode(PageTable{PhysAddr(0x60000200), false, false, false, 0, false});
              }),
              HasSubstr("page table base address 0x60000200 is not aligned to 0x400"));
  EXPECT_THAT(error_of([] {
                encode(LargePage{PhysAddr(0x8000), {}, 0});
              }),
              HasSubstr("not aligned to 0x10000"));
  EXPECT_THAT(error_of([] {
                encode(SmallPage{PhysAddr(0x1000000000), {}});
              }),
              HasSubstr("does not fit the 32-bit output address"));
}

TEST(ShortDescriptorErrors, FieldValuesMustFitTheirFields) {
  EXPECT_THAT(error_of([] {
                encode(Section{PhysAddr(0), {}, false, 16, false, false});
              }),
              HasSubstr("section Domain 0x10 does not fit its 4-bit field [8:5]"));
  RegionAttributes tex8;
  tex8.tex = 8;
  EXPECT_THAT(error_of([&] {
                encode(SmallPage{PhysAddr(0), tex8});
              }),
              HasSubstr("small page TEX 0x8 does not fit its 3-bit field [8:6]"));
  RegionAttributes ap4;
  ap4.ap = 4;
  EXPECT_THAT(error_of([&] {
                encode(LargePage{PhysAddr(0), ap4, 0});
              }),
              HasSubstr("large page AP[1:0] 0x4 does not fit"));
  EXPECT_THAT(error_of([] {
                encode(LargePage{PhysAddr(0), {}, 8});
              }),
              HasSubstr("large page SBZ 0x8 does not fit"));
  EXPECT_THAT(error_of([] { encode(Fault{0x2}); }),
              HasSubstr("a fault entry has bits[1:0] == 0b00"));
}

TEST(ShortDescriptorAccessPermissions, ApBitsFollowTheFullAndSimplifiedModels) {
  auto ap = [](unsigned ap_2_0, bool afe) {
    RegionAttributes a;
    a.apx = (ap_2_0 & 4) != 0;
    a.ap = ap_2_0 & 3;
    return access_permissions(a, afe);
  };
  using P = AccessPermissions;
  // SCTLR.AFE == 0: AP[2:0].
  EXPECT_EQ(ap(0b000, false), (P{false, false, false, false}));
  EXPECT_EQ(ap(0b001, false), (P{true, true, false, false}));
  EXPECT_EQ(ap(0b010, false), (P{true, true, true, false}));
  EXPECT_EQ(ap(0b011, false), (P{true, true, true, true}));
  EXPECT_EQ(ap(0b100, false), std::nullopt);
  EXPECT_EQ(ap(0b101, false), (P{true, false, false, false}));
  EXPECT_EQ(ap(0b110, false), (P{true, false, true, false}));
  EXPECT_EQ(ap(0b111, false), (P{true, false, true, false}));
  // SCTLR.AFE == 1: AP[0] is the Access flag and does not change permissions.
  for (unsigned af = 0; af < 2; ++af) {
    EXPECT_EQ(ap(0b000 | af, true), (P{true, true, false, false}));
    EXPECT_EQ(ap(0b010 | af, true), (P{true, true, true, true}));
    EXPECT_EQ(ap(0b100 | af, true), (P{true, false, false, false}));
    EXPECT_EQ(ap(0b110 | af, true), (P{true, false, true, false}));
  }
}

TEST(ShortDescriptorDomains, DacrFieldsGiveEachDomainsAccess) {
  // D0 client, D1 manager, D2 no access, D3 reserved; D15 manager.
  const uint32_t dacr = 0b01 | (0b11 << 2) | (0b00 << 4) | (0b10 << 6) | (0b11u << 30);
  EXPECT_EQ(domain_access(dacr, 0), DomainAccess::client);
  EXPECT_EQ(domain_access(dacr, 1), DomainAccess::manager);
  EXPECT_EQ(domain_access(dacr, 2), DomainAccess::no_access);
  EXPECT_EQ(domain_access(dacr, 3), DomainAccess::reserved);
  EXPECT_EQ(domain_access(dacr, 15), DomainAccess::manager);
  EXPECT_THAT(error_of([] { domain_access(0, 16); }), HasSubstr("domain 16 does not exist"));
}

}  // namespace
}  // namespace ptsim::hw::arm::short_descriptor
