#include "ptsim/hw/arch/arm/long_descriptor.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

#include "ptsim/error.h"
#include "support/error_of.h"

namespace ptsim::hw::arm::long_descriptor {
namespace {

using ::ptsim::testing::error_of;
using ::testing::HasSubstr;

// --- Hand-checked values (fields from the B3.6.1 descriptor figures) -----------

TEST(LongDescriptorTable, FirstLevelEntryWithSoftwareBitSeenInARealTable) {
  // 0x0080000080004003 ("*pgd=80000080004003" in an LPAE kernel's fault
  // report): a table at PA 0x80004000 with IGNORED bit 55 set.
  const Table t = decode_table(0x0080000080004003, 1);
  EXPECT_EQ(t.next_table, PhysAddr(0x80004000));
  EXPECT_EQ(t.ignored, uint64_t{1} << 55);
  EXPECT_EQ(t.sbzp, 0u);
  EXPECT_FALSE(t.ns_table || t.xn_table || t.pxn_table);
  EXPECT_EQ(t.ap_table, ApTable::no_effect);
  EXPECT_EQ(encode(t), 0x0080000080004003u);
}

TEST(LongDescriptorTable, HierarchicalControlBitsAreTheTopFive) {
  Table t;
  t.level = 2;
  t.next_table = PhysAddr(0xff'ffff'f000);
  EXPECT_EQ(encode(t), 0x000000fffffff003u);
  t.pxn_table = true;
  EXPECT_EQ(encode(t), 0x080000fffffff003u);
  t.xn_table = true;
  EXPECT_EQ(encode(t), 0x180000fffffff003u);
  t.ap_table = ApTable::read_only_no_pl0_access;
  EXPECT_EQ(encode(t), 0x780000fffffff003u);
  t.ns_table = true;
  EXPECT_EQ(encode(t), 0xf80000fffffff003u);
}

TEST(LongDescriptorBlock, SecondLevelBlockHasKnownValue) {
  // A 2 MiB block at PA 0x60000000, AttrIndx 0b111, AP[2:1] 0b00, SH inner
  // shareable (0b11), AF: 0x60000000 | AF (0x400) | SH (0x300) |
  // AttrIndx (0x1c) | 0b01 = 0x6000071d.
  Block b;
  b.level = 2;
  b.output_address = PhysAddr(0x60000000);
  b.attrs.attr_indx = 7;
  b.attrs.sh = Shareability::inner_shareable;
  b.attrs.af = true;
  EXPECT_EQ(encode(b), 0x6000071du);
  EXPECT_EQ(decode_block(0x6000071d, 2), b);
  // With XN (bit 54), PXN (53), nG (11) and AP[2] (bit 7).
  b.attrs.xn = true;
  b.attrs.pxn = true;
  b.attrs.ng = true;
  b.attrs.ap = AccessPermission::pl1_read_only;
  EXPECT_EQ(encode(b), 0x0060000060000f9du);
}

TEST(LongDescriptorBlock, FirstLevelBlockTakesAddressBits39To30) {
  Block b;
  b.level = 1;
  b.output_address = PhysAddr(0xc0'4000'0000);
  EXPECT_EQ(encode(b), 0x000000c040000001u);
  EXPECT_EQ(decode_block(0x000000c040000001, 1).output_address, PhysAddr(0xc040000000));
  // Bits [29:12] are SBZP at level 1: kept apart from the address.
  const Block odd = decode_block(0x000000c040201001, 1);
  EXPECT_EQ(odd.output_address, PhysAddr(0xc040000000));
  EXPECT_EQ(odd.sbzp, 0x201000u);
  EXPECT_EQ(encode(odd), 0x000000c040201001u);
}

TEST(LongDescriptorPage, EveryAttributeFieldLandsAtItsBit) {
  auto with = [](auto change) {
    Page p;
    p.output_address = PhysAddr(0x1000);
    change(p.attrs);
    return encode(p);
  };
  EXPECT_EQ(with([](LeafAttributes&) {}), 0x0000000000001003u);
  EXPECT_EQ(with([](LeafAttributes& a) { a.attr_indx = 7; }), 0x000000000000101fu);
  EXPECT_EQ(with([](LeafAttributes& a) { a.ns = true; }), 0x0000000000001023u);
  EXPECT_EQ(with([](LeafAttributes& a) { a.ap = AccessPermission::read_only; }),
            0x00000000000010c3u);
  EXPECT_EQ(with([](LeafAttributes& a) { a.sh = Shareability::outer_shareable; }),
            0x0000000000001203u);
  EXPECT_EQ(with([](LeafAttributes& a) { a.af = true; }), 0x0000000000001403u);
  EXPECT_EQ(with([](LeafAttributes& a) { a.ng = true; }), 0x0000000000001803u);
  EXPECT_EQ(with([](LeafAttributes& a) { a.contiguous = true; }), 0x0010000000001003u);
  EXPECT_EQ(with([](LeafAttributes& a) { a.pxn = true; }), 0x0020000000001003u);
  EXPECT_EQ(with([](LeafAttributes& a) { a.xn = true; }), 0x0040000000001003u);
  EXPECT_EQ(with([](LeafAttributes& a) { a.software = 0xf; }), 0x0780000000001003u);
  EXPECT_EQ(with([](LeafAttributes& a) { a.ignored = 0x1f; }), 0xf800000000001003u);
}

// --- Kinds by level --------------------------------------------------------------

TEST(LongDescriptorKind, TypeBitsMeanDifferentThingsAtLevelThree) {
  EXPECT_TRUE(std::holds_alternative<Invalid>(decode(0x0, 1)));
  EXPECT_TRUE(std::holds_alternative<Invalid>(decode(0xfffffffffffffffe, 2)));
  EXPECT_TRUE(std::holds_alternative<Block>(decode(0x1, 1)));
  EXPECT_TRUE(std::holds_alternative<Block>(decode(0x1, 2)));
  EXPECT_TRUE(std::holds_alternative<Invalid>(decode(0x1, 3)));  // reserved
  EXPECT_TRUE(std::holds_alternative<Table>(decode(0x3, 1)));
  EXPECT_TRUE(std::holds_alternative<Table>(decode(0x3, 2)));
  EXPECT_TRUE(std::holds_alternative<Page>(decode(0x3, 3)));
  EXPECT_EQ(encode(Invalid{3, 0x1}), 0x1u);
}

// --- Round trips -----------------------------------------------------------------

TEST(LongDescriptorRoundTrip, EveryLowTwelveAndHighTwelveBitsDecodeAndEncodeBack) {
  // Exhaustive over bits[11:0] (type and lower attributes) and, separately,
  // over bits[63:52] (upper attributes, table controls, software bits), at
  // each level, with an address pattern in between.
  const uint64_t kMiddle = 0x000a5a5a5a5a5000;
  auto check = [&](unsigned level, uint64_t high, uint64_t low) {
    const uint64_t desc = (high << 52) | kMiddle | low;
    const uint64_t back = encode(decode(desc, level));
    EXPECT_EQ(back, desc) << fmt::format("level {} {:#018x} came back as {:#018x}", level, desc,
                                         back);
    return back == desc;
  };
  for (unsigned level = 1; level <= 3; ++level) {
    for (uint64_t bits = 0; bits < 4096; ++bits) {
      for (uint64_t other : {0x000, 0xfff, 0x555, 0xaaa, 0x001, 0x003}) {
        if (!check(level, other, bits) || !check(level, bits, other)) {
          return;
        }
      }
    }
  }
}

TEST(LongDescriptorRoundTrip, RandomWordsDecodeAndEncodeBack) {
  std::mt19937_64 rng(20260521);
  for (int i = 0; i < 50000; ++i) {
    const uint64_t desc = rng();
    for (unsigned level = 1; level <= 3; ++level) {
      ASSERT_EQ(encode(decode(desc, level)), desc) << fmt::format("level {} {:#018x}", level, desc);
    }
  }
}

// --- Bad input -------------------------------------------------------------------

TEST(LongDescriptorErrors, DecodingTheWrongKindNamesBoth) {
  EXPECT_THAT(error_of([] { decode_block(0x0080000080004003, 1); }),
              HasSubstr("0x0080000080004003 is a level 1 table, not a block"));
  EXPECT_THAT(error_of([] { decode_table(0x6000071d, 2); }),
              HasSubstr("is a level 2 block, not a table"));
  EXPECT_THAT(error_of([] { decode_page(0x6000071d); }),
              HasSubstr("is a level 3 reserved (invalid) entry, not a page"));
  EXPECT_THAT(error_of([] { decode_page(0x0); }),
              HasSubstr("is a level 3 invalid entry, not a page"));
  EXPECT_THAT(error_of([] { decode_table(0x3, 3); }),
              HasSubstr("a long-descriptor table descriptor cannot be at level 3"));
  EXPECT_THAT(error_of([] { decode(0x3, 0); }), HasSubstr("cannot be at level 0"));
  EXPECT_THAT(error_of([] { decode(0x3, 4); }), HasSubstr("cannot be at level 4"));
  EXPECT_THAT(error_of([] {
                encode(Invalid{2, 0x1});
              }),
              HasSubstr("is a level 2 block, not a invalid entry"));
}

TEST(LongDescriptorErrors, OutputAddressesMustBeAlignedAndFitFortyBits) {
  Block b;
  b.level = 2;
  b.output_address = PhysAddr(0x60100000);
  EXPECT_THAT(error_of([&] { encode(b); }),
              HasSubstr("level 2 block address 0x60100000 is not aligned to 0x200000"));
  b.output_address = PhysAddr(0x100'0000'0000);
  EXPECT_THAT(error_of([&] { encode(b); }),
              HasSubstr("address 0x10000000000 does not fit the 40-bit output address"));
  b.level = 3;
  EXPECT_THAT(error_of([&] { encode(b); }),
              HasSubstr("a long-descriptor block descriptor cannot be at level 3"));
  EXPECT_THAT(error_of([] {
                encode(Page{PhysAddr(0x1234), {}, 0});
              }),
              HasSubstr("page address 0x1234 is not aligned to 0x1000"));
  Table t;
  t.next_table = PhysAddr(0xfff'0000'0000);
  EXPECT_THAT(error_of([&] { encode(t); }), HasSubstr("next-level table address 0xfff00000000"));
}

TEST(LongDescriptorErrors, FieldsAndCarriedBitsMustFit) {
  Page p;
  p.attrs.attr_indx = 8;
  EXPECT_THAT(error_of([&] { encode(p); }),
              HasSubstr("page AttrIndx 0x8 does not fit its 3-bit field [4:2]"));
  p.attrs.attr_indx = 0;
  p.sbzp = 0x1000;  // an address bit, not SBZP
  EXPECT_THAT(error_of([&] { encode(p); }), HasSubstr("page SBZP bits 0x1000 fall outside"));
  Table t;
  t.ignored = uint64_t{1} << 59;  // PXNTable, not IGNORED
  EXPECT_THAT(error_of([&] { encode(t); }), HasSubstr("table descriptor IGNORED bits"));
}

}  // namespace
}  // namespace ptsim::hw::arm::long_descriptor
