#include "ptsim/hw/arch/arm/memory_attributes.h"

#include <gtest/gtest.h>

#include "ptsim/error.h"
#include "ptsim/hw/arch/arm/short_descriptor.h"

namespace ptsim::hw::arm {
namespace {

using CA = CacheAttribute;
using MT = MemoryType;
using SH = Shareability;

struct RemapOffCase {
  unsigned tex;
  bool c, b, s;
  MemoryAttributes want;
};

// "TEX, C, and B encodings when TRE == 0" (Arm ARM B3.8.2), row by row.
const RemapOffCase kRemapOffCases[] = {
    {0b000,
     0,
     0,
     0,
     {MT::strongly_ordered, CA::non_cacheable, CA::non_cacheable, SH::outer_shareable}},
    {0b000,
     0,
     0,
     1,
     {MT::strongly_ordered, CA::non_cacheable, CA::non_cacheable, SH::outer_shareable}},
    {0b000, 0, 1, 0, {MT::device, CA::non_cacheable, CA::non_cacheable, SH::outer_shareable}},
    {0b000, 1, 0, 0, {MT::normal, CA::write_through, CA::write_through, SH::non_shareable}},
    {0b000, 1, 0, 1, {MT::normal, CA::write_through, CA::write_through, SH::outer_shareable}},
    {0b000, 1, 1, 1, {MT::normal, CA::write_back, CA::write_back, SH::outer_shareable}},
    {0b001, 0, 0, 0, {MT::normal, CA::non_cacheable, CA::non_cacheable, SH::non_shareable}},
    {0b001, 0, 1, 0, {MT::reserved, CA::non_cacheable, CA::non_cacheable, SH::non_shareable}},
    {0b001,
     1,
     0,
     0,
     {MT::implementation_defined, CA::non_cacheable, CA::non_cacheable, SH::non_shareable}},
    {0b001,
     1,
     1,
     1,
     {MT::normal, CA::write_back_write_allocate, CA::write_back_write_allocate,
      SH::outer_shareable}},
    // Non-shareable Device ignores S.
    {0b010, 0, 0, 1, {MT::device, CA::non_cacheable, CA::non_cacheable, SH::non_shareable}},
    {0b010, 0, 1, 0, {MT::reserved, CA::non_cacheable, CA::non_cacheable, SH::non_shareable}},
    {0b010, 1, 1, 0, {MT::reserved, CA::non_cacheable, CA::non_cacheable, SH::non_shareable}},
    {0b011, 0, 0, 0, {MT::reserved, CA::non_cacheable, CA::non_cacheable, SH::non_shareable}},
    // TEX 0b1BB, C:B = AA: outer from BB, inner from AA.
    {0b110,
     0,
     1,
     0,
     {MT::normal, CA::write_back_write_allocate, CA::write_through, SH::non_shareable}},
    {0b101,
     1,
     1,
     1,
     {MT::normal, CA::write_back, CA::write_back_write_allocate, SH::outer_shareable}},
    {0b100, 0, 0, 1, {MT::normal, CA::non_cacheable, CA::non_cacheable, SH::outer_shareable}},
};

TEST(MemoryAttributesWithoutRemap, MatchesTheArmArmTable) {
  for (const RemapOffCase& c : kRemapOffCases) {
    EXPECT_EQ(memory_attributes_without_remap(c.tex, c.c, c.b, c.s), c.want)
        << "TEX " << c.tex << " C " << c.c << " B " << c.b << " S " << c.s;
  }
}

// A PRRR/NMRR pair built field by field: n = 0 Strongly-ordered, 1 Device,
// 2 Normal WT/WT, 3 Normal inner WBWA outer WB, 4 reserved, 5 Normal NC/NC,
// 7 Normal WB/WT; NOS set for n = 3 only; DS1, NS1 set, DS0, NS0 clear.
struct Remap {
  uint32_t prrr = 0;
  uint32_t nmrr = 0;
  Remap() {
    auto region = [this](unsigned n, MT type, CA inner, CA outer) {
      prrr = static_cast<uint32_t>(prrr::tr(n).set(prrr, static_cast<unsigned>(type)));
      nmrr = static_cast<uint32_t>(nmrr::ir(n).set(nmrr, static_cast<unsigned>(inner)));
      nmrr = static_cast<uint32_t>(nmrr::or_(n).set(nmrr, static_cast<unsigned>(outer)));
    };
    region(0, MT::strongly_ordered, CA::non_cacheable, CA::non_cacheable);
    region(1, MT::device, CA::non_cacheable, CA::non_cacheable);
    region(2, MT::normal, CA::write_through, CA::write_through);
    region(3, MT::normal, CA::write_back_write_allocate, CA::write_back);
    region(4, MT::reserved, CA::non_cacheable, CA::non_cacheable);
    region(5, MT::normal, CA::non_cacheable, CA::non_cacheable);
    region(7, MT::normal, CA::write_back, CA::write_through);
    prrr = static_cast<uint32_t>(prrr::nos(3).set(prrr, 1));
    prrr = static_cast<uint32_t>(prrr::ds1.set(prrr, 1));
    prrr = static_cast<uint32_t>(prrr::ns1.set(prrr, 1));
  }
};

TEST(MemoryAttributesWithRemap, RegisterFieldsSitWhereTheArmArmPutsThem) {
  const Remap r;
  // TR0 00, TR1 01, TR2 10, TR3 10, TR4 11, TR5 10, TR6 00, TR7 10; DS1 bit 17,
  // NS1 bit 19, NOS3 bit 27.
  EXPECT_EQ(r.prrr, 0x080a8ba4u);
  // IR: n2 10, n3 01, n5 00, n7 11 -> 0xc060; OR: n2 10, n3 11, n7 10 -> 0x80e0.
  EXPECT_EQ(r.nmrr, 0x80e0c060u);
}

TEST(MemoryAttributesWithRemap, TexZeroCAndBIndexPrrrAndNmrr) {
  const Remap r;
  auto at = [&](unsigned tex, bool c, bool b, bool s) {
    return memory_attributes_with_remap(tex, c, b, s, r.prrr, r.nmrr);
  };
  EXPECT_EQ(at(0, 0, 0, 0).type, MT::strongly_ordered);
  EXPECT_EQ(at(0, 0, 0, 0).shareability, SH::outer_shareable);
  EXPECT_EQ(at(0, 0, 1, 0), (MemoryAttributes{MT::device, CA::non_cacheable, CA::non_cacheable,
                                              SH::non_shareable}));  // DS0 clear
  EXPECT_EQ(at(0, 0, 1, 1).shareability, SH::outer_shareable);       // DS1 set
  EXPECT_EQ(at(0, 1, 0, 0), (MemoryAttributes{MT::normal, CA::write_through, CA::write_through,
                                              SH::non_shareable}));  // NS0 clear
  EXPECT_EQ(at(0, 1, 0, 1).shareability, SH::outer_shareable);       // NS1 set, NOS2 clear
  EXPECT_EQ(at(0, 1, 1, 1), (MemoryAttributes{MT::normal, CA::write_back_write_allocate,
                                              CA::write_back, SH::inner_shareable}));  // NOS3
  EXPECT_EQ(at(1, 0, 0, 0).type, MT::reserved);
  EXPECT_EQ(at(1, 0, 1, 1), (MemoryAttributes{MT::normal, CA::non_cacheable, CA::non_cacheable,
                                              SH::outer_shareable}));
  EXPECT_EQ(at(1, 1, 0, 0).type, MT::strongly_ordered);  // n = 6: TR6 is 0
  EXPECT_EQ(at(1, 1, 1, 0),
            (MemoryAttributes{MT::normal, CA::write_back, CA::write_through, SH::non_shareable}));
  // TEX[2:1] do not take part in the index: they are free for software.
  for (unsigned tex = 0; tex < 8; ++tex) {
    EXPECT_EQ(at(tex, 1, 1, 1), at(tex & 1, 1, 1, 1)) << "TEX " << tex;
  }
}

TEST(MemoryAttributesOfADescriptor, TreChoosesBetweenTheTwoModels) {
  const Remap r;
  // TEX 0b000 C 1 B 1: Normal write-back without remap, n = 3 with it.
  short_descriptor::RegionAttributes a;
  a.c = true;
  a.b = true;
  a.s = true;
  EXPECT_EQ(short_descriptor::memory_attributes(a, false),
            (MemoryAttributes{MT::normal, CA::write_back, CA::write_back, SH::outer_shareable}));
  EXPECT_EQ(short_descriptor::memory_attributes(a, true, r.prrr, r.nmrr),
            (MemoryAttributes{MT::normal, CA::write_back_write_allocate, CA::write_back,
                              SH::inner_shareable}));
}

TEST(MemoryAttributesErrors, TexWiderThanThreeBitsIsRefused) {
  EXPECT_THROW(memory_attributes_without_remap(8, false, false, false), Error);
  EXPECT_THROW(memory_attributes_with_remap(9, false, false, false, 0, 0), Error);
}

}  // namespace
}  // namespace ptsim::hw::arm

namespace ptsim::hw::arm {
namespace {

TEST(MairAttributes, AttrIndxSelectsAByteOfMair0ThenMair1) {
  const uint32_t mair0 = 0x33221100;
  const uint32_t mair1 = 0x77665544;
  for (unsigned n = 0; n < 8; ++n) {
    EXPECT_EQ(mair_attr(mair0, mair1, n), 0x11 * n) << n;
  }
  EXPECT_THROW(mair_attr(mair0, mair1, 8), Error);
}

TEST(MairAttributes, AttributeBytesDecodeAsB384Says) {
  EXPECT_EQ(memory_attributes_from_mair(0x00, SH::non_shareable),
            (MemoryAttributes{MT::strongly_ordered, CA::non_cacheable, CA::non_cacheable,
                              SH::outer_shareable}));
  EXPECT_EQ(memory_attributes_from_mair(0x04, SH::inner_shareable).type, MT::device);
  EXPECT_EQ(memory_attributes_from_mair(0x04, SH::inner_shareable).shareability,
            SH::outer_shareable);
  EXPECT_EQ(
      memory_attributes_from_mair(0x44, SH::inner_shareable),
      (MemoryAttributes{MT::normal, CA::non_cacheable, CA::non_cacheable, SH::inner_shareable}));
  // 0xaa: Write-Through, read-allocate, both levels.
  EXPECT_EQ(
      memory_attributes_from_mair(0xaa, SH::non_shareable),
      (MemoryAttributes{MT::normal, CA::write_through, CA::write_through, SH::non_shareable}));
  // 0xee: Write-Back, read-allocate, no write-allocate.
  EXPECT_EQ(memory_attributes_from_mair(0xee, SH::outer_shareable),
            (MemoryAttributes{MT::normal, CA::write_back, CA::write_back, SH::outer_shareable}));
  // 0xff: Write-Back, read- and write-allocate.
  EXPECT_EQ(memory_attributes_from_mair(0xff, SH::inner_shareable).inner,
            CA::write_back_write_allocate);
  // Outer Write-Back no-allocate (0b1100), inner Non-cacheable (0b0100).
  EXPECT_EQ(memory_attributes_from_mair(0xc4, SH::non_shareable),
            (MemoryAttributes{MT::normal, CA::non_cacheable, CA::write_back, SH::non_shareable}));
  // Outer transient Write-Through (0b0010), inner transient Write-Back (0b0111).
  EXPECT_EQ(memory_attributes_from_mair(0x27, SH::non_shareable),
            (MemoryAttributes{MT::normal, CA::write_back_write_allocate, CA::write_through,
                              SH::non_shareable}));
  // UNPREDICTABLE encodings: Device-like outer with another inner; Normal
  // outer with inner 0b0000.
  EXPECT_EQ(memory_attributes_from_mair(0x08, SH::non_shareable).type, MT::reserved);
  EXPECT_EQ(memory_attributes_from_mair(0x40, SH::non_shareable).type, MT::reserved);
}

}  // namespace
}  // namespace ptsim::hw::arm
