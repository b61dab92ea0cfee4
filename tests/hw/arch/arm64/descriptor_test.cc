// VMSAv8-64 descriptors: hand-checked encodings (Arm ARM DDI 0487 D8.3) and
// round trips over every granule, level and attribute combination that
// matters.
#include "ptsim/hw/arch/arm64/descriptor.h"

#include <gtest/gtest.h>

#include "ptsim/error.h"

namespace ptsim::hw::arm64 {
namespace {

constexpr DescriptorFormat k4K{Granule::k4K, OaFormat::pa48};
constexpr DescriptorFormat k16K{Granule::k16K, OaFormat::pa48};
constexpr DescriptorFormat k64K{Granule::k64K, OaFormat::pa48, 48};  // no FEAT_LPA
constexpr DescriptorFormat k64KLpa{Granule::k64K, OaFormat::lpa};
constexpr DescriptorFormat k4KLpa2{Granule::k4K, OaFormat::lpa2};

TEST(Descriptor, HandCheckedBlockAndPageValues) {
  // A 2 MiB block at 0x40000000: bits[1:0]=01, AttrIndx=0, SH=11 (bits 9:8),
  // AF (bit 10), PXN (53), UXN (54): 0x0060000040000701.
  LeafAttributes a;
  a.sh = 3;
  a.af = true;
  a.pxn = true;
  a.uxn = true;
  EXPECT_EQ(make_block(k4K, 2, PhysAddr(0x40000000), a), 0x0060000040000701u);
  // The same as a 4K page: bits[1:0]=11.
  EXPECT_EQ(make_page(k4K, PhysAddr(0x40000000), a), 0x0060000040000703u);
  // AP[2:1]=10 (read-only, EL1) is bits 7:6 = 0b10 -> 0x80; AttrIndx 4 is 0x10.
  a.ap = 2;
  a.attr_indx = 4;
  EXPECT_EQ(make_page(k4K, PhysAddr(0x9000000), a), 0x0060000009000793u);
}

TEST(Descriptor, HandCheckedTableValue) {
  // Next-level table at 0x41234000 with UXNTable (bit 60) and APTable=01 (bit 61).
  TableAttributes t;
  t.uxn_table = true;
  t.ap_table = 1;
  EXPECT_EQ(make_table(k4K, 0, PhysAddr(0x41234000), t), 0x3000000041234003u);
  EXPECT_EQ(TableAttributes::decode(0x3000000041234003u), t);
}

TEST(Descriptor, ClassifyFollowsLevelAndGranuleRules) {
  EXPECT_EQ(classify(k4K, 0, 0), DescriptorKind::invalid);
  EXPECT_EQ(classify(k4K, 2, 0x1), DescriptorKind::block);
  EXPECT_EQ(classify(k4K, 1, 0x1), DescriptorKind::block);
  EXPECT_EQ(classify(k4K, 0, 0x1), DescriptorKind::reserved);  // no 512 GiB blocks without LPA2
  EXPECT_EQ(classify(k4KLpa2, 0, 0x1), DescriptorKind::block);
  EXPECT_EQ(classify(k16K, 1, 0x1), DescriptorKind::reserved);
  EXPECT_EQ(classify(k16K, 2, 0x1), DescriptorKind::block);
  EXPECT_EQ(classify(k64K, 1, 0x1), DescriptorKind::reserved);
  EXPECT_EQ(classify(k64KLpa, 1, 0x1), DescriptorKind::block);  // 4 TiB blocks need FEAT_LPA
  EXPECT_EQ(classify(DescriptorFormat{Granule::k64K, OaFormat::pa48, 52}, 1, 0x1), DescriptorKind::block);
  EXPECT_EQ(classify(k4K, 3, 0x1), DescriptorKind::reserved);
  EXPECT_EQ(classify(k4K, 3, 0x3), DescriptorKind::page);
  EXPECT_EQ(classify(k4K, 2, 0x3), DescriptorKind::table);
}

TEST(Descriptor, BlockSizesPerGranuleAndLevel) {
  EXPECT_EQ(level_shift(Granule::k4K, 1), 30u);
  EXPECT_EQ(level_shift(Granule::k4K, 2), 21u);
  EXPECT_EQ(level_shift(Granule::k16K, 2), 25u);
  EXPECT_EQ(level_shift(Granule::k64K, 2), 29u);
  EXPECT_EQ(level_shift(Granule::k64K, 1), 42u);
}

TEST(Descriptor, FiftyTwoBitAddressesUseTheirExtensionBits) {
  LeafAttributes a;
  a.af = true;
  // FEAT_LPA, 64K: PA[51:48] = 0xa goes to bits [15:12].
  const uint64_t v = make_page(k64KLpa, PhysAddr(0xa123456780000), a);
  EXPECT_EQ(v & 0xf000, 0xa000u);
  EXPECT_EQ(output_address(k64KLpa, 3, DescriptorKind::page, v).value(), 0xa123456780000u);
  // FEAT_LPA2, 4K: PA[51:50] = 0b11 goes to bits [9:8].
  const uint64_t w = make_page(k4KLpa2, PhysAddr(0xc000000001000), a);
  EXPECT_EQ((w >> 8) & 3, 3u);
  EXPECT_EQ(output_address(k4KLpa2, 3, DescriptorKind::page, w).value(), 0xc000000001000u);
  // Without an extension a 52-bit address is refused.
  EXPECT_THROW(make_page(k64K, PhysAddr(0xa123456780000), a), Error);
}

TEST(Descriptor, MisalignedOrImpossibleDescriptorsAreRefused) {
  EXPECT_THROW(make_block(k4K, 2, PhysAddr(0x40001000), {}), Error);  // not 2 MiB aligned
  EXPECT_THROW(make_block(k4K, 0, PhysAddr(0), {}), Error);           // no level 0 blocks
  EXPECT_THROW(make_block(k16K, 1, PhysAddr(0), {}), Error);
  EXPECT_THROW(make_page(k64K, PhysAddr(0x1000), {}), Error);  // not 64K aligned
  EXPECT_THROW(make_table(k4K, 3, PhysAddr(0x1000), {}), Error);
  try {
    make_block(k4K, 1, PhysAddr(0x40200000), {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("0x40200000 is not aligned to 0x40000000"), std::string::npos)
        << e.what();
  }
}

// Every leaf attribute combination of the one-bit fields, every AP, SH and
// AttrIndx, for each granule and leaf level, decodes to what was encoded.
TEST(Descriptor, LeafAttributesRoundTripExhaustively) {
  for (const DescriptorFormat fmt : {k4K, k16K, k64K, k64KLpa}) {
    for (int level = 1; level <= 3; ++level) {
      const bool page = level == 3;
      if (!page && !block_allowed(fmt, level)) {
        continue;
      }
      const PhysAddr oa(uint64_t{1} << level_shift(fmt.granule, level));
      for (unsigned bits = 0; bits < (1u << 8); ++bits) {
        for (unsigned ap = 0; ap < 4; ++ap) {
          LeafAttributes a;
          a.ns = bits & 1;
          a.af = bits & 2;
          a.ng = bits & 4;
          a.gp = bits & 8;
          a.dbm = bits & 16;
          a.contiguous = bits & 32;
          a.pxn = bits & 64;
          a.uxn = bits & 128;
          a.ap = ap;
          a.sh = (bits + ap) & 3;
          a.attr_indx = (bits * 3 + ap) & 7;
          a.software = bits & 15;
          a.pbha = (bits >> 4) & 15;
          const uint64_t v = page ? make_page(fmt, oa, a) : make_block(fmt, level, oa, a);
          const DescriptorKind kind = classify(fmt, level, v);
          ASSERT_EQ(kind, page ? DescriptorKind::page : DescriptorKind::block);
          ASSERT_EQ(LeafAttributes::decode(fmt, v), a) << std::hex << v;
          ASSERT_EQ(output_address(fmt, level, kind, v), oa);
        }
      }
    }
  }
}

TEST(Descriptor, TableAttributesRoundTripExhaustively) {
  for (unsigned bits = 0; bits < 32; ++bits) {
    TableAttributes t{(bits & 1) != 0, (bits & 2) != 0, (bits >> 2) & 3, (bits & 16) != 0};
    const uint64_t v = make_table(k16K, 1, PhysAddr(0x4000), t);
    EXPECT_EQ(TableAttributes::decode(v), t);
    EXPECT_EQ(output_address(k16K, 1, DescriptorKind::table, v).value(), 0x4000u);
  }
}

TEST(Descriptor, DescribeNamesTheFields) {
  EXPECT_EQ(describe(k4K, 2, 0x0060000040000701u), "block 0x40000000 AttrIndx=0 SH=3 AP=0 AF PXN UXN");
  EXPECT_EQ(describe(k4K, 0, 0x1000000041234003u), "table -> 0x41234000 UXNTable");
  EXPECT_EQ(describe(k4K, 3, 0x0), "invalid");
  EXPECT_EQ(describe(k4K, 3, 0x1), "reserved");
}

}  // namespace
}  // namespace ptsim::hw::arm64
